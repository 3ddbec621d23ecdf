"""Writes to accounts: creating and changing users, passwords, tokens, second factors, lockouts."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from renda.audit.services import audit_record
from renda.core.access import REGION_ROLES, UPPER_ROLES, Role
from renda.core.errors import DomainError
from renda.core.services import model_update, validate
from renda.regions.models import Region

from .models import ApiToken, EnrolmentCode, PasswordHistory, User, new_security_stamp

USER_FIELDS = ["full_name", "role", "region", "organization", "is_active", "email"]
# A change of any of these ends every session and token of the account (issue 13 §1): what the
# account may see or do has changed, so nothing granted under the old rights may live on.
REVOKING_FIELDS = frozenset({"role", "region", "organization", "is_active"})

# 三权分立: the system administrator manages the accounts people work with, never the three
# administrator accounts (nor their own role): those are set by the deployment with
# `manage.py admin_account`, which runs with no actor and is audited as such.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR})


def _check_separation(*, actor, target: User | None, new_role: str | None = None) -> None:
    """Refuse an actor's change to an administrator account, or a change that makes one.

    Only a system administrator holds accounts.manage, so this also stops them changing their own
    role or unlocking the audit log for themselves.
    """
    if actor is None:
        return
    if (target is not None and target.role in ADMIN_ROLES) or (new_role in ADMIN_ROLES):
        raise DomainError(
            _(
                "三权分立：系统管理员、安全管理员、审计管理员账号"
                "只能由部署人员用 manage.py admin_account 设置"
            ),
            field="role",
        )


def _check_jurisdiction(user: User) -> None:
    if user.role in REGION_ROLES and user.region_id is None:
        raise DomainError(_("该角色必须指定管辖区域"), field="region")
    level = UPPER_ROLES.get(user.role)
    if level is not None and user.region.level != level:
        raise DomainError(
            _("%(r)s的管辖区域须为%(l)s一级")
            % {"r": user.get_role_display(), "l": Region.Level(level).label},
            field="region",
        )
    if user.role == Role.HANDLING_UNIT and user.organization_id is None:
        raise DomainError(_("承办单位账号必须指定所属机构"), field="organization")


def _validate_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password") from exc


def user_create(
    *,
    actor=None,
    username: str,
    password: str,
    role: str,
    full_name: str = "",
    region=None,
    organization=None,
    email: str = "",
    must_change_password: bool = False,
    password_hash: str = "",
) -> User:
    """Create an account. `must_change_password=True` when the password was chosen for the owner by
    someone else (the account form, bulk creation): they must choose their own at first login.
    `admin_account`, the demo and the tests keep known passwords. `password_hash`: the password
    already checked and hashed by `password_prepare` (bulk creation hashes outside its transaction,
    batch by batch, so that its progress can be seen); `password` is then not used."""
    _check_separation(actor=actor, target=None, new_role=role)
    with transaction.atomic():
        if User.objects.filter(username=username).exists():
            raise DomainError(_("用户名“%(u)s”已存在") % {"u": username}, field="username")
        user = User(
            username=username,
            role=role,
            full_name=full_name,
            region=region,
            organization=organization,
            email=email,
        )
        _check_jurisdiction(user)
        if password_hash:
            user.password = password_hash
        else:
            _validate_password(password, user)
            user.set_password(password)
        user.password_changed_at = timezone.now()
        user.must_change_password = must_change_password
        validate(user)
        user.save()
        audit_record(
            action="user.create",
            actor=actor,
            obj=user,
            changes={
                "username": username,
                "role": role,
                "region": str(region or ""),
                "organization": str(organization or ""),
            },
        )
    return user


def password_prepare(*, password: str, username: str, full_name: str = "") -> str:
    """Check a password chosen for a new account by the password rules and hash it (slow on
    purpose: argon2), for `user_create(password_hash=...)`."""
    from django.contrib.auth.hashers import make_password

    _validate_password(password, User(username=username, full_name=full_name))
    return make_password(password)


def user_update(*, actor=None, user: User, data: dict) -> User:
    _check_separation(actor=actor, target=user, new_role=data.get("role"))
    with transaction.atomic():
        changes = model_update(instance=user, data=data, fields=USER_FIELDS)
        if not changes:
            return user
        _check_jurisdiction(user)
        user.save(update_fields=list(changes))
        audit_record(action="user.update", actor=actor, obj=user, changes=changes)
        if REVOKING_FIELDS & set(changes):
            user_revoke_all(actor=actor, user=user, reason="、".join(sorted(REVOKING_FIELDS & set(changes))))
    return user


def user_revoke_all(*, actor=None, user: User, reason: str) -> int:
    """End every browser session and API token of `user`. Returns the number of tokens revoked.

    Sessions end because the new security stamp changes the account's session hash (Django
    checks it on every request); a caller who wants to keep its own session logs it in again
    (PasswordChangeView does).
    """
    with transaction.atomic():
        user.security_stamp = new_security_stamp()
        user.save(update_fields=["security_stamp"])
        count = ApiToken.objects.filter(user=user, revoked=False).update(
            revoked=True, revoked_at=timezone.now()
        )
        audit_record(
            action="auth.revoke_all", actor=actor, obj=user, detail=f"reason={reason} tokens={count}"
        )
    return count


def user_set_password(*, actor=None, user: User, password: str) -> None:
    """Set a password. When another person (an administrator) sets it, the owner must change it at
    their next login; when the owner sets it, that obligation ends."""
    if actor is not None and actor.pk != user.pk:
        _check_separation(actor=actor, target=user)
    with transaction.atomic():
        _validate_password(password, user)
        if user.password:
            PasswordHistory.objects.create(user=user, password=user.password)
        user.set_password(password)
        user.password_changed_at = timezone.now()
        user.must_change_password = actor is not None and actor.pk != user.pk
        user.save(update_fields=["password", "password_changed_at", "must_change_password"])
        keep = list(user.password_history.values_list("pk", flat=True)[: settings.RENDA_PASSWORD_HISTORY])
        user.password_history.exclude(pk__in=keep).delete()
        audit_record(action="user.password_change", actor=actor, obj=user, changes={"password": "changed"})
        user_revoke_all(actor=actor, user=user, reason="password")


def api_token_issue(*, user: User, ip: str | None = None, user_agent: str = "", session_key: str = "") -> str:
    """A new bearer token for `user`; only its SHA-256 is kept. `session_key`: the browser session
    the request came with (if that session is the same user's), so that its logout ends the token."""
    key = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            key_hash=ApiToken.hash(key),
            created_ip=ip,
            user_agent=user_agent[:200],
            session_key=session_key or "",
            last_used_at=now,
            expires_at=now + timedelta(hours=settings.RENDA_API_TOKEN_HOURS),
        )
        audit_record(action="auth.token_issue", actor=user, obj=user, detail=f"token={token.pk}")
    return key


