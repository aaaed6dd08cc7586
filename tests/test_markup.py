"""Markdown descriptions (lib/markup.py): what is stored and what readers get is sanitised.
The same corpus runs in Chromium, in event popups (tests/test_browser.py)."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conflictmap.lib.markup import clean_source, rendered, to_html

PAYLOADS = (Path(__file__).parent / "data" / "xss_payloads.txt").read_text().splitlines()


class Elements(HTMLParser):
    """Every element and attribute in a piece of HTML, as a browser's parser sees them."""

    def __init__(self, text: str):
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def test_the_corpus_is_at_least_thirty_payloads():
    assert len(PAYLOADS) >= 30 and all(payload.strip() for payload in PAYLOADS)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_survives_in_what_is_stored_or_rendered(payload):
    stored = clean_source(payload)
    assert not Elements(stored).found, stored  # no tag at all in the source
    for tag, attributes in Elements(to_html(stored)).found:
        assert tag in {"p", "a", "code", "em", "strong", "br"}, (tag, payload)
        assert set(attributes) <= ({"href", "title", "rel"} if tag == "a" else set()), (attributes, payload)
        assert tag != "a" or re.match(r"(https?|mailto):", attributes.get("href") or "https:"), (attributes, payload)


def test_markdown_renders_emphasis_lists_and_web_links():
    rendered = to_html("**Manbij** encircled\n\n- by the *SAA*\n- [Reuters](https://www.reuters.com/)")
    assert "<strong>Manbij</strong>" in rendered and "<em>SAA</em>" in rendered and "<li>" in rendered
    assert '<a href="https://www.reuters.com/" rel="noopener noreferrer nofollow">Reuters</a>' in rendered


def test_text_without_tags_is_stored_as_written():
    text = "> a quote, 3 > 2 & so on"
    assert clean_source(text) == text
    assert to_html(text).startswith("<blockquote>")


# Text near the plain-text shortcut's edge: its characters, and the ones that start Markdown.
NEAR_PLAIN = st.lists(st.sampled_from([*"ab é1 2,.;:'()?%/-\n*_#>=+[]!&<`\t\"~|", "\n\n", "1. ", "- ", "  \n"])).map(
    "".join
)


@settings(max_examples=3000, deadline=None, derandomize=True)
@given(
    text=st.one_of(
        NEAR_PLAIN,
        st.lists(
            st.sampled_from(["On 3 May 2019, ", "the SDF", "\n\n", "12.", " ", "(Raqqa)", "\n", "pro-government", "- "])
        ).map("".join),
    )
)
def test_plain_text_takes_a_shortcut_to_the_same_html_as_the_renderer(text):
    assert to_html(text) == rendered(text)
