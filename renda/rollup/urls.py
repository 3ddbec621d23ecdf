from django.urls import path

import renda.core.converters  # noqa: F401 — registers <code:…>

from . import views

app_name = "rollup"

urlpatterns = [
    path("", views.RollupView.as_view(), name="home"),
    path("<code:code>/", views.RollupView.as_view(), name="region"),
    path("<code:code>/rollup.xlsx", views.RollupXlsxView.as_view(), name="xlsx"),
]
