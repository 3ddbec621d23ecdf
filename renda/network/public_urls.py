"""The public station directory, mounted at /stations/ (no login)."""

from django.urls import path

from . import public_views

app_name = "stations"
urlpatterns = [
    path("", public_views.StationDirectoryView.as_view(), name="directory"),
    path("<str:code>/", public_views.StationPublicView.as_view(), name="detail"),
]
