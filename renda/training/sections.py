"""The training section on a deputy's record page and on the deputy's own portal (registered, so that
the deputies app does not import training)."""

from django.utils import timezone

from renda.core.access import has_permission
from renda.core.sections import section_register

from . import selectors


def _deputy_detail(request, deputy, **_):
    if request is None or not has_permission(request.user, "training.view"):
        return None
    year = timezone.localdate().year
    return {
        "training_year": year,
        "training_hours": selectors.deputy_training_hours(deputy=deputy, year=year),
        "training_sessions": selectors.deputy_training_sessions(deputy=deputy)[:10],
        "training_link_detail": True,
    }


def _portal(request, deputy=None, **_):
    if request is None or deputy is None or not has_permission(request.user, "training.mine"):
        return None
    year = timezone.localdate().year
    return {
        "training_year": year,
        "training_hours": selectors.deputy_training_hours(deputy=deputy, year=year),
    }


section_register(
    page="deputy_detail",
    name="training",
    template="training/_deputy_section.html",
    context=_deputy_detail,
    order=50,
)
section_register(
    page="portal", name="training", template="training/_portal_section.html", context=_portal, order=50
)
