"""A newsletter's Markdown as sanitised HTML and as plain text."""

import html

import markdown
import nh3

# What a newsletter's HTML may contain after sanitising; everything else (scripts, styles,
# event handlers, iframes) is removed.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h1", "h2", "h3", "h4", "hr", "i",
    "img", "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}


def markdown_to_html(body: str) -> str:
    rendered = markdown.markdown(body, extensions=["extra", "sane_lists"])
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def markdown_to_text(body: str) -> str:
    """The plain-text part: the Markdown itself, without any HTML written into it."""
    return html.unescape(nh3.clean(body, tags=set())).strip()
