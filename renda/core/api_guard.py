"""Input the API refuses before any view runs (issue 13 §4), answered in the API's error shape.

Each of these reached the database or the parser and came back as an HTML 500: integers beyond
what a database column holds (in the query, the path or a JSON body), years outside 1900–2100, NUL
characters in text (PostgreSQL refuses them; SQLite stored them), and multipart bodies without a
boundary. Each is refused with 422 and the field named.
"""

import json
import re

from django.http import JsonResponse
from django.utils.translation import gettext as _

# The largest integer JSON clients and every database column here agree on.
MAX_INT = 2**53
YEAR_MIN, YEAR_MAX = 1900, 2100
_INT = re.compile(r"^-?\d+$")
_YEAR_NAMES = re.compile(r"(^|_)year$")
# Text that happens to be all digits: searches, ID numbers, phones, codes. Not read as numbers.
_TEXT_NAMES = re.compile(r"(^q$|number|phone|code|name|text|title)")


def _refuse(field: str, message: str) -> JsonResponse:
    return JsonResponse({"message": message, "detail": {"field": field}}, status=422)


def _check_value(field: str, value, *, typed: bool = False) -> JsonResponse | None:
    """`typed`: the value comes from JSON, where a number is a number and a string is text."""
    if isinstance(value, str):
        if "\x00" in value:
            return _refuse(field, _("“%(f)s”含有不允许的空字符（NUL）") % {"f": field})
        if not typed and not _TEXT_NAMES.search(field.rsplit(".", 1)[-1]) and _INT.match(value.strip()):
            value = int(value.strip())
        else:
            return None
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    if abs(value) > MAX_INT:
        return _refuse(field, _("“%(f)s”的数值超出范围") % {"f": field})
    if _YEAR_NAMES.search(field) and not YEAR_MIN <= value <= YEAR_MAX:
        return _refuse(
            field, _("“%(f)s”应为%(a)d–%(b)d之间的年份") % {"f": field, "a": YEAR_MIN, "b": YEAR_MAX}
        )
    return None


def _walk(value, path: str):
    if isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in str(key):
                yield path or "body", "\x00"
            yield from _walk(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}.{index}" if path else str(index))
    else:
        yield path or "body", value


def check_api_request(request) -> JsonResponse | None:
    """The refusal for a request under /api/, or None when it may go on."""
    for segment in request.path.split("/"):
        if segment.isdigit() and int(segment) > MAX_INT:
            return _refuse("path", _("网址中的编号超出范围"))
    for key, values in request.GET.lists():
        for value in values:
            refusal = _check_value(key, value)
            if refusal is not None:
                return refusal
    content_type = request.META.get("CONTENT_TYPE", "")
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if content_type.startswith("multipart/form-data") and "boundary=" not in content_type:
            return _refuse("body", _("multipart 请求缺少 boundary，无法读取上传内容"))
        if content_type.startswith("application/json") and request.body:
            try:
                data = json.loads(request.body)
            except (ValueError, UnicodeDecodeError):
                return None  # the API's own parser answers this one, in its shape
            for field, value in _walk(data, ""):
                refusal = _check_value(field, value, typed=True)
                if refusal is not None:
                    return refusal
        elif content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
            try:
                items = list(request.POST.lists())
            except Exception:
                return _refuse("body", _("无法读取请求体"))
            for key, values in items:
                for value in values:
                    refusal = _check_value(key, value)
                    if refusal is not None:
                        return refusal
    return None


class ApiGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            refusal = check_api_request(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)
