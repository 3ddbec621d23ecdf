from django.urls import path

from . import views

app_name = "dossier"
urlpatterns = [
    path("", views.DossierIndexView.as_view(), name="index"),
    path("batch/", views.BatchView.as_view(), name="batch"),
    path("<int:pk>/", views.DossierDetailView.as_view(), name="detail"),
    path("<int:pk>/dossier.pdf", views.DossierPdfView.as_view(), name="pdf"),
    path("<int:pk>/handbook.pdf", views.HandbookView.as_view(), name="handbook"),
    path("<int:pk>/commendations/", views.CommendationAddView.as_view(), name="commendation_add"),
]
