"""The JSON API at /api/v1/: authentication, the one error shape, and pagination.

Each app adds a router in its own api.py; the routers call the same selectors, services and
permission functions as the HTML views.
"""

import datetime

from django.contrib.auth import authenticate
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Path, Router, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import APIKeyCookie, HttpBearer

from renda.core.access import has_permission
from renda.core.errors import DomainError
from renda.core.middleware import client_ip


class BearerAuth(HttpBearer):
    def authenticate(self, request, token):
        from renda.accounts.services import api_token_get

        found = api_token_get(token)
        if found is None:
            return None
        request.user = found.user
        request.api_token = found
        # The middleware ran before the token was read: name the holder for the audit log too.
        from dataclasses import replace

        from renda.core import context

        context.set_current(
            replace(context.current(), user_id=found.user.pk, username=found.user.get_username())
        )
        return found.user


class VerifiedSessionAuth(APIKeyCookie):
    """The browser's session, provided its second factor is done when one is required."""

    param_name = "sessionid"

    def authenticate(self, request, key):
        user = request.user
        if user.is_authenticated and (not user.needs_two_factor or user.is_verified()):
            return user
        return None


AUTH = [BearerAuth(), VerifiedSessionAuth()]


class Pagination(LimitOffsetPagination):
    """`{"items": [...], "count": N}` with limit (at most 200) and offset."""

    def __init__(self, **kwargs):
        super().__init__(max_limit=200, **kwargs)


class ErrorOut(Schema):
    message: str
    detail: object | None = None


# Error answers every operation can give (issue 13 §4), documented in the OpenAPI document so that
# a client (and the schemathesis pass) knows them: 400 a refused domain rule or unreadable body,
# 401 no valid credential (operations that need one), 404 not found or not permitted (the same answer
# on purpose), 409 a conflict with the current state (writes only), 422 a field that fails validation.
_ERROR_RESPONSES = {
    "400": "请求无法处理（业务规则或请求体格式）",
    "401": "未登录或令牌无效",
    "404": "未找到（或无权查看）",
    "409": "与当前状态冲突",
    "422": "请求数据有误（message 与 detail 指明字段）",
}


class RendaAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document lists the shared error answers on every operation."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault("ErrorOut", ErrorOut.model_json_schema())
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        for methods in schema.get("paths", {}).values():
            for method, operation in methods.items():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                for code, description in _ERROR_RESPONSES.items():
                    if code == "401" and not operation.get("security"):
                        continue
                    if code == "409" and method == "get":
                        continue
                    operation["responses"].setdefault(code, {"description": description, "content": error})
        return schema


api = RendaAPI(
    title="人大履职通 Renda API",
    version="1",
    description="县人大常委会工作平台接口。列表接口返回 {items, count}；错误返回 {message, detail}。",
    urls_namespace="api",
    auth=AUTH,
    docs_url="/docs",
)


def require(request, permission: str) -> None:
    """Refuse like "not found" when the caller lacks a permission (nothing leaks)."""
    if not has_permission(request.user, permission):
        from renda.audit.services import audit_record

        audit_record(
            action="access.denied",
            outcome="denied",
            actor=request.user,
            detail=f"{request.path} permission={permission}",
        )
        raise Http404


def _field(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "payload")]
    return ".".join(parts)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc):
    detail = [{"field": _field(e.get("loc", ())), "message": e.get("msg", "")} for e in exc.errors]
    names = "、".join(d["field"] for d in detail if d["field"]) or _("请求体")
    return api.create_response(
        request, {"message": _("请求数据有误：%(f)s") % {"f": names}, "detail": detail}, status=422
    )


@api.exception_handler(DomainError)
def on_domain_error(request, exc):
    detail = {"field": exc.field} if exc.field else exc.detail
    return api.create_response(request, {"message": exc.message, "detail": detail}, status=exc.status)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"message": _("未找到"), "detail": None}, status=404)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return api.create_response(request, {"message": _("未登录或令牌无效"), "detail": None}, status=401)


@api.exception_handler(Exception)
def on_unexpected(request, exc):
    """Anything else: still the JSON shape. Database range errors are the caller's (422)."""
    import logging

    from django.db import DataError

    if isinstance(exc, OverflowError | DataError):
        return api.create_response(
            request, {"message": _("请求数据超出范围"), "detail": {"field": "body"}}, status=422
        )
    logging.getLogger("django.request").exception("API error: %s", request.path, exc_info=exc)
    return api.create_response(
        request, {"message": _("服务器内部错误，请稍后重试"), "detail": None}, status=500
    )


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    return api.create_response(request, {"message": str(exc), "detail": None}, status=exc.status_code)


class TokenIn(Schema):
    username: str
    password: str
    otp: str | None = None


class TokenOut(Schema):
    token: str


auth_router = Router(tags=["认证"])


@auth_router.post("/token", auth=None, response={200: TokenOut, 401: ErrorOut, 403: ErrorOut, 429: ErrorOut})
def token(request, payload: TokenIn):
    """Exchange username and password (and one-time code where required) for a bearer token."""
    from renda.accounts.axes import reset_account_failures
    from renda.accounts.services import api_token_issue, totp_verify

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
    from django.contrib.auth import logout as session_logout

    from renda.accounts.services import api_token_revoke

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
    from renda.accounts.selectors import api_token_list

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
    from renda.accounts.selectors import api_token_list
    from renda.accounts.services import api_token_revoke

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
    from renda.core.access import permissions_for

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
    """The deputy on the other side of Deputy.user (a reverse one-to-one: the kernel reads it
    without importing the deputies app)."""
    from django.core.exceptions import ObjectDoesNotExist

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


api.add_router("/auth", auth_router)
api.add_router("/me", me_router)
