from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("", views.SessionListView.as_view(), name="session_list"),
    path("sessions/new/", views.SessionCreateView.as_view(), name="session_create"),
    path("sessions/<int:pk>/", views.SessionDetailView.as_view(), name="session_detail"),
    path("sessions/<int:pk>/attendees/", views.SessionAttendeesView.as_view(), name="session_attendees"),
    path(
        "sessions/<int:pk>/attendees/<int:attendee_pk>/remove/",
        views.AttendeeRemoveView.as_view(),
        name="attendee_remove",
    ),
    path("sessions/<int:pk>/attendance/", views.AttendanceView.as_view(), name="session_attendance"),
    path("sessions/<int:pk>/days/<int:day_pk>/", views.DayUpdateView.as_view(), name="day_update"),
    path("sessions/<int:pk>/close/", views.SessionCloseView.as_view(), name="session_close"),
    path("sessions/<int:pk>/reopen/", views.SessionReopenView.as_view(), name="session_reopen"),
    path("certificates/<int:pk>.pdf", views.CertificateView.as_view(), name="certificate"),
    path("plans/", views.PlanListView.as_view(), name="plan_list"),
    path("plans/new/", views.PlanCreateView.as_view(), name="plan_create"),
    path("plans/<int:pk>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<int:pk>/items/", views.PlanItemAddView.as_view(), name="plan_item_add"),
    path(
        "plans/<int:pk>/items/<int:item_pk>/remove/",
        views.PlanItemRemoveView.as_view(),
        name="plan_item_remove",
    ),
    path("plans/<int:pk>/<str:action>/", views.PlanTransitionView.as_view(), name="plan_transition"),
    path("hours/", views.HoursView.as_view(), name="hours"),
    path("mine/", views.MineView.as_view(), name="mine"),
]
