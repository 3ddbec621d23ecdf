from django.urls import path

from . import views

app_name = "activities"
urlpatterns = [
    path("", views.ActivityListView.as_view(), name="list"),
    path("new/", views.ActivityEditView.as_view(), name="create"),
    path("follow-ups/", views.FollowUpListView.as_view(), name="follow_ups"),
    path("campaigns/", views.CampaignListView.as_view(), name="campaigns"),
    path("campaigns/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign_detail"),
    path("mine/", views.PortalView.as_view(), name="portal"),
    path("mine/<int:pk>/", views.PortalDetailView.as_view(), name="portal_detail"),
    path("opinions/<int:pk>/take-up/", views.TakeUpView.as_view(), name="take_up"),
    path(
        "invitations/<int:pk>/<str:action>/", views.InvitationActionView.as_view(), name="invitation_action"
    ),
    path("externals/<int:pk>/remove/", views.ExternalRemoveView.as_view(), name="external_remove"),
    path("<int:pk>/", views.ActivityDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ActivityEditView.as_view(), name="edit"),
    path("<int:pk>/attendance/", views.AttendanceView.as_view(), name="attendance"),
    path("<int:pk>/invite/", views.InviteView.as_view(), name="invite"),
    path("<int:pk>/chase/", views.ChaseView.as_view(), name="chase"),
    path("<int:pk>/close/", views.CloseAttendanceView.as_view(), name="close"),
    path("<int:pk>/add/<str:part>/", views.ActivityPartView.as_view(), name="part"),
    path("<int:pk>/materials/<int:material_id>/", views.MaterialDownloadView.as_view(), name="material"),
    path("<int:pk>/code/", views.CheckinCodeView.as_view(), name="code"),
    path("<int:pk>/checkin/", views.CheckinView.as_view(), name="checkin"),
]
