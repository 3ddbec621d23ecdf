"""Writes for onboarding: link and unlink accounts, bulk creation with one-time initial passwords.

Rules: one deputy has at most one account and an account at most one deputy (Deputy.user is a
one-to-one column: the database refuses a second link); only a deputy-role account is linked to a
deputy and only a station-keeper account keeps a station. Bulk creation makes the accounts and the
links in one transaction (all or nothing) and hands the initial passwords over once, in an .xlsx
kept encrypted until its single download.
"""

import base64
import io
import re
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts.models import User
from renda.accounts.services import password_prepare, user_create
from renda.audit.services import audit_record
from renda.core.access import Role
from renda.core.errors import DomainError
from renda.core.spreadsheets import safe_row
from renda.deputies.models import Deputy, Mandate
from renda.deputies.services import deputy_update
from renda.jobs.models import Job
from renda.jobs.services import job_result_update, job_run, job_succeed
from renda.network.models import Station, StationKeeper
from renda.network.services import station_keeper_add, station_keeper_remove

from .models import CredentialSheet

# --- links ---


def account_deputy_link(*, actor, account: User, deputy: Deputy) -> Deputy:
    """Link a deputy-role account and a deputy. Refuses (naming the field) an account of
    another role, a deputy without a current (在任) mandate, a deputy already linked to another
    account, an account already linked."""
    if account.role != Role.DEPUTY:
        raise DomainError(_("只有角色为“人大代表”的账号可以关联代表"), field="account")
    with transaction.atomic():
        deputy = Deputy.objects.select_for_update().get(pk=deputy.pk)
        if deputy.user_id == account.pk:
            return deputy
        if not deputy.mandates.filter(status=Mandate.Status.SERVING).exists():
            raise DomainError(
                _("%(name)s没有在任的代表资格（已辞职、罢免、终止、调离或任期届满），不能关联登录账号")
                % {"name": deputy.name},
                field="deputy",
            )
        if deputy.user_id is not None:
            raise DomainError(
                _("代表%(name)s已关联账号“%(u)s”，请先解除原关联")
                % {"name": deputy.name, "u": deputy.user.username},
                field="deputy",
            )
        linked = Deputy.objects.filter(user=account).first()
        if linked is not None:
            raise DomainError(
                _("账号“%(u)s”已关联代表%(name)s，请先解除原关联")
                % {"u": account.username, "name": linked.name},
                field="account",
            )
        try:
            with transaction.atomic():
                deputy_update(actor=actor, deputy=deputy, data={"user": account})
        except IntegrityError as exc:  # two administrators at once: the one-to-one column decides
            raise DomainError(_("该账号或代表刚被他人关联，请刷新后重试"), field="deputy") from exc
        audit_record(
            action="account.link_deputy", actor=actor, obj=account, changes={"deputy": [None, deputy.name]}
        )
    return deputy


def account_deputy_unlink(*, actor, deputy: Deputy) -> Deputy:
    with transaction.atomic():
        account = deputy.user
        if account is None:
            raise DomainError(_("该代表尚未关联账号"), field="deputy")
        deputy_update(actor=actor, deputy=deputy, data={"user": None})
        audit_record(
            action="account.unlink_deputy", actor=actor, obj=account, changes={"deputy": [deputy.name, None]}
        )
    return deputy


def account_station_link(*, actor, account: User, station: Station) -> StationKeeper:
    """Make a station-keeper account keep a station (the network app's rule and audit)."""
    if account.role != Role.STATION_KEEPER:
        raise DomainError(_("只有角色为“联络站管理员”的账号可以管理联络站"), field="account")
    with transaction.atomic():
        return station_keeper_add(actor=actor, station=station, user=account)


def account_station_unlink(*, actor, keeper: StationKeeper) -> None:
    station_keeper_remove(actor=actor, keeper=keeper)


# --- usernames and initial passwords ---

USERNAME_RULES = ("pinyin", "phone")
_ASCII = re.compile(r"[^a-z]")


