"""Search pickers: a form widget that finds one object by typing (htmx), for lists too long for a <select>.

An app registers a picker by name with the permission it needs and a search function
`search(user, q) -> QuerySet` that is already scoped to the user; the widget renders the chosen
object's name and a search box whose results (at most PICKER_LIMIT) are radio buttons sharing the
field's name, so the form posts the chosen primary key with no script of its own.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

PICKER_LIMIT = 20
_DEFAULT_PLACEHOLDER = _("输入名称搜索")


@dataclass(frozen=True)
class Picker:
    permission: str
    search: Callable  # (user, q: str) -> QuerySet, scoped to the user
    label: Callable = str  # (obj) -> the text shown for one object


PICKERS: dict[str, Picker] = {}


def register_picker(name: str, *, permission: str, search: Callable, label: Callable = str) -> None:
    """Called from an app's AppConfig.ready(); a name is registered once."""
    PICKERS[name] = Picker(permission=permission, search=search, label=label)


def picker_results(*, name: str, user, q: str) -> tuple[list[tuple[object, str]], bool]:
    """Up to PICKER_LIMIT (pk, label) pairs for `q`, and whether more matched (refine the search)."""
    picker = PICKERS[name]
    q = q.strip()[:50]
    if not q:
        return [], False
    found = list(picker.search(user, q)[: PICKER_LIMIT + 1])
    return [(obj.pk, picker.label(obj)) for obj in found[:PICKER_LIMIT]], len(found) > PICKER_LIMIT


class PickerWidget(forms.Widget):
    """For a ModelChoiceField: shows the chosen object by name, and a search box to choose another."""

    template_name = "core/widgets/picker.html"

    def __init__(self, picker: str, *, placeholder=_DEFAULT_PLACEHOLDER, attrs=None):
        super().__init__(attrs)
        self.picker = picker
        self.placeholder = placeholder
        self.choices = []
        self.allow_empty = True

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        selected = None
        if value not in (None, "") and hasattr(self.choices, "queryset"):
            obj = self.choices.queryset.filter(pk=value).first()
            if obj is not None:
                selected = (obj.pk, PICKERS[self.picker].label(obj))
        context["widget"].update(
            {
                "selected": selected,
                "url": reverse("core:pick", args=[self.picker]),
                "placeholder": self.placeholder,
                "allow_empty": not self.is_required,
            }
        )
        return context

    def value_from_datadict(self, data, files, name):
        return data.get(name)

    def id_for_label(self, id_):
        return f"{id_}_q" if id_ else id_


class MultiPickerWidget(PickerWidget):
    """For a ModelMultipleChoiceField: the chosen objects as ticked boxes, and a search box whose
    results are boxes too (named after the field), so several are chosen on a phone without Ctrl."""

    multiple = True

    def get_context(self, name, value, attrs):
        context = forms.Widget.get_context(self, name, value, attrs)
        values = [v for v in (value or []) if v not in (None, "")]
        selected = []
        if values and hasattr(self.choices, "queryset"):
            label = PICKERS[self.picker].label
            selected = [(obj.pk, label(obj)) for obj in self.choices.queryset.filter(pk__in=values)]
        context["widget"].update(
            {
                "selected_many": selected,
                "multiple": True,
                "url": reverse("core:pick", args=[self.picker]),
                "placeholder": self.placeholder,
                "allow_empty": False,
            }
        )
        return context

    def format_value(self, value):
        if value is None:
            return []
        if not isinstance(value, (list, tuple)):
            value = [value]
        return [str(getattr(v, "pk", v)) for v in value]

    def value_from_datadict(self, data, files, name):
        getter = getattr(data, "getlist", None)
        return getter(name) if getter else data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return False  # no box ticked means "none", not "field missing"
