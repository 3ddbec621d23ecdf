from django.urls import path

from . import views

app_name = "deputies"
urlpatterns = [
    path("", views.DeputyListView.as_view(), name="list"),
    path("new/", views.DeputyCreateView.as_view(), name="create"),
    path("congresses/", views.CongressListView.as_view(), name="congresses"),
    path("congresses/new/", views.CongressCreateView.as_view(), name="congress_create"),
    path(
        "congresses/constituencies/new/",
        views.ConstituencyCreateView.as_view(),
        name="constituency_create",
    ),
    path("export/", views.DeputyExportView.as_view(), name="export"),
    path("<int:pk>/", views.DeputyDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.DeputyEditView.as_view(), name="edit"),
    path("<int:pk>/photo/", views.DeputyPhotoView.as_view(), name="photo"),
    path("<int:pk>/reveal/<str:field>/", views.DeputyRevealView.as_view(), name="reveal"),
    path("<int:pk>/mandates/", views.MandateAddView.as_view(), name="mandate_add"),
    path("<int:pk>/roles/", views.ExternalRoleAddView.as_view(), name="role_add"),
    path("<int:pk>/assignments/", views.AssignmentAddView.as_view(), name="assignment_add"),
    path("mandates/<int:pk>/transition/", views.MandateTransitionView.as_view(), name="mandate_transition"),
    path("roles/<int:pk>/end/", views.ExternalRoleEndView.as_view(), name="role_end"),
    path("assignments/<int:pk>/end/", views.AssignmentEndView.as_view(), name="assignment_end"),
    path("imports/new/", views.RosterImportNewView.as_view(), name="import_new"),
    path("imports/sample/", views.RosterImportSampleView.as_view(), name="import_sample"),
    path("imports/<uuid:pk>/", views.RosterImportDetailView.as_view(), name="import_detail"),
    path("imports/<uuid:pk>/confirm/", views.RosterImportConfirmView.as_view(), name="import_confirm"),
    path("liaison/", views.LiaisonView.as_view(), name="liaison"),
    path("portal/", views.PortalView.as_view(), name="portal"),
    path("portal/contact/", views.PortalContactView.as_view(), name="portal_contact"),
    path("portal/committee/", views.PortalCommitteeContactView.as_view(), name="portal_committee"),
]