def username_base(*, name: str, phone: str = "", rule: str | None = None) -> tuple[str, bool]:
    """The username before any number: the phone number (rule "phone", when the person has one), or
    the name's pinyin in lower-case letters (rule "pinyin", default; 王芳 → wangfang). Returns the base
    and whether a number must follow it (always for pinyin: 王芳 → wangfang01, wangfang02 …)."""
    from pypinyin import lazy_pinyin

    rule = rule or settings.RENDA_ACCOUNT_USERNAME_RULE
    if rule == "phone" and phone and re.fullmatch(r"1\d{10}", phone):
        return phone, False
    spelled = _ASCII.sub("", "".join(lazy_pinyin(name)).lower().replace("ü", "v"))
    return (spelled or "user")[:26], True


def username_for(*, name: str, phone: str = "", taken: set[str], rule: str | None = None) -> str:
    base, numbered = username_base(name=name, phone=phone, rule=rule)
    if not numbered and base not in taken:
        return base
    for n in range(1, 10000):
        candidate = f"{base}{n:02d}"
        if candidate not in taken:
            return candidate
    raise DomainError(_("无法为%(name)s生成不重复的用户名") % {"name": name}, field="username")


# No 0/O, 1/l/I: initial passwords are read off paper and typed on a phone.
_LETTERS_LOWER = "abcdefghijkmnpqrstuvwxyz"
_LETTERS_UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_DIGITS = "23456789"
_SYMBOLS = "#@%+=?"


def initial_password() -> str:
    """10 characters with all four character classes (the password rules ask for three of four)."""
    pool = _LETTERS_LOWER + _LETTERS_UPPER + _DIGITS + _SYMBOLS
    chars = [secrets.choice(s) for s in (_LETTERS_LOWER, _LETTERS_UPPER, _DIGITS, _SYMBOLS)]
    chars += [secrets.choice(pool) for _ in range(6)]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def _taken_usernames() -> set[str]:
    return set(User.objects.values_list("username", flat=True))


# --- bulk creation ---

BULK_KINDS = ("deputies", "units")
BULK_BATCH = 20  # accounts prepared between two progress reports


