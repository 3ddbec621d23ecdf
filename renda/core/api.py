"""The JSON API at /api/v1/: authentication, the one error shape, and pagination.

Each app adds a router in its own api.py (registered in config/urls.py); the routers call the same
selectors, services and permission functions as the HTML views. Tokens are the accounts app's: it
issues and lists them (/auth/…, renda/accounts/api.py), and the setting RENDA_API_TOKEN_GET names
its function that finds a live token by its key, so that the kernel imports no app.
"""

from typing import Any

from django.conf import settings
from django.http import Http404
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import PaginationBase
from ninja.schema import DjangoGetter
from ninja.security import APIKeyCookie, HttpBearer
from pydantic import model_validator

from renda.core.access import has_permission
from renda.core.errors import DomainError
from renda.core.paging import BadCursor, count_or_estimate, cursor_for, keyset_page, ordering_keys
from renda.core.signals import access_denied
from renda.core.text import clean_input, is_blank


class BearerAuth(HttpBearer):
    """A bearer token, looked up by the function RENDA_API_TOKEN_GET names (an object with `.user`)."""

    def authenticate(self, request, token):
        found = import_string(settings.RENDA_API_TOKEN_GET)(token)
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


class InputSchema(Schema):
    """Base of every API input (bodies and query filters): each string field is cleaned by the core text
    policy (`renda.core.text.clean_input`: codes NFKC-folded, names and free text without controls)
    before pydantic validates it — the same boundary as renda.core.forms.PolicyForm."""

    @model_validator(mode="before")
    @classmethod
    def _text_policy(cls, data):
        """Clean each text input; a required text input with nothing visible left (only spaces or
        zero-width characters: `renda.core.text.is_blank`) is dropped, so that pydantic reports it
        missing ("请填写意见内容") exactly as a form's required check does.

        ninja's Schema wraps the input in a DjangoGetter before this validator sees it: the dict inside
        is cleaned and wrapped again (checked through model_validate by renda/core/tests)."""
        if isinstance(data, DjangoGetter) and isinstance(data._obj, dict):
            return DjangoGetter(cls._text_policy(data._obj), cls, data._context)
        if isinstance(data, dict):
            fields = cls.model_fields
            by_key = {f.alias or n: f for n, f in fields.items()} | fields
            cleaned = {}
            for key, value in data.items():
                field = by_key.get(key)
                if field is None:
                    cleaned[key] = value
                    continue
                value = clean_input(key, value)
                if isinstance(value, str) and field.is_required() and is_blank(value):
                    continue
                cleaned[key] = value
            return cleaned
        return data


