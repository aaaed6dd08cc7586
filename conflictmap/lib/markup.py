"""Markdown in descriptions, made safe: no script written into one ever reaches a reader.

Stored: the Markdown as written, with every HTML tag removed (nh3 allowing none; the contents
of script and style go too). Markdown needs no tags, and a tag kept in the source would be one
renderer's mistake away from a reader's page. Rendered: markdown-it-py's "js-default" preset
(CommonMark; raw HTML shown as text; javascript:, vbscript: and data: links refused), then nh3
again with a short list of tags, `href` and `title` on links, and only absolute http(s) and
mailto URLs.
"""

import re

import nh3
from markdown_it import MarkdownIt

_markdown = MarkdownIt("js-default")
_rendered = nh3.Cleaner(
    tags={"p", "br", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "pre"},
    attributes={"a": {"href", "title"}},
    url_schemes={"http", "https", "mailto"},
    url_relative="deny",  # a description's link leads somewhere whole, never into this site
    link_rel="noopener noreferrer nofollow",
)
_no_tags = nh3.Cleaner(tags=set())
# Text in which Markdown finds nothing to do: letters, digits and punctuation that start no
# construct, in lines with no indent, no trailing space and no list number (imports/writes.py).
_PLAIN_TEXT = re.compile(r"(?:[^\W_]|[ ,.;:'()?%/\n-])*")
_NOT_PLAIN_LINE = re.compile(r"^(?: |-|\d+[.)])|(?<= )$", re.M)


def clean_source(text: str) -> str:
    """The Markdown to store: `text` without HTML tags. (Where it had any, nh3 also writes the
    characters < > & in it as entities, which Markdown shows as they were typed.)"""
    return _no_tags.clean(text) if "<" in text else text


def to_html(text: str) -> str:
    """The HTML readers get for stored Markdown. Plain text (as ACLED's notes mostly are) is put
    in paragraphs directly, as the renderer would: rendering took a seventh of a 20,000-row
    ACLED import (py-spy). tests/test_markup.py holds the two ways to the same HTML."""
    if not text.strip():
        return ""
    if _PLAIN_TEXT.fullmatch(text) and not _NOT_PLAIN_LINE.search(text):
        return "\n".join(f"<p>{part.strip(chr(10))}</p>" for part in re.split(r"\n{2,}", text.strip("\n")))
    return rendered(text)


def rendered(text: str) -> str:
    """`text` through the Markdown renderer and the cleaner, whatever it holds."""
    return _rendered.clean(_markdown.render(text)).strip()
