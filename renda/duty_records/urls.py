from django.urls import path

from . import views

app_name = "duty_records"
urlpatterns = [
    path("", views.DutyRecordListView.as_view(), name="list"),
    path("<int:pk>/review/", views.DutyRecordReviewView.as_view(), name="review"),
]
