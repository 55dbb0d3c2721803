"""Ranking settings tried on several collections at once, judged by their worst case.

Tuning on one collection does not generalise (issue #13: a further collection scored below the
plain BM25 reference with weights tuned on SciFact alone). A sweep ranks every collection with
every setting, beside the reference BM25 of the same run, and scores a setting by its *margin*:
the smallest difference ``ours - reference`` over the collections and over nDCG@10 and MAP.
A setting with a positive margin is ahead of the reference everywhere it was tried.

Each collection is indexed once; every setting ranks from that index (all knobs of
:class:`~indexer.engine.collection_index.OursParams` act at query time).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from indexer.engine.collection_index import TUNED, OursEngine, OursParams
from indexer.evaluation.collections import Collection
from indexer.evaluation.reference import ReferenceBM25
from indexer.evaluation.run import score_run

#: the figures a setting is judged by
JUDGED = ("ndcg@10", "map")


@dataclass(frozen=True)
class SweepRow:
    """One setting's scores: collection name -> {"ours": metrics, "reference": metrics}."""

    params: OursParams
    scores: dict[str, dict[str, dict[str, float]]]

    def margins(self) -> dict[str, dict[str, float]]:
        """Collection -> metric -> ours minus reference, for the judged metrics."""
        return {
            name: {m: round(s["ours"][m] - s["reference"][m], 4) for m in JUDGED}
            for name, s in self.scores.items()
        }

    def margin(self) -> float:
        """The worst ``ours - reference`` over every collection and judged metric."""
        return min(value for per in self.margins().values() for value in per.values())


def grid(base: OursParams = TUNED, **axes: Sequence[Any]) -> list[OursParams]:
    """Every combination of the values given per knob, the other knobs as in ``base``."""
    settings = [base]
    for knob, values in axes.items():
        settings = [replace(s, **{knob: v}) for s in settings for v in values]
    return list(dict.fromkeys(settings))


def sweep(
    collections: Iterable[Collection],
    settings: Sequence[OursParams],
    progress: Callable[[str], None] | None = None,
) -> list[SweepRow]:
    """Rank every collection with every setting (and the reference once per collection)."""
    scores: list[dict[str, dict[str, dict[str, float]]]] = [{} for _ in settings]
    for collection in collections:
        reference = score_run(ReferenceBM25(collection).run(), collection.qrels)
        with OursEngine(collection) as engine:
            for n, params in enumerate(settings):
                ours = score_run(engine.run(params), collection.qrels)
                scores[n][collection.name] = {"ours": ours, "reference": reference}
                if progress:
                    progress(f"{collection.name} {n + 1}/{len(settings)}: {describe(params)}")
    return [SweepRow(params, per) for params, per in zip(settings, scores, strict=True)]


def untitled(collection: Collection) -> Collection:
    """The collection with each title moved into its text: ours without a title field to boost
    (the reference, which reads title + text, ranks as before). A check for collections whose
    documents have no titles."""
    docs = {
        doc: ("", f"{title}\n{text}" if title else text)
        for doc, (title, text) in collection.docs.items()
    }
    return replace(collection, name=f"{collection.name}-untitled", docs=docs)


def best(rows: Sequence[SweepRow]) -> SweepRow:
    """The row with the largest worst-case margin (ties: the earlier row)."""
    return max(rows, key=lambda row: (row.margin(), -rows.index(row)))


#: knobs every description shows; the others only where they differ from the defaults
SHOWN = ("k1", "b", "title_boost", "title_b")


def describe(params: OursParams) -> str:
    """The setting as ``k1=0.9 b=0.4 title_boost=0.25 title_b=None`` (+ changed knobs)."""
    default = OursParams().to_dict()
    values = params.to_dict()
    knobs = [*SHOWN, *(k for k in values if k not in SHOWN and values[k] != default[k])]
    return " ".join(f"{k}={values[k]}" for k in knobs)


def format_sweep(rows: Sequence[SweepRow]) -> str:
    """A Markdown table: per setting, each collection's nDCG@10 and MAP with the reference's
    in parentheses, and the worst-case margin; the best setting is starred."""
    if not rows:
        return "(no settings)"
    names = list(rows[0].scores)
    header = ["setting", *(f"{n} {m}" for n in names for m in ("nDCG@10", "MAP")), "margin"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    top = best(rows)
    for row in rows:
        cells = [describe(row.params) + (" *" if row is top else "")]
        for name in names:
            s = row.scores[name]
            cells += [f"{s['ours'][m]:.4f} ({s['reference'][m]:.4f})" for m in JUDGED]
        cells.append(f"{row.margin():+.4f}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
