"""Human labels for facet names and facet values, in the page's language (lazy: the dicts are
built at import, each label is translated when a page prints it)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

FACET_TITLES = {
    "sender": _l("Sender"),
    "signatory": _l("Signed by"),
    "recipient": _l("Recipient"),
    "subject": _l("Subject"),
    "place": _l("Written at"),
    "destination": _l("Received at"),
    "type": _l("Type"),
    "language": _l("Language"),
    "year": _l("Year"),
    "mention": _l("Mentions"),
}

#: what a facet's values are, in the plural ("Show 12 more senders")
FACET_NOUNS = {
    "sender": _l("senders"),
    "signatory": _l("signatories"),
    "recipient": _l("recipients"),
    "place": _l("places of writing"),
    "destination": _l("places of arrival"),
    "type": _l("types"),
    "language": _l("languages"),
    "year": _l("years"),
    "mention": _l("mentions"),
}

#: the letter types of the archives so far (another type shows as written, capitalised)
TYPES = {
    "letter": _l("Letter"),
    "joint letter": _l("Joint letter"),
    "open letter": _l("Open letter"),
    "press release": _l("Press release"),
    "statement": _l("Statement"),
    "petition": _l("Petition"),
    "appeal": _l("Appeal"),
    "telegram": _l("Telegram"),
    "memorandum": _l("Memorandum"),
    "email": _l("Email"),
    "report": _l("Report"),
}

#: the kinds of entity of the authority file (indexer.letters.authority.ENTITY_TYPES)
KINDS = {
    "person": _l("Person"),
    "organisation": _l("Organisation"),
    "place": _l("Place"),
    "convention": _l("Convention"),
    "law": _l("Law"),
    "other": _l("Other"),
}

#: what a person did in letters, as a heading (indexer.correspondents.ROLE_TITLES)
ROLE_TITLES = {
    "sender": _l("Sent"),
    "signatory": _l("Signed"),
    "recipient": _l("Received"),
    "cc": _l("Copied to"),
    "mention": _l("Mentioned in"),
}

#: a person's roles in the list of people
ROLE_NAMES = {
    "sender": _l("sender"),
    "signatory": _l("signatory"),
    "recipient": _l("recipient"),
    "cc": _l("copy recipient"),
    "mention": _l("mentioned"),
}

LANGUAGES = {
    "de": _l("German"),
    "en": _l("English"),
    "es": _l("Spanish"),
    "fr": _l("French"),
    "it": _l("Italian"),
    "kk": _l("Kazakh"),
    "nb": _l("Norwegian Bokmål"),
    "nl": _l("Dutch"),
    "nn": _l("Norwegian Nynorsk"),
    "no": _l("Norwegian"),
    "pt": _l("Portuguese"),
    "ru": _l("Russian"),
    "sv": _l("Swedish"),
    "tr": _l("Turkish"),
    "uk": _l("Ukrainian"),
}


def facet_label(facet: str, value: str) -> str:
    if facet == "language":
        return str(LANGUAGES.get(value, value))
    if facet == "type":
        return str(TYPES.get(value, value[:1].upper() + value[1:]))
    return value


def kind(value: str | None) -> str:
    """An entity's kind as the page's language names it (another kind as written)."""
    if not value:
        return ""
    return str(KINDS.get(value, value[:1].upper() + value[1:]))
