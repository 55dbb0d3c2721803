"""A passage as a snippet: escaped, its matched words in ``<mark>``, cut to a window around
the first match; and overlapping spans joined, so a compound and its parts mark once."""

from __future__ import annotations

import html
from collections.abc import Sequence

SNIPPET_CHARS = 280
CONTEXT_BEFORE = 80


def mark(text: str, spans: Sequence[tuple[int, int]], window: bool = True) -> str:
    """Escape ``text`` and wrap each span in ``<mark>``; cut a window around the first match."""
    spans = sorted(spans, key=lambda span: (span[0], -span[1]))  # a phrase before its words
    start, end = 0, len(text)
    if window and len(text) > SNIPPET_CHARS:
        first = spans[0][0] if spans else 0
        start = _word_start(text, max(0, first - CONTEXT_BEFORE))
        end = _word_end(text, min(len(text), start + SNIPPET_CHARS))
    pieces, cursor = [], start
    for s, e in spans:
        if s < cursor or e > end:
            continue
        pieces.append(html.escape(text[cursor:s]))
        pieces.append(f"<mark>{html.escape(text[s:e])}</mark>")
        cursor = e
    pieces.append(html.escape(text[cursor:end]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return prefix + "".join(pieces).strip() + suffix


def _word_start(text: str, i: int) -> int:
    if i == 0:
        return 0
    space = text.find(" ", i)
    return space + 1 if 0 <= space < i + 30 else i


def _word_end(text: str, i: int) -> int:
    if i >= len(text):
        return len(text)
    space = text.rfind(" ", 0, i)
    return space if space > i - 30 else i


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with overlaps joined (a compound and its parts mark once)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
