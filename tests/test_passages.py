"""Passages: numbered deterministically from the Markdown parse that also renders the page."""

from __future__ import annotations

import re

import pytest

from indexer.letters.letter import load_letter
from indexer.letters.passages import Passage, render
from tests.conftest import CORPUS

ALL_LETTERS = sorted((CORPUS / "letters").glob("*.md"))


def test_blocks_list_items_and_footnotes_are_passages() -> None:
    body = (
        "# Heading\n\nFirst paragraph with a note[^1].\n\n- item one\n- item two\n\n"
        "> quoted\n\nAddress line  \nsecond line\n\n---\n\n[^1]: The [note](https://x.org/a_b).\n"
    )
    assert render(body).passages == [
        Passage(1, "h1", "Heading"),
        Passage(2, "p", "First paragraph with a note."),
        Passage(3, "li", "item one"),
        Passage(4, "li", "item two"),
        Passage(5, "blockquote", "quoted"),
        Passage(6, "p", "Address line\nsecond line"),
        Passage(7, "footnote", "The note."),
    ]


def test_every_passage_has_its_anchor_in_the_html() -> None:
    body = "One.\n\n- a\n- b\n\nText[^n].\n\n[^n]: Note.\n"
    rendered = render(body)
    anchors = [int(n) for n in re.findall(r'id="p(\d+)"', rendered.html)]
    assert anchors == [p.n for p in rendered.passages] == [1, 2, 3, 4, 5]
    assert 'id="fn:n"' in rendered.html  # footnote links keep working


@pytest.mark.parametrize("path", ALL_LETTERS, ids=lambda p: p.stem)
def test_numbering_is_deterministic_for_each_letter(path) -> None:  # type: ignore[no-untyped-def]
    first = load_letter(path).passages
    second = load_letter(path).passages
    assert first == second
    assert [p.n for p in first] == list(range(1, len(first) + 1))
    assert all(p.text.strip() == p.text and p.text for p in first)


def test_footnote_of_the_ituc_letter_is_its_last_passage() -> None:
    letter = load_letter(
        CORPUS / "letters" / "2024-01-19-ituc-west-oil-software-striker-dismissals.md"
    )
    last = letter.passages[-1]
    assert last.kind == "footnote"
    assert last.text.startswith(
        "https://www.ilo.org/dyn/normlex/en/f?p=1000:13100:0::NO:13100:P13100_"
    )
    joined = [p for p in letter.passages if "Invocation and application of" in p.text]
    assert len(joined) == 1 and "Article 402 of the Criminal Code against" in joined[0].text


def test_raw_html_and_scripts_become_plain_text_in_passages() -> None:
    body = (
        "Hello <b>bold</b> <script>alert(1)</script> &amp; &copy; \\*star\\*.\n\n<div>Block</div>\n"
    )
    texts = [p.text for p in render(body).passages]
    assert texts == ["Hello bold & © *star*.", "Block"]


def test_pathological_nesting_does_not_crash() -> None:
    body = ">" * 5000 + " deep\n\n" + "[" * 3000 + "x" + "]" * 3000 + "\n"
    passages = render(body).passages
    assert passages and "deep" in passages[0].text


def test_autolinked_email_address_is_plain_text_in_passages() -> None:
    assert [p.text for p in render("Write to <someone@example.org> today.\n").passages] == [
        "Write to someone@example.org today."
    ]
    # out-of-range references read as a browser shows them, never an error
    odd = render("Odd &#9999999; and &#0; refs\n").passages[0].text
    assert odd == "Odd \ufffd and \ufffd refs"


def _anchored(html: str) -> list[tuple[str, str, str, str]]:
    """(tag, id, class, data-n) of every element with a passage id."""
    found = []
    for tag, attrs in re.findall(r"<(\w+)([^>]*)>", html):
        values = dict(re.findall(r'([\w-]+)="([^"]*)"', attrs))
        if re.fullmatch(r"p\d+", values.get("id", "")):
            found.append((tag, values["id"], values.get("class", ""), values.get("data-n", "")))
    return found


def test_raw_html_cannot_add_passage_anchors() -> None:
    body = (
        'One <em id="p2" class="passage" data-n="2">forged</em>.\n\n'
        '<div id="p1" class="passage footnote" data-n="1">Block</div>\n\nTwo.\n'
    )
    rendered = render(body)
    assert _anchored(rendered.html) == [
        ("p", "p1", "passage", "1"),
        ("div", "p2", "passage", "2"),  # a raw HTML block: inside its passage, not after it
        ("p", "p3", "passage", "3"),
    ]
    assert [p.text for p in rendered.passages] == ["One forged.", "Block", "Two."]
    assert "<em>forged</em>" in rendered.html
    assert '<div class="footnote">Block</div>' in rendered.html
