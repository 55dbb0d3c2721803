"""Commands for reading many letters at once: ``letters kwic`` (a concordance) and
``letters batch`` (many queries, the same filters)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO

import click
from tqdm import tqdm

from indexer.batch import BATCH_SECONDS, DEFAULT_FIRST, MAX_FIRST, read_queries, run_batch
from indexer.cli.options import index_option, open_session, search_filter_options, search_params
from indexer.concordance import (
    DEFAULT_CONTEXT,
    ORDERS,
    Concordance,
    ConcordanceRequest,
    concordance,
)
from indexer.formats.csv_export import batch_csv, concordance_csv
from indexer.links import ArchiveLinks
from indexer.request import BadRequest, SearchRequest, int_param

LEFT_WIDTH = 40


@click.command("kwic")
@click.argument("query", nargs=-1, required=True)
@search_filter_options
@click.option(
    "--order",
    type=click.Choice(tuple(ORDERS)),
    default="date",
    help="Order of the lines: date, left or right context, or the match.",
)
@click.option("--context", default=str(DEFAULT_CONTEXT), help="Words of context on each side.")
@click.option("--page", default="1", help="Page of lines (from 1).")
@click.option("--per-page", default="50", help="Lines per page (1–500).")
@click.option("--csv", "as_csv", is_flag=True, help="Every line as CSV (all pages).")
@click.option("--json", "as_json", is_flag=True, help="The page of lines and the counts as JSON.")
@index_option
def kwic_command(
    query: tuple[str, ...],
    order: str,
    context: str,
    as_csv: bool,
    as_json: bool,
    index_dir: Path | None,
    **options: Any,
) -> None:
    """Every occurrence of QUERY's words in the matching letters, in context (a concordance)."""
    params = search_params(query, options)
    params.update(
        order=[order], context=[context], page=[options["page"]], per_page=[options["per_page"]]
    )
    try:
        request = ConcordanceRequest.from_params(params)
    except BadRequest as exc:
        raise click.BadParameter(str(exc)) from exc
    with open_session(index_dir) as session:
        found = concordance(session, request)
    links = ArchiveLinks()
    if as_csv:
        click.echo(concordance_csv(found.lines, links, request.search.q), nl=False)
    elif as_json:
        click.echo(json.dumps(found.to_json(links), ensure_ascii=False, indent=2))
    else:
        _print_concordance(found)


def _print_concordance(found: Concordance) -> None:
    lines = found.page_lines()
    click.echo(
        f"{len(found.lines)} occurrence(s) in {len(found.per_letter)} of "
        f"{found.letters_matching} letter(s)"
        + ("" if found.complete else f" (first {found.letters_read} letters read)")
    )
    for line in lines:
        left = line.left[-LEFT_WIDTH:].rjust(LEFT_WIDTH)
        where = f"{line.date or 'undated'}  {line.letter_id} ¶{line.n}"
        click.echo(f"{left}  {click.style(line.match, bold=True)}  {line.right}   [{where}]")
    if found.pages > 1:
        click.echo(f"page {found.request.page} of {found.pages}")
    if found.per_year:
        years = ", ".join(f"{y or 'undated'} ({n})" for y, n in found.per_year)
        click.echo(f"by year: {years}")


@click.command("batch")
@click.argument("file", type=click.File("r", encoding="utf-8-sig"))
@search_filter_options
@click.option("--first", default=str(DEFAULT_FIRST), help="Letters shown per query (1–10).")
@click.option(
    "--seconds", default=BATCH_SECONDS, type=float, help="Stop after this long (default 60)."
)
@click.option("--csv", "as_csv", is_flag=True, help="A CSV row per query.")
@click.option("--json", "as_json", is_flag=True, help="The batch as JSON.")
@index_option
def batch_command(
    file: TextIO,
    first: str,
    seconds: float,
    as_csv: bool,
    as_json: bool,
    index_dir: Path | None,
    **options: Any,
) -> None:
    """Search every line of FILE (one query per line, or a CSV's query column; - for stdin)
    with the same filters, and say how many letters each finds."""
    try:
        queries = read_queries(file.read(), file.name)
        template = SearchRequest.from_params(search_params((), options))
        shown = int_param("first", first, DEFAULT_FIRST, 1, MAX_FIRST)
    except BadRequest as exc:
        raise click.BadParameter(str(exc)) from exc
    links = ArchiveLinks()
    bar = tqdm(total=len(queries), unit="query", file=sys.stderr, disable=None)

    def advance(_line: int) -> None:
        bar.update(1)

    with open_session(index_dir) as session, bar:
        batch = run_batch(session, queries, template, shown, seconds, advance)
    data = batch.to_json(links)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    elif as_csv:
        click.echo(batch_csv(data), nl=False)
    else:
        width = max((len(line.query) for line in batch.lines), default=0)
        for line in batch.lines:
            count = line.problem or f"{line.total} letter(s)"
            click.echo(f"{line.number:>4}  {line.query.ljust(min(width, 40))}  {count}")
        click.echo(f"{batch.found} of {len(batch.lines)} queries find letters")
        if batch.timed_out:
            click.echo(f"stopped after {seconds:g} s: some queries were not searched", err=True)
