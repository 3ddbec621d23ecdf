from django.urls import path

from . import views

app_name = "onboarding"
urlpatterns = [
    path("", views.OnboardingView.as_view(), name="index"),
    path(
        "sheets/<uuid:sheet_id>/download/", views.CredentialSheetDownloadView.as_view(), name="sheet_download"
    ),
    path("accounts/<int:pk>/", views.AccountLinksView.as_view(), name="account_links"),
    path("deputies/<int:pk>/account/", views.DeputyAccountView.as_view(), name="deputy_account"),
]
