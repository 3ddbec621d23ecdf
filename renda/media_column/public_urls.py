from django.urls import path

from . import views

app_name = "media_column_public"
urlpatterns = [
    path("", views.PublicListView.as_view(), name="list"),
    path("<int:pk>/", views.PublicDetailView.as_view(), name="detail"),
    path("images/<int:pk>/", views.PublicImageView.as_view(), name="image"),
]
