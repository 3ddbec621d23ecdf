"""Session rules (等保): idle logout, an absolute session limit, and the second factor when required."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from renda.core.htmx import htmx_redirect

# Paths that stay reachable while the second factor is still owed.
_TWO_FACTOR_EXEMPT = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/two-factor/",
    "/static/",
    "/healthz",
    "/api/",
    "/favicon.ico",
    "/prefs/",
)


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            seen = request.session.get("renda_seen_at", now)
            started = request.session.get("renda_login_at", now)
            reason = None
            if now - seen > settings.RENDA_IDLE_TIMEOUT_SECONDS:
                reason, text = (
                    "auth.idle_logout",
                    _("您已长时间未操作，为保护账号安全已自动退出，请重新登录。"),
                )
            elif now - started > settings.RENDA_SESSION_MAX_SECONDS:
                reason, text = "auth.session_expired", _("登录时间已达上限，请重新登录。")
            if reason:
                request.renda_logout_reason = reason
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse({"message": text, "detail": None}, status=401)
                messages.warning(request, text)
                return htmx_redirect(request, f"{reverse('accounts:login')}?next={request.path}")
            # Writing the session on every request is wasted work; a minute's precision is enough.
            if now - seen >= 60 or "renda_seen_at" not in request.session:
                request.session["renda_seen_at"] = now
        return self.get_response(request)


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.needs_two_factor
            and not user.is_verified()
            and not request.path.startswith(_TWO_FACTOR_EXEMPT)
        ):
            return redirect(f"{reverse('accounts:two_factor')}?next={request.path}")
        return self.get_response(request)


# Paths a user who still owes a new password may reach: the password page itself, logging out,
# the second factor (which comes first) and what every page needs to render.
_PASSWORD_CHANGE_EXEMPT = (
    "/accounts/password/",
    "/accounts/logout/",
    "/accounts/two-factor/",
    "/static/",
    "/healthz",
    "/favicon.ico",
    "/prefs/",
)


class ForcePasswordChangeMiddleware:
    """An account whose password someone else chose (initial or reset) must choose its own first.

    Pages redirect to the password form; the API answers 403 with a message, so a phone client
    can send its user to the website (the token itself cannot change a password).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(_PASSWORD_CHANGE_EXEMPT)
        ):
            if not request.path.startswith("/api/"):
                return htmx_redirect(request, reverse("accounts:password_change"))
            # The browser session of such an account opens no API operation either: the answer
            # every operation documents for a missing credential (a token exchange refuses with 403).
            message = _("请先登录网站修改初始密码，然后再使用手机客户端")
            return JsonResponse({"message": message, "detail": {"field": "password"}}, status=401)
        return self.get_response(request)
