"""Writes to accounts: creating and changing users, passwords, tokens, second factors, lockouts."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from renda.audit.services import audit_record
from renda.core.access import REGION_ROLES, Role
from renda.core.errors import DomainError
from renda.core.services import model_update, validate

from .models import ApiToken, PasswordHistory, User

USER_FIELDS = ["full_name", "role", "region", "organization", "is_active", "email"]

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
) -> User:
    """Create an account. `must_change_password=True` when the password was chosen for the owner by
    someone else (the account form, bulk creation): they must choose their own at first login.
    `admin_account`, the demo and the tests keep known passwords."""
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


def user_update(*, actor=None, user: User, data: dict) -> User:
    _check_separation(actor=actor, target=user, new_role=data.get("role"))
    with transaction.atomic():
        changes = model_update(instance=user, data=data, fields=USER_FIELDS)
        if not changes:
            return user
        _check_jurisdiction(user)
        user.save(update_fields=list(changes))
        audit_record(action="user.update", actor=actor, obj=user, changes=changes)
    return user


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


def api_token_issue(*, user: User) -> str:
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        ApiToken.objects.create(
            user=user,
            key_hash=ApiToken.hash(key),
            expires_at=timezone.now() + timedelta(hours=settings.RENDA_API_TOKEN_HOURS),
        )
        audit_record(action="auth.token_issue", actor=user, obj=user)
    return key


def api_token_user(key: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user", "user__region")
        .filter(key_hash=ApiToken.hash(key), revoked=False, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    return token.user


def totp_device_start(*, user: User) -> TOTPDevice:
    """An unconfirmed authenticator for the user to scan; replaces any earlier unconfirmed one."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=_("身份验证器"), confirmed=False)


def totp_device_confirm(*, user: User, device: TOTPDevice, token: str) -> bool:
    with transaction.atomic():
        if not device.verify_token(token):
            audit_record(action="auth.2fa_setup", actor=user, obj=user, outcome="failure")
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record(action="auth.2fa_setup", actor=user, obj=user)
    return True


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
