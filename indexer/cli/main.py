"""The ``letters`` command line: a thin layer over the indexer's library functions.

Exit statuses: 0 success; 1 a user mistake (message with a hint); 2 bad usage; 3 some corpus
files could not be indexed or checked (the rest was); 4 the index is busy (another writer).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from indexer import config
from indexer.archive import Archive, IndexBusy, IndexProblem, IndexReport
from indexer.cli.evaluate import eval_command
from indexer.cli.exports import cite_command, export_command
from indexer.cli.importing import import_command
from indexer.cli.options import (
    EXIT_PARTIAL as EXIT_PARTIAL,  # the exit statuses are part of main's interface
)
from indexer.cli.options import (
    PartialFailure,
    corpus_option,
    index_option,
    open_session,
    search_filter_options,
    search_request,
    stored_letter,
)
from indexer.cli.people import people_command
from indexer.cli.reading import batch_command, kwic_command
from indexer.formats.mojibake import mojibake_samples
from indexer.letters.authority import AuthorityError, authority_file, load_authorities
from indexer.letters.concepts import ConceptError, concept_file, load_concepts
from indexer.letters.corpus import CorpusFile, CorpusMissing, NotInCorpus, walk_corpus
from indexer.letters.letter import LetterError, load_letter
from indexer.links import ArchiveLinks
from indexer.results import SearchResult

EXIT_BUSY = 4


class Busy(click.ClickException):
    exit_code = EXIT_BUSY


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="letters-archive")
def cli() -> None:
    """Search an archive of letters: index the corpus, search it, read and check letters."""


@cli.command("index")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@corpus_option
@index_option
@click.option("--rebuild", is_flag=True, help="Build a fresh index in a new folder and swap it in.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for a bulk build (default: one per core).",
)
def index_command(
    files: tuple[Path, ...],
    corpus: Path | None,
    index_dir: Path | None,
    rebuild: bool,
    quiet: bool,
    jobs: int | None,
) -> None:
    """Index new, changed and removed letter files (by content hash).

    Name FILES (new, changed or deleted letters of the corpus) to look at only those, rather
    than at the whole corpus.
    """
    if rebuild and files:
        raise click.UsageError("--rebuild indexes the whole corpus: name no FILES with it")
    archive = Archive(config.index_path(index_dir))
    source = config.corpus_path(corpus)
    progress = None if quiet else _progress_bar
    try:
        if rebuild:
            report = archive.rebuild(source, progress=progress, jobs=jobs)
        else:
            report = archive.update(source, files or None, progress=progress, jobs=jobs)
    except IndexBusy as exc:
        raise Busy(str(exc)) from exc
    except (CorpusMissing, IndexProblem, NotInCorpus) as exc:
        raise click.ClickException(str(exc)) from exc
    _print_report(report, archive.root)


def _progress_bar(files: Iterable[CorpusFile]) -> Iterable[CorpusFile]:
    from tqdm import tqdm

    items = list(files)
    return tqdm(items, desc="indexing", unit="file", disable=None, file=sys.stderr)


def _print_report(report: IndexReport, root: Path) -> None:
    verb = "rebuilt" if report.rebuilt else "updated"
    click.echo(
        f"Index {verb} at {root}: {len(report.added)} added, {len(report.updated)} "
        f"changed, {len(report.removed)} removed, {report.unchanged} unchanged."
    )
    for letter_id in report.kept:
        click.echo(f"kept the indexed version of {letter_id} (its file is broken now)")
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    for error in report.errors:
        click.echo(f"error: {error}", err=True)
    if report.errors:
        raise PartialFailure(
            f"{len(report.errors)} file(s) could not be indexed; the others were. "
            "Fix them and run 'letters index' again ('letters check' lists the problems)."
        )


@cli.command("search")
@click.argument("query", nargs=-1)
@search_filter_options
@click.option("--page", default="1", help="Page of results (from 1).")
@click.option("--per-page", default="10", help="Hits per page (1–100).")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON result (as the web API).")
@click.option("--explain", is_flag=True, help="Show the query as the engine understood it.")
@click.option(
    "--between", multiple=True, help="Letters between these one or two people (keys or names)."
)
@click.option(
    "--no-group", is_flag=True, help="List near-identical letters each as a hit of its own."
)
@index_option
def search_command(
    query: tuple[str, ...], as_json: bool, explain: bool, index_dir: Path | None, **options: Any
) -> None:
    """Search the letters; QUERY uses the query syntax of README.md (empty: list all)."""
    request = search_request(
        query, options, page=options["page"], per_page=options["per_page"],
        between=options["between"], group="0" if options["no_group"] else "1",
    )  # fmt: skip
    with open_session(index_dir) as session:
        result = session.search(request)
    if as_json:
        click.echo(json.dumps(result.to_json(ArchiveLinks()), ensure_ascii=False, indent=2))
    else:
        _print_result(result, explain)


def _print_result(result: SearchResult, explain: bool) -> None:
    import html
    import re

    if explain or result.fallback:
        note = " (could not parse the query; searched its words)" if result.fallback else ""
        click.echo(f"query: {result.explain}{note}")
    for line in result.notes:
        click.echo(f"note: {line}")
    if result.also_searched:
        click.echo(f"also searched: {', '.join(result.also_searched)}")
    request = result.request
    first = (request.page - 1) * request.per_page
    on_page = sum(1 + len(hit.duplicates) for hit in result.hits)  # folded ones too
    shown = f"{first + 1}–{first + on_page} of " if result.hits else ""
    click.echo(f"{shown}{result.total} letter(s)")
    if result.suggestion:
        found = result.suggestion_total
        click.echo(f"did you mean: {result.suggestion} ({found} letter{'' if found == 1 else 's'})")
    for hit in result.hits:
        date = hit.date or (f"{hit.date_from} – {hit.date_to}" if hit.date_from else "undated")
        people = ", ".join(hit.senders) or "unknown sender"
        recipients = ", ".join(r["name"] for r in hit.recipients)
        click.echo("")
        click.secho(hit.title, bold=True)
        click.echo(f"  {date} · {people}{' → ' + recipients if recipients else ''} · {hit.type}")
        click.echo(f"  {ArchiveLinks().letter(hit.id)}")
        for p in hit.passages:
            text = html.unescape(re.sub(r"</?mark>", "*", p.snippet))
            click.echo(f"  ¶{p.n}  {text}")
        for d in hit.duplicates:
            click.echo(f"  near-identical ({d.similarity:.0%}): {ArchiveLinks().letter(d.id)}")
    for name, counts in result.facets.items():
        if counts:
            values = ", ".join(f"{c.value} ({c.count})" for c in counts[:8])
            click.echo(f"\n{name}: {values}", nl=False)
    click.echo("")


@cli.command("show")
@click.argument("letter_id")
@click.option("--passage", type=int, default=None, help="Print only this ¶ number.")
@click.option("--json", "as_json", is_flag=True, help="Metadata and numbered passages as JSON.")
@index_option
def show_command(
    letter_id: str, passage: int | None, as_json: bool, index_dir: Path | None
) -> None:
    """Print a letter (with ¶ numbers) or one of its passages."""
    with open_session(index_dir) as session:
        letter = stored_letter(session, letter_id)
    if passage is not None:
        text = letter.passage(passage)
        if text is None:
            raise click.ClickException(
                f"{letter_id} has passages ¶1–¶{len(letter.passages)}, not ¶{passage}"
            )
        click.echo(text)
        return
    if as_json:
        click.echo(json.dumps(letter.to_json(), ensure_ascii=False, indent=2))
        return
    meta = letter.metadata()
    click.secho(meta["title"], bold=True)
    date = meta["date"] or (f"{meta['date_from']} – {meta['date_to']}" if meta["date_from"] else "")
    for label, value in (
        ("id", meta["id"]),
        ("date", date),
        ("from", ", ".join(meta["senders"])),
        ("to", ", ".join(r["name"] for r in meta["recipients"])),
    ):
        if value:
            click.echo(f"{label}: {value}")
    if not letter.transcribed:
        where = meta.get("url") or meta.get("source") or "its source"
        click.echo(f"\nNo transcription in the archive: a record of the letter. Text: {where}")
    for n, _kind, text in letter.passages:
        click.echo(f"\n¶{n}  {text}")


@cli.command("check")
@corpus_option
def check_command(corpus: Path | None) -> None:
    """Validate every corpus file without indexing; list each problem."""
    source = config.corpus_path(corpus)
    try:
        scan = walk_corpus(source)
    except CorpusMissing as exc:
        raise click.ClickException(str(exc)) from exc
    files = scan.files
    problems = [f"{r.location}: {r.reason}" for r in scan.refused]
    try:
        load_authorities(authority_file(source))
    except AuthorityError as exc:
        problems.append(str(exc))
    try:
        load_concepts(concept_file(source))
    except ConceptError as exc:
        problems.append(str(exc))
    seen: dict[str, str] = {}
    for f in files:
        try:
            letter = load_letter(f.path, root=source)
        except LetterError as exc:
            problems.append(str(exc))
            continue
        if letter.id in seen:
            problems.append(f"{f.relative}: duplicate id '{letter.id}' (also {seen[letter.id]})")
        seen.setdefault(letter.id, f.relative)
        if letter.extracted:
            click.echo(f"{f.relative}: extracted {', '.join(letter.extracted)} from the text")
        for warning in letter.warnings():
            click.echo(f"warning: {warning}", err=True)
        mojibake = mojibake_samples(" ".join([letter.title, *letter.senders, letter.body]))
        if mojibake:
            click.echo(
                f"warning: {f.relative}: looks like mojibake (UTF-8 read with the wrong "
                f"encoding): {', '.join(mojibake)}; 'letters import' repairs it with ftfy",
                err=True,
            )
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    click.echo(f"{len(files)} file(s) checked, {len(problems)} with problems.")
    if problems:
        raise PartialFailure("fix the files above; the others are fine")


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Processes serving the port: searching is CPU-bound, so use one per core.",
)
@click.option(
    "--search-seconds",
    type=click.FloatRange(min=0, min_open=True, max=3600),
    default=None,
    help="Time limit of each search; one that runs out answers with what it found.  "
    f"[default: ${config.SEARCH_SECONDS_ENV} or 5]",
)
@click.option(
    "--result-cache-mb",
    type=click.FloatRange(min=0, max=100_000),
    default=config.RESULT_CACHE_MB,
    show_default=True,
    help="Megabytes of complete results each process keeps for repeated searches (0: off).",
)
@corpus_option
@index_option
def serve_command(
    host: str,
    port: int,
    threads: int,
    workers: int,
    search_seconds: float | None,
    result_cache_mb: float,
    corpus: Path | None,
    index_dir: Path | None,
) -> None:
    """Serve the web front end on a real WSGI server (waitress), debug off."""
    from webapp import create_app
    from webapp.server import serve

    index_root = config.index_path(index_dir)
    if not Archive(index_root).exists():
        raise click.ClickException(f"no index at {index_root}: run 'letters index' first")
    settings: dict[str, object] = {
        "INDEX_PATH": str(index_root),
        "CORPUS_PATH": str(config.corpus_path(corpus)),
        "RESULT_CACHE_MB": result_cache_mb,
    }
    if search_seconds is not None:
        settings["SEARCH_SECONDS"] = search_seconds
    elif os.environ.get(config.SEARCH_SECONDS_ENV):  # checked here, not in every worker
        try:
            config.search_seconds(os.environ[config.SEARCH_SECONDS_ENV])
        except ValueError as exc:
            raise click.ClickException(f"${config.SEARCH_SECONDS_ENV}: {exc}") from exc
    click.echo(
        f"Serving the archive on http://{host}:{port}/ with {workers} process(es) (Ctrl+C to stop)"
    )
    try:
        status = serve(lambda: create_app(settings), host, port, threads, workers, "letters")
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    if status:
        raise click.ClickException("a server process failed (its error is above)")


cli.add_command(import_command)
cli.add_command(export_command)
cli.add_command(cite_command)
cli.add_command(eval_command)
cli.add_command(kwic_command)
cli.add_command(batch_command)
cli.add_command(people_command)


def main() -> None:
    """Entry point: run the CLI and map failures to exit statuses."""
    try:
        cli.main(prog_name="letters")
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
