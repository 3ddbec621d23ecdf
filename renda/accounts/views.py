"""Login, logout, the second factor, password change, account management and security pages."""

import base64

import segno
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.views import LoginView as DjangoLoginView
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from renda.core.access import AUTHENTICATED, PUBLIC, Role
from renda.core.errors import DomainError
from renda.core.forms import add_domain_error
from renda.core.paging import Paginator
from renda.core.views import RendaView, safe_next

from . import selectors, services
from .forms import (
    EnrolmentForm,
    EnrolmentIssueForm,
    LoginForm,
    PasswordChangeForm,
    TokenForm,
    UnlockForm,
    UserForm,
)


def locked_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME * 60)
    return _("登录失败次数过多，账号已被临时锁定，请%(m)d分钟后再试或联系安全管理员。") % {"m": minutes}


def lockout_response(request, credentials, *args, **kwargs):
    """What a locked-out login sees (django-axes calls this), as JSON for the API."""
    if request.path.startswith("/api/"):
        return JsonResponse({"message": locked_message(), "detail": None}, status=429)
    return render(
        request,
        "accounts/login.html",
        {"form": LoginForm(request), "locked": True, "locked_message": locked_message()},
        status=429,
    )


class LoginView(RendaView, DjangoLoginView):
    permission = PUBLIC
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(RendaView):
    permission = PUBLIC

    def post(self, request):
        auth_logout(request)
        messages.info(request, _("您已安全退出。"))
        return redirect("accounts:login")


class TwoFactorView(RendaView):
    """Set up an authenticator (first time) or enter its code (every login) when 2FA is required."""

    permission = AUTHENTICATED
    template_name = "accounts/two_factor.html"

    def _context(self, request, form):
        confirmed = TOTPDevice.objects.devices_for_user(request.user, confirmed=True).exists()
        context = {"form": form, "setup": not confirmed, "next": safe_next(request)}
        if not confirmed:
            device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
            if device is None:
                device = services.totp_device_start(user=request.user)
            context["device"] = device
            context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(scale=4)
            # Authenticator apps take a typed-in key in base32.
            context["secret"] = base64.b32encode(device.bin_key).decode()
        return context

    @staticmethod
    def _setting_up(request) -> bool:
        return not TOTPDevice.objects.devices_for_user(request.user, confirmed=True).exists()

    def get(self, request):
        if request.user.is_verified():
            return redirect(safe_next(request))
        form = EnrolmentForm() if self._setting_up(request) else TokenForm()
        return render(request, self.template_name, self._context(request, form))

    def post(self, request):
        setting_up = self._setting_up(request)
        form = EnrolmentForm(request.POST) if setting_up else TokenForm(request.POST)
        if form.is_valid():
            token = form.cleaned_data["token"]
            device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
            if setting_up and device is not None:
                fault = services.totp_device_confirm(
                    user=request.user,
                    device=device,
                    token=token,
                    enrolment_code=form.cleaned_data["enrolment_code"],
                )
                if fault is None:
                    otp_login(request, device)
                    messages.success(request, _("双因素认证已启用。"))
                    return redirect(safe_next(request))
                if fault == "enrolment_code":
                    form.add_error(
                        "enrolment_code", _("绑定码不正确、已使用或已过期，请向安全管理员重新申领")
                    )
                else:
                    form.add_error("token", _("验证码不正确或已过期，请重新输入"))
            elif not setting_up:
                device = services.totp_verify(user=request.user, token=token)
                if device is not None:
                    otp_login(request, device)
                    return redirect(safe_next(request))
                form.add_error("token", _("验证码不正确或已过期，请重新输入"))
        return render(request, self.template_name, self._context(request, form), status=400)


class PasswordChangeView(RendaView):
    permission = AUTHENTICATED
    template_name = "accounts/password_change.html"

    def get(self, request):
        return render(request, self.template_name, {"form": PasswordChangeForm(user=request.user)})

    def post(self, request):
        form = PasswordChangeForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.user_set_password(
                    actor=request.user, user=request.user, password=form.cleaned_data["new_password"]
                )
            except DomainError as exc:
                form.add_error("new_password", exc.message)
            else:
                # Keep this session (and its second factor) after the hash changes.
                device = getattr(request.user, "otp_device", None)
                auth_login(request, request.user, backend="django.contrib.auth.backends.ModelBackend")
                if device is not None:
                    otp_login(request, device)
                messages.success(request, _("密码已修改。"))
                return redirect("core:home")
        return render(request, self.template_name, {"form": form}, status=400)


class UserListView(RendaView):
    permission = "accounts.manage"

    def get(self, request):
        users = selectors.user_list(
            actor=request.user, q=request.GET.get("q", ""), role=request.GET.get("role", "")
        )
        page = Paginator(users, 50).get_page(request.GET.get("page"))
        return render(request, "accounts/user_list.html", {"page": page, "q": request.GET.get("q", "")})


