"""/healthz: database, worker heartbeat, oldest queued job, free disk, holiday calendar (health.py)."""

from django.http import JsonResponse

from renda.core.access import PUBLIC
from renda.core.views import view_permission

from .health import CRITICAL, health_report


@view_permission(PUBLIC)
def healthz(request):
    """200 when nothing is critical (warnings included in the body), 503 otherwise. Figures only: no
    names, paths of personal data or error details beyond the first line."""
    report = health_report()
    database = report["checks"]["database"]
    body = {
        "status": report["status"],
        # Kept from the first /healthz: monitors that read these go on working.
        "database": "ok" if database["status"] == "ok" else "error",
        "vendor": database.get("vendor", ""),
        "checks": report["checks"],
    }
    return JsonResponse(body, status=503 if report["status"] == CRITICAL else 200)
