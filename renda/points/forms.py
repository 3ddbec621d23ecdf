"""Forms of the points app."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from renda.core.forms import PolicyForm

from .models import Objection, Period


class DocumentField(forms.CharField):
    """A JSON scheme document typed or pasted into a textarea (format: docs/points-schemes.md)."""

    widget = forms.Textarea(attrs={"rows": 18, "spellcheck": "false", "class": "mono"})

    def clean(self, value):
        value = super().clean(value)
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                _("不是有效的 JSON：第%(line)d行第%(col)d列") % {"line": exc.lineno, "col": exc.colno}
            ) from None


class SchemeImportForm(PolicyForm):
    congress = forms.ModelChoiceField(label=_("人民代表大会"), queryset=None)
    year = forms.IntegerField(label=_("年度（留空则按文件）"), required=False, min_value=2000, max_value=2100)
    document = DocumentField(label=_("积分办法文件（JSON）"), required=False)
    upload = forms.FileField(label=_("或上传 JSON 文件"), required=False)

    def __init__(self, *args, congresses=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = congresses

    def clean(self):
        data = super().clean()
        upload = data.get("upload")
        if upload is not None:
            if upload.size > 512 * 1024:
                raise forms.ValidationError(_("文件不能超过512KB"))
            try:
                data["document"] = json.loads(upload.read().decode("utf-8-sig"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                raise forms.ValidationError(_("上传的文件不是 UTF-8 编码的 JSON")) from None
        if not data.get("document"):
            raise forms.ValidationError(_("请粘贴或上传积分办法文件"))
        return data


class SchemeEditForm(PolicyForm):
    document = DocumentField(label=_("积分办法文件（JSON）"))


class CopyForm(PolicyForm):
    year = forms.IntegerField(label=_("复制到年度"), min_value=2000, max_value=2100)


class StandingFilterForm(PolicyForm):
    period = forms.ChoiceField(label=_("周期"), choices=Period.choices, required=False)
    index = forms.IntegerField(label=_("期次"), min_value=1, max_value=12, required=False)
    township = forms.IntegerField(label=_("乡镇（街道）"), required=False, widget=forms.HiddenInput)
    delegation = forms.CharField(label=_("代表团"), required=False, max_length=50)
    order = forms.ChoiceField(
        label=_("排序"), choices=[("rank", _("按名次")), ("stroke", _("按姓氏笔画"))], required=False
    )


class AdjustForm(PolicyForm):
    category = forms.ModelChoiceField(label=_("类别"), queryset=None)
    points = forms.DecimalField(label=_("调整分值（可为负）"), max_digits=7, decimal_places=2)
    reason = forms.CharField(label=_("调整原因"), max_length=200)
    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, scheme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = scheme.categories.all()


class PublicationForm(PolicyForm):
    period = forms.ChoiceField(label=_("周期"), choices=Period.choices)
    index = forms.IntegerField(label=_("期次"), min_value=1, max_value=12)
    order = forms.ChoiceField(label=_("排序"), choices=[("rank", _("按名次")), ("stroke", _("按姓氏笔画"))])
    starts_on = forms.DateField(label=_("公示开始"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("公示截止"), widget=forms.DateInput(attrs={"type": "date"}))
    public = forms.BooleanField(label=_("在公开网页公示"), required=False)


class ObjectionForm(PolicyForm):
    kind = forms.ChoiceField(label=_("异议类型"), choices=Objection.Kind.choices)
    text = forms.CharField(label=_("异议内容"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4}))


class ResolveForm(PolicyForm):
    upheld = forms.ChoiceField(label=_("结论"), choices=[("1", _("成立，已更正")), ("0", _("不成立"))])
    outcome = forms.CharField(label=_("处理结果"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
