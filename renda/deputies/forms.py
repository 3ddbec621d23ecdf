"""Forms of the deputies app: roster filters, import upload, mandate changes, roles, contacts."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.core.forms import PolicyForm
from renda.core.pickers import PickerWidget
from renda.core.validators import id_birth_date, id_gender, validate_id_number, validate_phone
from renda.duty_records.models import DutyRecord

from . import selectors
from .models import LEVEL_REGION, Contact, Deputy, ExternalRole, Level, Mandate


def _not_future(value: datetime.date) -> datetime.date:
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("日期不能晚于今天"))
    return value


class DateInput(forms.DateInput):
    input_type = "date"


class DeputyFilterForm(PolicyForm):
    """The roster's filters. Congresses, townships and stations grow with the installation (a province
    holds hundreds of congresses and thousands of stations), so they are search pickers; the
    constituencies are those of the one congress chosen, a <select> bounded by that congress."""

    q = forms.CharField(max_length=100, label=_("姓名或身份证号"), required=False)
    level = forms.ChoiceField(label=_("层级"), required=False, choices=[("", _("全部层级")), *Level.choices])
    congress = forms.ModelChoiceField(
        label=_("届次"),
        required=False,
        queryset=None,
        widget=PickerWidget("roster-congress", placeholder=_("输入名称搜索，如 大方县第十八届")),
    )
    township = forms.ModelChoiceField(
        label=_("乡镇（街道）"),
        required=False,
        queryset=None,
        to_field_name="code",
        widget=PickerWidget("roster-township", placeholder=_("输入乡镇（街道）名称或区划代码")),
    )
    constituency = forms.ChoiceField(label=_("选区"), required=False)
    station = forms.ModelChoiceField(
        label=_("联络站"),
        required=False,
        queryset=None,
        widget=PickerWidget("roster-station", placeholder=_("输入联络站名称搜索")),
    )
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
        congresses = selectors.congress_choices(user=user)
        self.fields["congress"].queryset = congresses
        self.fields["township"].queryset = selectors.township_choices(user=user)
        value = str(self.data.get("congress", "") or "")
        chosen = congresses.filter(pk=int(value)).first() if value.isdigit() and len(value) < 12 else None
        constituencies = selectors.constituency_choices(user=user, congress=chosen)
        self.fields["constituency"].choices = [("", _("全部选区") if chosen else _("请先选择届次"))] + [
            (str(c.pk), c.name) for c in constituencies
        ]
        stations = selectors.station_choices(user=user)
        if stations is None:
            del self.fields["station"]
        else:
            self.fields["station"].queryset = stations

    def filters(self) -> dict:
        """The cleaned filters as selector arguments, plain values a job can keep (invalid values are
        ignored)."""
        if not self.is_bound or not self.is_valid():
            return {}
        data = dict(self.cleaned_data)
        for name in ("congress", "station"):
            if data.get(name) is not None:
                data[name] = data[name].pk
        if data.get("township") is not None:
            data["township"] = data["township"].code
        return {k: v for k, v in data.items() if v}


class DeclareForm(PolicyForm):
    """A deputy declares something they did (申报), for staff to review."""

    kind = forms.ChoiceField(
        label=_("类别"), choices=DutyRecord.declarable_choices, initial=DutyRecord.Kind.CONTACT
    )
    title = forms.CharField(label=_("事项"), max_length=200)
    occurred_on = forms.DateField(
        label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(
        max_length=1000, label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        # The portal shows this form beside the contact form, whose fields share names: ids of its own.
        kwargs.setdefault("auto_id", "declare_%s")
        super().__init__(*args, **kwargs)

    def clean_occurred_on(self):
        value = self.cleaned_data["occurred_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("日期不能晚于今天"))
        return value


class ConstituentContactForm(PolicyForm):
    """The portal's quick form. Its labels avoid the words of the declaration form (日期, 事项, 说明)."""

    method = forms.ChoiceField(
        label=_("联系方式"), choices=Contact.Method.choices, initial=Contact.Method.VISIT
    )
    occurred_on = forms.DateField(label=_("联系时间"), widget=DateInput)
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    people_count = forms.IntegerField(label=_("联系人数"), min_value=1, max_value=9999, initial=1)
    topics = forms.CharField(label=_("联系主题"), max_length=200)
    opinions = forms.CharField(
        max_length=2000, label=_("听取的意见建议"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_occurred_on(self):
        return _not_future(self.cleaned_data["occurred_on"])


class CommitteeContactForm(PolicyForm):
    """双联系: a member logs a contact with an assigned deputy, or a deputy with an assigned member."""

    counterpart = forms.ChoiceField(label=_("联系对象"))
    method = forms.ChoiceField(
        label=_("联系方式"), choices=[c for c in Contact.Method.choices if c[0] != Contact.Method.RECEPTION]
    )
    occurred_on = forms.DateField(label=_("联系时间"), widget=DateInput)
    topics = forms.CharField(label=_("联系主题"), max_length=200)
    opinions = forms.CharField(
        max_length=2000, label=_("交流的情况和意见"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, counterparts, **kwargs):
        super().__init__(*args, **kwargs)
        self.counterparts = {str(pk): obj for pk, obj in counterparts}
        self.fields["counterpart"].choices = [(pk, str(obj)) for pk, obj in counterparts]

    def clean_occurred_on(self):
        return _not_future(self.cleaned_data["occurred_on"])

    def clean_counterpart(self):
        return self.counterparts[self.cleaned_data["counterpart"]]


class MandateTransitionForm(PolicyForm):
    to_status = forms.ChoiceField(label=_("变更为"))
    occurred_on = forms.DateField(label=_("生效日期"), widget=DateInput)
    reason = forms.CharField(label=_("原因"), max_length=200, help_text=_("如：县人大常委会第×次会议决定"))

    def __init__(self, *args, allowed: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Mandate.Status.choices)
        self.fields["to_status"].choices = [(s, labels[s]) for s in allowed]

    def clean_occurred_on(self):
        return _not_future(self.cleaned_data["occurred_on"])


class ExternalRoleForm(PolicyForm):
    kind = forms.ChoiceField(label=_("类别"), choices=ExternalRole.Kind.choices)
    title = forms.CharField(
        label=_("名称"), max_length=50, required=False, help_text=_("部门聘任须填写，如“行风政风监督员”")
    )
    organization = forms.ModelChoiceField(
        label=_("聘任单位"),
        queryset=None,
        required=False,
        widget=PickerWidget("role-organization", placeholder=_("输入单位名称搜索，如 交通运输局")),
    )
    starts_on = forms.DateField(label=_("聘期开始"), widget=DateInput)
    ends_on = forms.DateField(label=_("聘期结束"), widget=DateInput, required=False)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class AssignmentForm(PolicyForm):
    member = forms.ModelChoiceField(
        label=_("常委会组成人员"),
        queryset=None,
        widget=PickerWidget("committee-member", placeholder=_("输入姓名或用户名搜索")),
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda u: u.display_name


class RosterUploadForm(PolicyForm):
    # The congresses a county keeps (its own and every township's, term after term) outgrow a <select>.
    congress = forms.ModelChoiceField(
        label=_("导入到"),
        queryset=None,
        widget=PickerWidget("kept-congress", placeholder=_("输入名称搜索，如 大方县第十八届")),
    )
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
        self.fields["congress"].queryset = congresses
        if not self.is_bound and "congress" not in self.initial:
            # As the <select> did: the first congress the user keeps is chosen, so the common upload
            # (a county clerk into the county's congress) needs no search.
            first = congresses.first()
            if first is not None:
                self.initial["congress"] = first.pk


def _validated(value, validator):
    """A code field checked by its core validator in the form, so that all errors show at once."""
    if not value:
        return value
    try:
        return validator(value)
    except ValidationError as exc:
        raise forms.ValidationError(exc.messages[0]) from None


class DeputyEditForm(PolicyForm):
    name = forms.CharField(label=_("姓名"), max_length=50)
    gender = forms.ChoiceField(label=_("性别"), choices=Deputy.Gender.choices)
    ethnicity = forms.CharField(label=_("民族"), max_length=20, required=False)
    birth_month = forms.CharField(
        max_length=10,
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


class MandateFields(PolicyForm):
    """The fields of a mandate (届次, 选区, 代表团, 任期开始): the congresses come from the user's
    jurisdiction, the constituencies are grouped by congress (the service checks they match)."""

    congress = forms.ChoiceField(label=_("届次"), required=False)
    constituency = forms.ModelChoiceField(
        label=_("选区或选举单位"),
        required=False,
        queryset=None,
        widget=PickerWidget("mandate-constituency", placeholder=_("先选届次，再输入选区名称或编号")),
    )
    delegation = forms.CharField(
        label=_("代表团"), max_length=50, required=False, help_text=_("如：黄泥塘镇代表团")
    )
    starts_on = forms.DateField(
        label=_("任期开始"), widget=DateInput, required=False, help_text=_("不填则为本届开始日期")
    )

    def _set_mandate_choices(self, *, congresses, constituencies, required: bool) -> None:
        """The congresses the user keeps are a <select> (their region's and the regions' right below,
        a few per term); the constituencies of all of them are thousands in a province: a picker
        narrowed to the congress chosen (the service checks they match)."""
        self.congresses = {str(c.pk): c for c in congresses}
        self.fields["congress"].required = required
        self.fields["congress"].choices = [("", _("不登记代表资格") if not required else "—")] + [
            (pk, c.name) for pk, c in self.congresses.items()
        ]
        self.fields["constituency"].queryset = constituencies.select_related("congress")

    def clean_congress(self):
        value = self.cleaned_data["congress"]
        return self.congresses[value] if value else None


class DeputyCreateForm(MandateFields, DeputyEditForm):
    """新增代表: the person, and optionally their first mandate, in one form."""

    id_number = forms.CharField(
        label=_("公民身份号码"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    region = forms.ModelChoiceField(
        label=_("所在乡镇（街道）"),
        queryset=None,
        to_field_name="code",
        widget=PickerWidget("roster-township", placeholder=_("输入乡镇（街道）名称或区划代码")),
    )
    PERSON_FIELDS = (
        "name",
        "gender",
        "ethnicity",
        "birth_month",
        "native_place",
        "political_affiliation",
        "education",
        "workplace",
        "sector",
        "id_number",
        "phone",
        "region",
    )
    MANDATE_FIELDS = ("congress", "constituency", "delegation", "starts_on")
    field_order = [*PERSON_FIELDS, *MANDATE_FIELDS]

    def __init__(self, *args, regions, congresses, constituencies, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["photo"]
        self.fields["gender"].required = False
        self.fields["gender"].choices = [("", _("按身份证号码判断")), *Deputy.Gender.choices]
        self.fields["region"].queryset = regions
        self._set_mandate_choices(congresses=congresses, constituencies=constituencies, required=False)

    def clean_id_number(self):
        return _validated(self.cleaned_data["id_number"], validate_id_number)

    def clean_phone(self):
        return _validated(self.cleaned_data["phone"], validate_phone)

    def clean(self):
        """Every field's error at once (the form used to stop at the service's first refusal): the ID
        number against the gender and 出生年月 given, and both derived from it when left empty."""
        data = super().clean()
        if not data.get("congress") and any(data.get(f) for f in ("constituency", "delegation", "starts_on")):
            self.add_error("congress", _("登记代表资格须选择届次"))
        id_number = data.get("id_number")
        if id_number and "id_number" not in self.errors:
            try:
                gender, birth = data.get("gender") or None, data.get("birth_month")
                validate_id_number(id_number, gender=gender, birth=birth)
            except ValidationError as exc:
                if "birth_month" not in self.errors:
                    field = "birth_month" if exc.code == "birth_mismatch" else "id_number"
                    self.add_error(field if field == "birth_month" else "gender", exc.messages[0])
            else:
                data["gender"] = data.get("gender") or id_gender(id_number)
                if not data.get("birth_month") and "birth_month" not in self.errors:
                    data["birth_month"] = id_birth_date(id_number).replace(day=1)
        return data

    def person_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.PERSON_FIELDS}

    def mandate_data(self) -> dict | None:
        if not self.cleaned_data.get("congress"):
            return None
        data = {f: self.cleaned_data[f] for f in self.MANDATE_FIELDS}
        data["delegation"] = data["delegation"] or ""
        return data


class MandateAddForm(MandateFields):
    """增加代表资格 on a deputy's page."""

    def __init__(self, *args, congresses, constituencies, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_mandate_choices(congresses=congresses, constituencies=constituencies, required=True)


class CongressForm(PolicyForm):
    """A new congress (届): the level and region are those of the user's own region."""

    level = forms.ChoiceField(label=_("层级"))
    region = forms.ChoiceField(label=_("行政区域"))
    term = forms.IntegerField(label=_("届次"), min_value=1, max_value=99, help_text=_("如 18 即第十八届"))
    starts_on = forms.DateField(label=_("本届开始"), widget=DateInput, required=False)
    ends_on = forms.DateField(label=_("本届结束"), widget=DateInput, required=False)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        level = next((lv for lv, rl in LEVEL_REGION.items() if region and rl == region.level), None)
        self.fields["level"].choices = [(level, Level(level).label)] if level else []
        self.fields["region"].choices = [(region.code, region.name)] if level else []

    def clean_region(self):
        return self.region

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("本届结束日期不能早于开始日期"))
        return data


class ConstituencyForm(PolicyForm):
    congress = forms.ChoiceField(label=_("人民代表大会"))
    name = forms.CharField(label=_("名称"), max_length=100, help_text=_("如：第41选区"))
    number = forms.IntegerField(label=_("编号"), min_value=1, max_value=32767, required=False)
    region = forms.ChoiceField(label=_("所在区域"))

    def __init__(self, *args, congresses, regions, **kwargs):
        super().__init__(*args, prefix="c", **kwargs)
        self.congresses = {str(c.pk): c for c in congresses}
        self.regions = {r.code: r for r in regions}
        self.fields["congress"].choices = [(pk, c.name) for pk, c in self.congresses.items()]
        self.fields["region"].choices = [(code, r.name) for code, r in self.regions.items()]

    def clean_congress(self):
        return self.congresses[self.cleaned_data["congress"]]

    def clean_region(self):
        return self.regions[self.cleaned_data["region"]]
