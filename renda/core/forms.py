"""Helpers for forms that show what services refuse, and the base forms that apply the text policy.

Every form in renda derives from `PolicyForm` or `PolicyModelForm` (or mixes in `TextPolicyMixin`):
before any field is validated, each text input is cleaned by `renda.core.text.clean_input` by its kind
(codes NFKC-folded; names and free text without control or, for names, format characters). Enforced by
renda/core/tests/test_text.py, which walks every Form subclass in renda.

The same bases replace Django's default error messages ("这个字段是必填项。",
"确保该变量包含不超过 2000 字符", "输入整数。") with messages that name the field by its label
("意见内容最多 2000 字，现在 2105 字"), for every field kind and validator Django ships; a message the
form's author wrote is left alone (`plain_messages`, enforced by renda/core/tests/test_form_messages.py).
Long text fields (a Textarea with a max_length) carry a `data-counter` attribute that
static/js/renda.js turns into "已输入 12/2000 字". Every text field declares a max_length fitting its use
(the API schema's Field(max_length=…) says the same), enforced by renda/core/tests/test_form_messages.py.
A required text with nothing visible (only spaces or zero-width characters) is cleaned to "" by the
policy, so Django's required check refuses it with "请填写<label>".
"""

from django import forms
from django.core import validators as core_validators
from django.core.exceptions import ValidationError
from django.forms.utils import pretty_name
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


def _is(field, *kinds) -> bool:
    return isinstance(field, kinds)


def _invalid_message(field) -> str:
    if _is(field, forms.IntegerField) and not _is(field, forms.FloatField, forms.DecimalField):
        return _("%(label)s请填写整数")
    if _is(field, forms.FloatField, forms.DecimalField):
        return _("%(label)s请填写数字")
    if _is(field, forms.DateTimeField):
        return _("%(label)s请填写有效的日期和时间，例如 2024-08-03 09:30")
    if _is(field, forms.DateField):
        return _("%(label)s请填写有效的日期，例如 2024-08-03")
    if _is(field, forms.TimeField):
        return _("%(label)s请填写有效的时间，例如 09:30")
    if _is(field, forms.DurationField):
        return _("%(label)s请填写有效的时长")
    if _is(field, forms.EmailField):
        return _("%(label)s不是有效的电子邮箱地址")
    if _is(field, forms.URLField):
        return _("%(label)s不是有效的网址，例如 https://www.example.gov.cn")
    if _is(field, forms.FileField):
        return _("%(label)s没有收到文件，请重新选择")
    if _is(field, forms.GenericIPAddressField):
        return _("%(label)s不是有效的 IP 地址")
    if _is(field, forms.JSONField):
        return _("%(label)s不是有效的 JSON")
    return _("%(label)s的格式不正确")


def _required_message(field) -> str:
    if _is(field, forms.BooleanField):
        return _("请勾选%(label)s")
    if _is(field, forms.FileField):
        return _("请上传%(label)s")
    if _is(field, forms.ChoiceField, forms.ModelChoiceField, forms.NullBooleanField):
        return _("请选择%(label)s")
    return _("请填写%(label)s")


