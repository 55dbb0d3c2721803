"""Bad parameters on the search page, as plain data for the template.

A page answers a bad parameter with the search itself (status 400) rather than a bare error
page: the search that is left once the bad parts are out (:meth:`SearchRequest.salvage`), its
results, and each message by the form field that caused it. A serious archive keeps the
person's work: one mistyped date should not throw away the query and the filters, and the
letters the rest of the search finds are real answers, clearly labelled as such. The field
shows what the person typed, so it can be corrected in place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from indexer.request import BadRequest, SearchRequest
from webapp.problemtext import problem_text

#: parameters that have an input on the search page (its id is the parameter's name)
FIELDS = ("q", "from", "to")


@dataclass(frozen=True)
class Problem:
    message: str
    field: str | None  # the id of the input it belongs to; None: no input (sort, page, …)


def typed(params: Mapping[str, Iterable[str]], name: str) -> str:
    """The value a parameter's input would have sent: its last one, as the parser reads it."""
    values = [v for v in params.get(name, ()) if v is not None]
    return values[-1].strip() if values else ""


def problems_view(
    request: SearchRequest,
    errors: Iterable[BadRequest],
    params: Mapping[str, Iterable[str]],
) -> dict[str, Any]:
    """The problems, the message for each field, and the values the form fields show."""
    problems = [
        Problem(problem_text(str(error)), error.param if error.param in FIELDS else None)
        for error in errors
    ]
    field_errors: dict[str, str] = {}
    for problem in problems:
        if problem.field:
            field_errors.setdefault(problem.field, problem.message)
    form = {"q": request.q, "from": request.date_from or "", "to": request.date_to or ""}
    for name in field_errors:
        form[name] = typed(params, name)
    return {"problems": problems, "field_errors": field_errors, "form": form}
