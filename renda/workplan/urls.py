from django.urls import path

from . import views

app_name = "workplan"
urlpatterns = [
    path("", views.PlanListView.as_view(), name="list"),
    path("new/", views.PlanCreateView.as_view(), name="create"),
    path("import/", views.PlanImportView.as_view(), name="import"),
    path("late/", views.LateItemsView.as_view(), name="late"),
    path("<int:pk>/", views.PlanDetailView.as_view(), name="detail"),
    path("<int:pk>/add/<str:part>/", views.PlanPartAddView.as_view(), name="part_add"),
    path("<int:pk>/summary.docx", views.SummaryDocxView.as_view(), name="summary"),
    path("items/<int:pk>/", views.PlanItemDetailView.as_view(), name="item"),
    path("items/<int:pk>/progress/", views.ProgressReportView.as_view(), name="progress"),
    path("files/<int:pk>/", views.ProgressFileView.as_view(), name="file"),
]
