"""Password rules (等保 level 3): complexity and no reuse of recent passwords."""

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule in Chinese: its zh-hans catalogue lacks the plural message (it showed English)."""

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                _("密码至少需要 %(min)d 个字符，现在 %(n)d 个")
                % {"min": self.min_length, "n": len(password)},
                code="password_too_short",
            )

    def get_help_text(self):
        return _("密码至少需要 %(min)d 个字符。") % {"min": self.min_length}


class ComplexityValidator:
    """At least three of: upper-case letters, lower-case letters, digits, symbols."""

    def validate(self, password, user=None):
        classes = sum(
            (
                any(c.isupper() for c in password),
                any(c.islower() for c in password),
                any(c.isdigit() for c in password),
                any(not c.isalnum() for c in password),
            )
        )
        if classes < 3:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、符号中的至少三类"), code="password_too_simple"
            )

    def get_help_text(self):
        return _("密码须包含大写字母、小写字母、数字、符号中的至少三类。")


class HistoryValidator:
    """The new password may not be the current one or any of the last N."""

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        count = settings.RENDA_PASSWORD_HISTORY
        hashes = [user.password] if user.password else []
        hashes += list(user.password_history.values_list("password", flat=True)[:count])
        for encoded in hashes:
            if encoded and check_password(password, encoded):
                raise ValidationError(
                    _("新密码不能与最近%(n)d次使用过的密码相同") % {"n": count}, code="password_reused"
                )

    def get_help_text(self):
        return _("不能重复使用最近%(n)d次的密码。") % {"n": settings.RENDA_PASSWORD_HISTORY}
