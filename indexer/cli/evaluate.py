"""``letters eval PATH``: search quality of the project's ranking on an IR test collection,
or, when PATH is a YAML case file, on the letters quality set (``tests/quality/``); with
``--languages``, the language detector on a folder of TEI letters.

Registered in :mod:`indexer.cli` with ``cli.add_command(eval_command)``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from indexer import config
from indexer.evaluation.collections import CollectionError, UnknownSplit
from indexer.evaluation.languages import LanguageEvalError, evaluate_languages, format_languages
from indexer.evaluation.letter_archives import CaseFileError
from indexer.evaluation.letter_cases import evaluate_cases, format_report
from indexer.evaluation.mention_cases import (
    MentionFileError,
    evaluate_mentions,
    format_mention_report,
    is_mention_file,
)
from indexer.evaluation.run import ENGINES, evaluate

LAYOUT_HINT = (
    "PATH must be a BEIR folder (corpus.jsonl, queries.jsonl, qrels/SPLIT.tsv) "
    "or a Cranfield folder (cran.all.1400, cran.qry, cranqrel), e.g. ../shared/eval/scifact."
)


@click.command("eval")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--split",
    default="train",
    show_default=True,
    help="BEIR qrels file to use: qrels/NAME.tsv (ignored for Cranfield, which has one).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON.")
@click.option(
    "--cache",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Case files: folder keeping imported archives and their indexes between runs "
    "(default: var/quality; rebuilt when the letters or the code change).",
)
@click.option("--no-cache", is_flag=True, help="Case files: build every archive afresh.")
@click.option(
    "--languages",
    is_flag=True,
    help="PATH is a folder of TEI letters: measure the language detector against the "
    "languages they state.",
)
@click.option(
    "--every",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="--languages: a sample, every N-th file in name order.",
)
def eval_command(
    path: Path,
    split: str,
    as_json: bool,
    cache: Path | None,
    no_cache: bool,
    languages: bool,
    every: int,
) -> None:
    """Compare our Whoosh ranking with a reference BM25 on a test collection at PATH, run
    the letters quality set when PATH is a YAML case file, or the mention test set when it
    is a YAML file of sentences (tests/quality/mentions.yaml), or (``--languages``) measure the
    language detector on the TEI letters in the folder PATH.

    Collections: prints nDCG@10, Recall@100 and MAP (over the top 100) for both engines.
    Queries are OR-ed words here (test-collection queries are long sentences); the app
    itself uses AND. Case files: prints the pass rate, the suggestion accuracy, precision and
    recall of the must/must-not letters per kind of case, and every failing case. Mention
    files: prints precision and recall of the entities found, overall and per language, and
    every sentence with a missed or an extra entity.
    """
    if languages:
        try:
            measured = evaluate_languages(path, every)
        except LanguageEvalError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(json.dumps(measured, indent=2) if as_json else format_languages(measured))
        return
    if path.suffix.lower() in (".yaml", ".yml") and is_mention_file(path):
        try:
            summary = evaluate_mentions(path)
        except MentionFileError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(json.dumps(summary, indent=2) if as_json else format_mention_report(summary))
        return
    if path.suffix.lower() in (".yaml", ".yml"):
        _eval_cases(path, as_json, None if no_cache else (cache or _default_cache()))
        return
    if not path.exists():
        raise click.ClickException(f"{path}: no such folder. Hint: {LAYOUT_HINT}")
    if not path.is_dir():
        raise click.ClickException(f"{path}: not a folder. Hint: {LAYOUT_HINT}")
    try:
        result = evaluate(path, split=split)
    except UnknownSplit as exc:
        choices = ", ".join(exc.available) or "none"
        raise click.ClickException(
            f"{exc}\nHint: pass --split NAME with one of: {choices}."
        ) from exc
    except CollectionError as exc:
        raise click.ClickException(f"{exc}\nHint: {LAYOUT_HINT}") from exc
    if as_json:
        click.echo(json.dumps(result, indent=2))
    else:
        click.echo(format_table(result))


def _default_cache() -> Path:
    return config.project_root() / "var" / "quality"


def _eval_cases(path: Path, as_json: bool, cache: Path | None) -> None:
    if not path.is_file():
        raise click.ClickException(f"{path}: no such case file (e.g. tests/quality/letters.yaml)")
    try:
        summary = evaluate_cases(path, cache, progress=lambda m: click.echo(m, err=True))
    except CaseFileError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(json.dumps(summary, indent=2) if as_json else format_report(summary))


def format_table(result: dict[str, Any]) -> str:
    """A small plain-text table of the metrics of both engines."""
    k, depth = result["k"], result["depth"]
    split = f" ({result['split']})" if result.get("split") else ""
    lines = [
        f"{result['collection']}{split}: {result['queries']} queries, {result['docs']} documents, "
        f"{result['seconds']:.1f} s",
        f"{'engine':<10} {'nDCG@' + str(k):>9} {'Recall@' + str(depth):>11} {'MAP':>7} "
        f"{'seconds':>8}",
    ]
    for name in ENGINES:
        scores = result["engines"][name]
        lines.append(
            f"{name:<10} {scores[f'ndcg@{k}']:>9.4f} {scores[f'recall@{depth}']:>11.4f} "
            f"{scores['map']:>7.4f} {scores['seconds']:>8.1f}"
        )
    params = result["engines"]["ours"]["params"]
    query = "plain OR" if params["or_scale"] is None else f"OR (coordination {params['or_scale']})"
    idf = "one idf per term from the body" if params["document_idf"] else "idf per field"
    title_b = "" if params["title_b"] is None else f" (title b={params['title_b']})"
    lines.append(
        f"ours:      Whoosh BM25F k1={params['k1']} b={params['b']}{title_b}, {idf}, title + "
        f"text as the body, title boost {params['title_boost']}, {query}"
    )
    lines.append("reference: BM25 k1=0.9 b=0.4 over title + text, stop words, Snowball")
    lines.extend(f"note: {note}" for note in result.get("notes", []))
    return "\n".join(lines)
