"""The user account: one role, and a jurisdiction (a region subtree and/or an organisation)."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from renda.core.access import TWO_FACTOR_ROLES, Role


def new_security_stamp() -> str:
    return secrets.token_hex(16)


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, db_index=True)
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("管辖区域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("所属机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    # Part of every session's authentication hash: a new stamp ends every session of the account
    # (password, role or jurisdiction change, deactivation; see services.user_revoke_all).
    security_stamp = models.CharField(max_length=32, default=new_security_stamp, editable=False)
    # Set when someone else chose the password (an initial or reset one): the owner must choose
    # their own before doing anything else (ForcePasswordChangeMiddleware).
    must_change_password = models.BooleanField(_("须修改密码"), default=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def get_session_auth_hash(self) -> str:
        """Django's hash of the password, with the security stamp: either changing ends sessions."""
        from django.utils.crypto import salted_hmac

        return salted_hmac(
            "renda.accounts.User.get_session_auth_hash",
            f"{self.password}|{self.security_stamp}",
            algorithm="sha256",
        ).hexdigest()

    @property
    def needs_two_factor(self) -> bool:
        from django.conf import settings

        return settings.RENDA_REQUIRE_2FA and self.role in TWO_FACTOR_ROLES


class PasswordHistory(models.Model):
    """Earlier password hashes, so that a recent password cannot be chosen again."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored.

    A token ends at `expires_at` (absolute, RENDA_API_TOKEN_HOURS), after RENDA_API_TOKEN_IDLE_SECONDS
    unused (`last_used_at`, kept to the minute), when revoked by its owner, with the browser session
    it was issued in (`session_key`), or with every other token of the account when the password,
    role or jurisdiction changes or the account is deactivated.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_ip = models.GenericIPAddressField(_("签发来源IP"), null=True, blank=True)
    user_agent = models.CharField(_("客户端"), max_length=200, blank=True)
    session_key = models.CharField(max_length=40, blank=True, db_index=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)
    revoked = models.BooleanField(default=False)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.expires_at:%Y-%m-%d %H:%M}"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class EnrolmentCode(models.Model):
    """A one-time code the security administrator gives a person to bind their first authenticator.

    Without it a stolen initial password would be enough to bind the thief's phone (issue 13 §1).
    Only the code's SHA-256 is kept; it works once, until `expires_at`, and is voided after
    RENDA_ENROLMENT_MAX_FAILURES wrong tries.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="enrolment_codes")
    code_hash = models.CharField(max_length=64)
    issued_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("双因素绑定码")
        verbose_name_plural = _("双因素绑定码")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.expires_at:%Y-%m-%d %H:%M}"

    @staticmethod
    def normalise(code: str) -> str:
        """Upper case without separators or spaces, as people type it back."""
        return "".join(ch for ch in (code or "").upper() if ch.isalnum())

    @classmethod
    def hash(cls, code: str) -> str:
        return hashlib.sha256(cls.normalise(code).encode()).hexdigest()
