"""Who a name on a letter is: the one key of a person or organisation.

Letters name the same party in several ways ("International Trade Union Confederation (ITUC)",
"ITUC", "МКП"). :func:`person_key` is the one place that decides which names are one party:
the authority file's id where one of the entity's names is the whole name (or the name without
a parenthesis, or the parenthesis alone), else a stable slug of the folded name. An explicit
identity from the source (a TEI ``@ref``/``@key``) passed as ``ref`` wins over both, so that
editions that identify their people plug in here.
"""

from __future__ import annotations

import re

from indexer.letters.authority import Authorities
from indexer.letters.text import slug

_PARENTHESIS = re.compile(r"\s*[(\[]([^()\[\]]*)[)\]]\s*")


def _forms(name: str) -> list[str]:
    """The name, the name without a parenthesis, and what the parenthesis holds."""
    forms = [name]
    inner = [m.group(1) for m in _PARENTHESIS.finditer(name) if m.group(1).strip()]
    outer = _PARENTHESIS.sub(" ", name).strip()
    if outer and outer != name:
        forms.append(outer)
    forms.extend(inner)
    return forms


def authority_id(name: str, authorities: Authorities | None) -> str | None:
    """The id of the one entity one of the name's forms fully names (None: none or several)."""
    if not authorities:
        return None
    if name in authorities.entities:
        return name
    found = {authorities.named(form) for form in _forms(name)} - {None}
    return found.pop() if len(found) == 1 else None


def person_key(name: str, authorities: Authorities | None = None, ref: str | None = None) -> str:
    """The key of the party a name stands for (empty for a name without letters or digits)."""
    if ref and slug(ref):
        return slug(ref)
    return authority_id(name, authorities) or slug(name)
