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
    if _english():
        return f"{_MONTHS[value.month - 1]} {value.day}, {value.year}"  # Aug 3, 2024
    return f"{value.year}年{value.month}月{value.day}日"


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _english() -> bool:
    """Pages in English mode show dates the English way; Chinese pages (and .docx letters, which do
    not use these filters) keep the official form."""
    from django.utils.translation import get_language

    return (get_language() or "").startswith("en")


@register.filter
def cn_datetime(value) -> str:
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    if _english():
        return f"{_MONTHS[local.month - 1]} {local.day}, {local.year} {local:%H:%M}"
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


@register.filter
def cn_span(start, end) -> str:
    """A time span as offices write it: `{{ a.starts_at|cn_span:a.ends_at }}`.

    Same day: 2024年5月6日 09:00—11:30; across days: 2024年5月6日 09:00 至 5月8日 17:00 (the year
    repeated only when it changes); no end: the start alone. Both are shown in local time.
    """
    if not start:
        return ""
    if not end:
        return cn_datetime(start)
    first = timezone.localtime(start) if timezone.is_aware(start) else start
    last = timezone.localtime(end) if timezone.is_aware(end) else end
    if first.date() == last.date():
        return f"{cn_datetime(first)}—{last:%H:%M}"
    tail = f"{last.month}月{last.day}日 {last:%H:%M}" if last.year == first.year else cn_datetime(last)
    return f"{cn_datetime(first)} 至 {tail}"


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


@register.filter
def page_numbers(page):
    """The page numbers a pager shows: the first, the last and two either side of the current page,
    with "…" (Paginator.ELLIPSIS) for the gaps — never every page (33,069 links on a big audit log)."""
    numbers = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    last = getattr(page, "keyset_from", None)
    if last is None:
        return numbers
    # A list that goes on by cursor (core/paging.py list_page) numbers only its first pages.
    shown = [n for n in numbers if n == page.paginator.ELLIPSIS or n <= last]
    while shown and shown[-1] == page.paginator.ELLIPSIS:
        shown.pop()
    if page.paginator.num_pages > last:
        shown.append(page.paginator.ELLIPSIS)
    return shown


def _chinese() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "zh-hans").lower().startswith("zh")


@register.simple_tag
def list_sep() -> str:
    """Between two messages of one field: "；" on a Chinese page, "; " on an English one."""
    return "；" if _chinese() else "; "


@register.filter
def summary_line(field) -> str:
    """A field's errors as one line of the error summary (templates/components/_form_errors.html): the
    field named once — the shared messages already name it ("请填写标题", "Title: at most 200
    characters"), so only a message that does not gets the label in front — with the punctuation of the
    page's language (：； in Chinese, ": " and "; " in English)."""
    label = str(field.label or "").rstrip("：: ")
    colon, sep = ("：", "；") if _chinese() else (": ", "; ")
    lines = []
    for error in field.errors:
        text = str(error)
        lines.append(text if not label or label in text else f"{label}{colon}{text}")
    return sep.join(lines)
