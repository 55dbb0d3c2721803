"""Extract letter metadata from the text, for letters added without front matter.

Line-based heuristics that follow a letter's layout (heading, address block, salutation, body,
closing, signature block). They prefer finding nothing to guessing from the body: a date in a
paragraph is an event, not the letter's date. Front matter always wins; the caller merges.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)


def _words(text: str) -> set[str]:
    return set(text.split())


REQUIRED = ("date", "place", "senders", "signatories", "recipients")
_HEAD_LIMIT = 150  # lines searched for the salutation and the end of the heading
_BLOCK_LIMIT = 15  # non-empty lines kept from a signature block

_MONTH_ROWS = (
    "january february march april may june july august september october november december",
    "jan feb mar apr may jun jul aug sep oct nov dec",
    "januar februar märz april mai juni juli august september oktober november dezember",
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
)
MONTHS = {name: n for row in _MONTH_ROWS for n, name in enumerate(row.split(), 1)}
MONTHS |= {"sept": 9, "jänner": 1, "maerz": 3, "okt": 10, "dez": 12, "desember": 12}
_WEEKDAYS = _words("monday tuesday wednesday thursday friday saturday sunday")
_M = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))
_DATE = (
    rf"(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?(?P<m1>{_M})\.?,?\s+(?P<y1>\d{{4}})"
    rf"|(?P<m2>{_M})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})"
    r"|(?P<d3>\d{1,2})\.(?P<m3>\d{1,2})\.(?P<y3>\d{4})|(?P<y4>\d{4})-(?P<m4>\d{2})-(?P<d4>\d{2})"
)
_DATE_LINE = re.compile(
    r"(?i)^(?:(?:date|dated|datum|дата)\s*:?\s*)?(?:(?P<place>[^\d,;:]{2,60}?)(?:,\s*|\s+))?"
    rf"(?:{_DATE})(?:\s*(?:г\.|года))?[.,]?\s*(?P<rest>.*)$"
)
_REF = re.compile(
    r"(?i)(?:\b(?:our|my)\s+|^)ref(?:erence)?\b\.?(?:\s*no\.?)?\s*:?\s*(?P<val>.*?)\s*"
    r"(?:\byour\s+ref(?:erence)?\b.*)?$"
)
_TITLE = re.compile(r"(?i)^(?:re|subject|subj|betreff|objet|тема)\s*:\s*\S")
_SALUTATION = re.compile(
    r"(?i)^(?:dear\b|sehr geehrte|уважаем|to whom it may concern|(?:your )?excellency\b"
    r"|(?:mr|mrs|ms|madam|madame|monsieur)\.?\s+(?:the\s+)?(?:president|prime minister|minister"
    r"|secretary[- ]general|director[- ]general|chair\w*|ambassador)[,:!]?$)"
)
_CLOSING = re.compile(
    r"(?i)^(?:yours\s+(?:sincerely|faithfully|truly|fraternally|in solidarity)|sincerely"
    r"(?: yours)?|(?:with\s+)?(?:kind|best|warm)(?:est)?\s+regards|regards|respectfully(?: yours)?"
    r"|(?:with |in )solidarity|solidarity greetings|fraternally|best wishes"
    r"|mit freundlichen grüßen|с уважением|cordialement)\b[,.!]?\s*(?P<rest>.{0,80})$"
)
_STOP = re.compile(
    r"(?i)^(?:cc\b|c\.c\.|cop(?:y|ies)\b|encl|attachment|annex\b|p\.s\.|[-_]{3,}$|\[\^)"
)
_SIG_NOTE = re.compile(r"(?i)signature|^\(?sig(?:ned)?\.?\)?$")
_HONORIFIC = re.compile(
    r"(?i)^(?:(?:h\.\s?e\.|his excellency|her excellency|the hon(?:ou?rable|\.)?|mr|mrs|ms|miss"
    r"|mx|dr|prof|sir|dame|mme|herrn?|frau)\.?\s+)+"
)
ROLE_CORE = _words(
    "president vice-president secretary secretary-general director director-general chair "
    "chairman chairwoman chairperson coordinator co-ordinator treasurer head officer ambassador "
    "minister governor mayor commissioner representative leader manager adviser advisor "
    "spokesperson ceo chancellor premier speaker founder member delegate organiser organizer "
    "rapporteur consul counsellor generalsekretär präsident präsidentin vorsitzender "
    "vorsitzende президент председатель министр секретарь"
)
ROLE_PREFIX = _words(
    "vice deputy acting prime executive general assistant regional senior first chief генеральный"
)
ORG_WORDS = _words(
    "union unions confederation federation congress council association organisation "
    "organization committee ministry embassy mission institute foundation society league "
    "network alliance syndicat syndicats gewerkschaft bund secretariat company ltd inc llp group "
    "party centre center office agency commission coalition"
)
_ROLE_ANY = ROLE_CORE | ROLE_PREFIX
_CONNECTORS = {"of", "the", "and", "for", "de", "des", "du", "la", "le", "et", "für", "und"}
_PLACE_LINKS = {"and", "et", "und", "am", "sur", "upon", "on", "de", "la"}
_PARTICLES = {"van", "von", "de", "der", "den", "da", "di", "du", "la", "le", "bin", "al", "ter"}


@dataclass
class Extraction:
    """What the text revealed; ``fields`` is shaped like corpus front matter."""

    fields: dict[str, Any] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


def extract_metadata(text: str) -> Extraction:
    """Read metadata off the letter's layout. Never raises: one odd file must not stop indexing."""
    try:
        found = _extract(text if isinstance(text, str) else "")
    except Exception:  # a heuristic bug must not abort indexing; the letter stays unextracted
        log.exception("metadata extraction failed")
        found = {}
    return Extraction(found, [name for name in REQUIRED if not found.get(name)])


