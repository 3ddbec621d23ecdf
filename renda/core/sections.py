"""Sections that an app adds to a page another app owns (a deputy's record, the deputy's portal),
so that dependencies keep pointing down the domain map: the deputies app renders
`{% page_sections "deputy_detail" deputy=deputy %}` and never imports training or the media column;
those apps register their section in `AppConfig.ready()`.

A section is a template and a function `(request, **objects) -> dict | None` that builds its context
(None hides the section, e.g. when the user may not see it). Sections render in `order`.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    page: str
    name: str
    template: str
    context: Callable[..., dict | None]
    order: int = 100


_REGISTRY: dict[str, dict[str, Section]] = {}


def section_register(
    *, page: str, name: str, template: str, context: Callable[..., dict | None], order: int = 100
):
    """Add (or replace, by name) a section of `page`."""
    _REGISTRY.setdefault(page, {})[name] = Section(page, name, template, context, order)


def sections_for(page: str) -> list[Section]:
    return sorted(_REGISTRY.get(page, {}).values(), key=lambda s: (s.order, s.name))
