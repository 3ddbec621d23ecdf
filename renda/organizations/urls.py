from django.urls import path

from . import views

app_name = "organizations"
urlpatterns = [
    path("", views.OrganizationListView.as_view(), name="list"),
    path("chart/", views.OrganizationChartView.as_view(), name="chart"),
    path("new/", views.OrganizationEditView.as_view(), name="create"),
    path("<int:pk>/", views.OrganizationDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.OrganizationEditView.as_view(), name="edit"),
    path("<int:pk>/duties/", views.DutiesEditView.as_view(), name="duties"),
    path("<int:org_pk>/appointments/new/", views.AppointmentEditView.as_view(), name="appointment_create"),
    path("appointments/<int:pk>/edit/", views.AppointmentEditView.as_view(), name="appointment_edit"),
    path("appointments/<int:pk>/end/", views.AppointmentEndView.as_view(), name="appointment_end"),
]