def _extract(text: str) -> dict[str, object]:
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [_clean(line) for line in raw]
    sal = next((i for i, s in _nonempty(lines, 0, _HEAD_LIMIT) if _SALUTATION.match(s)), None)
    head_end = sal if sal is not None else _first_prose(lines, 0)
    zone_end = _first_prose(lines, sal + 1 if sal is not None else 0)
    block = _signature_block(lines)
    date, place = _find_date(lines, head_end, block)
    people, block_orgs = _signatories(block)
    orgs = _letterhead(raw, lines, head_end) + _prose_orgs(lines, zone_end) + block_orgs
    orgs += [o for p in people if (o := _org_of_role(p["role"]))]
    found: dict[str, object] = {"date": date, "place": place, "senders": _merge_orgs(orgs)}
    found["signatories"] = people
    found["recipients"] = _recipients(lines, head_end)
    found["title"] = next((s for _, s in _nonempty(lines, 0, zone_end) if _TITLE.match(s)), None)
    found["reference"] = _reference(lines, zone_end)
    return {k: v for k, v in found.items() if v}


def _clean(line: str) -> str:
    """One Markdown line as plain text: no emphasis, link syntax, HTML tags or footnote marks."""
    s = re.sub(r"<sup>[^<>]{0,20}</sup>|\[\^[^][]{0,40}\](?!:)", "", line.replace("\u00a0", " "))
    s = re.sub(r"!?\[([^][]{0,300})\]\([^()\s]{0,2000}\)", r"\1", s)
    s = re.sub(r"<[^>]{1,200}>|\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)", "", s)
    s = re.sub(r"^\s{0,3}(?:#{1,6}\s+|>\s*)", "", s).rstrip("\\ \t")
    return re.sub(r"\s+", " ", s).strip()


def _nonempty(lines: list[str], start: int, stop: int) -> list[tuple[int, str]]:
    return [(i, s) for i, s in enumerate(lines[start:stop], start) if s]


