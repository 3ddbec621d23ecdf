"""The one way article HTML is cleaned: nh3 (the Rust `ammonia` sanitiser), never hand-written rules.

Kept: paragraphs, headings, emphasis, lists, quotes, tables, links (http, https, mailto, or this
site) and images whose source is one of this site's article images (/news/images/<id>/), so that an
article never loads anything from elsewhere. Everything else — scripts, styles, event handlers,
iframes, forms — is dropped.
"""

import re

import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "h2", "h3", "h4", "ul", "ol", "li",
    "blockquote", "a", "img", "figure", "figcaption", "table", "thead", "tbody", "tr", "th", "td", "hr",
    "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
IMAGE_SRC = re.compile(r"^/news/images/\d+/$")


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    if element == "img" and attribute == "src":
        return value if IMAGE_SRC.match(value) else None
    if attribute in {"width", "height", "colspan", "rowspan"}:
        return value if value.isdigit() and len(value) <= 4 else None
    return value


def clean_body(html: str) -> str:
    """Sanitised article HTML (links get rel="noopener noreferrer")."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        attribute_filter=_attribute_filter,
        strip_comments=True,
    ).strip()


def plain_text(html: str) -> str:
    """The body's text alone (for summaries and the API's excerpt)."""
    return re.sub(r"\s+", " ", nh3.clean(html or "", tags=set())).strip()
