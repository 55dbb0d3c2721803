"""Human labels for facet names and facet values."""

from __future__ import annotations

FACET_TITLES = {
    "sender": "Sender",
    "signatory": "Signed by",
    "recipient": "Recipient",
    "subject": "Subject",
    "place": "Written at",
    "destination": "Received at",
    "type": "Type",
    "language": "Language",
    "year": "Year",
    "mention": "Mentions",
}

#: what a facet's values are, in the plural ("Show 12 more senders")
FACET_NOUNS = {
    "sender": "senders",
    "signatory": "signatories",
    "recipient": "recipients",
    "place": "places of writing",
    "destination": "places of arrival",
    "type": "types",
    "language": "languages",
    "year": "years",
    "mention": "mentions",
}

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
