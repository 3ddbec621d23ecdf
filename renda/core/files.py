"""Uploaded files: what each allowed type starts with (its signature), one check that services share,
and photos shrunk to a sane size before they are stored.

Moved here from the suggestions app when the guidance and work-plan apps needed the same check: a
file's name proves nothing, its first bytes do.
"""

import io
import os

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _

from .errors import DomainError

_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
FILE_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".docx": _ZIP,
    ".xlsx": _ZIP,
    ".zip": _ZIP,
    ".ofd": _ZIP,  # OFD (GB/T 33190) is a ZIP package
    ".doc": _OLE,
    ".xls": _OLE,
    ".wps": _OLE + _ZIP,  # WPS 文字: the legacy OLE format, or OOXML in newer versions
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG",),
}
PHOTO_EXTENSIONS = (".jpg", ".jpeg", ".png")
# A phone photo (4000×3000, 3–8 MB) becomes at most 1600 px on its long side, JPEG quality 82: about
# 200–400 KB, still legible for a sign-in sheet photographed on a table.
PHOTO_MAX_SIDE = 1600
PHOTO_QUALITY = 82


def file_head(upload, size: int = 16) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head if isinstance(head, bytes) else head.encode()


def file_extension(upload) -> str:
    """The lower-case extension with its dot ('.pdf'), or '' when the name has none."""
    return os.path.splitext((getattr(upload, "name", "") or "").lower())[1]


def file_check(upload, *, field: str, label: str, allowed: tuple[str, ...], max_bytes: int) -> str:
    """Refuse a file of a type not in `allowed`, larger than `max_bytes`, or whose first bytes do not
    match its extension. Returns the extension. Errors name `field` and say `label` in Chinese."""
    extension = file_extension(upload)
    if extension not in allowed:
        raise DomainError(
            _("%(f)s的文件类型不支持，请上传 %(a)s 文件")
            % {"f": label, "a": "、".join(e.lstrip(".").upper() for e in allowed)},
            field=field,
        )
    if getattr(upload, "size", 0) > max_bytes:
        raise DomainError(
            _("%(f)s不能超过%(m)dMB") % {"f": label, "m": max_bytes // (1024 * 1024)}, field=field
        )
    if not file_head(upload).startswith(FILE_SIGNATURES[extension]):
        raise DomainError(
            _("%(f)s的文件内容与扩展名（%(e)s）不符，请上传真实的文件") % {"f": label, "e": extension},
            field=field,
        )
    if extension in OFFICE_EXTENSIONS:
        office_upload_check(upload, field=field, label=label)
    return extension


# Office Open XML files: ZIPs of XML that a parser (or Word, WPS) will unpack.
OFFICE_EXTENSIONS = (".docx", ".xlsx")


def office_upload_check(upload, *, field: str, label: str) -> None:
    """Size unpacked, compression ratio and XML entities of an uploaded .docx/.xlsx (core/uploads.py),
    before anything parses it or anyone downloads it."""
    from .uploads import office_file_check

    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    office_file_check(data if isinstance(data, bytes) else data.encode(), field=field, label=label)


def photo_shrink(upload, *, field: str, label: str, max_side: int = PHOTO_MAX_SIDE):
    """A JPEG no larger than `max_side` on its long side, turned upright by its EXIF orientation and
    stripped of EXIF (which carries the phone's GPS position); a PNG becomes a JPEG on white. Returns
    a new upload object; a file Pillow cannot read is refused naming `field`."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise DomainError(_("%(f)s不是可以打开的图片") % {"f": label}, field=field) from exc
    finally:
        upload.seek(0)
    stem = os.path.splitext(os.path.basename(upload.name))[0] or "photo"
    image.thumbnail((max_side, max_side))
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        if image.mode in ("RGBA", "LA", "P"):
            image = image.convert("RGBA")
            background.paste(image, mask=image.getchannel("A"))
        else:
            background.paste(image.convert("RGB"))
        image = background
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=PHOTO_QUALITY, optimize=True)
    return SimpleUploadedFile(f"{stem}.jpg", buffer.getvalue(), content_type="image/jpeg")
