"""The public station directory, mounted at /stations/ (no login)."""

from django.urls import path

import renda.core.converters  # noqa: F401 — registers <code:…>

from . import public_views

app_name = "stations"
urlpatterns = [
    path("", public_views.StationDirectoryView.as_view(), name="directory"),
    path("<code:code>/", public_views.StationPublicView.as_view(), name="detail"),
]
