"""``letters import``: files and folders of letters in other formats become corpus files.

Folders are walked recursively for files of a known format. On a terminal a progress bar shows
how far a large import has come; the import ends with a summary: how many letters were
written, how many were already in the corpus, and how many were refused, grouped by reason.
Each written letter's metadata is listed when a few files are imported (or with ``--verbose``).

Register it on the ``letters`` group with ``cli.add_command(import_command)``.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click
from tqdm import tqdm

from indexer import config
from indexer.cli.options import PartialFailure, corpus_option
from indexer.letters.letter import LetterError

DETAILS_UP_TO = 10  # files; a larger import prints only its summary unless --verbose


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--into",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the new corpus files (default: letters/ of the corpus).",
)
@click.option("--verbose", "-v", is_flag=True, help="List every letter's metadata.")
@corpus_option
def import_command(
    paths: tuple[Path, ...], into: Path | None, verbose: bool, corpus: Path | None
) -> None:
    """Make corpus files from letters (files or folders), extracting their metadata."""
    from indexer.formats.importer import Importer, letter_files
    from indexer.letters.corpus import letters_dir

    target = into or letters_dir(config.corpus_path(corpus))
    files = list(letter_files(paths))
    importer = Importer(target)
    details = verbose or len(files) <= DETAILS_UP_TO
    counts: Counter[str] = Counter()
    refusals: Counter[str] = Counter()
    bar = tqdm(files, unit="file", file=sys.stderr, disable=not sys.stderr.isatty())
    for path in bar:
        try:
            result = importer.import_file(path)
        except LetterError as exc:
            bar.write(f"error: {exc}", file=sys.stderr)
            refusals[exc.reason] += 1
            continue
        if result.duplicate_of:
            counts["duplicate"] += 1
            if details:
                bar.write(f"{path}: already in the corpus as {result.duplicate_of}; skipped")
            continue
        counts["written"] += max(1, sum(1 for p in result.parts if p.written))
        if details:
            lines = [f"{path} -> {result.written}"]
            lines += [f"  found {name}: {_short(value)}" for name, value in result.found.items()]
            if result.missing:
                lines.append(f"  not found: {', '.join(result.missing)} (fill these in by hand)")
            bar.write("\n".join(lines))
    bar.close()
    click.echo(_summary(len(files), counts, refusals, target))
    failures = sum(refusals.values())
    if failures:
        raise PartialFailure(f"{failures} file(s) could not be imported; the others were")


def _summary(files: int, counts: Counter[str], refusals: Counter[str], target: Path) -> str:
    refused = sum(refusals.values())
    text = (
        f"{files} file(s): {counts['written']} letter(s) written to {target}, "
        f"{counts['duplicate']} already in the corpus, {refused} refused."
    )
    for reason, count in refusals.most_common(10):
        text += f"\n  refused {count}: {reason}"
    if len(refusals) > 10:
        text += f"\n  refused {sum(n for _r, n in refusals.most_common()[10:])}: other reasons"
    return text


def _short(value: object) -> str:
    if isinstance(value, list):
        return "; ".join(
            ", ".join(filter(None, (v.get("name"), v.get("role"))))
            if isinstance(v, dict)
            else str(v)
            for v in value
        )
    return str(value)
