"""Forms of the points app."""

import json
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from renda.activities.models import Activity
from renda.core.forms import PolicyForm
from renda.core.pickers import PickerWidget
from renda.duty_records.models import DutyRecord

from .models import Objection, Period, Rule, Scheme


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


class RecordAdjustForm(PolicyForm):
    """A reviewer adjusts one record's points (±) in a category of a scheme that counts it, with a
    reason: a ledger line of its own."""

    category = forms.ChoiceField(label=_("积分类别"))
    points = forms.DecimalField(label=_("调整分值（可为负）"), max_digits=7, decimal_places=2)
    reason = forms.CharField(label=_("调整原因"), max_length=200)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = list(categories)
        self.fields["category"].choices = [
            (str(c.pk), f"{c.scheme.name}（{c.scheme.year}）· {c.name}") for c in self.categories
        ]

    def chosen_category(self):
        return next((c for c in self.categories if str(c.pk) == self.cleaned_data.get("category")), None)


# --- the draft scheme's editor: settings, categories, rules and bands as form rows --------------------
# The rows build the same JSON document as the import (services.parse_document checks both).

KNOWN_MATCH = ("role", "stage", "activity_kind", "is_key")
# How a rule's conditions read on the scheme page: attribute and value in Chinese, the code where no
# label is known (a condition a scheme file brought in).
MATCH_NAMES = {
    "role": _("角色"), "stage": _("建议环节"), "activity_kind": _("活动类型"), "is_key": _("重点建议"),
    "result": _("办理结果评价"), "suggestion_kind": _("类型"), "rectification": _("须整改"),
}  # fmt: skip
MATCH_VALUES = {
    **{k: v for k, v in ROLE_CHOICES if k}, **{k: v for k, v in STAGE_CHOICES if k},
    **dict(Activity.Kind.choices), "satisfied": _("满意"), "basic": _("基本满意"), "basically": _("基本满意"),
    "dissatisfied": _("不满意"), "suggestion": _("建议"), "motion": _("议案"),
    True: _("是"), False: _("否"), "true": _("是"), "false": _("否"),
}  # fmt: skip


def rule_kinds_display(rule) -> str:
    """The rule's duty-record kinds by their Chinese names."""
    labels = dict(DutyRecord.Kind.choices)
    return "、".join(str(labels.get(kind, kind)) for kind in rule.kinds)


def rule_match_display(rule) -> str:
    """The rule's conditions in Chinese ("角色：领衔；办理结果评价：满意或基本满意"), "" when none."""
    parts = []
    for key, value in (rule.match or {}).items():
        values = value if isinstance(value, list) else [value]
        shown = _("或").join(str(MATCH_VALUES.get(v, v)) for v in values)
        parts.append(f"{MATCH_NAMES.get(key, key)}：{shown}")
    return "；".join(parts)


TRI_STATE = [("", _("（不限）")), ("true", _("是")), ("false", _("否"))]


def _plain(value):
    return None if value is None else format(value.normalize(), "f") if isinstance(value, Decimal) else value


