"""Validators for Chinese identity numbers (GB 11643) and phone numbers."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .text import clean_code

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_PROVINCES = {
    "11",
    "12",
    "13",
    "14",
    "15",
    "21",
    "22",
    "23",
    "31",
    "32",
    "33",
    "34",
    "35",
    "36",
    "37",
    "41",
    "42",
    "43",
    "44",
    "45",
    "46",
    "50",
    "51",
    "52",
    "53",
    "54",
    "61",
    "62",
    "63",
    "64",
    "65",
    "71",
    "81",
    "82",
    "83",
    "91",
}
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def normalize_id_number(value: str) -> str:
    """The code policy (renda.core.text.clean_code: NFKC, no invisible or space characters), X upper case."""
    return clean_code(value).upper()


def id_check_character(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def id_birth_date(value: str) -> datetime.date:
    return datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))


def id_gender(value: str) -> str:
    """'male' for an odd 17th digit, 'female' for an even one."""
    return "male" if int(value[16]) % 2 else "female"


def validate_id_number(value: str, *, gender: str | None = None, birth: datetime.date | None = None) -> str:
    """Return the normalised ID number or raise ValidationError saying exactly what is wrong."""
    number = normalize_id_number(value)
    if len(number) != 18:
        raise ValidationError(_("身份证号码应为18位，当前为%(n)d位") % {"n": len(number)}, code="length")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(_("身份证号码前17位必须是数字，末位是数字或X"), code="format")
    if number[:2] not in _PROVINCES:
        raise ValidationError(_("身份证号码的地区码无效"), code="region")
    try:
        born = id_birth_date(number)
    except ValueError:
        raise ValidationError(_("身份证号码中的出生日期无效"), code="birth") from None
    if born > datetime.date.today() or born.year < 1900:
        raise ValidationError(_("身份证号码中的出生日期无效"), code="birth")
    if id_check_character(number[:17]) != number[17]:
        raise ValidationError(_("身份证号码校验位错误"), code="checksum")
    if gender and id_gender(number) != gender:
        raise ValidationError(_("身份证号码的性别位与性别不符"), code="gender")
    if birth and (birth.year, birth.month) != (born.year, born.month):
        raise ValidationError(_("出生年月与身份证号码不符"), code="birth_mismatch")
    return number


def normalize_phone(value: str) -> str:
    value = clean_code(value)
    value = re.sub(r"[\s()（）]", "", value)
    if value.startswith("+86"):
        value = value[3:]
    if _LANDLINE.match(value):
        return value
    return value.replace("-", "")


def validate_phone(value: str) -> str:
    number = normalize_phone(value)
    if _MOBILE.match(number) or _LANDLINE.match(number):
        return number
    raise ValidationError(_("电话号码格式不正确：应为11位手机号或带区号的固定电话"), code="phone")
