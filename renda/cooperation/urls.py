from django.urls import path

from . import views

app_name = "cooperation"
urlpatterns = [
    path("", views.DepartmentView.as_view(), name="department"),
    path("propose/", views.ProposeView.as_view(), name="propose"),
    path("proposals/", views.ProposalListView.as_view(), name="proposals"),
    path("proposals/<int:pk>/", views.ProposalDetailView.as_view(), name="proposal_detail"),
]
