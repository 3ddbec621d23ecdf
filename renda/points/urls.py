from django.urls import path

from . import views

app_name = "points"
urlpatterns = [
    path("", views.SchemeListView.as_view(), name="schemes"),
    path("schemes/sample/", views.SchemeSampleView.as_view(), name="scheme_sample"),
    path("schemes/new/", views.SchemeCreateView.as_view(), name="scheme_create"),
    path("schemes/<int:pk>/", views.SchemeDetailView.as_view(), name="scheme"),
    path("schemes/<int:pk>/export/", views.SchemeExportView.as_view(), name="scheme_export"),
    path("schemes/<int:pk>/standings/", views.StandingListView.as_view(), name="standings"),
    path("schemes/<int:pk>/deputies/<int:deputy_id>/", views.DeputyLedgerView.as_view(), name="ledger"),
    path("schemes/<int:pk>/deputies/<int:deputy_id>/adjust/", views.AdjustView.as_view(), name="adjust"),
    path(
        "schemes/<int:pk>/publish-standings/",
        views.PublicationCreateView.as_view(),
        name="publication_create",
    ),
    path("schemes/<int:pk>/editor/", views.SchemeEditorView.as_view(), name="scheme_editor"),
    path("schemes/<int:pk>/<slug:action>/", views.SchemeActionView.as_view(), name="scheme_action"),
    path("publications/<int:pk>/", views.PublicationDetailView.as_view(), name="publication"),
    path("publications/<int:pk>/xlsx/", views.PublicationWorkbookView.as_view(), name="publication_xlsx"),
    path("publications/<int:pk>/public/", views.PublicPublicationView.as_view(), name="publication_public"),
    path("publications/<int:pk>/object/", views.ObjectionCreateView.as_view(), name="objection_create"),
    path("objections/", views.ObjectionListView.as_view(), name="objections"),
    path("objections/<int:pk>/resolve/", views.ObjectionResolveView.as_view(), name="objection_resolve"),
    path("records/new/", views.RecordCreateView.as_view(), name="record_create"),
    path("records/<int:pk>/adjust/", views.RecordAdjustView.as_view(), name="record_adjust"),
    path("records/declarations/", views.DeclarationReviewView.as_view(), name="declarations"),
    path("actions/", views.ActionListView.as_view(), name="actions"),
    path("mine/", views.MyPointsView.as_view(), name="mine"),
]
