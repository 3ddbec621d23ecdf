"""Account management by the system administrator; 三权分立 between admin, security and auditor."""

from renda.accounts.models import User
from renda.audit.models import AuditEntry


def test_admin_creates_a_township_account(users, regions, client):
    client.force_login(users["admin"])
    response = client.post(
        "/accounts/users/new/",
        {
            "username": "hnt_clerk",
            "full_name": "罗燕",
            "role": "township_staff",
            "region_code": "520521105",
            "password": "Clerk#2026ok",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="hnt_clerk")
    assert user.region == regions["huangnitang"]
    entry = AuditEntry.objects.get(action="user.create", object_id=str(user.pk))
    assert entry.actor_username == "admin"


def test_township_account_without_region_is_refused_with_the_field_named(users, client):
    client.force_login(users["admin"])
    response = client.post(
        "/accounts/users/new/",
        {
            "username": "noregion",
            "role": "township_staff",
            "password": "Clerk#2026ok",
            "is_active": "on",
        },
    )
    assert response.status_code == 400
    assert "必须指定管辖区域" in response.content.decode()
    assert not User.objects.filter(username="noregion").exists()


def test_unknown_region_code_is_refused(users, client):
    client.force_login(users["admin"])
    response = client.post(
        "/accounts/users/new/",
        {
            "username": "x_user",
            "role": "county_staff",
            "region_code": "999999",
            "password": "Clerk#2026ok",
        },
    )
    assert response.status_code == 400 and "区划代码999999不存在" in response.content.decode()


def test_admin_cannot_read_the_audit_log(users, client):
    client.force_login(users["admin"])
    assert client.get("/audit/").status_code == 404
    assert client.post("/audit/export/").status_code == 404
    assert client.get("/api/v1/me").json()["roles"] == ["system_admin"]


def test_auditor_cannot_change_accounts(users, client):
    client.force_login(users["auditor"])
    assert client.get("/accounts/users/").status_code == 404
    response = client.post(
        f"/accounts/users/{users['county_staff'].pk}/", {"username": "county_staff", "role": "system_admin"}
    )
    assert response.status_code == 404
    users["county_staff"].refresh_from_db()
    assert users["county_staff"].role == "county_staff"
    assert AuditEntry.objects.filter(action="access.denied", actor_username="auditor").count() == 2


def test_admin_cannot_make_themself_or_anyone_an_auditor(users, client):
    client.force_login(users["admin"])
    # Editing one's own account, or any administrator account, is "not found".
    assert client.get(f"/accounts/users/{users['admin'].pk}/").status_code == 404
    response = client.post(f"/accounts/users/{users['admin'].pk}/", {"username": "admin", "role": "auditor"})
    assert response.status_code == 404
    assert (
        client.post(
            f"/accounts/users/{users['auditor'].pk}/",
            {"username": "auditor", "role": "auditor", "password": "Taken#Over2026"},
        ).status_code
        == 404
    )
    users["admin"].refresh_from_db()
    users["auditor"].refresh_from_db()
    assert users["admin"].role == "system_admin" and not users["auditor"].check_password("Taken#Over2026")
    assert client.get("/audit/").status_code == 404
    # Nor can an ordinary account be turned into an administrator one.
    response = client.post(
        f"/accounts/users/{users['leader'].pk}/",
        {"username": "leader", "role": "auditor", "region_code": "520521", "is_active": "on"},
    )
    assert response.status_code == 400
    users["leader"].refresh_from_db()
    assert users["leader"].role == "leader"


def test_separation_holds_in_the_services_too(users):
    import pytest

    from renda.accounts.services import user_create, user_set_password, user_update
    from renda.core.errors import DomainError

    admin = users["admin"]
    with pytest.raises(DomainError, match="三权分立"):
        user_update(actor=admin, user=admin, data={"role": "auditor"})
    with pytest.raises(DomainError, match="三权分立"):
        user_set_password(actor=admin, user=users["auditor"], password="Taken#Over2026")
    with pytest.raises(DomainError, match="三权分立"):
        user_create(actor=admin, username="aud2", password="Taken#Over2026", role="auditor")
    user_set_password(actor=admin, user=admin, password="Own#Password2026")  # one's own password: yes


def test_deployment_sets_administrator_accounts_with_a_command(db, monkeypatch):
    from django.core.management import call_command

    from renda.accounts.models import User

    monkeypatch.setenv("RENDA_ADMIN_PASSWORD", "Audit#Team2026")
    call_command("admin_account", "audit2", role="auditor", stdout=__import__("io").StringIO())
    user = User.objects.get(username="audit2")
    assert user.role == "auditor" and user.check_password("Audit#Team2026")
    assert AuditEntry.objects.filter(
        action="user.create", object_id=str(user.pk), actor_username="system"
    ).exists()
