"""Human labels for facet names, facet values and dates."""

from __future__ import annotations

import datetime as dt

FACET_TITLES = {
    "sender": "Sender",
    "signatory": "Signed by",
    "recipient": "Recipient",
    "type": "Type",
    "language": "Language",
    "year": "Year",
    "mention": "Mentions",
}

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

LANGUAGES = {
    "de": "German",
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "it": "Italian",
    "kk": "Kazakh",
    "nb": "Norwegian Bokmål",
    "nl": "Dutch",
    "nn": "Norwegian Nynorsk",
    "no": "Norwegian",
    "pt": "Portuguese",
    "ru": "Russian",
    "sv": "Swedish",
    "tr": "Turkish",
    "uk": "Ukrainian",
}


def facet_label(facet: str, value: str) -> str:
    if facet == "language":
        return LANGUAGES.get(value, value)
    if facet == "type":
        return value[:1].upper() + value[1:]
    return value


def date_label(date: str | None, date_from: str | None, date_to: str | None) -> str:
    """2024-01-19, or a range "2024-01-19 – 2024-02-29", or "undated"."""
    if date:
        return date
    if date_from and date_to and date_from != date_to:
        return f"{date_from} – {date_to}"
    return date_from or date_to or "undated"


def long_date(iso: str | None) -> str:
    """2024-01-19 -> 19 January 2024 (other shapes unchanged)."""
    if not iso:
        return ""
    try:
        day = dt.date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def long_date_label(date: str | None, date_from: str | None, date_to: str | None) -> str:
    if date:
        return long_date(date)
    if date_from and date_to and date_from != date_to:
        return f"{long_date(date_from)} – {long_date(date_to)}"
    return long_date(date_from or date_to) or "undated"
