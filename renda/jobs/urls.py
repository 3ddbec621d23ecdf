from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("", views.JobListView.as_view(), name="list"),
    path("<uuid:job_id>/", views.JobDetailView.as_view(), name="detail"),
    path("<uuid:job_id>/download/", views.JobDownloadView.as_view(), name="download"),
]
