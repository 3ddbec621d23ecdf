"""Template filters: permission checks, masking, and the formats offices use (2024年8月3日, 元/万元)."""

import datetime

from django import template
from django.utils import timezone

from renda.core.access import has_permission
from renda.core.masking import mask_id_number, mask_phone
from renda.core.money import money_display
from renda.core.text import visible_text

register = template.Library()


@register.filter
def can(user, permission: str) -> bool:
    """{% if request.user|can:"personal_data.reveal" %}"""
    return has_permission(user, permission)


@register.filter
def mask_id(value) -> str:
    return mask_id_number(value)


@register.filter(name="mask_phone")
def mask_phone_filter(value) -> str:
    return mask_phone(value)


@register.filter
def cn_date(value) -> str:
    """2024年8月3日 — the official date form, no leading zeros."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return f"{value.year}年{value.month}月{value.day}日"


@register.filter
def cn_datetime(value) -> str:
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


@register.filter
def yuan(value) -> str:
    """Money as offices write it: 1,234.50元 below ten thousand, 55.87万元 from there on (half up)."""
    return money_display(value)


@register.filter
def visible(value) -> str:
    """{{ entry.actor_username|visible }}: stored raw input with control and format characters shown
    (␇, [U+200B]) instead of passed to the browser, which would hide them (renda.core.text.visible_text)."""
    return visible_text(value)


@register.filter
def change_display(value) -> str:
    """An audit change as offices read it: "old → new" for a pair, the value itself otherwise."""

    def show(item) -> str:
        return "—" if item in (None, "") else visible_text(item)

    if isinstance(value, list | tuple) and len(value) == 2:
        return f"{show(value[0])} → {show(value[1])}"
    if isinstance(value, list | tuple):
        return "、".join(show(v) for v in value)
    return show(value)  # raw input shown visibly: ␇ for BEL, [U+200B] for a zero-width space


@register.inclusion_tag("core/_work_queues.html")
def work_queues(user):
    """The user's work queues (core/queues.py), for pages other than the home page (the portal)."""
    from renda.core.queues import work_queues as queues

    return {"work_queues": queues(user)}
