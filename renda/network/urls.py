from django.urls import path

from . import views

app_name = "network"
urlpatterns = [
    path("", views.StationListView.as_view(), name="list"),
    path("new/", views.StationEditView.as_view(), name="create"),
    path("<int:pk>/", views.StationDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.StationEditView.as_view(), name="edit"),
    path("<int:pk>/poster/", views.StationPosterView.as_view(), name="poster"),
    path("<int:pk>/poster.pdf", views.StationPosterPdfView.as_view(), name="poster_pdf"),
    path("<int:pk>/add/<str:part>/", views.StationPartAddView.as_view(), name="part_add"),
    path("remove/<str:part>/<int:pk>/", views.StationPartRemoveView.as_view(), name="part_remove"),
    path("<int:station_pk>/receptions/new/", views.ReceptionDayEditView.as_view(), name="reception_create"),
    path("receptions/", views.ReceptionDayListView.as_view(), name="reception_list"),
    path("receptions/<int:pk>/", views.ReceptionDayDetailView.as_view(), name="reception_detail"),
    path("receptions/<int:pk>/edit/", views.ReceptionDayEditView.as_view(), name="reception_edit"),
    path("receptions/<int:pk>/record/", views.ReceptionDayRecordView.as_view(), name="reception_record"),
    path("receptions/<int:pk>/cancel/", views.ReceptionDayCancelView.as_view(), name="reception_cancel"),
]
