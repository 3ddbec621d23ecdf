"""Forms of the organisations app."""

from django import forms
from django.utils.translation import gettext_lazy as _

from renda.core.access import scope_queryset
from renda.core.forms import PolicyForm
from renda.regions.models import Region

from .models import Appointment, Organization


class OrganizationFilterForm(PolicyForm):
    q = forms.CharField(max_length=100, label=_("名称"), required=False)
    kind = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("全部")), *Organization.Kind.choices]
    )


class OrganizationForm(PolicyForm):
    name = forms.CharField(label=_("名称"), max_length=100)
    short_name = forms.CharField(label=_("简称"), max_length=50, required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=Organization.Kind.choices)
    parent = forms.ModelChoiceField(label=_("上级机构"), queryset=Organization.objects.none(), required=False)
    region_code = forms.CharField(label=_("所在区划代码"), max_length=12, help_text=_("如 520521（大方县）"))
    position = forms.IntegerField(label=_("排序"), min_value=0, max_value=999, initial=0, required=False)

    def __init__(self, *args, user, exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        parents = scope_queryset(Organization.objects.all(), user).order_by("kind", "position", "name")
        if exclude is not None:
            parents = parents.exclude(pk=exclude.pk)
        self.fields["parent"].queryset = parents

    def clean_region_code(self):
        code = self.cleaned_data["region_code"].strip()
        # Only a region inside the user's jurisdiction can be chosen.
        region = scope_queryset(Region.objects.all(), self.user).filter(code=code).first()
        if region is None:
            raise forms.ValidationError(_("区划代码不存在或不在您的管辖范围内"))
        return region

    def clean_position(self):
        return self.cleaned_data.get("position") or 0


class DutiesForm(PolicyForm):
    text = forms.CharField(max_length=5000, label=_("职责"), widget=forms.Textarea(attrs={"rows": 14}))
    effective_on = forms.DateField(label=_("施行日期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("修订说明"), max_length=200, required=False)


class AppointmentForm(PolicyForm):
    person_name = forms.CharField(label=_("姓名"), max_length=50)
    post = forms.ChoiceField(label=_("职务"), choices=Appointment.Post.choices)
    started_on = forms.DateField(label=_("任职起始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ended_on = forms.DateField(
        label=_("任职终止日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("在任的留空"),
    )
    decided_on = forms.DateField(
        label=_("任免决定日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    document_number = forms.CharField(label=_("任免文号"), max_length=100, required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class AppointmentEndForm(PolicyForm):
    ended_on = forms.DateField(label=_("任职终止日期"), widget=forms.DateInput(attrs={"type": "date"}))
    decided_on = forms.DateField(
        label=_("免职决定日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    document_number = forms.CharField(label=_("免职文号"), max_length=100, required=False)
