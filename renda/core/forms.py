"""Helpers for forms that show what services refuse, and the base forms that apply the text policy.

Every form in renda derives from `PolicyForm` or `PolicyModelForm` (or mixes in `TextPolicyMixin`):
before any field is validated, each text input is cleaned by `renda.core.text.clean_input` by its kind
(codes NFKC-folded; names and free text without control or, for names, format characters). Enforced by
renda/core/tests/test_text.py, which walks every Form subclass in renda.
"""

from django import forms

from .errors import DomainError
from .text import clean_input


def add_domain_error(form, exc: DomainError) -> None:
    """Show a service's refusal next to the field it names, or above the form when it names none."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _policy_fields(form):
    for name, field in form.fields.items():
        if not isinstance(field, forms.CharField) or isinstance(field.widget, forms.PasswordInput):
            continue
        if getattr(field, "strip", True) is False:  # a secret or a pattern that must be seen as typed
            continue
        multiline = isinstance(field.widget, forms.Textarea)
        yield form.add_prefix(name), name, multiline


class TextPolicyMixin:
    """Cleans every text input by the core text policy before the fields validate (see module doc)."""

    text_policy = True

    def full_clean(self):
        if self.is_bound and self.data is not None:
            data = self.data.copy() if hasattr(self.data, "copy") else dict(self.data)
            for key, name, multiline in _policy_fields(self):
                if hasattr(data, "getlist"):
                    if key in data:
                        data.setlist(
                            key, [clean_input(name, v, multiline=multiline) for v in data.getlist(key)]
                        )
                elif key in data:
                    data[key] = clean_input(name, data[key], multiline=multiline)
            self.data = data
        super().full_clean()


class PolicyForm(TextPolicyMixin, forms.Form):
    """The base of every form in Renda: text inputs cleaned by the text policy before validation."""


class PolicyModelForm(TextPolicyMixin, forms.ModelForm):
    """The base of every model form in Renda, with the same text policy."""
