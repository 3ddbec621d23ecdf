"""Forms of the deputies app."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.duty_records.models import DutyRecord


class DeputyFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名或身份证号"), required=False)
    region_code = forms.CharField(label=_("区划代码"), required=False)


class DeclareForm(forms.Form):
    """A deputy declares something they did (申报), for staff to review."""

    kind = forms.ChoiceField(
        label=_("类别"), choices=DutyRecord.Kind.choices, initial=DutyRecord.Kind.CONTACT
    )
    title = forms.CharField(label=_("事项"), max_length=200)
    occurred_on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_occurred_on(self):
        value = self.cleaned_data["occurred_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("日期不能晚于今天"))
        return value
