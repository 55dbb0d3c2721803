"""The server caps glibc's malloc arenas before its threads start (webapp/server.py)."""

from __future__ import annotations

import ctypes
import platform

import pytest

from webapp import server


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_arenas_are_capped_on_glibc() -> None:
    assert server.limit_malloc_arenas() is True


def test_no_mallopt_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ctypes, "CDLL", lambda _name: object())  # a C library without it
    assert server.limit_malloc_arenas() is False