def _field_messages(field) -> dict:
    """Django's error codes → a message naming the field (%(label)s), by field kind. The other
    placeholders are the parameters Django passes with each code."""
    file = _is(field, forms.FileField)
    messages = {
        "required": _required_message(field),
        "invalid": _invalid_message(field),
        "max_length": _("%(label)s的文件名最多 %(max)d 个字符，现在 %(length)d 个")
        if file
        else _("%(label)s最多 %(limit_value)d 字，现在 %(show_value)d 字"),
        "min_length": _("%(label)s至少 %(limit_value)d 字，现在 %(show_value)d 字"),
        "null_characters_not_allowed": _("%(label)s含有无法保存的空字符，请删除后重新输入"),
        "max_value": _("%(label)s不能大于 %(limit_value)s"),
        "min_value": _("%(label)s不能小于 %(limit_value)s"),
        "step_size": _("%(label)s须为 %(limit_value)s 的整数倍"),
        "max_digits": _("%(label)s最多 %(max)s 位数字"),
        "max_decimal_places": _("%(label)s最多保留 %(max)s 位小数"),
        "max_whole_digits": _("%(label)s的整数部分最多 %(max)s 位"),
        "invalid_list": _("%(label)s的选项格式不正确，请重新选择"),
        "invalid_pk_value": _("%(label)s所选的“%(pk)s”无效，请重新选择"),
        "missing": _("请上传%(label)s"),
        "empty": _("%(label)s是空文件，请重新选择"),
        "contradiction": _("%(label)s：不能同时上传新文件和清除原文件"),
        "invalid_image": _("%(label)s不是有效的图片文件"),
        "invalid_extension": _(
            "%(label)s只接受 %(allowed_extensions)s 格式的文件，所选文件是 %(extension)s 格式"
        ),
        "overflow": _("%(label)s超出允许的范围"),
        "invalid_date": _("%(label)s的日期不正确"),
        "invalid_time": _("%(label)s的时间不正确"),
        "incomplete": _("请填写完整的%(label)s"),
    }
    if _is(field, forms.ModelChoiceField) and not _is(field, forms.ModelMultipleChoiceField):
        messages["invalid_choice"] = _("%(label)s所选的项目不存在或已删除，请重新选择")
    else:
        messages["invalid_choice"] = _("%(label)s没有“%(value)s”这一选项，请重新选择")
    return messages


def _django_default(field, code) -> bool:
    message = field.error_messages.get(code)
    return any(message is vars(k).get("default_error_messages", {}).get(code) for k in type(field).__mro__)


def _validator_codes(field):
    """The codes of the field's validators: (code, written by the form's author?)."""
    for validator in field.validators:
        if isinstance(validator, core_validators.DecimalValidator):
            for code in validator.messages:
                yield code, False
            continue
        code = getattr(validator, "code", None)
        if code:
            yield code, "message" in vars(validator)


class _NulCheck:
    """A model choice's NUL check that speaks with the field's own message."""

    def __init__(self, field):
        self.field = field

    def __call__(self, value):
        if "\x00" in str(value):
            raise ValidationError(
                self.field.error_messages["null_characters_not_allowed"], code="null_characters_not_allowed"
            )


def plain_messages(field, label) -> None:
    """Give `field` the shared messages naming `label` for every code whose message is still Django's."""
    # A full-width ％: Django %-formats a message only when it has parameters, so %% would show.
    text = str(label).rstrip("：:").replace("%", "％")
    ours = _field_messages(field)
    authored = set()
    codes = set()
    for code, custom in _validator_codes(field):
        (authored if custom else codes).add(code)
    for code in field.error_messages:
        if _django_default(field, code):
            codes.add(code)
    if isinstance(field, forms.GenericIPAddressField):
        codes.add("invalid")  # its validators are functions, with no code to read
    if isinstance(field, forms.ModelChoiceField):
        # Django checks a choice for NUL with a validator of its own, outside error_messages.
        codes.add("null_characters_not_allowed")
        field.validate_no_null_characters = _NulCheck(field)
    for code in codes - authored:
        if code in field.error_messages and not _django_default(field, code):
            continue  # the form's author wrote this one
        if code in ours:
            field.error_messages[code] = ours[code].replace("%(label)s", text)


class TextPolicyMixin:
    """Cleans every text input by the core text policy before the fields validate, names each field in
    its error messages, and marks long text fields for the character counter (see module doc)."""

    text_policy = True
    counter_text = gettext_lazy("已输入 {n}/{max} 字")
    counter_over_text = gettext_lazy("已输入 {n}/{max} 字，超出 {over} 字")

    def __getitem__(self, name):
        field = self.fields.get(name)
        if (
            field is not None
            and isinstance(field.widget, forms.Textarea)
            and getattr(field, "max_length", None)
            and "data-counter" not in field.widget.attrs
        ):
            field.widget.attrs["data-counter"] = str(self.counter_text)
            field.widget.attrs["data-counter-over"] = str(self.counter_over_text)
        return super().__getitem__(name)

    def full_clean(self):
        for name, field in self.fields.items():
            plain_messages(field, field.label if field.label is not None else pretty_name(name))
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
