"""Forms of the deputies app: roster filters, import upload, mandate changes, roles, contacts."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.duty_records.models import DutyRecord

from . import selectors
from .models import Contact, Deputy, ExternalRole, Level, Mandate


def _not_future(value: datetime.date) -> datetime.date:
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("日期不能晚于今天"))
    return value


class DateInput(forms.DateInput):
    input_type = "date"


class DeputyFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名或身份证号"), required=False)
    level = forms.ChoiceField(label=_("层级"), required=False, choices=[("", _("全部层级")), *Level.choices])
    congress = forms.ChoiceField(label=_("届次"), required=False)
    township = forms.ChoiceField(label=_("乡镇（街道）"), required=False)
    constituency = forms.ChoiceField(label=_("选区"), required=False)
    station = forms.ChoiceField(label=_("联络站"), required=False)
    sector = forms.ChoiceField(
        label=_("行业"), required=False, choices=[("", _("全部行业")), *Deputy.Sector.choices]
    )
    status = forms.ChoiceField(
        label=_("资格状态"), required=False, choices=[("", _("全部状态")), *Mandate.Status.choices]
    )
    order = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=[("stroke", _("按姓氏笔画")), ("pinyin", _("按拼音"))],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        congresses = list(selectors.congress_choices(user=user))
        self.fields["congress"].choices = [("", _("全部届次"))] + [(str(c.pk), c.name) for c in congresses]
        self.fields["township"].choices = [("", _("全部乡镇（街道）"))] + [
            (r.code, r.name) for r in selectors.township_choices(user=user)
        ]
        chosen = next((c for c in congresses if str(c.pk) == str(self.data.get("congress", ""))), None)
        constituencies = selectors.constituency_choices(user=user, congress=chosen)
        self.fields["constituency"].choices = [("", _("全部选区") if chosen else _("请先选择届次"))] + [
            (str(c.pk), c.name) for c in constituencies
        ]
        stations = selectors.station_choices(user=user)
        if stations is None:
            del self.fields["station"]
        else:
            self.fields["station"].choices = [("", _("全部联络站"))] + [(str(s.pk), s.name) for s in stations]

    def filters(self) -> dict:
        """The cleaned filters as selector arguments (invalid values are ignored)."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class DeclareForm(forms.Form):
    """A deputy declares something they did (申报), for staff to review."""

    kind = forms.ChoiceField(
        label=_("类别"), choices=DutyRecord.Kind.choices, initial=DutyRecord.Kind.CONTACT
    )
    title = forms.CharField(label=_("事项"), max_length=200)
    occurred_on = forms.DateField(
        label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_occurred_on(self):
        value = self.cleaned_data["occurred_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("日期不能晚于今天"))
        return value


class ConstituentContactForm(forms.Form):
    """The portal's quick form. Its labels avoid the words of the declaration form (日期, 事项, 说明)."""

    method = forms.ChoiceField(
        label=_("联系方式"), choices=Contact.Method.choices, initial=Contact.Method.VISIT
    )
    occurred_on = forms.DateField(label=_("联系时间"), widget=DateInput)
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    people_count = forms.IntegerField(label=_("联系人数"), min_value=1, max_value=9999, initial=1)
    topics = forms.CharField(label=_("联系主题"), max_length=200)
    opinions = forms.CharField(
        label=_("听取的意见建议"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_occurred_on(self):
        return _not_future(self.cleaned_data["occurred_on"])


class CommitteeContactForm(forms.Form):
    """双联系: a member logs a contact with an assigned deputy, or a deputy with an assigned member."""

    counterpart = forms.ChoiceField(label=_("联系对象"))
    method = forms.ChoiceField(
        label=_("联系方式"), choices=[c for c in Contact.Method.choices if c[0] != Contact.Method.RECEPTION]
    )
    occurred_on = forms.DateField(label=_("联系时间"), widget=DateInput)
    topics = forms.CharField(label=_("联系主题"), max_length=200)
    opinions = forms.CharField(
        label=_("交流的情况和意见"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, counterparts, **kwargs):
        super().__init__(*args, **kwargs)
        self.counterparts = {str(pk): obj for pk, obj in counterparts}
        self.fields["counterpart"].choices = [(pk, str(obj)) for pk, obj in counterparts]

    def clean_occurred_on(self):
        return _not_future(self.cleaned_data["occurred_on"])

    def clean_counterpart(self):
        return self.counterparts[self.cleaned_data["counterpart"]]


class MandateTransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("变更为"))
    occurred_on = forms.DateField(label=_("生效日期"), widget=DateInput)
    reason = forms.CharField(label=_("原因"), max_length=200, help_text=_("如：县人大常委会第×次会议决定"))

    def __init__(self, *args, allowed: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Mandate.Status.choices)
        self.fields["to_status"].choices = [(s, labels[s]) for s in allowed]

    def clean_occurred_on(self):
        return _not_future(self.cleaned_data["occurred_on"])


class ExternalRoleForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=ExternalRole.Kind.choices)
    title = forms.CharField(
        label=_("名称"), max_length=50, required=False, help_text=_("部门聘任须填写，如“行风政风监督员”")
    )
    organization = forms.ModelChoiceField(label=_("聘任单位"), queryset=None, required=False)
    starts_on = forms.DateField(label=_("聘期开始"), widget=DateInput)
    ends_on = forms.DateField(label=_("聘期结束"), widget=DateInput, required=False)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class AssignmentForm(forms.Form):
    member = forms.ModelChoiceField(label=_("常委会组成人员"), queryset=None)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda u: u.display_name


class RosterUploadForm(forms.Form):
    congress = forms.ChoiceField(label=_("导入到"))
    file = forms.FileField(
        label=_("代表名册文件"),
        help_text=_(
            "Excel 表格（.xlsx）。表头可写“姓名/代表姓名”“身份证号/公民身份号码”等，"
            "标题行、序号列和合计行会自动跳过。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args, congresses, **kwargs):
        super().__init__(*args, **kwargs)
        self.congresses = {str(c.pk): c for c in congresses}
        self.fields["congress"].choices = [(pk, c.name) for pk, c in self.congresses.items()]

    def clean_congress(self):
        return self.congresses[self.cleaned_data["congress"]]


class DeputyEditForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    gender = forms.ChoiceField(label=_("性别"), choices=Deputy.Gender.choices)
    ethnicity = forms.CharField(label=_("民族"), max_length=20, required=False)
    birth_month = forms.CharField(
        label=_("出生年月"),
        required=False,
        help_text=_("如 1975.03"),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    native_place = forms.CharField(label=_("籍贯"), max_length=50, required=False)
    political_affiliation = forms.ChoiceField(
        label=_("政治面貌"), choices=[("", "—"), *Deputy.Affiliation.choices], required=False
    )
    education = forms.ChoiceField(
        label=_("学历"), choices=[("", "—"), *Deputy.Education.choices], required=False
    )
    workplace = forms.CharField(label=_("工作单位及职务"), max_length=200, required=False)
    sector = forms.ChoiceField(label=_("行业"), choices=[("", "—"), *Deputy.Sector.choices], required=False)
    photo = forms.FileField(
        label=_("照片"),
        required=False,
        help_text=_("JPG 或 PNG，2 MB 以内"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )

    def clean_birth_month(self):
        from .imports import CellError, clean_birth_month

        value = self.cleaned_data["birth_month"]
        try:
            return clean_birth_month(value) if value else None
        except CellError as exc:
            raise forms.ValidationError(exc.message) from None
