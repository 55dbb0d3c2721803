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
from indexer.engine.people import CHECK_EVERY, WRITING, people_of
from indexer.engine.search import matching_documents
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
    an edge per (writer, addressee) pair with its letters (no edge from a party to itself)."""
    people = people_of(searcher.reader(), authorities)
    docs = matching_documents(searcher, request, authorities, budget)
    letters: Counter[int] = Counter()
    sent: Counter[int] = Counter()
    received: Counter[int] = Counter()
    edges: Counter[tuple[int, int]] = Counter()
    for i, doc in enumerate(sorted(docs)):
        if i % CHECK_EVERY == 0 and budget.spent():
            break
        writers = people.doc_keys(doc, WRITING)
        addressees = people.addressees(doc)
        letters.update(writers | addressees)
        sent.update(writers)
        received.update(addressees)
        edges.update((w, a) for w in writers for a in addressees if w != a)
    ranked = sorted(letters, key=lambda k: (-letters[k], people.names[k].casefold(), k))
    kept = ranked[:MAX_NETWORK_NODES]
    keep = set(kept)
    nodes = [
        NetworkNode(people.keys[k], people.names[k], letters[k], sent[k], received[k]) for k in kept
    ]
    pairs = sorted(
        ((pair, n) for pair, n in edges.items() if pair[0] in keep and pair[1] in keep),
        key=lambda item: (-item[1], people.names[item[0][0]].casefold(), item[0]),
    )
    return Network(
        letters=len(docs),
        nodes=nodes,
        edges=[NetworkEdge(people.keys[a], people.keys[b], n) for (a, b), n in pairs],
        timed_out=budget.timed_out,
        truncated=len(ranked) > len(kept),
    )
