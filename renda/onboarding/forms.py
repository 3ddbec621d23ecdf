"""Forms for linking accounts and starting a bulk creation; the long lists are search pickers."""

from django import forms
from django.utils.translation import gettext_lazy as _

from renda.accounts.models import User
from renda.core.access import Role
from renda.core.forms import PolicyForm
from renda.core.pickers import PickerWidget
from renda.deputies.models import Congress, Deputy
from renda.network.models import Station
from renda.regions.models import Region


class DeputyLinkForm(PolicyForm):
    """On an account's page: choose its deputy."""

    deputy = forms.ModelChoiceField(
        label=_("代表"),
        queryset=Deputy.objects.select_related("region").prefetch_related("mandates__congress"),
        # The service says why a deputy cannot be linked (another account, no current mandate).
        widget=PickerWidget("account-deputy", placeholder=_("输入代表姓名搜索")),
        error_messages={"required": _("请搜索并选择要关联的代表"), "invalid_choice": _("所选代表不存在")},
    )


class StationLinkForm(PolicyForm):
    station = forms.ModelChoiceField(
        label=_("联络站"),
        queryset=Station.objects.select_related("region"),
        widget=PickerWidget("account-station", placeholder=_("输入联络站名称搜索")),
        error_messages={"required": _("请搜索并选择联络站"), "invalid_choice": _("所选联络站不存在")},
    )


class AccountLinkForm(PolicyForm):
    """On a deputy's page: choose an existing deputy account that is not linked yet."""

    account = forms.ModelChoiceField(
        label=_("登录账号"),
        queryset=User.objects.filter(role=Role.DEPUTY),
        widget=PickerWidget("deputy-account", placeholder=_("输入用户名或姓名搜索")),
        error_messages={"required": _("请搜索并选择登录账号"), "invalid_choice": _("所选账号不存在")},
    )


class BulkDeputiesForm(PolicyForm):
    congress = forms.ModelChoiceField(
        label=_("人民代表大会"),
        queryset=Congress.objects.select_related("region").order_by("level", "region__code", "-term"),
        error_messages={"required": _("请选择人民代表大会")},
    )
    township = forms.ModelChoiceField(
        label=_("只开通此乡镇（街道）的代表"),
        required=False,
        queryset=Region.objects.select_related("parent"),
        widget=PickerWidget("account-region", placeholder=_("输入乡镇名称，不选表示全部")),
    )
    delegation = forms.CharField(label=_("只开通此代表团的代表"), required=False, max_length=50)
