"""Permissions-Policy: every browser feature off, except what a page declares it needs."""

from django.http import HttpResponse
from django.test import RequestFactory

from renda.core.access import PUBLIC
from renda.core.middleware import PermissionsPolicyMiddleware
from renda.core.views import RendaView


def test_every_page_denies_the_camera_and_other_features(client, db):
    policy = client.get("/accounts/login/")["Permissions-Policy"]
    assert "camera=()" in policy and "microphone=()" in policy and "geolocation=()" in policy
    assert client.get("/healthz")["Permissions-Policy"] == policy


def test_a_page_that_scans_qr_codes_may_use_the_camera(db):
    class ScanView(RendaView):
        permission = PUBLIC
        allow_features = ("camera",)

        def get(self, request):
            return HttpResponse("scan")

    middleware = PermissionsPolicyMiddleware(ScanView.as_view())
    policy = middleware(RequestFactory().get("/scan/"))["Permissions-Policy"]
    assert "camera=(self)" in policy and "microphone=()" in policy
