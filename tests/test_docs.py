"""The README documents every CLI command and option people can type."""

from __future__ import annotations

import re

import click
import pytest

from indexer.cli.main import cli
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_is_documented(name: str) -> None:
    assert f"`letters {name}" in README


@pytest.mark.parametrize(
    ("command", "option"),
    [
        (name, opt)
        for name, command in sorted(cli.commands.items())
        for param in command.params
        if isinstance(param, click.Option) and param.name not in {"corpus", "index_dir"}
        for opt in param.opts
        if opt.startswith("--")
    ],
)
def test_every_option_is_documented(command: str, option: str) -> None:
    row = re.search(rf"^\| `letters {command}.*$", README, re.MULTILINE)
    assert row is not None and option in row.group(0)


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in README and "make test" in ci.splitlines()


def test_ci_runs_the_linters() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "make lint" in ci.splitlines()


ARCHITECTURE = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")
#: a path in backquotes or at the start of a line of the picture, e.g. `indexer/links.py`
_PATHS = re.compile(r"(?:(?<=`)|(?<=^ ))((?:indexer|webapp|bench|tests|corpus)/[\w/.]*)", re.M)


def test_every_path_the_architecture_names_exists() -> None:
    named = set(_PATHS.findall(ARCHITECTURE))
    assert len(named) > 20
    assert sorted(p for p in named if not (REPO / p.rstrip("/")).exists()) == []


def test_the_architecture_names_every_package_and_engine_module() -> None:
    packages = {
        f"{path.parent.relative_to(REPO)}/"
        for path in REPO.glob("*/**/__init__.py")
        if ".venv" not in path.parts
    }
    modules = {p.name for p in (REPO / "indexer" / "engine").glob("*.py")} - {"__init__.py"}
    missing = sorted(p for p in packages if p not in ARCHITECTURE)
    missing += sorted(m for m in modules if m.removesuffix(".py") not in ARCHITECTURE)
    assert missing == []
