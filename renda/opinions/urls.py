"""Opinion URLs, included at the site root: /o/<code>/ is the short address printed on station posters."""

from django.urls import path

import renda.core.converters  # noqa: F401 — registers <code:…>

from . import views

app_name = "opinions"
urlpatterns = [
    path("o/<code:code>/", views.PublicOpinionFormView.as_view(), name="public_form"),
    path("opinions/submitted/", views.PublicSubmittedView.as_view(), name="submitted"),
    path("opinions/track/", views.TrackView.as_view(), name="track"),
    path("opinions/", views.OpinionListView.as_view(), name="list"),
    path("opinions/new/", views.OpinionCreateView.as_view(), name="create"),
    path("opinions/<int:pk>/", views.OpinionDetailView.as_view(), name="detail"),
    path("opinions/<int:pk>/transition/", views.OpinionTransitionView.as_view(), name="transition"),
    path("opinions/<int:pk>/reply/", views.OpinionReplyView.as_view(), name="reply"),
    path("opinions/<int:pk>/rate/", views.OpinionRateView.as_view(), name="rate"),
    path("opinions/<int:pk>/department/", views.OpinionDepartmentView.as_view(), name="department"),
    path("opinions/<int:pk>/reveal/", views.OpinionRevealView.as_view(), name="reveal"),
]
