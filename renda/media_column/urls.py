from django.urls import path

from . import views

app_name = "media_column"
urlpatterns = [
    path("", views.ArticleListView.as_view(), name="list"),
    path("new/", views.ArticleEditView.as_view(), name="create"),
    path("<int:pk>/", views.ArticleEditView.as_view(), name="edit"),
    path("<int:pk>/images/", views.ArticleImageView.as_view(), name="image_add"),
    path("<int:pk>/publish/", views.ArticlePublishView.as_view(), name="publish"),
    path("<int:pk>/withdraw/", views.ArticleWithdrawView.as_view(), name="withdraw"),
]