class SchemeSettingsForm(PolicyForm):
    name = forms.CharField(label=_("名称"), max_length=100)
    starts_on = forms.DateField(label=_("起始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))
    base_mode = forms.ChoiceField(label=_("基础分方式"), choices=Scheme.BaseMode.choices)
    rhythm = forms.ChoiceField(label=_("公示周期"), choices=Period.choices)
    interview_below = forms.DecimalField(
        label=_("约谈线（低于此分）"), required=False, max_digits=9, decimal_places=2
    )
    text = forms.CharField(
        max_length=20000, label=_("办法全文"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )


class CategoryRowForm(PolicyForm):
    code = forms.SlugField(label=_("代码"), max_length=30)
    name = forms.CharField(label=_("名称"), max_length=50)
    base = forms.DecimalField(
        label=_("基础分（起始满分）"), required=False, max_digits=9, decimal_places=2,
        help_text=_("每位代表年初即有的分；只扣不加的类别填满分"),
    )  # fmt: skip
    cap = forms.DecimalField(label=_("上限"), required=False, max_digits=9, decimal_places=2)
    floor = forms.DecimalField(label=_("下限"), required=False, max_digits=9, decimal_places=2)

    def entry(self) -> dict:
        data = self.cleaned_data
        return {
            "code": data.get("code"),
            "name": data.get("name"),
            **{k: _plain(data.get(k)) for k in ("base", "cap", "floor")},
        }


class RuleRowForm(PolicyForm):
    code = forms.SlugField(label=_("代码"), max_length=40)
    name = forms.CharField(label=_("名称"), max_length=100)
    # Typed as the category's code, offered by name from the page's category rows (a datalist).
    category = forms.CharField(
        label=_("类别代码"), max_length=30, widget=forms.TextInput(attrs={"list": "editor-category-codes"})
    )
    kinds = forms.MultipleChoiceField(
        label=_("履职类别"), choices=DutyRecord.Kind.choices, widget=forms.SelectMultiple(attrs={"size": 5})
    )
    match_role = forms.ChoiceField(label=_("条件：角色"), choices=ROLE_CHOICES, required=False)
    match_stage = forms.ChoiceField(label=_("条件：建议环节"), choices=STAGE_CHOICES, required=False)
    match_activity_kind = forms.ChoiceField(
        label=_("条件：活动类型"), choices=[("", _("（不填）")), *Activity.Kind.choices], required=False
    )
    match_is_key = forms.ChoiceField(label=_("条件：重点建议"), choices=TRI_STATE, required=False)
    match_other = forms.CharField(
        label=_("其他条件"), required=False, max_length=500,
        help_text=_("每行一项：属性=值，多个值用 | 分隔，如 result=satisfied|basically"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    mode = forms.ChoiceField(label=_("计分方式"), choices=Rule.Mode.choices)
    unit = forms.ChoiceField(label=_("计量单位"), choices=Rule.Unit.choices)
    points = forms.DecimalField(label=_("分值（扣分为负）"), max_digits=9, decimal_places=2)
    target = forms.DecimalField(label=_("年度目标（单位数）"), required=False, max_digits=9, decimal_places=2)
    above = forms.DecimalField(label=_("超出每单位"), required=False, max_digits=9, decimal_places=2)
    below = forms.DecimalField(label=_("不足每单位"), required=False, max_digits=9, decimal_places=2)
    max_count = forms.IntegerField(label=_("每年最多计次数"), required=False, min_value=0)
    max_points = forms.DecimalField(label=_("每年最多计分"), required=False, max_digits=9, decimal_places=2)

    @staticmethod
    def initial_for(rule: dict) -> dict:
        """A document rule as this form's initial data (known scalar conditions in their fields)."""
        match = dict(rule.get("match") or {})
        initial = {k: v for k, v in rule.items() if k != "match"}
        for key in KNOWN_MATCH:
            value = match.get(key)
            if key == "is_key" and isinstance(value, bool):
                initial["match_is_key"] = "true" if value else "false"
                match.pop(key)
            elif key != "is_key" and isinstance(value, str):
                initial[f"match_{key}"] = match.pop(key)
        initial["match_other"] = "\n".join(
            f"{k}={'|'.join(str(x) for x in v) if isinstance(v, list) else v}" for k, v in match.items()
        )
        return initial

    def clean_match_other(self):
        match = {}
        for number, line in enumerate((self.cleaned_data.get("match_other") or "").splitlines(), start=1):
            if not line.strip():
                continue
            key, sep, value = line.partition("=")
            if not sep or not key.strip() or not value.strip():
                raise forms.ValidationError(_("第%(n)d行应为“属性=值”") % {"n": number})
            values = [v.strip() for v in value.split("|") if v.strip()]
            match[key.strip()] = values if len(values) > 1 else values[0]
        return match

    def entry(self) -> dict:
        """The row as a document rule; of a faulty row, what of it is valid (the document's checks
        then name its other faults too)."""
        data = self.cleaned_data
        match = dict(data.get("match_other") or {})
        for key in ("role", "stage", "activity_kind"):
            if data.get(f"match_{key}"):
                match[key] = data[f"match_{key}"]
        if data.get("match_is_key"):
            match["is_key"] = data["match_is_key"] == "true"
        return {
            "code": data.get("code"), "name": data.get("name"), "category": data.get("category"),
            "kinds": list(data.get("kinds") or []), "match": match, "mode": data.get("mode"),
            "unit": data.get("unit"),
            **{k: _plain(data.get(k)) for k in ("points", "target", "above", "below", "max_points")},
            "max_count": data.get("max_count"),
        }  # fmt: skip


class BandRowForm(PolicyForm):
    name = forms.CharField(label=_("等次"), max_length=20)
    lower = forms.DecimalField(label=_("下界"), required=False, max_digits=9, decimal_places=2)
    lower_inclusive = forms.BooleanField(label=_("含下界（以上）"), required=False)
    upper = forms.DecimalField(label=_("上界"), required=False, max_digits=9, decimal_places=2)
    upper_inclusive = forms.BooleanField(label=_("含上界"), required=False)

    def entry(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data.get("name"), "lower": _plain(data.get("lower")), "upper": _plain(data.get("upper")),
            "lower_inclusive": bool(data.get("lower_inclusive")),
            "upper_inclusive": bool(data.get("upper_inclusive")),
        }  # fmt: skip


CategoryFormSet = forms.formset_factory(
    CategoryRowForm, extra=0, can_delete=True, max_num=30, validate_max=True
)
RuleFormSet = forms.formset_factory(RuleRowForm, extra=0, can_delete=True, max_num=200, validate_max=True)
BandFormSet = forms.formset_factory(BandRowForm, extra=0, can_delete=True, max_num=20, validate_max=True)
