from django.urls import path

from renda.notifications.views import InboxView

from . import views

app_name = "suggestions"
urlpatterns = [
    path("", views.SuggestionListView.as_view(), name="list"),
    path("new/", views.SuggestionCreateView.as_view(), name="create"),
    path("register/", views.RegisterExportView.as_view(), name="register"),
    path("key/", views.KeySuggestionListView.as_view(), name="key_list"),
    path("mine/", views.MySuggestionsView.as_view(), name="mine"),
    path("write/", views.DraftCreateView.as_view(), name="write"),
    path("similar/", views.SimilarView.as_view(), name="similar"),
    path("unit/", views.UnitInboxView.as_view(), name="unit_inbox"),
    path("stats/", views.StatsView.as_view(), name="stats"),
    path("stats.xlsx", views.StatsXlsxView.as_view(), name="stats_xlsx"),
    path("report/<int:year>.docx", views.YearlyReportView.as_view(), name="yearly_report"),
    path("funds/", views.FundListView.as_view(), name="funds"),
    path("funds/<int:pk>/advance/", views.FundAdvanceView.as_view(), name="fund_advance"),
    # The inbox belongs to renda.notifications; handling units keep this address for their reminders.
    path("notifications/", InboxView.as_view(), name="notifications"),
    path("public/", views.PublicReplyListView.as_view(), name="public_list"),
    path("public/<int:pk>/", views.PublicReplyDetailView.as_view(), name="public_detail"),
    path("public/micro-projects/", views.PublicMicroProjectsView.as_view(), name="public_micro"),
    path("<int:pk>/", views.SuggestionDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.DraftEditView.as_view(), name="edit"),
    path("<int:pk>/step/<str:step>/", views.SuggestionStepView.as_view(), name="step"),
    path("<int:pk>/cosign/", views.CosignAnswerView.as_view(), name="cosign"),
    path("<int:pk>/timeline/", views.SuggestionTimelineView.as_view(), name="timeline"),
    path("<int:pk>/attach/", views.AttachmentUploadView.as_view(), name="attach"),
    path(
        "<int:pk>/attachments/<int:attachment_id>/", views.AttachmentDownloadView.as_view(), name="attachment"
    ),
    path(
        "<int:pk>/replies/<int:reply_id>/letter/",
        views.ReplyLetterDownloadView.as_view(),
        name="reply_letter",
    ),
    path(
        "<int:pk>/handover/<int:assignment_id>.docx",
        views.HandoverLetterView.as_view(),
        name="handover_letter",
    ),
    path("<int:pk>/reply-letter.docx", views.ReplyTemplateView.as_view(), name="reply_template"),
    path("<int:pk>/record.pdf", views.RecordPdfView.as_view(), name="record_pdf"),
]
