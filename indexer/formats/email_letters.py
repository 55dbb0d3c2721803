"""Reading e-mail letters: one message (``.eml``) or a mailbox of many (``.mbox``).

From gives the senders (and, with a display name, the signatory), To the recipients, Cc the
copy list, Date the date (as written, in the sender's time zone), Subject the title. The body
is the ``text/plain`` part, else the ``text/html`` part converted to Markdown paragraphs. The
file name and the Message-ID recognise a message imported again.
"""

from __future__ import annotations

import email
import email.policy
import mailbox
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from indexer.formats.converted import Converted, paragraphs_to_body, text_to_paragraphs
from indexer.formats.html_letters import html_to_text
from indexer.letters.letter import LetterError, read_bytes

_HEADERS = ("from", "to", "date", "subject")


def read_eml(path: str | Path) -> Converted:
    """Read one e-mail message; raises LetterError (naming the file) when that is impossible."""
    path = Path(path)
    data = read_bytes(path)
    if b"\x00" in data[:8192]:
        raise LetterError(path, "binary file (contains NUL bytes), not an e-mail message")
    message = email.message_from_bytes(data, policy=email.policy.default)
    return _convert(path, message, f"the e-mail {path.name}", path.stem)


def read_mbox(path: str | Path) -> list[Converted]:
    """Read every message of an mbox mailbox, in order; LetterError for an unreadable one."""
    path = Path(path)
    data = read_bytes(path)
    if not data.startswith(b"From "):
        raise LetterError(path, "not an mbox mailbox (it must start with a 'From ' line)")
    box = mailbox.mbox(str(path), create=False)
    try:
        raw = [box.get_bytes(key) for key in box.iterkeys()]
    except (OSError, mailbox.Error) as exc:
        raise LetterError(path, f"cannot read the mailbox: {exc}") from None
    finally:
        box.close()
    letters = []
    for number, message_bytes in enumerate(raw, 1):
        message = email.message_from_bytes(message_bytes, policy=email.policy.default)
        try:
            letters.append(_convert(path, message, f"message {number}", f"message-{number}"))
        except LetterError as exc:
            raise LetterError(path, f"message {number}: {exc.reason}") from None
    if not letters:
        raise LetterError(path, "the mailbox holds no messages")
    return letters


def _convert(path: Path, message: EmailMessage, what: str, stem: str) -> Converted:
    if not any(message.get(name) for name in _HEADERS):
        raise LetterError(path, "not an e-mail message (no From, To, Date or Subject header)")
    body = _body(message)
    if not body:
        raise LetterError(path, f"{what} has no text body (text/plain or text/html)")
    meta: dict[str, Any] = {}
    subject = " ".join(str(_header(message, "subject") or "").split())
    if subject:
        meta["title"] = subject
    date = _date(message)
    if date:
        meta["date"] = date
    senders = _addresses(message, "from")
    if senders:
        meta["senders"] = [label for label, _display in senders]
        people = [{"name": display} for _label, display in senders if display]
        if people:
            meta["signatories"] = people
    recipients = _addresses(message, "to")
    if recipients:
        meta["recipients"] = [{"name": label} for label, _display in recipients]
    cc = _addresses(message, "cc")
    if cc:
        meta["cc"] = [label for label, _display in cc]
    message_id = " ".join(str(_header(message, "message-id") or "").split())
    kind = "e-mail" if path.suffix.lower() != ".mbox" else "mailbox"
    source = f"E-mail {path.name}" if kind == "e-mail" else f"Mailbox {path.name}"
    if message_id:
        source += f", Message-ID {message_id}"
    elif kind == "mailbox":
        source += f", {what}"
    return Converted(
        body=body,
        kind=kind,
        name=subject or stem,
        meta=meta,
        source=source,
        identity=source if message_id else None,
        notes=[
            "the headers give the title, date, senders and addressees; the body is "
            "the message's text part"
        ],
    )


def _header(message: EmailMessage, name: str) -> Any:
    try:
        return message[name]
    except (ValueError, TypeError, IndexError):  # a header the policy cannot parse
        return None


def _date(message: EmailMessage) -> str | None:
    header = _header(message, "date")
    when = getattr(header, "datetime", None)
    return when.date().isoformat() if when is not None else None


def _addresses(message: EmailMessage, name: str) -> list[tuple[str, str]]:
    """(label, display name) per address: the label is the display name, else the address."""
    header = _header(message, name)
    found: list[tuple[str, str]] = []
    for address in getattr(header, "addresses", ()) or ():
        display = " ".join(address.display_name.split())
        label = display or address.addr_spec
        if label and label not in [f[0] for f in found]:
            found.append((label, display))
    return found


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, ValueError, KeyError):
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    if not isinstance(content, str):
        return ""
    if part.get_content_subtype() == "html":
        return html_to_text(content)
    return paragraphs_to_body(text_to_paragraphs(content))
