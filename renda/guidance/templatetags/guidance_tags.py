"""Template helpers of the guidance pages."""

from django import template

register = template.Library()


@register.filter
def lookup(mapping, key):
    """mapping[key] in a template (a dict keyed by a variable)."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def rule_status(entry, kind) -> str:
    return entry.status(kind)
