"""The test helpers that keep time bounds and shared indexes honest: a calibrated bound still
fails an overrun, and an index built once is built once, and again after a failed build."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.corpora import built_once
from tests.timing import FACTOR, allowance, assert_within


def test_within_the_fixed_slack_the_reference_is_not_even_timed() -> None:
    def never() -> None:
        raise AssertionError("timed the reference")

    assert_within(0.9, 0.5, never, 0.5)


def test_an_overrun_of_many_reference_times_fails() -> None:
    with pytest.raises(AssertionError, match=r"3\.00 s > 1\.00 s \(budget 0\.5 s\): q~9"):
        assert_within(3.0, 0.5, lambda: None, 0.5, "q~9")


def test_a_slow_machine_widens_the_allowance_in_proportion() -> None:
    reference = 0.05
    assert allowance(lambda: time.sleep(reference), 0.1) >= FACTOR * reference
    assert_within(0.5 + FACTOR * reference * 0.9, 0.5, lambda: time.sleep(reference), 0.1)
    with pytest.raises(AssertionError):
        assert_within(0.5 + FACTOR * reference * 10, 0.5, lambda: time.sleep(reference), 0.1)


def test_built_once_builds_once_and_redoes_a_failed_build(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    builds: list[Path] = []

    def build(target: Path) -> None:
        builds.append(target)
        (target / "made").write_text(str(len(builds)))

    first = built_once(tmp_path_factory, "timing-once", build)
    again = built_once(tmp_path_factory, "timing-once", build)
    assert (first, builds, (again / "made").read_text()) == (again, [first], "1")

    def broken(target: Path) -> None:
        (target / "half").write_text("")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        built_once(tmp_path_factory, "timing-broken", broken)
    redone = built_once(tmp_path_factory, "timing-broken", build)
    assert sorted(p.name for p in redone.iterdir()) == ["made"]  # the half-made files are gone
