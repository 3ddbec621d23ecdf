from django.urls import path

import renda.core.converters  # noqa: F401 — registers <code:…>

from . import views

app_name = "guidance"
urlpatterns = [
    path("", views.GuidanceHomeView.as_view(), name="home"),
    path("new/", views.GuidanceListCreateView.as_view(), name="create"),
    path("<int:pk>/", views.GuidanceListDetailView.as_view(), name="detail"),
    path("<int:pk>/add/<str:part>/", views.GuidancePartAddView.as_view(), name="part_add"),
    path("<int:pk>/townships/<code:code>/", views.TownshipItemsView.as_view(), name="township"),
    path("<int:pk>/board/", views.BoardView.as_view(), name="board"),
    path("<int:pk>/board.xlsx", views.BoardExportView.as_view(), name="board_xlsx"),
    path("items/<int:pk>/", views.TownshipItemDetailView.as_view(), name="item"),
    path("items/<int:pk>/report/", views.TownshipItemReportView.as_view(), name="report"),
    path("items/<int:pk>/review/", views.TownshipItemReviewView.as_view(), name="review"),
    path("evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence"),
    path("rules/", views.StationRulesView.as_view(), name="rules"),
    path(
        "rules/<int:station_pk>/<int:year>/<str:kind>/", views.StationRuleEditView.as_view(), name="rule_edit"
    ),
    path(
        "rules/<int:station_pk>/<int:year>/<str:kind>/file/",
        views.StationRuleFileView.as_view(),
        name="rule_file",
    ),
]
