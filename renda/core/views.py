"""The base view every Renda page extends, and the kernel's own pages (home, errors; /healthz lives in
renda/operations, which may look at every app)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from .access import AUTHENTICATED, PUBLIC, has_permission
from .signals import access_denied


def _deny(request, permission: str):
    access_denied.send(sender=None, detail=f"{request.path} permission={permission}")
    raise Http404


def check_permission(request, permission: str | None, view_name: str):
    """Shared by class and function views: refuse loudly when no check was declared."""
    if not permission:
        raise ImproperlyConfigured(f"{view_name} declares no permission; set `permission` (or PUBLIC).")
    if permission == PUBLIC:
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not has_permission(request.user, permission):
        _deny(request, permission)
    return None


def safe_next(request, default: str = "/") -> str:
    """The `next` parameter when it points back into this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


class RendaView(View):
    """Base for every page. A subclass must declare `permission`; a missing one fails every request."""

    permission: str | None = None
    # Browser features this page needs (Permissions-Policy), e.g. ("camera",) to scan QR codes.
    allow_features: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        refusal = check_permission(request, self.permission, type(self).__name__)
        if refusal is not None:
            return refusal
        response = super().dispatch(request, *args, **kwargs)
        if self.allow_features:
            response.allow_features = self.allow_features
        return response


class RendaTemplateView(RendaView, TemplateView):
    """A page that only renders a template, with RendaView's permission check."""


def view_permission(permission: str):
    """The function-view form of RendaView.permission."""

    def decorator(func):
        @wraps(func)
        def wrapper(request, *args, **kwargs):
            refusal = check_permission(request, permission, func.__name__)
            if refusal is not None:
                return refusal
            return func(request, *args, **kwargs)

        wrapper.permission = permission
        return wrapper

    return decorator


class HomeView(RendaTemplateView):
    permission = AUTHENTICATED
    template_name = "core/home.html"

    def get(self, request, *args, **kwargs):
        # A deputy's home is the phone portal.
        if has_permission(request.user, "portal.use"):
            return redirect("deputies:portal")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        from .calendar import calendar_notice
        from .queues import work_queues

        # Deadlines count working days: staff must hear before a year the official calendar lacks starts.
        return {
            **super().get_context_data(**kwargs),
            "work_queues": work_queues(self.request.user),
            "calendar_notice": calendar_notice(user=self.request.user),
        }


class QueueOpenView(RendaView):
    """Follow a "changed since you last looked" queue: record the look, go to the queue's page."""

    permission = AUTHENTICATED

    def get(self, request, key):
        from .queues import QUEUES, queue_mark_seen, queues_for

        queue = QUEUES.get(key)
        if queue is None or queue not in queues_for(request.user):
            raise Http404
        url = queue.url(request.user)  # before the mark moves: the list shows what was counted
        queue_mark_seen(user=request.user, key=key)
        return redirect(url)


class DisplayPreferencesView(RendaView):
    """适老化: larger text and higher contrast, remembered in a cookie for a year."""

    permission = PUBLIC

    def post(self, request):
        # renda.js switches the page in place and only needs the cookie: no reload, typed text stays.
        response = HttpResponse(status=204) if request.htmx else redirect(safe_next(request))
        for name, key in (("large", "renda_large"), ("contrast", "renda_contrast")):
            if name in request.POST:
                value = "1" if request.POST[name] == "1" else "0"
                response.set_cookie(key, value, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
        return response


def csrf_failure(request, reason=""):
    return render(
        request,
        "403.html",
        {"message": _("页面已过期或请求来源无法验证，请刷新页面后重试。")},
        status=403,
    )


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No request context: the context processors may need the very database that just failed.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.render_to_string("500.html"))


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


class PickerSearchView(RendaView):
    """The results of a search picker (core/pickers.py): radio buttons named after the form field.

    Each picker names its own permission; lacking it looks like a missing page.
    """

    permission = AUTHENTICATED

    def get(self, request, name):
        import re

        from .pickers import PICKERS, picker_results

        picker = PICKERS.get(name)
        if picker is None or not has_permission(request.user, picker.permission):
            raise Http404
        field = request.GET.get("field", "")
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,60}", field):
            raise Http404
        q = request.GET.get("q", "")
        # A narrowing field arrives under its form's prefix ("mandate-congress"): match the last part.
        params = {}
        for key, value in request.GET.items():
            base = key.rsplit("-", 1)[-1]
            if base in picker.params and key != field:
                params[base] = value.strip()[:20]
        results, more = picker_results(name=name, user=request.user, q=q, params=params)
        return render(
            request,
            "core/_picker_results.html",
            {
                "results": results,
                "more": more,
                "field": field,
                "q": q.strip()[:50],
                "multiple": request.GET.get("multiple") == "1",
            },
        )
