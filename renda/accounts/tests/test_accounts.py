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
            "region": str(regions["huangnitang"].pk),
            "password": "Clerk#2026ok",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="hnt_clerk")
    assert user.region == regions["huangnitang"]
    # Someone else chose this password: the clerk must choose their own at first login.
    assert user.must_change_password
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


def test_unknown_region_is_refused(users, client):
    client.force_login(users["admin"])
    response = client.post(
        "/accounts/users/new/",
        {
            "username": "x_user",
            "role": "county_staff",
            "region": "999999",
            "password": "Clerk#2026ok",
        },
    )
    assert response.status_code == 400 and "所选管辖区域不存在" in response.content.decode()


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
        {
            "username": "leader",
            "role": "auditor",
            "region": str(users["leader"].region_id),
            "is_active": "on",
        },
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


def test_edit_form_shows_the_chosen_region_and_organisation_by_name(users, client):
    client.force_login(users["admin"])
    page = client.get(f"/accounts/users/{users['unit'].pk}/").content.decode()
    assert "县交通运输局（承办单位，大方县）" in page
    page = client.get(f"/accounts/users/{users['township_staff'].pk}/").content.decode()
    assert "黄泥塘镇（520521105，大方县）" in page


def test_region_picker_searches_by_name_and_code_bounded(users, client, regions):
    client.force_login(users["admin"])
    found = client.get("/pick/account-region/", {"q": "黄泥", "field": "region"}).content.decode()
    assert f'value="{regions["huangnitang"].pk}"' in found and 'name="region"' in found
    # Villages are never a jurisdiction.
    assert "社区居民委员会" not in found
    found = client.get("/pick/account-region/", {"q": "5205", "field": "region"}).content.decode()
    assert "大方县" in found and "七星关区" in found
    # Others may not use the administrator's picker: it looks missing.
    client.force_login(users["county_staff"])
    assert client.get("/pick/account-region/", {"q": "黄泥", "field": "region"}).status_code == 404


def test_picker_results_are_bounded(users, regions):
    from renda.core.pickers import PICKER_LIMIT, picker_results
    from renda.regions.models import Region

    for n in range(PICKER_LIMIT + 5):
        Region.objects.create(
            code=f"5205219{n:02d}",
            name=f"测试镇{n}",
            level="township",
            parent=regions["county"],
            path=f"{regions['county'].path}5205219{n:02d}/",
        )
    results, more = picker_results(name="account-region", user=users["admin"], q="测试镇")
    assert len(results) == PICKER_LIMIT and more


def test_first_login_with_an_initial_password_must_change_it(users, client):
    from renda.accounts.services import user_set_password

    clerk = users["township_staff"]
    user_set_password(actor=users["admin"], user=clerk, password="Initial#2026a")
    clerk.refresh_from_db()
    assert clerk.must_change_password
    client.force_login(clerk)
    response = client.get("/deputies/")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"
    # The browser session opens no API operation either (it would bypass the page's redirect).
    api = client.get("/api/v1/me")
    assert api.status_code == 401 and "修改初始密码" in api.json()["message"]
    assert "初始密码" in client.get("/accounts/password/").content.decode()
    response = client.post(
        "/accounts/password/",
        {"old_password": "Initial#2026a", "new_password": "Mine#2026abc", "new_password2": "Mine#2026abc"},
    )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert not clerk.must_change_password
    assert client.get("/deputies/").status_code == 200
    assert client.get("/api/v1/me").status_code == 200


def test_api_token_refused_until_the_initial_password_is_changed(users, client):
    from renda.accounts.services import user_set_password

    user_set_password(actor=users["admin"], user=users["deputy"], password="Initial#2026a")
    response = client.post(
        "/api/v1/auth/token",
        {"username": "deputy", "password": "Initial#2026a"},
        content_type="application/json",
    )
    assert response.status_code == 403 and "修改初始密码" in response.json()["message"]


def test_the_empty_new_account_form_names_every_missing_field_at_once(users, client):
    """Issue 11: the empty form named only 用户名; the password and the role's jurisdiction came one at a
    time from the service after it."""
    client.force_login(users["admin"])
    response = client.post("/accounts/users/new/", {})
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"username", "role", "password"}
    page = response.content.decode()
    for message in ("请填写用户名", "请选择角色", "请填写初始密码"):
        assert message in page, message
    staff = client.post("/accounts/users/new/", {"role": "township_staff"})
    assert set(staff.context["form"].errors) == {"username", "password", "region"}
    unit = client.post("/accounts/users/new/", {"role": "handling_unit"})
    assert set(unit.context["form"].errors) == {"username", "password", "organization"}


def test_the_edit_form_leaves_the_password_optional(users, client):
    client.force_login(users["admin"])
    target = users["township_staff"]
    import re

    page = client.get(f"/accounts/users/{target.pk}/").content.decode()
    tag = re.search(r'<input[^>]*name="password"[^>]*>', page).group()
    assert "required" not in tag, tag
    new = client.get("/accounts/users/new/").content.decode()
    assert "required" in re.search(r'<input[^>]*name="password"[^>]*>', new).group()
