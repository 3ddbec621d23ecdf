from django.urls import path

from . import views

app_name = "rollup"

urlpatterns = [
    path("", views.RollupView.as_view(), name="home"),
    path("<str:code>/", views.RollupView.as_view(), name="region"),
    path("<str:code>/rollup.xlsx", views.RollupXlsxView.as_view(), name="xlsx"),
]