class UserEditView(RendaView):
    """Create (no pk) or edit an account. System admin only; the auditor cannot reach it."""

    permission = "accounts.manage"
    template_name = "accounts/user_form.html"

    def _user(self, request, pk):
        if pk is None:
            return None
        user = selectors.user_get(actor=request.user, pk=pk)
        if user is None:
            raise Http404
        return user

    def get(self, request, pk=None):
        user = self._user(request, pk)
        initial = {}
        if user is not None:
            initial = {
                "username": user.username,
                "full_name": user.full_name,
                "role": user.role,
                "region": user.region_id,
                "organization": user.organization_id,
                "email": user.email,
                "is_active": user.is_active,
            }
        form = UserForm(initial=initial, target=user)
        return render(request, self.template_name, {"form": form, "target": user})

    def post(self, request, pk=None):
        user = self._user(request, pk)
        form = UserForm(request.POST, target=user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if user is None:
                    user = services.user_create(
                        actor=request.user,
                        username=data["username"],
                        password=data["password"],
                        role=data["role"],
                        full_name=data["full_name"],
                        region=data["region"],
                        organization=data["organization"],
                        email=data["email"],
                        must_change_password=True,
                    )
                else:
                    services.user_update(
                        actor=request.user,
                        user=user,
                        data={
                            "full_name": data["full_name"],
                            "role": data["role"],
                            "region": data["region"],
                            "organization": data["organization"],
                            "email": data["email"],
                            "is_active": data["is_active"],
                        },
                    )
                    if data["password"]:
                        services.user_set_password(actor=request.user, user=user, password=data["password"])
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("账号“%(u)s”已保存。") % {"u": user.username})
                if user.role in (Role.DEPUTY, Role.STATION_KEEPER):
                    # Next step for these roles: link the account to its deputy or station.
                    return redirect("accounts:user_edit", pk=user.pk)
                return redirect("accounts:user_list")
        return render(request, self.template_name, {"form": form, "target": user}, status=400)


class SecurityView(RendaView):
    """Security admin: current lockouts, lifting one, and the security settings in force."""

    permission = "security.manage"
    template_name = "accounts/security.html"

    def _context(self, form, enrolment_form=None, **extra):
        from django.conf import settings

        return {
            **extra,
            "form": form,
            "enrolment_form": enrolment_form or EnrolmentIssueForm(),
            "attempts": AccessAttempt.objects.order_by("-attempt_time")[:100],
            "settings": {
                "failure_limit": settings.AXES_FAILURE_LIMIT,
                "lockout_minutes": int(settings.AXES_COOLOFF_TIME * 60),
                "idle_minutes": settings.RENDA_IDLE_TIMEOUT_SECONDS // 60,
                "session_hours": settings.RENDA_SESSION_MAX_SECONDS // 3600,
                "require_2fa": settings.RENDA_REQUIRE_2FA,
                "password_history": settings.RENDA_PASSWORD_HISTORY,
                "audit_retention_days": settings.RENDA_AUDIT_RETENTION_DAYS,
                "enrolment_hours": settings.RENDA_ENROLMENT_CODE_HOURS,
            },
        }

    def get(self, request):
        return render(request, self.template_name, self._context(UnlockForm()))

    def post(self, request):
        form = UnlockForm(request.POST)
        if form.is_valid():
            count = services.lockout_reset(
                actor=request.user, username=form.cleaned_data["username"], ip=form.cleaned_data["ip"] or ""
            )
            messages.success(request, _("已解除%(n)d条锁定记录。") % {"n": count})
            return redirect("accounts:security")
        return render(request, self.template_name, self._context(form), status=400)


class EnrolmentIssueView(SecurityView):
    """Security admin: issue a one-time code for binding a first (or replacement) authenticator.

    The code is shown on this page once and never stored in clear; hand it over separately from
    the password (in person or by another channel).
    """

    def get(self, request):
        return redirect("accounts:security")

    def post(self, request):
        form = EnrolmentIssueForm(request.POST)
        if form.is_valid():
            from .models import User

            target = User.objects.filter(username=form.cleaned_data["username"], is_active=True).first()
            if target is None:
                form.add_error("username", _("没有这个启用中的账号"))
            else:
                code = services.enrolment_code_issue(actor=request.user, user=target)
                return render(
                    request,
                    self.template_name,
                    self._context(UnlockForm(), enrolment_code=code, enrolment_user=target),
                )
        return render(request, self.template_name, self._context(UnlockForm(), form), status=400)


class TokenListView(RendaView):
    """The user's own API tokens (live and ended), each live one with a revoke button."""

    permission = AUTHENTICATED

    def get(self, request):
        from django.utils import timezone

        return render(
            request,
            "accounts/tokens.html",
            {
                "tokens": selectors.api_token_list(user=request.user)[:100],
                "now": timezone.now(),
                "token_hours": settings.RENDA_API_TOKEN_HOURS,
                "idle_minutes": settings.RENDA_API_TOKEN_IDLE_SECONDS // 60,
            },
        )


class TokenRevokeView(RendaView):
    permission = AUTHENTICATED

    def post(self, request, pk):
        token = selectors.api_token_list(user=request.user).filter(pk=pk).first()
        if token is None:
            raise Http404
        services.api_token_revoke(actor=request.user, token=token)
        messages.success(request, _("令牌已撤销。"))
        return redirect("accounts:tokens")