def api_token_get(key: str) -> ApiToken | None:
    """The live token for a bearer key, its last use brought up to date; None when it has ended.

    Ended: revoked, past `expires_at`, unused for RENDA_API_TOKEN_IDLE_SECONDS, or its account
    deactivated. The last use is written at most once a minute (one UPDATE, no save()).
    """
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user", "user__region")
        .filter(key_hash=ApiToken.hash(key), revoked=False, expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    seen = token.last_used_at or token.created_at
    if (now - seen).total_seconds() > settings.RENDA_API_TOKEN_IDLE_SECONDS:
        return None
    if (now - seen).total_seconds() >= 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_token_user(key: str) -> User | None:
    token = api_token_get(key)
    return token.user if token is not None else None


def api_token_revoke(*, actor, token: ApiToken, reason: str = "user") -> None:
    """Revoke one token. The caller has fetched it through selectors.api_token_list (own tokens)."""
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked=False).update(
            revoked=True, revoked_at=timezone.now()
        )
        if updated:
            audit_record(
                action="auth.token_revoke",
                actor=actor,
                obj=token.user,
                detail=f"token={token.pk} reason={reason}",
            )


def api_tokens_revoke_for_session(*, user, session_key: str) -> int:
    """At logout: revoke the tokens issued within that browser session."""
    if not session_key:
        return 0
    with transaction.atomic():
        count = ApiToken.objects.filter(user=user, session_key=session_key, revoked=False).update(
            revoked=True, revoked_at=timezone.now()
        )
        if count:
            audit_record(
                action="auth.token_revoke", actor=user, obj=user, detail=f"reason=logout tokens={count}"
            )
    return count


