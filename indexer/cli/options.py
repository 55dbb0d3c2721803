"""What the ``letters`` commands share: location options, search filters, opening the index."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from indexer import config
from indexer.archive import Archive, ArchiveSession, IndexProblem, StoredLetter
from indexer.request import SORTS, BadRequest, SearchRequest

EXIT_PARTIAL = 3


class PartialFailure(click.ClickException):
    """Some files could not be processed; the others were (exit status 3)."""

    exit_code = EXIT_PARTIAL


F = TypeVar("F", bound=Callable[..., Any])

corpus_option = click.option(
    "--corpus",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Corpus folder (default: $LETTERS_CORPUS or corpus/ of the checkout).",
)
index_option = click.option(
    "--index",
    "index_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Index folder (default: $LETTERS_INDEX or var/index of the checkout).",
)

_FILTERS = [
    click.option("--sender", multiple=True, help="Only letters from this sender (repeatable)."),
    click.option("--signatory", multiple=True, help="Only letters signed by this person."),
    click.option("--recipient", multiple=True, help="Only letters to this recipient."),
    click.option("--type", "type_", multiple=True, help="Only this type (letter, statement, …)."),
    click.option("--language", multiple=True, help="Only this language code (en, ru, …)."),
    click.option("--year", multiple=True, help="Only letters of this year."),
    click.option("--from", "date_from", default="", help="From date: YYYY, YYYY-MM or YYYY-MM-DD."),
    click.option("--to", "date_to", default="", help="To date: YYYY, YYYY-MM or YYYY-MM-DD."),
    click.option("--sort", type=click.Choice(SORTS), default="relevance", help="Order of hits."),
    click.option(
        "--concepts/--no-concepts",
        default=True,
        help="Concept terms also search their other languages' terms (default: on).",
    ),
]


def search_filter_options(command: F) -> F:
    """The search filters (--sender … --sort), the same for every command that searches."""
    for option in reversed(_FILTERS):
        command = option(command)
    return command


def search_params(
    query: tuple[str, ...], options: dict[str, Any], **extra: str | tuple[str, ...]
) -> dict[str, list[str]]:
    """A command's QUERY words and filter options as the library's request parameters."""
    return {
        "q": [" ".join(query)],
        "sender": list(options["sender"]),
        "signatory": list(options["signatory"]),
        "recipient": list(options["recipient"]),
        "type": list(options["type_"]),
        "language": list(options["language"]),
        "year": list(options["year"]),
        "from": [options["date_from"]],
        "to": [options["date_to"]],
        "sort": [options["sort"]],
        "concepts": ["1" if options["concepts"] else "0"],
        **{
            name: [value] if isinstance(value, str) else list(value)
            for name, value in extra.items()
        },
    }


def search_request(
    query: tuple[str, ...], options: dict[str, Any], **extra: str | tuple[str, ...]
) -> SearchRequest:
    """A validated request from a command's QUERY words and filter options."""
    try:
        return SearchRequest.from_params(search_params(query, options, **extra))
    except BadRequest as exc:
        raise click.BadParameter(str(exc)) from exc


def open_session(index_dir: Path | None) -> ArchiveSession:
    """A session on the index, or a message saying how to build it."""
    try:
        return Archive(config.index_path(index_dir)).session()
    except IndexProblem as exc:
        raise click.ClickException(str(exc)) from exc


def stored_letter(session: ArchiveSession, letter_id: str) -> StoredLetter:
    """The letter with this id, or a message saying how to find ids."""
    letter = session.letter(letter_id)
    if letter is None:
        raise click.ClickException(
            f"no letter with id {letter_id!r}; find ids with 'letters search'"
        )
    return letter
