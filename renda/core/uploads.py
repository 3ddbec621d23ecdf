"""Checks an uploaded office file (.xlsx, .docx: a ZIP of XML parts) before anything parses it.

An office file is a ZIP archive, so a few hundred kilobytes can unpack to gigabytes (one huge repeated
string compresses about a thousand to one) and an XML part can declare entities that expand without
end (the "billion laughs"). Both are refused here, from the ZIP directory and the first bytes of each
part, before openpyxl or python-docx see the file. Office Open XML (ECMA-376 Part 2, §8.1.4) forbids a
DTD in any part, so a DOCTYPE is never legitimate.

Limits are settings: RENDA_OFFICE_MAX_UNCOMPRESSED_BYTES (all parts together, as the directory states
them), RENDA_OFFICE_MAX_RATIO (uncompressed ÷ compressed, per part and overall), RENDA_OFFICE_MAX_PARTS.
"""

import io
import re
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

from .errors import DomainError

# How much of each XML part is read to find a DOCTYPE: it can only come before the root element.
_PROLOG_BYTES = 4096
_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
# Parts smaller than this are not judged by their ratio: tiny XML compresses well by nature.
_RATIO_FLOOR_BYTES = 1024 * 1024


def _refuse(message: str, field: str) -> DomainError:
    return DomainError(message, field=field)


def _prolog(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with archive.open(info) as part:
        head = part.read(_PROLOG_BYTES)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16, which XML allows
        try:
            head = head.decode("utf-16", errors="ignore").encode()
        except UnicodeError:
            return head
    return head


def office_file_check(data: bytes, *, field: str = "file", label: str | None = None) -> None:
    """Refuse an office file that would unpack too large or declares XML entities.

    `data` is the whole upload (bytes). Raises DomainError(field=`field`) with a Chinese message naming
    `label` (the field's name as the user sees it, default 文件). Returns None when the file may be parsed.
    The sizes checked are those the ZIP directory declares; Python's zipfile never inflates a part
    beyond its declared size, so a parser reading through zipfile cannot get more than was checked.
    """
    name = label or _("文件")
    max_total = settings.RENDA_OFFICE_MAX_UNCOMPRESSED_BYTES
    max_ratio = settings.RENDA_OFFICE_MAX_RATIO
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        message = _("%(f)s不是有效的 Office 文件（.xlsx/.docx），请检查后重新上传") % {"f": name}
        raise _refuse(message, field) from None
    with archive:
        members = archive.infolist()
        if len(members) > settings.RENDA_OFFICE_MAX_PARTS:
            raise _refuse(
                _("%(f)s内部包含 %(n)d 个部件，超过上限 %(max)d，请另存为普通文件后再上传")
                % {"f": name, "n": len(members), "max": settings.RENDA_OFFICE_MAX_PARTS},
                field,
            )
        total = sum(m.file_size for m in members)
        compressed = max(1, sum(m.compress_size for m in members))
        if total > max_total:
            raise _refuse(
                _("%(f)s解压后有 %(size)d MB，超过上限 %(max)d MB，请删去多余内容或分批上传")
                % {"f": name, "size": total // (1024 * 1024), "max": max_total // (1024 * 1024)},
                field,
            )
        for member in members:
            ratio = member.file_size / max(1, member.compress_size)
            if member.file_size > _RATIO_FLOOR_BYTES and ratio > max_ratio:
                raise _refuse(
                    _("%(f)s的压缩比异常（%(r)d 倍，上限 %(max)d 倍），可能是恶意构造的文件，已拒绝")
                    % {"f": name, "r": int(ratio), "max": max_ratio},
                    field,
                )
        if total > _RATIO_FLOOR_BYTES and total / compressed > max_ratio:
            raise _refuse(
                _("%(f)s的压缩比异常（%(r)d 倍，上限 %(max)d 倍），可能是恶意构造的文件，已拒绝")
                % {"f": name, "r": int(total / compressed), "max": max_ratio},
                field,
            )
        for member in members:
            if not member.filename.lower().endswith((".xml", ".rels", ".vml")):
                continue
            try:
                head = _prolog(archive, member)
            except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError, RuntimeError, ValueError):
                message = _("%(f)s已损坏或加密（无法读取 %(p)s），请检查后重新上传")
                raise _refuse(message % {"f": name, "p": member.filename}, field) from None
            if _DOCTYPE.search(head):
                message = _("%(f)s含有不允许的 XML 实体声明（DOCTYPE），可能是恶意构造的文件，已拒绝")
                raise _refuse(message % {"f": name}, field)
