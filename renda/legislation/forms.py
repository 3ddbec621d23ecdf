"""Forms of legislative consultation: a draft, an opinion (staff and public), feedback, statistics."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.core.forms import PolicyForm
from renda.core.pickers import MultiPickerWidget, PickerWidget

from .models import DraftOpinion
from .services import PUBLIC_KINDS

DATE = forms.DateInput(attrs={"type": "date"})


class DraftForm(PolicyForm):
    title = forms.CharField(label=_("草案名称"), max_length=200)
    issuing_body = forms.CharField(
        label=_("征求意见机关"), max_length=100, help_text=_("如：全国人大常委会法制工作委员会、省人大常委会")
    )
    summary = forms.CharField(
        max_length=2000, label=_("征求意见说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    text = forms.CharField(
        max_length=100000,
        label=_("草案全文"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("粘贴草案全文，每一条以“第×条”开头、单独起行，系统据此拆分条文"),
    )
    opens_on = forms.DateField(label=_("开始日期"), widget=DATE)
    closes_on = forms.DateField(label=_("截止日期"), widget=DATE)
    # A province holds hundreds of legislative stations: a picker of boxes, not a box per station.
    stations = forms.ModelMultipleChoiceField(
        label=_("分发到"),
        queryset=None,
        widget=MultiPickerWidget("legislation-station", placeholder=_("输入联络站名称搜索")),
    )

    def __init__(self, *args, stations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stations"].queryset = stations
        if not self.is_bound:
            self.initial.setdefault("opens_on", timezone.localdate())


class DistributeForm(PolicyForm):
    stations = forms.ModelMultipleChoiceField(
        label=_("增加分发站点"),
        queryset=None,
        widget=MultiPickerWidget("legislation-station", placeholder=_("输入联络站名称搜索")),
    )

    def __init__(self, *args, stations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stations"].queryset = stations


class _OpinionFields(PolicyForm):
    article = forms.ModelChoiceField(
        label=_("针对条文"), queryset=None, required=False, empty_label=_("总体意见（不针对具体条文）")
    )
    content = forms.CharField(label=_("意见内容"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5}))
    contributor_name = forms.CharField(label=_("意见人姓名或单位（选填）"), max_length=50, required=False)


class StaffOpinionForm(_OpinionFields):
    station = forms.ModelChoiceField(label=_("联络站点"), queryset=None, empty_label=_("请选择"))
    contributor_kind = forms.ChoiceField(label=_("意见人类别"), choices=DraftOpinion.ContributorKind.choices)
    deputy = forms.ModelChoiceField(
        label=_("代表"),
        queryset=None,
        required=False,
        help_text=_("意见人为人大代表时选择"),
        widget=PickerWidget("legislation-deputy", placeholder=_("输入代表姓名搜索")),
    )
    field_order = ["station", "article", "contributor_kind", "deputy", "contributor_name", "content"]

    def __init__(self, *args, articles, stations, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].queryset = articles
        self.fields["station"].queryset = stations
        self.fields["deputy"].queryset = deputies


class PublicOpinionForm(_OpinionFields):
    station = forms.ModelChoiceField(
        label=_("通过哪个联络站（室）反映"), queryset=None, empty_label=_("请选择")
    )
    contributor_kind = forms.ChoiceField(
        label=_("您的身份"),
        choices=[(k.value, k.label) for k in PUBLIC_KINDS],
        initial=DraftOpinion.ContributorKind.RESIDENT,
    )
    field_order = ["article", "content", "station", "contributor_kind", "contributor_name"]

    def __init__(self, *args, articles, stations, as_deputy: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].queryset = articles
        self.fields["station"].queryset = stations
        if as_deputy:
            # A signed-in deputy comments as a deputy; the name comes from their record.
            del self.fields["contributor_kind"]
            del self.fields["contributor_name"]


class FeedbackForm(PolicyForm):
    adoption = forms.ChoiceField(label=_("采纳情况"), choices=DraftOpinion.Adoption.choices)
    note = forms.CharField(label=_("反馈说明"), max_length=300, required=False)


class StatsForm(PolicyForm):
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
