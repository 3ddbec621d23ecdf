"""A URL that fails, for the 500 page's test: the project's URLs and handlers with one broken view."""

from django.urls import path

from config import urls as project

handler403, handler404, handler500 = project.handler403, project.handler404, project.handler500


def _boom(request):
    raise RuntimeError("a failure the 500 page must hide")


urlpatterns = [path("boom/", _boom), *project.urlpatterns]
