"""Matching by set algebra and direct scoring agree with Whoosh's own search."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from contextlib import closing

import pytest
from whoosh import query as wq

from indexer.engine.budget import Budget
from indexer.engine.docsets import (
    matching_docs,
    top_scored,
    whoosh_top_scored,
    without_missing_terms,
)
from indexer.engine.expansion import Expander
from indexer.engine.query import parse_query
from indexer.request import SearchRequest

QUERIES = [
    "strike",
    "right to strike",
    '"right to strike"',
    "Kazakhstan workers",
    "union OR trade OR president",
    "strike NOT illegal",
    "Kazakhstan -Triangle",
    "(Kharkova OR Triangle) Kazakhstan",
    "sender:ITUC strike",
    "date:2021 Tokayev",
    "dismiss* workers",
    "mention:knprk",
    "zzzunknown",
    "strike zzzunknown",
]


def whooshs_top(searcher, parsed, docs: set[int], n: int) -> list[tuple[int, object]]:  # type: ignore[no-untyped-def]
    """Whoosh's own ranking of ``docs``: (document number, score), best first. All of it, cut
    to ``n`` here: Whoosh's own top-n prunes by bounds that can drop a better letter."""
    if not docs:
        return []
    return [
        (hit.docnum, pytest.approx(hit.score))
        for hit in searcher.search(parsed, filter=docs, limit=None)[:n]
    ]


@pytest.mark.parametrize("q", QUERIES)
def test_matching_docs_are_whooshs(snapshot, q: str) -> None:  # type: ignore[no-untyped-def]
    searcher = snapshot.searcher
    parsed = parse_query(q, searcher.schema, snapshot.authorities).query
    assert parsed is not None
    expected = set(searcher.docs_for_query(parsed))
    budget = Budget(5.0)
    assert matching_docs(searcher, parsed, budget) == expected
    assert budget.timed_out is False


#: the three ways to rank: all at once with numpy (the app's), and the reference by Whoosh's
#: matchers, each candidate directly or by Whoosh's top-N search
RANKERS = ["vector", "whoosh-direct", "whoosh-top-n"]


def ranker(name: str, monkeypatch):  # type: ignore[no-untyped-def]
    """The ranking function called ``name`` (see :data:`RANKERS`)."""
    if name == "vector":
        return top_scored
    direct_max = 1_000 if name == "whoosh-direct" else 0
    monkeypatch.setattr("indexer.engine.docsets.DIRECT_SCORING_MAX", direct_max)
    return whoosh_top_scored


@pytest.mark.parametrize("name", RANKERS)
@pytest.mark.parametrize("q", QUERIES)
def test_top_scored_is_whooshs_top_n(snapshot, monkeypatch, q: str, name: str) -> None:  # type: ignore[no-untyped-def]
    """Scoring all candidates at once, each candidate directly (few candidates) or by
    Whoosh's top-N search (many) gives Whoosh's ranking and scores, also for a subset of the
    matches."""
    top_scored = ranker(name, monkeypatch)
    searcher = snapshot.searcher
    parsed = parse_query(q, searcher.schema, snapshot.authorities).query
    docs = set(searcher.docs_for_query(parsed))
    for candidates in (docs, set(sorted(docs)[::2])):
        expected = whooshs_top(searcher, parsed, candidates, 3)
        assert top_scored(searcher, parsed, candidates, 3, Budget(5.0)) == expected