def _is_prose(s: str) -> bool:
    """A paragraph line (not a heading, address or signature line)."""
    return len(s) >= 100 or (len(s) >= 50 and s.endswith((".", "!", "?", ";")))


def _first_prose(lines: list[str], start: int) -> int:
    found = (i for i, s in enumerate(lines[start:], start) if _is_prose(s))
    return min(next(found, len(lines)), start + _HEAD_LIMIT)


def _parse_date(s: str) -> tuple[str, str | None] | None:
    """(ISO date, place or None) if the whole line is a date, "Place, date" or "date Our ref"."""
    m = _DATE_LINE.match(s)
    if not m or (m["rest"] and not re.match(r"(?:(?:our|your|my)\s+)?ref", m["rest"], re.I)):
        return None
    day, month, year = next((m[f"d{k}"], m[f"m{k}"], m[f"y{k}"]) for k in "1234" if m[f"y{k}"])
    month_no = int(month) if month.isdigit() else MONTHS.get(month.casefold(), 0)
    try:
        iso = dt.date(int(year), month_no, int(day)).isoformat()
    except ValueError:  # 31.02.2024, or a month spelled with odd Unicode case folding
        return None
    place = (m["place"] or "").strip()
    if place and not _is_place(place) and place.casefold() not in _WEEKDAYS:
        return None  # "launched a strike on 11 December 2023"
    return iso, place if _is_place(place) else None


def _is_place(s: str) -> bool:
    """A place such as "Oslo" or "Brussels and Geneva": no role, organisation or month words."""
    words = s.split()
    if not 0 < len(words) <= 5 or re.search(r"[\d@/:()]", s) or _HONORIFIC.match(s + " "):
        return False
    if any(_bare(w) in ROLE_CORE | ORG_WORDS | _WEEKDAYS or _bare(w) in MONTHS for w in words):
        return False
    return words[0][0].isupper() and all(w[0].isupper() or w in _PLACE_LINKS for w in words)


def _find_date(lines: list[str], head_end: int, block: list[str]) -> tuple[str | None, ...]:
    """The first date line of the heading, else of the signature block; never a body date."""
    for i, s in _nonempty(lines, 0, head_end):
        if parsed := _parse_date(s):
            iso, place = parsed
            if place is None and i and lines[i - 1] and _is_place(lines[i - 1]):
                place = lines[i - 1]
            return iso, place
    return next((p for p in map(_parse_date, block) if p), (None, None))


def _reference(lines: list[str], stop: int) -> str | None:
    """Our own reference ("Our ref. 21/386-1"), without a following, often empty "Your ref."."""
    found = (m for _, s in _nonempty(lines, 0, stop) if (m := _REF.search(s)))
    return next(
        (m.string[m.start() : m.end("val")] for m in found if re.search(r"\w", m["val"])), None
    )


def _bare(word: str) -> str:
    return word.strip(".,;:'’\"()").casefold()


def _name_word(w: str) -> bool:
    return (w[0].isupper() or _bare(w) in _PARTICLES) and _bare(w) not in _ROLE_ANY


def _is_acronym(word: str) -> bool:
    return len(word) > 1 and word.isupper()


def _is_role(s: str) -> bool:
    """A role line: "General Secretary", "President of the Republic of Kazakhstan"."""
    words = [_bare(w) for w in s.split()[:4]]
    if not words or len(s) >= 100 or re.search(r"\d|@", s):
        return False
    return words[0] in _ROLE_ANY and any(w in ROLE_CORE for w in words)


def _is_name(s: str) -> bool:
    """2-5 capitalised words without role, organisation or month words: "Atle Høie"."""
    words = s.split()
    if not 2 <= len(words) <= 5 or re.search(r"[\d@/:()]", s):
        return False
    bare = [_bare(w) for w in words]
    if any(not b or b in _ROLE_ANY | ORG_WORDS or b in MONTHS for b in bare):
        return False
    return all(w[0].isupper() or b in _PARTICLES for w, b in zip(words, bare, strict=True))


