"""Who sees what: the permission grid, jurisdiction scoping, and denials that look like 404."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

from renda.audit.models import AuditEntry
from renda.core.access import ROLE_PERMISSIONS, Role, has_permission
from renda.core.views import RendaView
from renda.deputies.selectors import deputy_list

# role -> may it use the page?  A grid, so that a change of the role map shows up here.
PAGE_GRID = {
    "/deputies/": {"county_staff", "township_staff", "jiuyi_staff", "station_keeper", "leader"},
    "/duty-records/": {"county_staff", "township_staff", "jiuyi_staff", "station_keeper", "leader", "deputy"},
    "/accounts/users/": {"admin"},
    "/accounts/security/": {"security"},
    "/audit/": {"auditor"},
    "/regions/": {"county_staff", "township_staff", "jiuyi_staff", "leader", "admin"},
    "/deputies/portal/": {"deputy"},
    "/deputies/imports/new/": {"county_staff", "township_staff", "jiuyi_staff"},
    "/deputies/new/": {"county_staff", "township_staff", "jiuyi_staff"},
    "/deputies/congresses/": {"county_staff", "township_staff", "jiuyi_staff"},
    "/deputies/liaison/": {"county_staff", "township_staff", "jiuyi_staff", "leader"},
    "/organizations/": {"county_staff", "township_staff", "jiuyi_staff", "leader", "admin"},
    "/organizations/chart/": {"county_staff", "township_staff", "jiuyi_staff", "leader", "admin"},
    "/network/": {"county_staff", "township_staff", "jiuyi_staff", "station_keeper", "leader"},
    "/network/receptions/": {"county_staff", "township_staff", "jiuyi_staff", "station_keeper", "leader"},
    "/opinions/": {"county_staff", "township_staff", "jiuyi_staff", "station_keeper", "leader"}
    | {"deputy", "unit"},
    "/opinions/new/": {"county_staff", "township_staff", "jiuyi_staff", "station_keeper", "deputy"},
    "/legislation/": {"county_staff", "township_staff", "jiuyi_staff", "station_keeper", "leader"},
    "/legislation/stats/": {"county_staff", "township_staff", "jiuyi_staff", "station_keeper", "leader"},
    "/legislation/new/": {"county_staff"},
    "/suggestions/": {"county_staff", "township_staff", "jiuyi_staff", "leader"},
    "/suggestions/new/": {"county_staff"},
    "/suggestions/key/": {"county_staff", "township_staff", "jiuyi_staff", "leader"},
    "/suggestions/stats/": {"county_staff", "township_staff", "jiuyi_staff", "leader"},
    "/suggestions/funds/": {"county_staff", "township_staff", "jiuyi_staff", "leader"},
    "/suggestions/mine/": {"deputy"},
    "/suggestions/write/": {"deputy"},
    "/suggestions/unit/": {"unit"},
    "/suggestions/notifications/": {
        "county_staff",
        "township_staff",
        "jiuyi_staff",
        "deputy",
        "unit",
        "leader",
    },
    "/points/records/new/": {"county_staff", "township_staff", "jiuyi_staff"},
    "/points/records/declarations/": {"county_staff", "township_staff", "jiuyi_staff"},
    # public: every account (and the anonymous visitor) may use it
    "/stations/": {"admin", "security", "auditor", "county_staff", "township_staff"}
    | {"jiuyi_staff", "station_keeper", "deputy", "unit", "leader"},
}


@pytest.mark.parametrize("path", PAGE_GRID)
def test_page_permission_grid(path, users, deputies, client):
    for username, user in users.items():
        client.force_login(user)
        response = client.get(path)
        expected = 200 if username in PAGE_GRID[path] else 404
        assert response.status_code == expected, (path, username, response.status_code)


def test_anonymous_is_sent_to_login(client, db):
    response = client.get("/deputies/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_separation_of_duties():
    admin, auditor, security = (
        ROLE_PERMISSIONS[r] for r in (Role.SYSTEM_ADMIN, Role.AUDITOR, Role.SECURITY_ADMIN)
    )
    assert not {"audit.view", "audit.export"} & admin
    assert not {"accounts.manage", "security.manage"} & auditor
    assert not {"accounts.manage", "audit.view"} & security


def test_a_view_without_a_declared_permission_refuses_to_serve(db):
    class Careless(RendaView):
        def get(self, request):  # pragma: no cover - must never run
            raise AssertionError

    request = RequestFactory().get("/")
    with pytest.raises(ImproperlyConfigured):
        Careless.as_view()(request)


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def test_every_page_declares_its_permission():
    """The lesson from adhocracy+: no view may forget its check."""
    for route, callback in _walk(get_resolver().url_patterns):
        if route.startswith("api/v1/"):
            continue  # the API has its own auth on every router (tested in test_api)
        view_class = getattr(callback, "view_class", None)
        if view_class is not None:
            assert issubclass(view_class, RendaView), route
            assert view_class.permission, route
        else:
            assert getattr(callback, "permission", None), route


def test_township_user_sees_only_their_township(users, deputies):
    assert [d.name for d in deputy_list(user=users["township_staff"])] == ["王芳"]
    assert [d.name for d in deputy_list(user=users["jiuyi_staff"])] == ["李明"]
    assert sorted(d.name for d in deputy_list(user=users["county_staff"])) == ["李明", "王芳"]
    assert [d.name for d in deputy_list(user=users["deputy"])] == ["王芳"]
    for username in ("admin", "auditor", "security", "unit"):
        assert not deputy_list(user=users[username]).exists()


def test_other_townships_object_is_404_in_html_and_api_and_audited(users, deputies, client):
    li = deputies["li"]
    client.force_login(users["township_staff"])
    html = client.get(f"/deputies/{li.pk}/")
    api = client.get(f"/api/v1/deputies/{li.pk}")
    missing_html = client.get("/deputies/999999/")
    missing_api = client.get("/api/v1/deputies/999999")
    assert html.status_code == missing_html.status_code == 404
    assert api.status_code == missing_api.status_code == 404
    assert api.json() == missing_api.json() == {"message": "未找到", "detail": None}
    denials = AuditEntry.objects.filter(
        action="access.denied", object_id=str(li.pk), actor_username="township_staff"
    )
    assert denials.count() == 2
    assert client.get(f"/deputies/{deputies['wang'].pk}/").status_code == 200


def test_has_permission_for_inactive_user_is_false(users):
    user = users["county_staff"]
    user.is_active = False
    assert not has_permission(user, "deputies.view")


def test_deputy_list_page_query_count_does_not_grow(users, deputies, regions, client):
    """No N+1: thirty more deputies on the page cost no extra query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from renda.deputies.services import deputy_create

    client.force_login(users["county_staff"])
    client.get("/deputies/")  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert client.get("/deputies/").status_code == 200
    for i in range(30):
        deputy_create(name=f"测试{i}", gender="male", region=regions["huangnitang"])
    with CaptureQueriesContext(connection) as many:
        response = client.get("/deputies/")
    assert response.status_code == 200 and response.content.decode().count("测试") >= 25
    assert len(many) == len(few) <= 12
