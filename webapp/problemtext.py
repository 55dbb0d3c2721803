"""The library's messages about bad parameters and unknown letters, in the page's language.

:class:`indexer.request.BadRequest` and :mod:`indexer.letters.dates` word their messages in
English (the CLI and the JSON API show them so, and the library knows nothing of the web's
languages). Each kind of message is recognised here by its wording and said again in the
page's language, the values it names (what the person typed, the parameter's name) kept as
they were and marked as no interface text. A message no pattern knows is shown as it is, in
English, marked ``lang="en"``: still true, still naming the problem.
"""

from __future__ import annotations

import re

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from webapp.uilanguage import DEFAULT, current

#: wording of the library (a regular expression with named parts) → the message to show
PATTERNS: tuple[tuple[re.Pattern[str], LazyString], ...] = tuple(
    (re.compile(pattern), message)
    for pattern, message in (
        (r"'?(?P<name>[\w-]+)'? must be a date as YYYY, YYYY-MM or YYYY-MM-DD, not (?P<value>.*)",
         _l("%(name)s must be a date as YYYY, YYYY-MM or YYYY-MM-DD, not %(value)s")),
        (r"'?(?P<name>[\w-]+)'?: (?P<value>.*) is not a real date \(.*\)",
         _l("%(name)s: %(value)s is not a real date")),
        (r"'from' \((?P<first>.*)\) is after 'to' \((?P<last>.*)\)",
         _l("%(from)s (%(first)s) is after %(to)s (%(last)s)")),
        (r"'undated' finds the letters without a date: .*",
         _l("%(undated)s finds the letters without a date: it cannot be combined with "
            "%(from)s, %(to)s or %(year)s")),
        (r"'undated' must be 1 \(only letters without a date\), not (?P<value>.*)",
         _l("%(undated)s must be 1 (only letters without a date), not %(value)s")),
        (r"sort must be one of (?P<choices>.*), not (?P<value>.*)",
         _l("%(sort)s must be one of %(choices)s, not %(value)s")),
        (r"unknown parameter '(?P<name>[^']*)'; known parameters: (?P<choices>.*)",
         _l("unknown parameter %(name)s; known parameters: %(choices)s")),
        (r"'(?P<name>[\w-]+)' must be a whole number, not (?P<value>.*)",
         _l("%(name)s must be a whole number, not %(value)s")),
        (r"'(?P<name>[\w-]+)' must be between (?P<low>\d+) and (?P<high>\d+), not (?P<value>.*)",
         _l("%(name)s must be between %(low)s and %(high)s, not %(value)s")),
        (r"(?P<name>[\w-]+) must be a four-digit year such as 2024",
         _l("%(name)s must be a four-digit year such as 2024")),
        (r"(?P<name>[\w-]+) must be 1 \(on\) or 0 \(off\), not (?P<value>.*)",
         _l("%(name)s must be 1 (on) or 0 (off), not %(value)s")),
        (r"query is too long \((?P<length>\d+) characters; at most (?P<most>\d+)\)",
         _l("the query is too long (%(length)s characters; at most %(most)s)")),
        (r"a '(?P<name>[\w-]+)' value is too long \(at most (?P<most>\d+)\)",
         _l("a %(name)s value is too long (at most %(most)s characters)")),
        (r"too many '(?P<name>[\w-]+)' values \(at most (?P<most>\d+)\)",
         _l("too many %(name)s values (at most %(most)s)")),
        (r"'(?P<name>[\w-]+)' value (?P<value>.*) is both chosen and left out "
         r"\('(?P<out>[\w-]+)'\)",
         _l("the %(name)s value %(value)s is both chosen and left out (%(out)s)")),
        (r"'between' takes one or two people, not (?P<count>\d+)",
         _l("%(between)s takes one or two people, not %(count)s")),
        (r"not reached \(time limit\)", _l("not reached (time limit)")),
        (r"too long \((?P<length>\d+) characters; at most (?P<most>\d+)\)",
         _l("too long (%(length)s characters; at most %(most)s)")),
        (r"order must be one of (?P<choices>.*), not (?P<value>.*)",
         _l("%(order)s must be one of %(choices)s, not %(value)s")),
        (r"a working set holds at most (?P<most>\d+) letters, not (?P<count>\d+)",
         _l("a working set holds at most %(most)s letters, not %(count)s")),
        (r"an 'id' is too long \(at most (?P<most>\d+)\)",
         _l("an %(id)s is too long (at most %(most)s characters)")),
        (r"a batch has at most (?P<most>[\d,]+) queries, this one (?P<count>[\d,]+)",
         _l("a batch has at most %(most)s queries, this one %(count)s")),
        (r"There is no letter with the id “(?P<value>.*)”\.",
         _l("There is no letter with the id %(value)s.")),
        (r"There is no place with the key “(?P<value>.*)”\.",
         _l("There is no place with the key %(value)s.")),
        (r"No letter names anyone with the key “(?P<value>.*)”\.",
         _l("No letter names anyone with the key %(value)s.")),
    )
)  # fmt: skip

#: the parameter names a message may name without a part of its own
NAMES = ("from", "to", "year", "undated", "sort", "between", "order", "id")


def as_data(value: str) -> Markup:
    """A value from the request, as the message names it: escaped, never translated."""
    return Markup('<code translate="no">{}</code>').format(value.strip("'\""))


def problem_text(message: str) -> str:
    """``message`` (the library's English) in the page's language: as it is on an English
    page, else as safe HTML."""
    if current() == DEFAULT:
        return message
    for pattern, wording in PATTERNS:
        match = pattern.fullmatch(message)
        if match:
            parts = {name: as_data(name) for name in NAMES}
            parts.update({k: as_data(v) for k, v in match.groupdict().items()})
            return Markup(str(wording)) % parts
    return Markup('<span lang="en">{}</span>').format(message)
