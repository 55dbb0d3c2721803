"""A person's page, the list of people and the network of a search, counted from the parties
of a generation (:mod:`indexer.engine.people`) within one time budget."""

from __future__ import annotations

from collections import Counter

from whoosh.searching import Searcher

from indexer.correspondents import (
    DIRECTORY_SORTS,
    ROLES,
    Directory,
    Network,
    NetworkEdge,
    NetworkNode,
    PersonProfile,
)
from indexer.engine.budget import Budget
from indexer.engine.facets import facet_tables
from indexer.engine.gencache import built, cached
from indexer.engine.matching import matching_documents
from indexer.engine.people import CHECK_EVERY, WRITING, people_of
from indexer.letters.authority import Authorities
from indexer.request import MAX_PAGE, SearchRequest

MAX_NETWORK_NODES = 5000  # the busiest people a network keeps (edges among them)
MAX_DIRECTORY_PAGE_SIZE = 200


def profile(
    searcher: Searcher, authorities: Authorities, key: str, budget: Budget
) -> PersonProfile | None:
    """What a person's page shows (None: no letter names anyone of that key or name)."""
    people = people_of(searcher.reader(), authorities)
    number = people.number(key)
    if number is None:
        return None
    by_role = {role: people.documents(number, (role,)) for role in ROLES}
    every: set[int] = set().union(*by_role.values())
    years = facet_tables(searcher.reader())["year"]
    written = by_role["sender"] | by_role["signatory"]
    return PersonProfile(
        key=people.keys[number],
        name=people.names[number],
        type=people.type(number),
        variants=people.variants(number),
        uses=people.name_uses(number),
        counts={role: len(docs) for role, docs in by_role.items()},
        letters=len(every),
        years=tuple(sorted(years.count(every).items())),
        undated=sum(1 for doc in every if years.first[doc] < 0),
        wrote_to=people.correspondents(written, "addressees", number, budget),
        received_from=people.correspondents(by_role["recipient"], "writers", number, budget),
        signed_with=people.correspondents(by_role["signatory"], "signatory", number, budget),
        timed_out=budget.spent(),
    )


def name_of(searcher: Searcher, authorities: Authorities, key: str) -> str:
    """The shown name of the party of a key or name (the text itself if none)."""
    people = people_of(searcher.reader(), authorities)
    number = people.number(key)
    return key if number is None else people.names[number]


def directory(
    searcher: Searcher,
    authorities: Authorities,
    q: str = "",
    sort: str = "letters",
    page: int = 1,
    per_page: int = 50,
) -> Directory:
    """One page of everyone the letters name, filtered by ``q`` and sorted (``sort``: most
    letters first, or by name). ValueError for a sort, page or size out of range."""
    if sort not in DIRECTORY_SORTS:
        raise ValueError(f"sort must be one of {', '.join(DIRECTORY_SORTS)}, not {sort!r}")
    if not 1 <= page <= MAX_PAGE or not 1 <= per_page <= MAX_DIRECTORY_PAGE_SIZE:
        raise ValueError("page or page size out of range")
    people = people_of(searcher.reader(), authorities)
    found = people.matching(q, sort)
    start = (page - 1) * per_page
    entries = tuple(people.entry(n) for n in found[start : start + per_page])
    return Directory(entries, len(found), page, per_page, q, sort)


def network(
    searcher: Searcher, authorities: Authorities, request: SearchRequest, budget: Budget
) -> Network:
    """Who wrote to whom among the letters a search finds: a node per writer or addressee,
    an edge per (writer, addressee) pair with its letters (no edge from a party to itself).
    The whole archive's network is kept until the index changes (when complete)."""
    everything = not (request.q or request.filters or request.by_people()) and (
        request.day_range() == (None, None)
    )
    if not everything:
        return _network(searcher, authorities, request, budget)
    reader = searcher.reader()
    if "network" in built(reader):
        return cached(reader, "network", lambda r: _network(searcher, authorities, request, budget))
    found = _network(searcher, authorities, request, budget)
    if not found.timed_out:
        cached(reader, "network", lambda r: found)
    return found


def _network(
    searcher: Searcher, authorities: Authorities, request: SearchRequest, budget: Budget
) -> Network:
    people = people_of(searcher.reader(), authorities)
    docs = matching_documents(searcher, request, authorities, budget)
    writers, addressees = people.column(WRITING), people.column(("recipient",))
    wrote: list[int] = []
    got: list[int] = []
    parties: list[int] = []
    pairs: list[tuple[int, int]] = []
    for i, doc in enumerate(docs):
        if i % CHECK_EVERY == 0 and budget.spent():
            break
        w, a = writers.of(doc), addressees.of(doc)
        if not (w or a):
            continue
        wrote.extend(w)
        got.extend(a)
        parties.extend(w)
        parties.extend(k for k in a if k not in w)
        pairs.extend((s, t) for s in w for t in a if s != t)
    letters, sent, received, edges = Counter(parties), Counter(wrote), Counter(got), Counter(pairs)
    ranked = sorted(letters, key=lambda k: (-letters[k], people.names[k].casefold(), k))
    kept = ranked[:MAX_NETWORK_NODES]
    keep = set(kept)
    nodes = [
        NetworkNode(people.keys[k], people.names[k], letters[k], sent[k], received[k]) for k in kept
    ]
    if len(kept) < len(ranked):
        edges = Counter({p: n for p, n in edges.items() if p[0] in keep and p[1] in keep})
    kept_edges = sorted(
        edges.items(),
        key=lambda item: (-item[1], people.names[item[0][0]].casefold(), item[0]),
    )
    return Network(
        letters=len(docs),
        nodes=nodes,
        edges=[NetworkEdge(people.keys[a], people.keys[b], n) for (a, b), n in kept_edges],
        timed_out=budget.timed_out,
        truncated=len(ranked) > len(kept),
    )
