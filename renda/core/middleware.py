"""Middleware that makes the current actor and source address known to services and the audit log."""

from . import context


def client_ip(request) -> str | None:
    """The client's address, the one helper used by the lockout (axes: AXES_CLIENT_IP_CALLABLE), the
    audit log (RequestContextMiddleware) and the rate limits (issue 15 §6).

    REMOTE_ADDR, unless it is one of settings.RENDA_TRUSTED_PROXIES: then X-Forwarded-For is read
    from the right, skipping the trusted proxies, and the first address not among them is the
    client. Entries left of it were written by the client and are never believed; a malformed entry
    stops the walk at the last address known good. Without trusted proxies X-Forwarded-For is
    ignored entirely (a client can write it).
    """
    import ipaddress

    from django.conf import settings

    remote = request.META.get("REMOTE_ADDR")
    trusted = settings.RENDA_TRUSTED_PROXIES
    if not trusted or not remote or not _in_networks(remote, trusted):
        return remote
    client = remote
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        hop = hop.strip()
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break
        client = hop
        if not _in_networks(hop, trusted):
            break
    return client


def _in_networks(address: str, networks) -> bool:
    import ipaddress

    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def record_refusals(noted: list[str], *, where: str) -> None:
    """Write the refused workflow steps of a request or job, each as a denied audit entry."""
    from .signals import workflow_refused

    for message in noted:
        workflow_refused.send(sender=None, detail=f"{where} {message}")  # renda.audit records it


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        authenticated = bool(user is not None and user.is_authenticated)
        token = context.set_current(
            context.RequestContext(
                user_id=user.pk if authenticated else None,
                username=user.get_username() if authenticated else "",
                ip=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:200],
            )
        )
        refusals = context.collect_refusals()
        try:
            return self.get_response(request)
        finally:
            noted = context.take_refusals(refusals)
            if noted:
                record_refusals(noted, where=f"{request.method} {request.path}")
            context.reset(token)


class LanguageMiddleware:
    """Simplified Chinese unless the user chose another language with the switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a county clerk whose
    browser happens to be set to English would get a half-English site; here only the explicit
    choice (the cookie that `set_language` writes) counts.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


# Browser features no page uses; a page that needs one declares it (RendaView.allow_features, e.g. a
# page scanning QR codes with the camera), and gets "(self)" for it instead of "()".
PERMISSIONS_POLICY_FEATURES = (
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)


def permissions_policy(allowed=()) -> str:
    """The Permissions-Policy header value: every feature off except `allowed`, which this origin gets."""
    return ", ".join(f"{f}=(self)" if f in allowed else f"{f}=()" for f in PERMISSIONS_POLICY_FEATURES)


class PermissionsPolicyMiddleware:
    """Adds Permissions-Policy to every response; a view opts into features through
    `response.allow_features` (set by RendaView from its `allow_features`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Permissions-Policy" not in response:
            response["Permissions-Policy"] = permissions_policy(getattr(response, "allow_features", ()))
        return response
