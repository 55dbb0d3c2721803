"""Decoding letter files: UTF-8, or a legacy Windows code page when it can be told apart.

Letters saved by older Windows programs arrive in Windows-1251 (Cyrillic) or Windows-1252
(Western European). Those are decoded when the text makes the code page unmistakable;
anything else is reported, never guessed.
"""

from __future__ import annotations

import unicodedata

LEGACY_ENCODINGS = ("cp1251", "cp1252")
NAMES = {"cp1251": "Windows-1251", "cp1252": "Windows-1252"}
_PUNCTUATION = set("‘’‚“”„–—…•€™«»°§©®±·×÷")


class UndetectableEncoding(ValueError):
    def __init__(self, offset: int, byte: int, line: int) -> None:
        super().__init__(
            f"not valid UTF-8 (byte 0x{byte:02x} at line {line}, offset {offset}) and not "
            "recognisably Windows-1251 or Windows-1252; save the file as UTF-8"
        )


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name) for the bytes of a letter file."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        error = exc
    for encoding in LEGACY_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _plausible(text, encoding):
            return text, encoding
    line = data[: error.start].count(b"\n") + 1
    raise UndetectableEncoding(error.start, data[error.start], line)


def fallback_warning(encoding: str) -> str | None:
    """What to tell a person about a file decoded as ``encoding`` (None for UTF-8): the code
    page was inferred from the text, so a wrong guess would garble it."""
    if encoding == "utf-8":
        return None
    return (
        f"not valid UTF-8; decoded as {NAMES.get(encoding, encoding)} ({encoding}): "
        "check the text and save the file as UTF-8"
    )


def _plausible(text: str, encoding: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    if encoding == "cp1251":
        cyrillic = sum(1 for c in letters if "\u0400" <= c <= "\u04ff")
        return cyrillic / len(letters) >= 0.3
    foreign = [c for c in text if ord(c) > 127]
    latin = sum(1 for c in foreign if c in _PUNCTUATION or "LATIN" in unicodedata.name(c, ""))
    return latin / len(foreign) >= 0.9
