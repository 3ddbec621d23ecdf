"""Helpers for views that answer both full page loads and htmx requests."""

from django.http import HttpResponse
from django.shortcuts import render


def render_page_or_partial(request, page: str, partial: str, context: dict) -> HttpResponse:
    """htmx requests get the partial (names start with `_`), ordinary requests the whole page."""
    template = partial if getattr(request, "htmx", False) and not request.htmx.boosted else page
    return render(request, template, context)


def htmx_redirect(request, url: str) -> HttpResponse:
    """Redirect that works for htmx (HX-Redirect) and ordinary requests alike."""
    from django.shortcuts import redirect

    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)
