"""`{% page_sections "page" key=value %}`: renders the sections other apps registered for a page."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from renda.core.sections import sections_for

register = template.Library()


@register.simple_tag(takes_context=True)
def page_sections(context, page: str, **objects):
    request = context.get("request")
    parts = []
    for section in sections_for(page):
        extra = section.context(request, **objects)
        if extra is None:
            continue
        parts.append(render_to_string(section.template, {**objects, **extra}, request=request))
    # Each part was rendered, and so escaped, by its own template.
    return mark_safe("".join(parts))  # noqa: S308
