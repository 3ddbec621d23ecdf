"""Forms for login, the second factor, passwords and account management."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from renda.core.access import REGION_ROLES, Role
from renda.core.forms import PolicyForm, TextPolicyMixin
from renda.core.pickers import PickerWidget
from renda.organizations.models import Organization
from renda.regions.models import Region


class LoginForm(TextPolicyMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码错误。连续失败5次将锁定账号30分钟。"),
        "inactive": _("该账号已停用，请联系系统管理员。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["password"].label = _("密码")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})


class TokenForm(PolicyForm):
    token = forms.RegexField(
        label=_("动态验证码"),
        regex=r"^\d{6}$",
        max_length=6,
        error_messages={"invalid": _("请输入身份验证器显示的6位数字")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class EnrolmentForm(TokenForm):
    """First binding of an authenticator: the one-time code from the security administrator too."""

    enrolment_code = forms.CharField(
        label=_("绑定码"),
        max_length=20,
        help_text=_("由安全管理员当面或随初始密码另行交给您的8位绑定码，如 ABCD-EF23，只能使用一次"),
        error_messages={"required": _("请输入安全管理员发给您的绑定码")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    field_order = ["enrolment_code", "token"]


class EnrolmentIssueForm(PolicyForm):
    username = forms.CharField(label=_("用户名"), max_length=150)


class PasswordChangeForm(PolicyForm):
    old_password = forms.CharField(label=_("原密码"), widget=forms.PasswordInput)
    new_password = forms.CharField(label=_("新密码"), widget=forms.PasswordInput)
    new_password2 = forms.CharField(label=_("再次输入新密码"), widget=forms.PasswordInput)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_old_password(self):
        if not self.user.check_password(self.cleaned_data["old_password"]):
            raise forms.ValidationError(_("原密码不正确"))
        return self.cleaned_data["old_password"]

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", _("两次输入的新密码不一致"))
        return data


class UserForm(PolicyForm):
    username = forms.RegexField(
        max_length=30,
        label=_("用户名"),
        regex=r"^[A-Za-z0-9_.-]{3,30}$",
        error_messages={"invalid": _("用户名为3–30位字母、数字、下划线、点或短横线")},
    )
    full_name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    # The three administrator roles are set by the deployment (manage.py admin_account), not here.
    role = forms.ChoiceField(
        label=_("角色"),
        choices=[("", _("请选择角色"))]
        + [
            (r.value, r.label)
            for r in Role
            if r not in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR)
        ],
    )
    region = forms.ModelChoiceField(
        label=_("管辖区域"),
        required=False,
        queryset=Region.objects.select_related("parent"),
        widget=PickerWidget("account-region", placeholder=_("输入区域名称或区划代码，如 大方县、520521")),
        help_text=_("县、乡镇工作人员、联络站管理员和领导须选择"),
        error_messages={"invalid_choice": _("所选管辖区域不存在，请重新搜索选择")},
    )
    organization = forms.ModelChoiceField(
        label=_("所属机构"),
        required=False,
        queryset=Organization.objects.select_related("region"),
        widget=PickerWidget("account-organization", placeholder=_("输入机构名称，如 交通运输局")),
        help_text=_("承办单位账号须选择本单位"),
        error_messages={"invalid_choice": _("所选机构不存在，请重新搜索选择")},
    )
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    # Required when an account is created; optional when one is edited (留空表示不修改密码).
    password = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, target=None, **kwargs):
        """`target`: the account being edited (None when creating one)."""
        super().__init__(*args, **kwargs)
        if target is not None:
            self.fields["password"].required = False
            self.fields["username"].disabled = True
            self.fields["username"].initial = target.username

    def clean(self):
        """Name every missing field at once: the role's own requirements (a jurisdiction for staff,
        keepers and leaders, the unit for a handling unit) are checked here, beside the required
        fields, not one at a time by the service after the form has passed."""
        data = super().clean()
        role = data.get("role")
        if role in REGION_ROLES and not data.get("region") and "region" not in self.errors:
            self.add_error("region", _("该角色必须指定管辖区域"))
        if role == Role.HANDLING_UNIT and not data.get("organization") and "organization" not in self.errors:
            self.add_error("organization", _("承办单位账号必须指定所属机构"))
        return data


class UnlockForm(PolicyForm):
    username = forms.CharField(max_length=150, label=_("用户名"), required=False)
    ip = forms.GenericIPAddressField(label=_("IP地址"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("username") and not data.get("ip"):
            raise forms.ValidationError(_("请填写用户名或IP地址"))
        return data
