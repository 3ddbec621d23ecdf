"""Onboarding: linking accounts to deputies and stations from both sides, bulk creation with a
one-time password sheet, forced password change."""

import io

import pytest
from openpyxl import load_workbook

from renda.accounts.models import User
from renda.accounts.services import user_create
from renda.audit.models import AuditEntry
from renda.core.access import Role
from renda.core.errors import DomainError
from renda.deputies.models import Deputy
from renda.deputies.services import congress_create, deputy_create, mandate_create
from renda.network.models import Station, StationKeeper
from renda.onboarding import services
from renda.onboarding.models import CredentialSheet
from renda.organizations.models import Organization

PASSWORD = "Renda#2024x"


@pytest.fixture
def deputies(deputies, regions):
    """The shared deputies, each serving in their township's congress: only a deputy with a current
    mandate gets an account."""
    for deputy, township in ((deputies["wang"], "huangnitang"), (deputies["li"], "jiuyi")):
        congress = congress_create(region=regions[township], level="township", term=18)
        mandate_create(deputy=deputy, congress=congress)
    return deputies


@pytest.fixture
def new_account(db, regions):
    return user_create(username="wangfang", password=PASSWORD, role=Role.DEPUTY, full_name="王芳")


@pytest.fixture
def congress(regions, deputies):
    congress = congress_create(region=regions["county"], level="county", term=18)
    for deputy in deputies.values():
        mandate_create(deputy=deputy, congress=congress, delegation="黄泥塘代表团")
    third = deputy_create(name="张伟", gender="male", region=regions["huangnitang"], phone="13911112222")
    mandate_create(deputy=third, congress=congress, delegation="黄泥塘代表团")
    return congress


def test_one_deputy_has_at_most_one_account_in_the_database(users, deputies, new_account):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Deputy.objects.filter(pk=deputies["li"].pk).update(user=users["deputy"])


def test_link_refuses_a_second_account_and_names_the_field(users, deputies, new_account):
    with pytest.raises(DomainError, match="已关联账号“deputy”") as exc:
        services.account_deputy_link(actor=users["admin"], account=new_account, deputy=deputies["wang"])
    assert exc.value.field == "deputy"
    with pytest.raises(DomainError, match="已关联代表") as exc:
        services.account_deputy_link(actor=users["admin"], account=users["deputy"], deputy=deputies["li"])
    assert exc.value.field == "account"
    with pytest.raises(DomainError, match="人大代表") as exc:
        services.account_deputy_link(actor=users["admin"], account=users["leader"], deputy=deputies["li"])


