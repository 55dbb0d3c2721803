"""``letters people [KEY]``: everyone the letters name, or one person's letters and
correspondents, as the web app's ``/people`` pages show them."""

from __future__ import annotations

import json
from pathlib import Path

import click

from indexer.cli.options import index_option, open_session
from indexer.correspondents import DIRECTORY_SORTS, ROLE_TITLES, PersonProfile
from indexer.links import ArchiveLinks


@click.command("people")
@click.argument("key", required=False)
@click.option("--search", "q", default="", help="Only people with a name holding these words.")
@click.option("--sort", type=click.Choice(DIRECTORY_SORTS), default="letters", help="Order.")
@click.option("--page", type=click.IntRange(1, 10_000), default=1, help="Page of the list.")
@click.option("--per-page", type=click.IntRange(1, 200), default=50, help="People per page.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@index_option
def people_command(
    key: str | None,
    q: str,
    sort: str,
    page: int,
    per_page: int,
    as_json: bool,
    index_dir: Path | None,
) -> None:
    """List the people and organisations of the letters, or show one by KEY (or name)."""
    links = ArchiveLinks()
    with open_session(index_dir) as session:
        if key:
            found = session.person(key)
            if found is None:
                raise click.ClickException(
                    f"no person or organisation {key!r} in the letters; "
                    "list them with 'letters people --search WORDS'"
                )
            if as_json:
                data = {**found.to_json(), "url": links.person(found.key)}
                click.echo(json.dumps(data, ensure_ascii=False, indent=2))
            else:
                _print_person(found, links.person(found.key))
            return
        listing = session.people(q, sort, page, per_page)
    if as_json:
        click.echo(json.dumps(listing.to_json(links.person), ensure_ascii=False, indent=2))
        return
    for entry in listing.entries:
        roles = ", ".join(entry.roles)
        click.echo(f"{entry.key}  {entry.name}  ({entry.letters} letters; {roles})")
    click.echo(f"{listing.total} people; page {listing.page} of {listing.pages}")


def _print_person(person: PersonProfile, url: str) -> None:
    click.secho(person.name, bold=True)
    click.echo(f"key: {person.key}" + (f" ({person.type})" if person.type else ""))
    click.echo(f"page: {url}")
    if person.variants:
        click.echo("also: " + "; ".join(person.variants))
    for role in person.roles:
        click.echo(f"{ROLE_TITLES[role].lower()}: {person.counts[role]}")
    years = ", ".join(f"{y} ({n})" for y, n in person.years)
    if years or person.undated:
        click.echo(f"years: {years}" + (f"; undated ({person.undated})" if person.undated else ""))
    for title, people in (
        ("wrote to", person.wrote_to),
        ("received from", person.received_from),
        ("signed together with", person.signed_with),
    ):
        if people:
            click.echo(
                f"{title}: " + "; ".join(f"{c.name} [{c.key}] ({c.letters})" for c in people)
            )