class Pagination(PaginationBase):
    """Every API list: `?page=N&page_size=M` (issue 15 §4).

    - `page` from 1; `page_size` from 1 to settings.RENDA_API_MAX_PAGE_SIZE (200), default
      RENDA_API_PAGE_SIZE (100). A larger or smaller value is refused with 422 naming the field —
      never silently replaced.
    - `limit`/`offset` are still accepted (same bound) for older clients; `page_size` wins over `limit`.
    - Answer: `{"items": [...], "count": N, "count_estimated": bool, "page": N, "page_size": M}`;
      `count` is exact up to RENDA_COUNT_EXACT_UP_TO rows, above it PostgreSQL's estimate
      (`count_estimated` true), so no call counts a million rows (renda/core/paging.py).
    - Deep pages by cursor: each answer carries `next`, an opaque cursor for the rows after its last
      item (null on the last page, or where the list's order cannot be followed by key); pass it back
      as `?after=` (with the same filters and page_size) to read the next page by index, however deep.
      With `after`, `page` and `offset` are ignored and `count` is not computed (null).
    """

    class Input(InputSchema):
        page: int = Field(1, ge=1, description="页码，从 1 开始")
        page_size: int | None = Field(
            None, ge=1, le=settings.RENDA_API_MAX_PAGE_SIZE, description="每页条数（1–200，默认 100）"
        )
        limit: int | None = Field(
            None, ge=1, le=settings.RENDA_API_MAX_PAGE_SIZE, description="同 page_size（旧参数）"
        )
        offset: int | None = Field(None, ge=0, description="跳过的条数（旧参数，与 limit 一起使用）")
        after: str | None = Field(
            None, max_length=400, description="游标：上一页答复中的 next，读取其后的一页（深翻页用）"
        )

    class Output(Schema):
        items: list[Any]
        count: int | None
        count_estimated: bool
        page: int | None
        page_size: int
        next: str | None = None

    def paginate_queryset(self, queryset, pagination: Input, request, **params):
        size = pagination.page_size or pagination.limit or settings.RENDA_API_PAGE_SIZE
        try:
            keys = ordering_keys(queryset) if hasattr(queryset, "query") else None
        except ValueError:  # an order by annotation or relation: numbered pages only
            keys = None
        if pagination.after and keys is not None:
            try:
                found = keyset_page(queryset, size=size, after=pagination.after)
            except BadCursor:
                raise NinjaValidationError(
                    [{"loc": ["query", "after"], "msg": "游标无效，请从第一页重新读取"}]
                ) from None
            return {
                "items": found.object_list,
                "count": None,
                "count_estimated": False,
                "page": None,
                "page_size": size,
                "next": found.next_cursor or None,
            }
        start = pagination.offset if pagination.offset is not None else (pagination.page - 1) * size
        count, estimated = count_or_estimate(queryset)
        items = (
            list(queryset[start : start + size + 1]) if keys is not None else queryset[start : start + size]
        )
        more = keys is not None and len(items) > size
        items = items[:size] if keys is not None else items
        return {
            "items": items,
            "count": count,
            "count_estimated": estimated,
            "page": start // size + 1,
            "page_size": size,
            "next": cursor_for(items[-1], keys) if more and items else None,
        }


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
    """NinjaAPI whose OpenAPI document lists the shared error answers on every operation, and whose
    validation errors carry each field's Chinese label (`label_at`) for the messages."""

    def validation_error_from_error_contexts(self, error_contexts):
        error = super().validation_error_from_error_contexts(error_contexts)
        raw = [(c.model, e["loc"]) for c in error_contexts for e in c.pydantic_validation_error.errors()]
        for item, (model, loc) in zip(error.errors, raw, strict=False):
            item["label"] = label_at(model, loc)
        return error

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
        access_denied.send(sender=None, actor=request.user, detail=f"{request.path} permission={permission}")
        raise Http404


def _field(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "payload")]
    return ".".join(parts)


# The Chinese label of an API input field, by its JSON key, for the messages a client shows its user
# ("请填写截止日期", never "ends_on"). A schema field's own `Field(title=...)` wins (a key whose sense
# differs by operation); the `detail[].field` of an answer keeps the JSON key for the client's code.
# renda/core/tests/test_api.py checks that every field of every InputSchema has a label.
FIELD_LABELS = {
    "accept": _lazy("是否同意"), "adoption": _lazy("采纳情况"), "after": _lazy("游标"),
    "agenda": _lazy("议程"), "answer": _lazy("答复"), "approve": _lazy("是否批准"),
    "as_of": _lazy("截至日期"), "assignment": _lazy("交办记录"), "attitude": _lazy("办理态度"),
    "attributes": _lazy("属性"), "body": _lazy("正文"), "body_id": _lazy("工作机构"),
    "category": _lazy("类别"), "channel": _lazy("渠道"), "co_units": _lazy("协办单位"),
    "code": _lazy("查询码"), "comment": _lazy("评价意见"), "congress": _lazy("人大"),
    "congress_id": _lazy("人大"), "constituency": _lazy("选区"), "contacted_on": _lazy("联系日期"),
    "content": _lazy("内容"), "contributor_kind": _lazy("意见人类别"), "cosigner_ids": _lazy("联名代表"),
    "county": _lazy("县（市、区）"),
    "current": _lazy("是否现任"), "decided_on": _lazy("决定日期"), "decision": _lazy("处理意见"),
    "delegation": _lazy("代表团"), "demonstration": _lazy("示范点"), "deputy": _lazy("代表"),
    "deputy_id": _lazy("代表"), "deputy_ids": _lazy("代表"), "document": _lazy("文件内容"),
    "document_number": _lazy("文号"), "ended_on": _lazy("结束日期"), "ends_at": _lazy("结束时间"),
    "ends_on": _lazy("结束日期"), "extension": _lazy("延期申请"), "form": _lazy("形式"),
    "group_by": _lazy("分组方式"), "group_id": _lazy("指导组"), "id_number": _lazy("身份证号码"),
    "index": _lazy("期数"), "into": _lazy("并入的建议"), "key": _lazy("重点督办"),
    "kind": _lazy("类型"), "late": _lazy("是否逾期"), "lead_unit": _lazy("主办单位"),
    "leader": _lazy("领导"), "leader_user": _lazy("领导"), "level": _lazy("级别"),
    "limit": _lazy("每页条数"), "mandate": _lazy("代表资格"), "member_id": _lazy("常委会组成人员"),
    "method": _lazy("联系方式"), "new_unit": _lazy("新承办单位"), "note": _lazy("说明"),
    "occurred_on": _lazy("日期"), "offset": _lazy("跳过条数"), "opinions": _lazy("意见建议"),
    "option": _lazy("选项"), "order": _lazy("排序"), "organization_id": _lazy("机构"),
    "otp": _lazy("动态验证码"), "overdue": _lazy("是否超期"), "page": _lazy("页码"),
    "page_size": _lazy("每页条数"), "parent": _lazy("上级区划"), "parent_id": _lazy("上级机构"),
    "participants": _lazy("参加人员"), "password": _lazy("密码"), "people_count": _lazy("人数"),
    "percent": _lazy("完成进度"), "period": _lazy("期间"), "person_name": _lazy("姓名"),
    "phone": _lazy("手机号码"), "place": _lazy("地点"), "points": _lazy("分值"), "post": _lazy("职务"),
    "q": _lazy("搜索词"), "quantity": _lazy("数量"), "reason": _lazy("理由"),
    "region": _lazy("区域"), "region_code": _lazy("区划代码"), "requested_due_on": _lazy("申请延至"),
    "result": _lazy("结果"), "review_state": _lazy("审核状态"), "satisfaction": _lazy("满意度"),
    "scheme_id": _lazy("积分办法"), "sector": _lazy("界别"), "signer": _lazy("签发人"),
    "started_on": _lazy("开始日期"), "starts_at": _lazy("开始时间"), "starts_on": _lazy("开始日期"),
    "state": _lazy("状态"), "station": _lazy("联络站"), "station_id": _lazy("联络站"),
    "status": _lazy("状态"), "submit": _lazy("是否提交"), "term": _lazy("届次"), "text": _lazy("内容"),
    "title": _lazy("标题"), "token": _lazy("签到码"), "topics": _lazy("联系事项"),
    "township": _lazy("乡镇"), "township_id": _lazy("乡镇"), "unit": _lazy("计量单位"),
    "username": _lazy("用户名"), "version": _lazy("版本"), "way": _lazy("沟通方式"), "year": _lazy("年度"),
}  # fmt: skip