@pytest.fixture(scope="module")
def segmented(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """An index of three segments, one with a deleted letter: global document numbers are
    offsets into segments, and deleted documents must not match."""
    from indexer.engine.index import LetterIndex
    from indexer.engine.writing import index_document
    from indexer.letters.letter import load_letter
    from tests.conftest import CORPUS, IDS

    root = tmp_path_factory.mktemp("segmented")
    index = LetterIndex(root / "index")
    index.rebuild(CORPUS)
    whoosh_index = index.open()
    for i in range(2):
        path = root / f"extra-{i}.md"
        path.write_text(
            f"---\nid: extra-{i}\ntitle: Strike number {i}\ndate: 2023-0{i + 1}-01\n---\n"
            "Kazakhstan workers on strike; the right to strike; union and trade.\n",
            encoding="utf-8",
        )
        writer = whoosh_index.writer()
        writer.add_document(**index_document(load_letter(path, root=root), index.authorities()))
        if i == 1:
            writer.delete_by_term("id", IDS["lo-2021"])
        writer.commit(merge=False)
    with closing(LetterIndex(root / "index").snapshot(5.0)) as opened:
        assert len(opened.searcher.reader().leaf_readers()) == 3
        yield opened


@pytest.mark.parametrize("name", RANKERS)
@pytest.mark.parametrize("q", QUERIES)
def test_segments_and_deletions(segmented, monkeypatch, q: str, name: str) -> None:  # type: ignore[no-untyped-def]
    top_scored = ranker(name, monkeypatch)
    searcher = segmented.searcher
    parsed = parse_query(q, searcher.schema, segmented.authorities).query
    docs = set(searcher.docs_for_query(parsed))
    assert matching_docs(searcher, parsed, Budget(5.0)) == docs
    assert top_scored(searcher, parsed, docs, 4, Budget(5.0)) == whooshs_top(
        searcher, parsed, docs, 4
    )


class CutAfter(Budget):
    """A budget spent after a number of looks at it, to cut a search at every step."""

    def __init__(self, checks: int) -> None:
        super().__init__(60.0)
        self.checks = 0
        self.left = checks

    def spent(self) -> bool:
        self.checks += 1
        if self.checks > self.left:
            self.timed_out = True
        return self.timed_out


@pytest.mark.parametrize(
    "q", [*QUERIES, "strike ANDNOT illegal", "(union OR trade) ANDNOT (Kazakhstan OR police)"]
)
def test_a_search_cut_anywhere_finds_only_matching_letters(snapshot, q: str) -> None:  # type: ignore[no-untyped-def]
    """Out of time, a search answers with part of what matches, never with letters that do
    not match (an unfinished NOT would let them in)."""
    searcher = snapshot.searcher
    parsed = parse_query(q, searcher.schema, snapshot.authorities).query
    expected = set(searcher.docs_for_query(parsed))
    counting = CutAfter(10**9)
    assert matching_docs(searcher, parsed, counting) == expected
    for cut in range(counting.checks):
        budget = CutAfter(cut)
        assert matching_docs(searcher, parsed, budget) <= expected, cut
        assert budget.timed_out is True


@pytest.mark.parametrize(("field", "text", "edits"), [("title", "strike", 1), ("body", "strik", 2)])
def test_fuzzy_expansion_reads_every_segment(segmented, field: str, text: str, edits: int) -> None:  # type: ignore[no-untyped-def]
    """Whoosh's cursor over several segments cannot be moved; each segment is walked."""
    reader = segmented.searcher.reader()
    expected = {
        term
        for leaf, _offset in reader.leaf_readers()
        for term in leaf.lexicon(field)
        if _edits(term.decode("utf-8"), text) <= edits
    }
    fuzzy = wq.FuzzyTerm(field, text, maxdist=edits, prefixlength=0)
    expanded = Expander(reader, Budget(30.0)).expand(fuzzy)
    assert {t.text.encode("utf-8") for t in expanded.subqueries} == expected
    result = segmented.search(SearchRequest(q=f"{field}:{text}~{edits}"))
    assert result.total > 0 and not result.timed_out


def _edits(a: str, b: str) -> int:
    """Levenshtein distance, with a transposition as one edit (as Whoosh's automaton)."""
    rows = [list(range(len(b) + 1))]
    for i, x in enumerate(a, 1):
        row = [i]
        for j, y in enumerate(b, 1):
            cost = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                cost = min(cost, rows[-2][j - 2] + 1)
            row.append(cost)
        rows.append(row)
    return rows[-1][-1]


@pytest.mark.parametrize("name", ["vector", "whoosh-top-n"])
def test_ranking_many_candidates_works_in_any_thread(snapshot, monkeypatch, name: str) -> None:  # type: ignore[no-untyped-def]
    """Server threads are not the main thread, where Whoosh's alarm-based time limit works."""
    top_scored = ranker(name, monkeypatch)
    searcher = snapshot.searcher
    parsed = parse_query("strike", searcher.schema, snapshot.authorities).query
    docs = set(searcher.docs_for_query(parsed))
    expected = [(hit.docnum, pytest.approx(hit.score)) for hit in searcher.search(parsed, limit=3)]
    with ThreadPoolExecutor(1) as pool:
        ranked = pool.submit(top_scored, searcher, parsed, docs, 3, Budget(5.0)).result()
    assert ranked == expected


@pytest.mark.parametrize(
    "q", ["strike", "strike NOT xylophone", "xylophone", '"right to strike"~3 dismissal']
)
def test_alternatives_no_letter_holds_are_dropped_and_nothing_else_changes(
    searcher, q: str
) -> None:  # type: ignore[no-untyped-def]
    parsed = parse_query(q, searcher.schema).query
    pruned = without_missing_terms(parsed, searcher.reader(), Budget(5.0))
    leaves = [leaf for leaf in pruned.leaves() if isinstance(leaf, wq.Term)]
    kept = [leaf for leaf in leaves if (leaf.fieldname, leaf.text) in searcher.reader()]
    assert len(list(pruned.leaves())) < len(list(parsed.leaves()))
    assert len(leaves) - len(kept) <= sum(1 for _ in q.split())  # one kept per absent word
    budget = Budget(5.0)
    assert matching_docs(searcher, pruned, budget) == matching_docs(searcher, parsed, budget)
    matched = matching_docs(searcher, parsed, budget)
    scored = dict(top_scored(searcher, pruned, matched, 50, budget))
    assert scored == pytest.approx(dict(top_scored(searcher, parsed, matched, 50, budget)))


def test_a_lone_star_matches_by_field_lengths_and_does_not_rank(session) -> None:  # type: ignore[no-untyped-def]
    """``*`` is Whoosh's Every: matched from the stored field lengths (its matcher would read
    every term's postings, seconds that no time limit interrupts) and left out of scoring."""
    from indexer.request import SearchRequest

    everything = session.search(SearchRequest(q="*", per_page=100))
    assert everything.total == len(session.search(SearchRequest(per_page=100)).hits) == 5
    plain = session.search(SearchRequest(q="strike", concepts=False))
    starred = session.search(SearchRequest(q="strike *", concepts=False))
    assert [h.id for h in starred.hits] == [h.id for h in plain.hits]
    assert not starred.timed_out
