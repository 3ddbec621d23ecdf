"""The demo county: every role's account works, and seeding twice changes nothing."""

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from renda.accounts.models import User
from renda.audit.models import AuditEntry
from renda.deputies.models import Deputy

DEMO = [
    "admin",
    "security",
    "auditor",
    "county_staff",
    "township_staff",
    "station_keeper",
    "deputy",
    "unit",
    "leader",
]
HOME_NAV = {
    "admin": "账号管理",
    "security": "安全管理",
    "auditor": "审计日志",
    "county_staff": "代表名册",
    "township_staff": "代表名册",
    "station_keeper": "代表名册",
    "unit": "首页",
    "leader": "代表名册",
}


@pytest.mark.django_db
def test_seed_demo_accounts_tokens_and_idempotence(client, settings):
    call_command("seed_demo", verbosity=0)
    writes = ["user.create", "deputy.create", "organization.create", "duty_record.create"]
    counts = (
        User.objects.count(),
        Deputy.objects.count(),
        AuditEntry.objects.filter(action__in=writes).count(),
    )
    call_command("seed_demo", verbosity=0)
    again = (
        User.objects.count(),
        Deputy.objects.count(),
        AuditEntry.objects.filter(action__in=writes).count(),
    )
    assert again == counts
    assert User.objects.get(username="township_staff").region.name == "黄泥塘镇"
    assert User.objects.get(username="unit").organization.name == "县交通运输局"
    for username in DEMO:
        response = client.post(
            "/api/v1/auth/token",
            {"username": username, "password": settings.RENDA_DEMO_PASSWORD},
            content_type="application/json",
        )
        assert response.status_code == 200, username
    for username, entry in HOME_NAV.items():
        client.logout()
        client.post("/accounts/login/", {"username": username, "password": settings.RENDA_DEMO_PASSWORD})
        page = client.get("/", follow=True)
        assert page.status_code == 200 and entry in page.content.decode(), username
    client.logout()
    client.post("/accounts/login/", {"username": "deputy", "password": settings.RENDA_DEMO_PASSWORD})
    assert client.get("/", follow=True).redirect_chain[-1][0] == "/deputies/portal/"


@override_settings(RENDA_ENVIRONMENT="production")
def test_seed_demo_refuses_production(db):
    with pytest.raises(CommandError, match="生产环境"):
        call_command("seed_demo", verbosity=0)