def field_label(field, name: str) -> str:
    """The Chinese label of an input field: its `Field(title=...)`, else FIELD_LABELS, else ""."""
    title = getattr(field, "title", None)
    if title:
        return str(title)
    label = FIELD_LABELS.get(name)
    return str(label) if label is not None else ""


def _inner_model(annotation):
    """The schema inside an annotation (`X`, `X | None`, `list[X]`), or None."""
    import typing

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def label_at(model, loc) -> str:
    """The label of the field a pydantic error's `loc` (relative to `model`) points at: the innermost
    named field along the path (list indices skipped)."""
    label, current = "", model
    for part in loc:
        if current is None or not isinstance(part, str):
            continue
        field = current.model_fields.get(part)
        if field is None:
            field = next((f for f in current.model_fields.values() if f.alias == part), None)
        if field is None:
            current = None
            continue
        label = field_label(field, part) or label
        current = _inner_model(field.annotation)
    return label


# Pydantic's error types (https://docs.pydantic.dev/latest/errors/validation_errors/) in Chinese;
# %(f)s is the field — its Chinese label, or its JSON key where it has none — and the other keys come
# from the error's ctx. A type not listed gets the last line.
_VALIDATION_MESSAGES = {
    "missing": "“%(f)s”为必填项",
    "string_type": "“%(f)s”应为文本",
    "int_type": "“%(f)s”应为整数",
    "int_parsing": "“%(f)s”应为整数",
    "int_from_float": "“%(f)s”应为整数",
    "float_type": "“%(f)s”应为数字",
    "float_parsing": "“%(f)s”应为数字",
    "decimal_type": "“%(f)s”应为数字",
    "decimal_parsing": "“%(f)s”应为数字",
    "decimal_max_digits": "“%(f)s”的位数过多（最多%(max_digits)s位）",
    "decimal_max_places": "“%(f)s”的小数位数过多（最多%(decimal_places)s位）",
    "bool_type": "“%(f)s”应为 true 或 false",
    "bool_parsing": "“%(f)s”应为 true 或 false",
    "date_type": "“%(f)s”应为有效日期，格式如 2024-12-01",
    "date_parsing": "“%(f)s”应为有效日期，格式如 2024-12-01",
    "date_from_datetime_parsing": "“%(f)s”应为有效日期，格式如 2024-12-01",
    "date_from_datetime_inexact": "“%(f)s”应为日期，不含时刻",
    "datetime_type": "“%(f)s”应为有效的日期时间，格式如 2024-12-01T09:30:00",
    "datetime_parsing": "“%(f)s”应为有效的日期时间，格式如 2024-12-01T09:30:00",
    "datetime_from_date_parsing": "“%(f)s”应为有效的日期时间，格式如 2024-12-01T09:30:00",
    "time_type": "“%(f)s”应为有效时间，格式如 09:30",
    "time_parsing": "“%(f)s”应为有效时间，格式如 09:30",
    "uuid_type": "“%(f)s”应为有效的编号（UUID）",
    "uuid_parsing": "“%(f)s”应为有效的编号（UUID）",
    "enum": "“%(f)s”的取值应为：%(expected)s",
    "literal_error": "“%(f)s”的取值应为：%(expected)s",
    "string_too_short": "“%(f)s”至少应有%(min_length)s个字符",
    "string_too_long": "“%(f)s”不能超过%(max_length)s个字符",
    "string_pattern_mismatch": "“%(f)s”的格式不正确",
    "too_short": "“%(f)s”至少应有%(min_length)s项",
    "too_long": "“%(f)s”最多%(max_length)s项",
    "greater_than": "“%(f)s”应大于%(gt)s",
    "greater_than_equal": "“%(f)s”不能小于%(ge)s",
    "less_than": "“%(f)s”应小于%(lt)s",
    "less_than_equal": "“%(f)s”不能大于%(le)s",
    "list_type": "“%(f)s”应为列表",
    "dict_type": "“%(f)s”应为对象",
    "model_type": "“%(f)s”应为对象",
    "model_attributes_type": "“%(f)s”应为对象",
    "json_invalid": "请求内容不是有效的 JSON",
    "json_type": "请求内容不是有效的 JSON",
    "extra_forbidden": "不接受字段“%(f)s”",
    "url_parsing": "“%(f)s”应为有效的网址",
    "value_error": "“%(f)s”：%(reason)s",
    "assertion_error": "“%(f)s”：%(reason)s",
}
_DEFAULT_VALIDATION_MESSAGE = "“%(f)s”的值无效"