def _looks_like_org(s: str) -> bool:
    """An organisation line: a capitalised org word ("Global Union") or all capitals."""
    words = s.split()
    if not 0 < len(words) <= 12 or len(s) > 120 or _is_prose(s):
        return False
    caps = _is_acronym(s.replace(" ", "")) and len(words) <= 6  # "LO NORWAY", "ITUC"
    return caps or any(_bare(w) in ORG_WORDS and w[0].isupper() for w in words)


def _org_of_role(role: str) -> str | None:
    """The organisation in a signatory's role: "General Secretary, ITUC" -> "ITUC"."""
    if "," in role and (tail := role.split(",", 1)[1].strip()) and tail[0].isupper():
        return None if _is_role(tail) else tail
    m = re.search(r"\bof (?:the )?(.+)$", role)
    return m[1] if m and _looks_like_org(m[1]) else None


def _recipients(lines: list[str], head_end: int) -> list[dict[str, str]]:
    """People addressed by honorific in the heading: "Mr. X Y" + role on the same/next line."""
    people: list[dict[str, str]] = []
    for i, s in _nonempty(lines, 0, head_end):
        if not (m := _HONORIFIC.match(s)):
            continue
        words = s[m.end() :].split()[:40]
        stop = next((k for k, w in enumerate(words[:5]) if not _name_word(w)), min(len(words), 5))
        stop = next((k + 1 for k, w in enumerate(words[:stop]) if w.endswith(",")), stop)
        name, words = words[:stop], words[stop:]
        full = " ".join(name).strip(" ,")
        if not full or any(p["name"] == full for p in people):
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        role = _role_phrase(words) if words else nxt if _is_role(nxt) else ""
        people.append({"name": full, "role": role})
    return people


def _role_phrase(words: list[str]) -> str:
    """The leading role of a one-line address: "President of Kazakhstan Nor- Sultan, ..."."""
    out: list[str] = []
    while words and _bare(words[0]) in _ROLE_ANY:
        out.append(words.pop(0))
    while out and not out[-1].endswith(",") and len(words) >= 2 and words[0] == "of":
        take = 3 if words[1] == "the" and len(words) >= 3 else 2
        if not words[take - 1][0].isupper():
            break
        out += words[:take]
        del words[:take]
    return " ".join(out).strip(" ,") if any(_bare(w) in ROLE_CORE for w in out) else ""


def _signature_block(lines: list[str]) -> list[str]:
    """Lines after the last closing formula, else the non-prose lines ending the text."""
    closing = [(i, m) for i, s in enumerate(lines) if s and (m := _CLOSING.match(s))]
    if closing:
        start, m = closing[-1]
        first = [m["rest"].strip(" ,")] if m["rest"].strip(" ,") else []
    else:
        start, first = max((i for i, s in enumerate(lines) if _is_prose(s)), default=-1), []
        if start < 0:  # no body, so no way to tell a signature from the heading
            return []
    block: list[str] = first
    for s in lines[start + 1 :]:
        if _STOP.match(s) or len(block) >= _BLOCK_LIMIT:
            break
        if s and not _SIG_NOTE.search(s) and not _is_prose(s):
            block.append(s)
    return block


def _split_person(s: str) -> tuple[str, str] | None:
    """One-line signatures: "Atle Høie, General Secretary", "H.-C. Gabrielsen President"."""
    s = re.sub(r"\s+[–—-]\s+", ", ", s)
    if "," in s:
        name, role = (p.strip() for p in s.split(",", 1))
        if _is_name(_HONORIFIC.sub("", name)) and _is_role(role):
            return _HONORIFIC.sub("", name), role
    words = _HONORIFIC.sub("", s).split()
    for k in range(2, min(len(words), 6)):
        name, role = " ".join(words[:k]), " ".join(words[k:])
        if _bare(words[k]) in _ROLE_ANY and _is_name(name) and _is_role(role):
            return name, role
    return None


