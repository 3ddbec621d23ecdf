from django.urls import path

from . import views

app_name = "deputies"
urlpatterns = [
    path("", views.DeputyListView.as_view(), name="list"),
    path("<int:pk>/", views.DeputyDetailView.as_view(), name="detail"),
    path("<int:pk>/reveal/<str:field>/", views.DeputyRevealView.as_view(), name="reveal"),
    path("portal/", views.PortalView.as_view(), name="portal"),
]
