"""The API's account endpoints: bearer tokens (/auth/token, /auth/logout, /auth/tokens) and the
caller (/me). Registered in config/urls.py; the kernel's BearerAuth finds a token through
`api_token_get` (named by the setting RENDA_API_TOKEN_GET).
"""

import datetime

from django.contrib.auth import authenticate
from django.contrib.auth import logout as session_logout
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema
from ninja.pagination import paginate

from renda.core.access import permissions_for
from renda.core.api import ErrorOut, InputSchema, Pagination
from renda.core.middleware import client_ip

from .axes import reset_account_failures
from .selectors import api_token_list
from .services import api_token_issue, api_token_revoke, totp_verify


class TokenIn(InputSchema):
    username: str = Field(max_length=150)
    password: str = Field(max_length=1024)
    otp: str | None = Field(None, max_length=10)


class TokenOut(Schema):
    token: str


auth_router = Router(tags=["认证"])


@auth_router.post("/token", auth=None, response={200: TokenOut, 401: ErrorOut, 403: ErrorOut, 429: ErrorOut})
def token(request, payload: TokenIn):
    """Exchange username and password (and one-time code where required) for a bearer token."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        return 429, {"message": _("登录失败次数过多，账号已被临时锁定，请30分钟后再试或联系安全管理员。")}
    if user is None:
        return 401, {"message": _("用户名或密码错误")}
    if user.needs_two_factor:
        if not payload.otp:
            return 401, {"message": _("该账号须提供动态验证码（otp）"), "detail": {"field": "otp"}}
        if totp_verify(user=user, token=payload.otp) is None:
            return 401, {"message": _("动态验证码不正确"), "detail": {"field": "otp"}}
    if user.must_change_password:
        # An initial password someone else chose opens nothing until its owner replaces it.
        return 403, {
            "message": _("请先登录网站修改初始密码，然后再使用手机客户端"),
            "detail": {"field": "password"},
        }
    # As a page login does: the success clears this account's failures, and only this account's.
    reset_account_failures(user.get_username())
    session_user = getattr(request, "user", None)
    in_session = session_user is not None and session_user.is_authenticated and session_user.pk == user.pk
    key = api_token_issue(
        user=user,
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        session_key=(request.session.session_key or "") if in_session else "",
    )
    return 200, {"token": key}


@auth_router.post("/logout", response={204: None, 401: ErrorOut})
def logout(request):
    """End the caller's credential: the bearer token used, or the browser session and its tokens."""
    token = getattr(request, "api_token", None)
    if token is not None:
        api_token_revoke(actor=request.user, token=token, reason="logout")
    else:
        session_logout(request)
    return 204, None


class TokenItemOut(Schema):
    id: int
    created_at: datetime.datetime
    created_ip: str | None
    user_agent: str
    last_used_at: datetime.datetime | None
    expires_at: datetime.datetime
    revoked: bool
    current: bool


@auth_router.get("/tokens", response={200: list[TokenItemOut], 401: ErrorOut})
@paginate(Pagination)
def tokens(request):
    """The caller's own tokens, newest first; `current` marks the one this request used."""
    current = getattr(getattr(request, "api_token", None), "pk", None)
    return [
        {
            "id": t.pk,
            "created_at": t.created_at,
            "created_ip": t.created_ip,
            "user_agent": t.user_agent,
            "last_used_at": t.last_used_at,
            "expires_at": t.expires_at,
            "revoked": t.revoked,
            "current": t.pk == current,
        }
        for t in api_token_list(user=request.user)[:200]
    ]


@auth_router.delete("/tokens/{token_id}", response={204: None, 401: ErrorOut, 404: ErrorOut})
def token_revoke(request, token_id: int = Path(..., ge=1, le=2**53)):
    """Revoke one of the caller's tokens; another user's token answers 404."""
    token = api_token_list(user=request.user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    api_token_revoke(actor=request.user, token=token)
    return 204, None


class MeRegionOut(Schema):
    code: str
    name: str
    level: str


class MeMandateOut(Schema):
    congress: str
    delegation: str
    status: str


class MeDeputyOut(Schema):
    """The deputy linked to the account; personal numbers masked (a phone client starts here)."""

    id: int
    name: str
    gender: str
    region: str
    phone_masked: str
    mandates: list[MeMandateOut]


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    roles: list[str]
    role_labels: list[str]
    permissions: list[str]
    region: MeRegionOut | None
    organization: str | None
    deputy: MeDeputyOut | None = None


me_router = Router(tags=["认证"])


@me_router.get("", response=MeOut)
def me(request):
    """The caller, their role(s) and jurisdiction."""
    user = request.user
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "roles": [user.role],
        "role_labels": [user.get_role_display()],
        "permissions": sorted(permissions_for(user)),
        "region": user.region,
        "organization": user.organization.name if user.organization else None,
        "deputy": _linked_deputy(user),
    }


def _linked_deputy(user) -> dict | None:
    """The deputy on the other side of Deputy.user (a reverse one-to-one: accounts reads it without
    importing the deputies app, which stands above it)."""
    try:
        deputy = user.deputy
    except (ObjectDoesNotExist, AttributeError):
        return None
    mandates = deputy.mandates.select_related("congress").order_by("-congress__term", "id")
    return {
        "id": deputy.pk,
        "name": deputy.name,
        "gender": deputy.get_gender_display(),
        "region": deputy.region.name,
        "phone_masked": deputy.phone_masked,
        "mandates": [
            {"congress": m.congress.name, "delegation": m.delegation, "status": m.get_status_display()}
            for m in mandates
        ],
    }
