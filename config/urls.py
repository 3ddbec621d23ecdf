"""The site's URLs: one include per app, the API under /api/v1/, health at /healthz."""

from django.urls import include, path
from django.views.i18n import set_language

from renda.accounts.api import auth_router, me_router
from renda.activities.api import router as activities_router
from renda.cooperation.api import router as cooperation_router
from renda.core.access import PUBLIC
from renda.core.api import api
from renda.core.views import view_permission
from renda.deputies.api import router as deputies_router
from renda.dossier.api import router as dossier_router
from renda.duty_records.api import router as duty_records_router
from renda.duty_reports.api import router as duty_reports_router
from renda.guidance.api import router as guidance_router
from renda.legislation.api import router as legislation_router
from renda.media_column.api import router as media_column_router
from renda.network.api import reception_days_router, stations_router
from renda.operations.views import healthz
from renda.opinions.api import router as opinions_router
from renda.organizations.api import appointments_router, bodies_router
from renda.points.api import router as points_router
from renda.regions.api import router as regions_router
from renda.rollup.api import router as rollup_router
from renda.suggestions.api import router as suggestions_router
from renda.training.api import router as training_router
from renda.workplan.api import router as workplan_router

api.add_router("/auth", auth_router)
api.add_router("/me", me_router)
api.add_router("/deputies", deputies_router)
api.add_router("/duty-records", duty_records_router)
api.add_router("/drafts", legislation_router)
api.add_router("/bodies", bodies_router)
api.add_router("/appointments", appointments_router)
api.add_router("/stations", stations_router)
api.add_router("/reception-days", reception_days_router)
api.add_router("/opinions", opinions_router)
api.add_router("/regions", regions_router)
api.add_router("/suggestions", suggestions_router)
api.add_router("/guidance", guidance_router)
api.add_router("/workplans", workplan_router)
api.add_router("/rollup", rollup_router)
api.add_router("/training", training_router)
api.add_router("/articles", media_column_router)
api.add_router("/cooperation", cooperation_router)
api.add_router("/activities", activities_router)
api.add_router("/duty-reports", duty_reports_router)
api.add_router("/dossiers", dossier_router)
api.add_router("/points", points_router)

urlpatterns = [
    path("", include("renda.core.urls")),
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", view_permission(PUBLIC)(set_language), name="set_language"),
    path("accounts/", include("renda.accounts.urls")),
    path("audit/", include("renda.audit.urls")),
    path("jobs/", include("renda.jobs.urls")),
    path("regions/", include("renda.regions.urls")),
    path("deputies/", include("renda.deputies.urls")),
    path("duty-records/", include("renda.duty_records.urls")),
    path("points/", include("renda.points.urls")),
    path("legislation/", include("renda.legislation.urls")),
    path("organizations/", include("renda.organizations.urls")),
    path("network/", include("renda.network.urls")),
    path("stations/", include("renda.network.public_urls")),  # public station directory
    # /o/<code>/ (station posters) and /opinions/…
    path("", include("renda.opinions.urls")),
    path("suggestions/", include("renda.suggestions.urls")),
    path("notifications/", include("renda.notifications.urls")),
    path("guidance/", include("renda.guidance.urls")),
    path("workplan/", include("renda.workplan.urls")),
    path("training/", include("renda.training.urls")),
    path("media-column/", include("renda.media_column.urls")),
    path("news/", include("renda.media_column.public_urls")),  # public media column
    path("cooperation/", include("renda.cooperation.urls")),
    path("onboarding/", include("renda.onboarding.urls")),
    path("activities/", include("renda.activities.urls")),
    path("rollup/", include("renda.rollup.urls")),
    path("duty-reports/", include("renda.duty_reports.urls")),
    path("dossier/", include("renda.dossier.urls")),
    path("api/v1/", api.urls),
]

handler404 = "renda.core.views.page_not_found"
handler500 = "renda.core.views.server_error"
handler403 = "renda.core.views.permission_denied"