def totp_device_start(*, user: User) -> TOTPDevice:
    """An unconfirmed authenticator for the user to scan; replaces any earlier unconfirmed one."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=_("身份验证器"), confirmed=False)


# Letters and digits that cannot be mistaken for one another when read aloud or copied by hand.
_ENROLMENT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def enrolment_code_issue(*, actor=None, user: User) -> str:
    """A one-time code for `user` to bind an authenticator; shown once, stored as a hash.

    Issuing voids the user's earlier unused codes and removes their authenticators, so it is also
    how the security administrator resets a lost phone. `actor` None: the deployment
    (`manage.py admin_account`), audited as such.
    """
    raw = "".join(secrets.choice(_ENROLMENT_ALPHABET) for _ in range(8))
    code = f"{raw[:4]}-{raw[4:]}"
    now = timezone.now()
    with transaction.atomic():
        EnrolmentCode.objects.filter(user=user, used_at=None).delete()
        removed, _by_type = TOTPDevice.objects.filter(user=user).delete()
        EnrolmentCode.objects.create(
            user=user,
            code_hash=EnrolmentCode.hash(code),
            issued_by=actor if getattr(actor, "is_authenticated", False) else None,
            expires_at=now + timedelta(hours=settings.RENDA_ENROLMENT_CODE_HOURS),
        )
        audit_record(
            action="auth.2fa_enrolment_code",
            actor=actor,
            obj=user,
            detail=f"hours={settings.RENDA_ENROLMENT_CODE_HOURS} devices_removed={removed}",
        )
    return code


def enrolment_code_check(*, user: User, code: str) -> EnrolmentCode | None:
    """The user's live enrolment code matching `code`, or None (a wrong try counts as a failure)."""
    now = timezone.now()
    live = EnrolmentCode.objects.filter(
        user=user,
        used_at=None,
        expires_at__gt=now,
        failures__lt=settings.RENDA_ENROLMENT_MAX_FAILURES,
    ).first()
    if live is None:
        return None
    if not secrets.compare_digest(live.code_hash, EnrolmentCode.hash(code)):
        EnrolmentCode.objects.filter(pk=live.pk).update(failures=models.F("failures") + 1)
        return None
    return live


def totp_device_confirm(
    *, user: User, device: TOTPDevice, token: str, enrolment_code: str = ""
) -> str | None:
    """Bind the first authenticator. Returns None on success, else the field at fault
    ("enrolment_code" or "token"); every try is audited."""
    with transaction.atomic():
        code = enrolment_code_check(user=user, code=enrolment_code) if enrolment_code else None
        if code is None:
            audit_record(
                action="auth.2fa_setup", actor=user, obj=user, outcome="failure", detail="enrolment_code"
            )
            return "enrolment_code"
        if not device.verify_token(token):
            audit_record(action="auth.2fa_setup", actor=user, obj=user, outcome="failure", detail="token")
            return "token"
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        code.used_at = timezone.now()
        code.save(update_fields=["used_at"])
        audit_record(action="auth.2fa_setup", actor=user, obj=user, detail=f"enrolment_code={code.pk}")
    return None


def totp_verify(*, user: User, token: str) -> TOTPDevice | None:
    for device in TOTPDevice.objects.devices_for_user(user, confirmed=True):
        if device.verify_token(token):
            audit_record(action="auth.2fa_verify", actor=user, obj=user)
            return device
    audit_record(action="auth.2fa_verify", actor=user, obj=user, outcome="failure")
    return None


def lockout_reset(*, actor, username: str = "", ip: str = "") -> int:
    """Security admin lifts a lockout (by username or by IP)."""
    from axes.utils import reset

    with transaction.atomic():
        count = reset(username=username or None, ip=ip or None)
        audit_record(
            action="security.unlock", actor=actor, detail=f"username={username} ip={ip} removed={count}"
        )
    return count