def _shown_name(error: dict) -> str:
    label = error.get("label")
    if label:
        return str(label)
    key = _field(error.get("loc", ()))
    last = key.rsplit(".", 1)[-1]
    return str(FIELD_LABELS[last]) if last in FIELD_LABELS else key or _("请求体")


def validation_message(error: dict) -> str:
    """One pydantic error (a dict with type, loc, msg, ctx and, from RendaAPI, the field's label) as a
    Chinese sentence naming the field by its label (its JSON key where it has none)."""
    field = _shown_name(error)
    ctx = {key: str(value) for key, value in (error.get("ctx") or {}).items()}
    if "expected" in ctx:
        ctx["expected"] = ctx["expected"].replace("' or '", "'、'").replace("', '", "'、'").replace("'", "")
    msg = str(error.get("msg", ""))
    ctx.setdefault("reason", msg.removeprefix("Value error, ").removeprefix("Assertion failed, "))
    template = _VALIDATION_MESSAGES.get(error.get("type", ""), _DEFAULT_VALIDATION_MESSAGE)
    try:
        return _(template) % {"f": field, **ctx}
    except (KeyError, ValueError):
        return _(_DEFAULT_VALIDATION_MESSAGE) % {"f": field}


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc):
    """422 with every field's error at once, in Chinese: {message, detail: [{field, message}]}; `field`
    is the JSON key (for the client's code), the message names the field by its Chinese label."""
    detail = [{"field": _field(e.get("loc", ())), "message": validation_message(e)} for e in exc.errors]
    if len(detail) == 1:
        message = detail[0]["message"]
    else:
        names = "、".join(dict.fromkeys(_shown_name(e) for e in exc.errors if _field(e.get("loc", ()))))
        message = _("请求数据有误：%(f)s") % {"f": names or _("请求体")}
    return api.create_response(request, {"message": message, "detail": detail}, status=422)


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
    message = str(exc)
    if message.startswith("Cannot parse request body"):  # ninja's words for a body that is not JSON
        message = _("请求内容不是有效的 JSON")
    return api.create_response(request, {"message": message, "detail": None}, status=exc.status_code)
