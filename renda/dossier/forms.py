"""Forms of the dossier pages: the term picker, the batch scope, a commendation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from renda.core.forms import PolicyForm
from renda.core.pickers import PickerWidget
from renda.deputies.models import Congress
from renda.regions.models import Region


class BatchForm(PolicyForm):
    # Both grow with the installation (a province: hundreds of congresses, thousands of townships).
    congress = forms.ModelChoiceField(
        label=_("人民代表大会"),
        queryset=Congress.objects.none(),
        required=False,
        widget=PickerWidget("roster-congress", placeholder=_("输入名称搜索，如 大方县第十八届")),
    )
    region = forms.ModelChoiceField(
        label=_("乡镇（街道）"),
        queryset=Region.objects.none(),
        required=False,
        to_field_name="code",
        widget=PickerWidget("roster-township", placeholder=_("输入乡镇（街道）名称或区划代码")),
    )

    def __init__(self, *args, congresses, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = congresses
        self.fields["region"].queryset = regions

    def clean(self):
        data = super().clean()
        if not data.get("congress") and not data.get("region"):
            raise forms.ValidationError(_("请选择人民代表大会或乡镇（街道）"))
        return data


class CommendationForm(PolicyForm):
    title = forms.CharField(label=_("表彰名称"), max_length=200)
    awarded_by = forms.CharField(label=_("表彰单位"), max_length=100)
    awarded_on = forms.DateField(label=_("表彰日期"), widget=forms.DateInput(attrs={"type": "date"}))