def _sheet_bytes(title: str, header: list[str], rows: list[list]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("初始密码")
    sheet.append(safe_row([title], sheet))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("首次登录须修改密码。本表只能下载一次，请妥善分发，分发后销毁。")])
    sheet.append(header)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(safe_row(row))
    for column, width in zip("ABCDE", (8, 14, 28, 22, 16), strict=False):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def accounts_bulk_create(*, actor, kind: str, params: dict, report=lambda percent, message="": None) -> dict:
    """Create the accounts in one transaction and keep their initial passwords as a one-time sheet.

    Deputies: one deputy-role account per deputy without one (selectors.bulk_deputies), linked to it.
    Units: one handling-unit account per handling unit without one. Returns {"created": n, "sheet": id}.
    """
    from . import selectors

    if kind == "deputies":
        people = list(
            selectors.bulk_deputies(
                congress_id=int(params["congress"]),
                township_id=int(params["township"]) if params.get("township") else None,
                delegation=params.get("delegation", ""),
            )
        )
    else:
        people = list(selectors.bulk_units())
    total = len(people)
    if not total:
        raise DomainError(_("没有需要开通账号的对象（所选范围内都已有账号）"), field="congress")
    # The slow part, hashing each initial password (argon2), is done before the transaction, batch
    # by batch: progress written inside the job's transaction would stay unseen until it commits.
    taken = _taken_usernames()
    prepared = []
    for start in range(0, total, BULK_BATCH):
        for person in people[start : start + BULK_BATCH]:
            if kind == "deputies":
                username = username_for(name=person.name, phone=person.phone, taken=taken)
            else:
                username = username_for(name=person.short_name or person.name, taken=taken, rule="pinyin")
            taken.add(username)
            password = initial_password()
            hashed = password_prepare(password=password, username=username, full_name=person.name)
            prepared.append((person, username, password, hashed))
        done = len(prepared)
        report(int(done * 90 / total), _("已生成%(n)d/%(t)d个账号的初始密码") % {"n": done, "t": total})
    report(92, _("正在写入%(t)d个账号") % {"t": total})
    rows = []
    with transaction.atomic():
        for index, (person, username, password, hashed) in enumerate(prepared, start=1):
            common = {"actor": actor, "username": username, "password": password, "password_hash": hashed}
            if kind == "deputies":
                account = user_create(
                    **common, role=Role.DEPUTY, full_name=person.name, must_change_password=True
                )
                account_deputy_link(actor=actor, account=account, deputy=person)
            else:
                user_create(
                    **common,
                    role=Role.HANDLING_UNIT,
                    full_name=person.name,
                    region=person.region,
                    organization=person,
                    must_change_password=True,
                )
            rows.append([index, person.name, person.region.name, username, password])
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        title = (_("代表账号初始密码") if kind == "deputies" else _("承办单位账号初始密码")) + f"（{total}）"
        header = [
            _("序号"),
            _("姓名") if kind == "deputies" else _("单位"),
            _("所在区域"),
            _("用户名"),
            _("初始密码"),
        ]
        content = _sheet_bytes(title, header, rows)
        sheet = CredentialSheet.objects.create(
            owner=actor,
            title=title,
            filename=f"initial-passwords-{stamp}.xlsx",
            accounts=total,
            content=base64.b64encode(content).decode("ascii"),
        )
        audit_record(
            action="accounts.bulk_create", actor=actor, obj=sheet, detail=f"kind={kind} created={total}"
        )
    return {"created": total, "sheet": str(sheet.pk)}


def accounts_bulk_run(job_id: str) -> None:
    from django.urls import reverse

    def work(job, report):
        result = accounts_bulk_create(
            actor=job.owner, kind=job.params["kind"], params=job.params, report=report
        )
        job_succeed(
            job=job,
            message=_("已开通%(n)d个账号。初始密码表只能下载一次。") % {"n": result["created"]},
            # The sheet is handed over by POST only (no prefetch may use up its single download).
            result={
                **result,
                "next_url": reverse("onboarding:sheet_download", args=[result["sheet"]]),
                "next_method": "post",
                "next_label": _("下载初始密码表（仅一次）"),
            },
        )

    job_run(job_id, work)


def credential_sheet_take(*, actor, sheet_id) -> tuple[str, bytes]:
    """Hand over a sheet once: decrypt it, delete the row, audit. A second call finds nothing (404)."""
    from django.http import Http404

    with transaction.atomic():
        sheet = CredentialSheet.objects.select_for_update().filter(pk=sheet_id, owner=actor).first()
        if sheet is None:
            raise Http404
        filename, content = sheet.filename, base64.b64decode(sheet.content)
        audit_record(action="accounts.credentials_download", actor=actor, obj=sheet, detail=sheet.title)
        sheet.delete()
        # The job that made it no longer offers a download that would only answer "not found".
        for job in Job.objects.filter(owner=actor, kind="accounts_bulk", result__sheet=str(sheet_id)):
            job_result_update(
                job=job,
                changes={"next_url": None, "next_method": None, "next_label": None, "taken": True},
            )
    return filename, content


def credential_sheet_prune(*, older_than_hours: int | None = None) -> int:
    """Delete sheets never downloaded after the retention period; one audit entry in all."""
    import datetime

    hours = older_than_hours if older_than_hours is not None else settings.RENDA_CREDENTIAL_SHEET_HOURS
    cutoff = timezone.now() - datetime.timedelta(hours=hours)
    with transaction.atomic():
        count, _details = CredentialSheet.objects.filter(created_at__lt=cutoff).delete()
        if count:
            audit_record(action="accounts.credentials_prune", detail=f"removed={count}")
    return count