def test_admin_links_and_unlinks_from_the_account_page(users, deputies, new_account, client):
    client.force_login(users["admin"])
    page = client.get(f"/onboarding/accounts/{new_account.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "尚未关联代表" in page and "/pick/account-deputy/" in page
    found = client.get("/pick/account-deputy/", {"q": "李", "field": "deputy"}).content.decode()
    assert f'value="{deputies["li"].pk}"' in found and "九驿街道" in found
    response = client.post(
        f"/onboarding/accounts/{new_account.pk}/",
        {"action": "link_deputy", "deputy": deputies["li"].pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "已关联代表" in response.content.decode()
    deputies["li"].refresh_from_db()
    assert deputies["li"].user == new_account
    assert AuditEntry.objects.filter(action="account.link_deputy", actor_username="admin").exists()
    # Linking 王芳 too is refused in place, with the reason next to the field.
    client.post(f"/onboarding/accounts/{new_account.pk}/", {"action": "unlink_deputy"})
    deputies["li"].refresh_from_db()
    assert deputies["li"].user is None
    response = client.post(
        f"/onboarding/accounts/{new_account.pk}/", {"action": "link_deputy", "deputy": deputies["wang"].pk}
    )
    assert response.status_code == 400 and "请先解除原关联" in response.content.decode()


def test_staff_link_from_the_deputy_page_within_their_jurisdiction(users, deputies, new_account, client):
    client.force_login(users["county_staff"])
    detail = client.get(f"/deputies/{deputies['li'].pk}/").content.decode()
    assert f"/onboarding/deputies/{deputies['li'].pk}/account/" in detail
    found = client.get("/pick/deputy-account/", {"q": "wang", "field": "account"}).content.decode()
    # Only deputy accounts not linked yet: "deputy" is 王芳's already.
    assert "wangfang" in found and f'value="{users["deputy"].pk}"' not in found
    response = client.post(
        f"/onboarding/deputies/{deputies['li'].pk}/account/", {"action": "link", "account": new_account.pk}
    )
    assert response.status_code == 302
    deputies["li"].refresh_from_db()
    assert deputies["li"].user == new_account
    # 九驿街道 is outside the 黄泥塘镇 clerk's jurisdiction: looks missing.
    client.force_login(users["township_staff"])
    assert (
        client.post(f"/onboarding/deputies/{deputies['li'].pk}/account/", {"action": "unlink"}).status_code
        == 404
    )
    # A deputy cannot link anything.
    client.force_login(users["deputy"])
    assert client.get(f"/onboarding/deputies/{deputies['li'].pk}/account/").status_code == 404


def test_station_keeper_gets_a_station_from_the_account_page(users, regions, client):
    station = Station.objects.create(
        name="黄泥塘镇人大代表联络站", kind="township", region=regions["huangnitang"]
    )
    client.force_login(users["admin"])
    found = client.get("/pick/account-station/", {"q": "黄泥塘", "field": "station"}).content.decode()
    assert "黄泥塘镇人大代表联络站（黄泥塘镇）" in found
    response = client.post(
        f"/onboarding/accounts/{users['station_keeper'].pk}/",
        {"action": "link_station", "station": station.pk},
    )
    assert response.status_code == 302
    keeper = StationKeeper.objects.get(user=users["station_keeper"])
    assert keeper.station == station
    page = client.get(f"/accounts/users/{users['station_keeper'].pk}/").content.decode()
    assert f"/onboarding/accounts/{users['station_keeper'].pk}/" in page
    client.post(
        f"/onboarding/accounts/{users['station_keeper'].pk}/",
        {"action": "unlink_station", "keeper": keeper.pk},
    )
    assert not StationKeeper.objects.filter(user=users["station_keeper"]).exists()
    # A leader's account has no station panel.
    assert client.get(f"/onboarding/accounts/{users['leader'].pk}/").status_code == 404


def test_username_rules(settings):
    taken = {"wangfang01"}
    assert services.username_for(name="王芳", taken=taken, rule="pinyin") == "wangfang02"
    assert services.username_for(name="吕梅", taken=set(), rule="pinyin") == "lvmei01"
    assert services.username_for(name="王芳", phone="13812345678", taken=set(), rule="phone") == "13812345678"
    # No phone: pinyin instead; a taken phone number: numbered.
    assert services.username_for(name="王芳", phone="", taken=set(), rule="phone") == "wangfang01"
    assert services.username_for(name="王芳", phone="13812345678", taken={"13812345678"}, rule="phone") == (
        "1381234567801"
    )


def test_initial_passwords_pass_the_password_rules(users):
    from django.contrib.auth.password_validation import validate_password

    for _ in range(50):
        validate_password(services.initial_password(), users["deputy"])


def test_bulk_creation_for_a_congress_links_every_deputy_and_sheet_downloads_once(
    users, deputies, congress, client, settings, django_capture_on_commit_callbacks
):
    settings.RENDA_ACCOUNT_USERNAME_RULE = "phone"
    client.force_login(users["admin"])
    assert client.get("/onboarding/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/onboarding/", {"kind": "deputies", "congress": congress.pk})
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    job_page = client.get(response["Location"]).content.decode()
    assert "已开通2个账号" in job_page and "/onboarding/" in job_page
    # 王芳 already had an account; 李明 and 张伟 get theirs, named by phone number, linked.
    li = Deputy.objects.get(pk=deputies["li"].pk)
    assert li.user.username == "13987654321" and li.user.must_change_password
    assert Deputy.objects.get(name="张伟").user.username == "13911112222"
    assert Deputy.objects.get(pk=deputies["wang"].pk).user == users["deputy"]
    sheet = CredentialSheet.objects.get()
    # Encrypted at rest: the stored column is not the workbook.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM onboarding_credentialsheet")
        stored = cursor.fetchone()[0]
    assert not stored.startswith("UEsDB")  # base64 of a zip (xlsx) would start so
    download = client.post(f"/onboarding/sheets/{sheet.pk}/download/")
    assert download.status_code == 200
    rows = list(load_workbook(io.BytesIO(download.content)).active.iter_rows(values_only=True))
    by_user = {r[3]: r[4] for r in rows[3:]}
    assert set(by_user) == {"13987654321", "13911112222"}
    # The password in the sheet opens the account, which must then change it.
    assert User.objects.get(username="13987654321").check_password(by_user["13987654321"])
    assert client.post(f"/onboarding/sheets/{sheet.pk}/download/").status_code == 404
    assert not CredentialSheet.objects.exists()
    assert AuditEntry.objects.filter(action="accounts.credentials_download").count() == 1
    # Nothing left to create.
    again = client.post("/onboarding/", {"kind": "deputies", "congress": congress.pk})
    assert again.status_code == 400 and "都已有账号" in again.content.decode()


def test_bulk_creation_needs_a_congress_named(users, client):
    client.force_login(users["admin"])
    response = client.post("/onboarding/", {"kind": "deputies"})
    assert response.status_code == 400 and "请选择人民代表大会" in response.content.decode()
    client.force_login(users["county_staff"])
    assert client.get("/onboarding/").status_code == 404


def test_bulk_creation_for_handling_units(users, regions, client, django_capture_on_commit_callbacks):
    Organization.objects.create(
        name="县教育局", short_name="教育局", kind="handling_unit", region=regions["county"]
    )
    client.force_login(users["admin"])
    assert "有1个承办单位尚无账号" in client.get("/onboarding/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/onboarding/", {"kind": "units"}).status_code == 302
    account = User.objects.get(organization__name="县教育局")
    assert (
        account.role == Role.HANDLING_UNIT
        and account.username == "jiaoyuju01"
        and account.must_change_password
    )
    assert CredentialSheet.objects.get().accounts == 1


def test_unused_sheets_are_pruned(users):
    import datetime

    from django.utils import timezone

    sheet = CredentialSheet.objects.create(owner=users["admin"], title="t", filename="f.xlsx", content="x")
    assert services.credential_sheet_prune() == 0
    CredentialSheet.objects.filter(pk=sheet.pk).update(created_at=timezone.now() - datetime.timedelta(days=4))
    assert services.credential_sheet_prune() == 1


# --- issue 11: refusals in place, the picker, progress and the sheet link ---


def test_deputy_picker_offers_only_deputies_without_an_account(users, deputies, client):
    client.force_login(users["admin"])
    found = client.get("/pick/account-deputy/", {"q": "王", "field": "deputy"}).content.decode()
    assert f'value="{deputies["wang"].pk}"' not in found  # 王芳 has the account "deputy"
    found = client.get("/pick/account-deputy/", {"q": "李", "field": "deputy"}).content.decode()
    assert f'value="{deputies["li"].pk}"' in found


def test_a_refused_link_over_htmx_answers_the_form_with_the_reason_next_to_the_field(
    users, deputies, new_account, client
):
    client.force_login(users["admin"])
    response = client.post(
        f"/onboarding/accounts/{new_account.pk}/",
        {"action": "link_deputy", "deputy": deputies["wang"].pk},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    # A partial (renda.js swaps 400/409/422 partials in place), the reason under the deputy field.
    assert response.status_code == 400 and "<html" not in body
    assert 'id="id_deputy_error"' in body and "请先解除原关联" in body


@pytest.mark.django_db(transaction=True)
def test_bulk_creation_reports_committed_progress_batch_by_batch(users, regions, monkeypatch):
    """Progress written inside the job's own transaction stays invisible until it commits (the page
    showed 0% until 100%): every report must come with no transaction open."""
    from django.db import connection

    for n in range(5):
        Organization.objects.create(name=f"县第{n}局", kind="handling_unit", region=regions["county"])
    monkeypatch.setattr(services, "BULK_BATCH", 2)
    seen = []
    services.accounts_bulk_create(
        actor=users["admin"],
        kind="units",
        params={},
        report=lambda percent, message="": seen.append((percent, connection.in_atomic_block)),
    )
    assert len(seen) >= 3 and all(not atomic for _p, atomic in seen)
    percents = [p for p, _a in seen]
    assert percents == sorted(percents) and 0 < percents[0] < 50 and len(set(percents)) >= 3


def test_the_job_page_hands_over_the_sheet_itself_once(
    users, deputies, congress, client, django_capture_on_commit_callbacks
):
    import re

    client.force_login(users["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/onboarding/", {"kind": "deputies", "congress": congress.pk})
    page = client.get(response["Location"]).content.decode()
    sheet = CredentialSheet.objects.get()
    action = re.search(r'<form method="post" action="(/onboarding/[^"]+)"', page).group(1)
    assert action == f"/onboarding/sheets/{sheet.pk}/download/"
    download = client.post(action)
    assert download.status_code == 200 and download["Content-Disposition"].endswith('.xlsx"')
    assert client.post(action).status_code == 404
    # Once taken, the job page says so instead of offering a dead button.
    assert action not in client.get(response["Location"]).content.decode()


# --- only deputies with a current mandate get an account ---


@pytest.fixture
def former(congress, regions):
    """李强 resigned from the county congress; 李华 once sat in a congress whose term ended
    (terminated); 李平 has no mandate at all."""
    from renda.deputies.models import Mandate

    made = {}
    ended = (("李强", Mandate.Status.RESIGNED), ("李华", Mandate.Status.TERMINATED), ("李平", None))
    for name, status in ended:
        made[name] = deputy_create(name=name, gender="male", region=regions["jiuyi"])
        if status:
            mandate = mandate_create(deputy=made[name], congress=congress)
            Mandate.objects.filter(pk=mandate.pk).update(status=status)
    return made


def test_the_deputy_picker_offers_only_deputies_with_a_current_mandate(users, deputies, former, client):
    client.force_login(users["admin"])
    found = client.get("/pick/account-deputy/", {"q": "李", "field": "deputy"}).content.decode()
    assert f'value="{deputies["li"].pk}"' in found and "李明" in found
    for name, deputy in former.items():
        assert f'value="{deputy.pk}"' not in found, name


def test_linking_a_deputy_without_a_current_mandate_is_refused_naming_why(
    users, deputies, former, new_account, client
):
    for deputy in former.values():
        with pytest.raises(DomainError, match="没有在任的代表资格") as exc:
            services.account_deputy_link(actor=users["admin"], account=new_account, deputy=deputy)
        assert exc.value.field == "deputy"
    client.force_login(users["admin"])
    response = client.post(
        f"/onboarding/accounts/{new_account.pk}/",
        {"action": "link_deputy", "deputy": former["李强"].pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400 and "没有在任的代表资格" in response.content.decode()
    assert not Deputy.objects.filter(user=new_account).exists()
    # From the deputy's side, staff see why instead of a form that would be refused.
    client.force_login(users["county_staff"])
    page = client.get(f"/onboarding/deputies/{former['李强'].pk}/account/").content.decode()
    assert "没有在任的代表资格" in page and 'name="action" value="link"' not in page
