"""Links to the dossier from a deputy's record page and from the deputy's own portal (registered, so
that the deputies app does not import the dossier)."""

from renda.core.access import has_permission
from renda.core.sections import section_register


def _deputy_detail(request, deputy, **_):
    if request is None or not has_permission(request.user, "dossier.view"):
        return None
    return {"dossier_deputy": deputy}


def _portal(request, deputy=None, **_):
    if request is None or deputy is None or not has_permission(request.user, "dossier.view"):
        return None
    return {"dossier_deputy": deputy}


section_register(
    page="deputy_detail",
    name="dossier",
    template="dossier/_deputy_section.html",
    context=_deputy_detail,
    order=90,
)
section_register(
    page="portal", name="dossier", template="dossier/_portal_section.html", context=_portal, order=90
)
