from django.urls import path

from . import views

app_name = "legislation"
urlpatterns = [
    path("", views.DraftListView.as_view(), name="list"),
    path("new/", views.DraftCreateView.as_view(), name="create"),
    path("stats/", views.StatsView.as_view(), name="stats"),
    path("<int:pk>/", views.DraftDetailView.as_view(), name="detail"),
    path("<int:pk>/opinions/", views.DraftOpinionCreateView.as_view(), name="opinion_create"),
    path("<int:pk>/distribute/", views.DraftDistributeView.as_view(), name="distribute"),
    path("<int:pk>/report.docx", views.DraftReportView.as_view(), name="report"),
    path("opinions/<int:pk>/feedback/", views.DraftOpinionFeedbackView.as_view(), name="feedback"),
    path("public/", views.PublicDraftListView.as_view(), name="public_list"),
    path("public/<int:pk>/", views.PublicDraftView.as_view(), name="public_draft"),
]
