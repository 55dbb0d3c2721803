"""The architecture's boundaries, read from every import (also those inside functions).

Only ``indexer/engine/`` knows Whoosh, so that another engine could take its place behind the
facade (``indexer/archive.py``); the web app and the CLI reach the engine only through that
facade; letters know nothing of search, formats or front ends.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imports_of(path: Path) -> set[str]:
    """Every module a Python file imports, at any depth of its code."""
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            modules.add(node.module)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
    return modules


def package_files(*folders: str) -> list[Path]:
    return sorted(path for folder in folders for path in (ROOT / folder).rglob("*.py"))


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def offenders(files: list[Path], forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    found = {}
    for path in files:
        bad = sorted(m for m in imports_of(path) if any(_within(m, f) for f in forbidden))
        if bad:
            found[str(path.relative_to(ROOT))] = bad
    return found


def test_only_the_engine_imports_whoosh() -> None:
    outside = [p for p in package_files("indexer", "webapp") if "engine" not in p.parts]
    assert offenders(outside, ("whoosh",)) == {}


@pytest.mark.parametrize(
    ("folders", "forbidden"),
    [
        (("webapp",), ("indexer.engine", "indexer.cli", "indexer.evaluation")),
        (("indexer/cli",), ("indexer.engine",)),
        (("indexer/letters",), ("indexer.engine", "indexer.formats", "indexer.cli", "webapp",
                                "indexer.archive")),
        (("indexer/formats",), ("indexer.engine", "indexer.cli", "webapp")),
        (("indexer/engine",), ("indexer.cli", "webapp", "indexer.archive")),
    ],
)  # fmt: skip
def test_each_part_imports_only_what_it_may(
    folders: tuple[str, ...], forbidden: tuple[str, ...]
) -> None:
    assert offenders(package_files(*folders), forbidden) == {}


@pytest.mark.parametrize("module", ["indexer/request.py", "indexer/results.py"])
def test_plain_data_modules_import_no_engine(module: str) -> None:
    assert offenders([ROOT / module], ("indexer.engine", "whoosh", "flask")) == {}


def test_the_facade_exposes_no_whoosh_types() -> None:
    """What the facade's public functions take and give is the archive's own vocabulary."""
    from indexer import archive

    public = [getattr(archive, name) for name in archive.__all__]
    for item in public:
        for attribute in vars(item).values() if isinstance(item, type) else [item]:
            hints = getattr(attribute, "__annotations__", {})
            assert not any("whoosh" in str(hint) or "Searcher" in str(hint)
                           for hint in hints.values()), (item, attribute)  # fmt: skip


def test_imports_of_reads_nested_imports(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text("def f():\n    from whoosh.query import Term\n    import json\n")
    assert imports_of(source) == {"whoosh.query", "whoosh.query.Term", "json"}


@pytest.mark.parametrize("folder", ["indexer", "webapp", "bench", "tests"])
def test_no_module_is_over_400_lines(folder: str) -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for path in package_files(folder)
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}


def test_no_code_refreshes_a_searcher() -> None:
    """``Searcher.refresh()`` brings deleted letters back in whoosh-reloaded: a new generation
    is read by opening a new searcher, never by refreshing one (any version)."""
    calls = {
        str(path.relative_to(ROOT)): node.lineno
        for path in package_files("indexer", "webapp", "bench", "tests")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "refresh"
    }
    assert calls == {}
