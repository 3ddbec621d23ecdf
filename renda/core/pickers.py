"""Search pickers: a form widget that finds one object by typing (htmx), for lists too long for a <select>.

An app registers a picker by name with the permission it needs and a search function
`search(user, q, **params) -> QuerySet` that is already scoped to the user; the widget renders the
chosen object's name and a search box whose results (at most PICKER_LIMIT) are radio buttons sharing
the field's name, so the form posts the chosen key (`key`: the primary key, or e.g. a region's code)
with no script of its own. `params` names other fields of the same form whose values narrow the search
(the constituencies of the chosen congress); the widget sends them along (`include`).

Every choice list that grows with the installation (congresses, townships, stations, constituencies,
organisations, accounts, deputies) is a picker; a <select> stays only where its options are bounded by
construction (the kinds of a TextChoices, the constituencies of one congress). SELECT_LIMIT is the most
options a rendered <select> may have; renda/operations/tests/test_bounded_choices.py holds pages to it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

PICKER_LIMIT = 20
SELECT_LIMIT = 300
_DEFAULT_PLACEHOLDER = _("输入名称搜索")


@dataclass(frozen=True)
class Picker:
    permission: str
    search: Callable  # (user, q: str) -> QuerySet, scoped to the user
    label: Callable = str  # (obj) -> the text shown for one object
    key: str = "pk"  # the attribute posted for the chosen object (the field's to_field_name)
    params: tuple[str, ...] = ()  # other fields of the form passed to search() as keyword arguments


PICKERS: dict[str, Picker] = {}


def register_picker(
    name: str,
    *,
    permission: str,
    search: Callable,
    label: Callable = str,
    key: str = "pk",
    params: tuple[str, ...] = (),
) -> None:
    """Called from an app's AppConfig.ready(); a name is registered once."""
    PICKERS[name] = Picker(permission=permission, search=search, label=label, key=key, params=params)


def picker_results(
    *, name: str, user, q: str, params: dict | None = None
) -> tuple[list[tuple[object, str]], bool]:
    """Up to PICKER_LIMIT (key, label) pairs for `q`, and whether more matched (refine the search)."""
    picker = PICKERS[name]
    q = q.strip()[:50]
    if not q:
        return [], False
    wanted = {p: (params or {}).get(p, "") for p in picker.params}
    found = list(picker.search(user, q, **wanted)[: PICKER_LIMIT + 1])
    key = picker.key
    return [(getattr(obj, key), picker.label(obj)) for obj in found[:PICKER_LIMIT]], len(found) > PICKER_LIMIT


def _sibling(name: str, field: str) -> str:
    """The HTML name of another field of the same form (same prefix) as the widget named `name`."""
    return f"{name.rsplit('-', 1)[0]}-{field}" if "-" in name else field


class PickerWidget(forms.Widget):
    """For a ModelChoiceField: shows the chosen object by name, and a search box to choose another."""

    template_name = "core/widgets/picker.html"

    def __init__(self, picker: str, *, placeholder=_DEFAULT_PLACEHOLDER, attrs=None):
        super().__init__(attrs)
        self.picker = picker
        self.placeholder = placeholder
        self.choices = []
        self.allow_empty = True

    def _search_context(self, name) -> dict:
        params = PICKERS[self.picker].params if self.picker in PICKERS else ()
        siblings = [_sibling(name, p) for p in params]
        return {
            "url": reverse("core:pick", args=[self.picker]),
            "placeholder": self.placeholder,
            "include": ", ".join(f"[name='{s}']" for s in siblings),
            "params": ",".join(["q", "field", "multiple", *siblings]),
        }

    def _chosen(self, values) -> list[tuple[object, str]]:
        """(key, label) of the chosen objects, looked up in the field's own (scoped) queryset."""
        values = [v for v in values if v not in (None, "")]
        if not values or not hasattr(self.choices, "queryset"):
            return []
        picker = PICKERS[self.picker]
        try:
            found = list(self.choices.queryset.filter(**{f"{picker.key}__in": values}))
        except (ValueError, TypeError):
            return []  # a typed-in value of the wrong type: nothing is chosen
        return [(getattr(obj, picker.key), picker.label(obj)) for obj in found]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = self._chosen([value])
        context["widget"].update(
            {
                "selected": chosen[0] if chosen else None,
                "allow_empty": not self.is_required,
                **self._search_context(name),
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
        context["widget"].update(
            {
                "selected_many": self._chosen(value or []),
                "multiple": True,
                "allow_empty": False,
                **self._search_context(name),
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
