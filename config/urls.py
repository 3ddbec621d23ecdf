"""The site's URLs: one include per app, the API under /api/v1/, health at /healthz."""

from django.urls import include, path

from renda.core.api import api
from renda.core.views import healthz
from renda.deputies.api import router as deputies_router
from renda.duty_records.api import router as duty_records_router
from renda.regions.api import router as regions_router

api.add_router("/deputies", deputies_router)
api.add_router("/duty-records", duty_records_router)
api.add_router("/regions", regions_router)

urlpatterns = [
    path("", include("renda.core.urls")),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("renda.accounts.urls")),
    path("audit/", include("renda.audit.urls")),
    path("jobs/", include("renda.jobs.urls")),
    path("regions/", include("renda.regions.urls")),
    path("deputies/", include("renda.deputies.urls")),
    path("duty-records/", include("renda.duty_records.urls")),
    path("api/v1/", api.urls),
]

handler404 = "renda.core.views.page_not_found"
handler500 = "renda.core.views.server_error"
handler403 = "renda.core.views.permission_denied"
