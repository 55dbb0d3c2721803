"""``letters export`` and ``letters cite``: the archive's letters in other formats.

``export`` writes every letter a search matches (all pages) as CMIF, CSV or the search JSON;
``cite`` prints a citation of a letter or of one passage. Both read the index (``--index``, else
``$LETTERS_INDEX``, else ``var/index``) and build URLs from ``--base-url`` (else
``$LETTERS_BASE_URL``, else ``http://127.0.0.1:8000``, where ``letters serve`` listens).

Register them on the ``letters`` group with ``cli.add_command(export_command)`` and
``cli.add_command(cite_command)``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click

from indexer import config
from indexer.cli.options import (
    index_option,
    open_session,
    search_filter_options,
    search_request,
    stored_letter,
)
from indexer.links import ArchiveLinks

BASE_URL_ENV = "LETTERS_BASE_URL"
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
EXPORT_PAGE_SIZE = 100

base_url_option = click.option(
    "--base-url",
    default=None,
    help=f"Public address of the archive for links (default: ${BASE_URL_ENV} or "
    f"{DEFAULT_BASE_URL}).",
)


def resolve_base_url(option: str | None) -> str:
    return (option or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).rstrip("/")


@click.command("export")
@click.argument("format_", metavar="cmif|csv|json", type=click.Choice(["cmif", "csv", "json"]))
@click.argument("query", nargs=-1)
@search_filter_options
@base_url_option
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file (default: standard output).",
)
@click.option(
    "--licence",
    default=None,
    metavar="URL",
    help=f"The licence CMIF states (default: ${config.CMIF_LICENCE_ENV} or CC BY 4.0, "
    "https://creativecommons.org/licenses/by/4.0/).",
)
@index_option
def export_command(
    format_: str,
    query: tuple[str, ...],
    base_url: str | None,
    output: Path | None,
    licence: str | None,
    index_dir: Path | None,
    **options: Any,
) -> None:
    """Export all letters matching a search (empty QUERY: all letters) as CMIF, CSV or JSON.

    cmif: TEI correspondence metadata (correspSearch); csv: one row per letter with the
    matched ¶ numbers; json: the search JSON with the hits of all pages.
    """
    from indexer.formats.cmif import cmif_bytes, licence_url
    from indexer.formats.csv_export import csv_text, results_json

    try:
        licence = licence_url(config.cmif_licence(licence))
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--licence") from exc
    request = search_request(query, options)
    base = resolve_base_url(base_url)
    links = ArchiveLinks(base)
    with open_session(index_dir) as session:
        results = session.search_all(request, EXPORT_PAGE_SIZE)
        data = results_json(results, links)
        letters = session.records(hit["id"] for hit in data["hits"]) if format_ == "cmif" else []
    if format_ == "json":
        payload = (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    elif format_ == "csv":
        payload = csv_text(data["hits"]).encode("utf-8")
    else:
        query_string = request.query_string()
        address = f"{base}/export.cmif.xml" + (f"?{query_string}" if query_string else "")
        payload = cmif_bytes(letters, links, base, licence=licence, address=address)
    if output is None:
        click.echo(payload, nl=False)
        return
    try:
        with click.open_file(str(output), "wb", atomic=True) as handle:
            handle.write(payload)
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror or exc}") from exc
    click.echo(f"{len(data['hits'])} letter(s) exported to {output}", err=True)


@click.command("cite")
@click.argument("letter_id")
@click.option("--passage", type=click.IntRange(min=1), default=None, help="Cite this ¶ number.")
@click.option(
    "--format",
    "format_",
    type=click.Choice(["text", "csl-json"]),
    default="text",
    show_default=True,
    help="Plain text, or CSL-JSON (a list with one item) for reference managers.",
)
@base_url_option
@index_option
def cite_command(
    letter_id: str,
    passage: int | None,
    format_: str,
    base_url: str | None,
    index_dir: Path | None,
) -> None:
    """Print a citation of a letter, or of one of its passages (¶ numbers as in 'letters show')."""
    from indexer.formats.citation import citation_csl, citation_text

    with open_session(index_dir) as session:
        letter = stored_letter(session, letter_id)
    if passage is not None and letter.passage(passage) is None:
        raise click.ClickException(
            f"{letter_id} has passages ¶1–¶{len(letter.passages)}, not ¶{passage}"
        )
    meta = letter.metadata()
    url = ArchiveLinks(resolve_base_url(base_url)).letter(letter_id)
    if format_ == "text":
        click.echo(citation_text(meta, url, passage))
    else:
        item = citation_csl(meta, url, passage)
        click.echo(json.dumps([item], ensure_ascii=False, indent=2))