def _signatories(block: list[str]) -> tuple[list[dict[str, str]], list[str]]:
    """People (name, role) and organisation lines of a signature block."""
    people: list[dict[str, str]] = []
    orgs: list[str] = []
    i = 0
    while i < len(block):
        s, nxt = block[i], block[i + 1] if i + 1 < len(block) else ""
        i += 1
        if (pair := _split_person(s)) is not None:
            name, role = pair
        elif _looks_like_org(s) and not (_is_name(s) and _is_role(nxt)):
            orgs.append(s)
            continue
        elif _is_name(s):
            name, role = _HONORIFIC.sub("", s), nxt if _is_role(nxt) else ""
            i += bool(role)
        else:
            continue
        if re.search(r"(?:,|\bof|\bfor|-)$", role) and i < len(block) and not _is_name(block[i]):
            role, i = f"{role} {block[i]}", i + 1
        people.append({"name": name, "role": role})
    return people, orgs


def _org_run(text: str) -> str:
    """The capitalised name opening ``text``: "the ITUC (x) and its members" -> "ITUC (x)"."""
    words: list[str] = []
    for tok in re.findall(r"\([^()]{1,60}\)|[\w'’&-]+|[^\w\s]", text[:300]):
        if tok[0].isupper() or ((tok[0] == "(" or tok in _CONNECTORS) and bool(words)):
            words.append(tok)
        elif tok != "the" or words:
            break
    while words and words[-1] in _CONNECTORS:
        words.pop()
    return " ".join(words)


def _split_orgs(name: str) -> list[str]:
    """Split "X (ITUC) and Y Union" into two, but not "Union of Fuel and Energy Workers"."""
    out: list[str] = []
    for part in (p.removeprefix("the ") for p in name.split(" and ")):
        last = (out[-1].split() or [""])[-1] if out else ""
        if out and not (last.endswith(")") or _bare(last) in ORG_WORDS or _is_acronym(last)):
            out[-1] += " and " + part
        else:
            out.append(part)
    return out


def _prose_orgs(lines: list[str], zone_end: int) -> list[str]:
    """Senders named in the first paragraphs: "on behalf of X", "as the General Secretary of X"."""
    paras = [s for s in lines[zone_end:] if _is_prose(s)][:3]
    orgs: list[str] = []
    for para in paras:
        for m in re.finditer(r"\bon behalf of\s+", para, re.IGNORECASE):
            orgs += _split_orgs(_org_run(para[m.end() : m.end() + 300]))
        for m in re.finditer(r"\bas (?:the |its )?((?:[\w-]+ ){0,3}?[\w-]+) of\s+", para):
            org = _org_run(para[m.end() : m.end() + 300])  # "as the President of the Republic"
            if any(_bare(w) in ROLE_CORE for w in m[1].split()) and _looks_like_org(org):
                orgs += _split_orgs(org)
    return orgs


def _letterhead(raw: list[str], lines: list[str], head_end: int) -> list[str]:
    """A bold or upper-case organisation name among the first lines of the heading."""
    top = [s for i, s in _nonempty(lines, 0, head_end)[:3] if "**" in raw[i] or s.isupper()]
    return [s for s in top if _looks_like_org(s) and any(_bare(w) in ORG_WORDS for w in s.split())]


def _org_keys(name: str) -> set[str]:
    m = re.match(r"^(.*?)\s*\(([^()]+)\)$", name)
    return {k.casefold() for k in ((name, m[1], m[2]) if m else (name,))}


def _merge_orgs(names: list[str]) -> list[str]:
    """De-duplicate, keeping the fullest spelling: "LO NORWAY" joins "... (LO Norway)"."""
    out: list[str] = []
    for name in (n.strip(" ,.;:") for n in names):
        hit = next((k for k, kept in enumerate(out) if _org_keys(kept) & _org_keys(name)), None)
        if hit is None and name:
            out.append(name)
        elif hit is not None and len(name) > len(out[hit]):
            out[hit] = name
    return out
