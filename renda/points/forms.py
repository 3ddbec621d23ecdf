"""Forms of the points app."""

import json
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from renda.activities.models import Activity
from renda.core.forms import PolicyForm
from renda.core.pickers import PickerWidget
from renda.duty_records.models import DutyRecord

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


# The attributes a staff-entered record can carry, as the writers of records put them
# (docs/points-schemes.md): what a rule may match on, chosen, never typed.
ROLE_CHOICES = [("", _("（不填）")), ("lead", _("领衔")), ("cosigner", _("联名")), ("participant", _("参加"))]
STAGE_CHOICES = [
    ("", _("（不填）")),
    ("submitted", _("提出")),
    ("accepted", _("立案")),
    ("evaluated", _("评价")),
]
UNIT_CHOICES = [("次", _("次")), ("小时", _("小时")), ("半天", _("半天")), ("天", _("天"))]


class RecordAddForm(PolicyForm):
    """Staff add a duty record for a deputy in their jurisdiction (it stands at once and counts)."""

    deputy = forms.ModelChoiceField(
        label=_("代表"),
        queryset=None,
        widget=PickerWidget("points-record-deputy", placeholder=_("输入代表姓名搜索")),
        error_messages={"required": _("请搜索并选择代表"), "invalid_choice": _("所选代表不在您的管辖范围内")},
    )
    kind = forms.ChoiceField(label=_("履职类别"), choices=DutyRecord.Kind.choices)
    occurred_on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("事项"), max_length=200)
    quantity = forms.DecimalField(
        label=_("数量"), min_value=Decimal("0.1"), max_digits=7, decimal_places=1, initial=1
    )
    unit = forms.ChoiceField(label=_("单位"), choices=UNIT_CHOICES, initial="次")
    role = forms.ChoiceField(label=_("角色"), choices=ROLE_CHOICES, required=False)
    stage = forms.ChoiceField(label=_("建议环节"), choices=STAGE_CHOICES, required=False)
    is_key = forms.BooleanField(label=_("重点建议"), required=False)
    activity_kind = forms.ChoiceField(
        label=_("活动类型"), choices=[("", _("（不填）")), *Activity.Kind.choices], required=False
    )
    note = forms.CharField(
        label=_("说明"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, deputies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = deputies

    def attributes(self) -> dict:
        """The structured attributes a points rule matches on (only those filled in)."""
        data = self.cleaned_data
        out = {key: data[key] for key in ("role", "stage", "activity_kind") if data.get(key)}
        if data.get("is_key"):
            out["is_key"] = True
        return out


class DeclarationReviewForm(PolicyForm):
    """One declared record's review: approve, reject (a note), or adjust (category, ± points, reason)."""

    decision = forms.ChoiceField(
        label=_("结论"),
        choices=[("approve", _("通过")), ("reject", _("退回")), ("adjust", _("通过并调整分值"))],
    )
    note = forms.CharField(label=_("审核意见（调整分值时为原因）"), required=False, max_length=200)
    category = forms.ChoiceField(label=_("调整的积分类别"), required=False)
    points = forms.DecimalField(label=_("调整分值（可为负）"), required=False, max_digits=7, decimal_places=2)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—")] + [
            (str(c.pk), f"{c.scheme.name}（{c.scheme.year}）· {c.name}") for c in categories
        ]

    def clean(self):
        data = super().clean()
        if data.get("decision") == "adjust":
            if not data.get("category"):
                self.add_error("category", _("调整分值时请选择积分类别"))
            if not data.get("points"):
                self.add_error("points", _("调整分值时请填写非零分值"))
            if not (data.get("note") or "").strip():
                self.add_error("note", _("调整分值时请填写原因"))
        return data
