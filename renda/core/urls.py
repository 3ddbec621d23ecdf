from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("prefs/", views.DisplayPreferencesView.as_view(), name="prefs"),
    path("pick/<slug:name>/", views.PickerSearchView.as_view(), name="pick"),
    path("queues/<str:key>/", views.QueueOpenView.as_view(), name="queue_open"),
]
