"""Every required field shows its * — radio groups too, whose label is a fieldset legend (the reply
form's 答复类别 had none, yet refusing without it said 请选择答复类别) — and every required-choice
message reads as a sentence (请选择对办理结果的评价, not 请选择对办理结果)."""

import importlib
import inspect
import pkgutil

from django import forms
from django.template.loader import render_to_string

import renda
from renda.suggestions.forms import EvaluationForm, ReplyForm


def _form_classes():
    for info in pkgutil.iter_modules(renda.__path__):
        try:
            module = importlib.import_module(f"renda.{info.name}.forms")
        except ModuleNotFoundError:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


def test_radio_groups_mark_required_like_other_fields(db):
    form = ReplyForm()
    html = render_to_string("components/_field.html", {"field": form["category"]})
    assert "<legend" in html and "field__req" in html
    optional = EvaluationForm()["comment"]
    assert "field__req" not in render_to_string("components/_field.html", {"field": optional})


def test_required_choice_messages_read_as_sentences(db):
    form = EvaluationForm({})
    assert not form.is_valid()
    assert form.errors["result"] == ["请选择对办理结果的评价"]
    assert form.errors["attitude"] == ["请选择对办理态度的评价"]
    # The kind: no choice field anywhere is labelled with a dangling 对… (请选择对X reads cut off).
    dangling = []
    for cls in _form_classes():
        for name, field in getattr(cls, "base_fields", {}).items():
            label = str(field.label or "")
            cut_off = label.startswith("对") and not label.startswith("对应") and "的" not in label
            if isinstance(field, forms.ChoiceField) and cut_off:
                dangling.append(f"{cls.__name__}.{name}: {label}")
    assert dangling == []
