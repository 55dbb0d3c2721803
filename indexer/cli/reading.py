"""Commands for reading many letters at once: ``letters kwic`` (a concordance)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from indexer.cli.options import index_option, open_session, search_filter_options, search_params
from indexer.concordance import (
    DEFAULT_CONTEXT,
    ORDERS,
    Concordance,
    ConcordanceRequest,
    concordance,
)
from indexer.formats.csv_export import concordance_csv
from indexer.links import ArchiveLinks
from indexer.request import BadRequest

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
