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
