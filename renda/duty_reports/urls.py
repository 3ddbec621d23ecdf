from django.urls import path

from . import views

app_name = "duty_reports"
urlpatterns = [
    path("", views.ReportListView.as_view(), name="list"),
    path("new/", views.ReportCreateView.as_view(), name="create"),
    path("rules/", views.RuleListView.as_view(), name="rules"),
    path("rules/new/", views.RuleCreateView.as_view(), name="rule_create"),
    path("rules/<int:pk>/", views.RuleEditView.as_view(), name="rule_edit"),
    path("vote/done/", views.VotedView.as_view(), name="voted"),
    path("vote/<str:code>/", views.VoteView.as_view(), name="vote"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="detail"),
    path("<int:pk>/file/", views.ReportFileView.as_view(), name="file"),
    path("<int:pk>/codes.pdf", views.CodesSheetView.as_view(), name="codes"),
    path("<int:pk>/<str:action>/", views.ReportActionView.as_view(), name="action"),
]
