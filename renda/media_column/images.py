"""Article images: the upload's first bytes must be a JPEG, PNG, GIF or WebP signature, Pillow must
read it as that format, and it is re-encoded (EXIF dropped, orientation applied, at most
MAX_SIDE px a side) before it is stored. The original bytes are never kept."""

import io

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from renda.core.errors import DomainError

MAX_BYTES = 10 * 1024 * 1024
MAX_SIDE = 1600
MAX_PIXELS = 40_000_000  # refuses decompression bombs long before Pillow's own limit

# signature -> the format Pillow must agree it is
SIGNATURES = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
)


def _claimed_format(head: bytes) -> str | None:
    for signature, fmt in SIGNATURES:
        if head.startswith(signature):
            return fmt
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


def image_prepare(upload, *, field: str = "image") -> tuple[ContentFile, str, int, int]:
    """(file, content type, width, height) of the re-encoded image, or DomainError naming `field`."""
    if upload is None:
        raise DomainError(_("请选择图片"), field=field)
    if getattr(upload, "size", 0) > MAX_BYTES:
        raise DomainError(_("图片不能超过10MB"), field=field)
    upload.seek(0)
    data = upload.read()
    claimed = _claimed_format(data[:16])
    if claimed is None:
        raise DomainError(_("图片格式不支持，请上传 JPG、PNG、GIF 或 WebP 图片"), field=field)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
        if image.format != claimed:
            raise DomainError(_("图片内容与其格式不符，请上传真实的图片文件"), field=field)
        if image.width * image.height > MAX_PIXELS:
            raise DomainError(_("图片尺寸过大（超过4000万像素）"), field=field)
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise DomainError(_("图片已损坏或无法识别，请重新上传"), field=field) from exc
    image = ImageOps.exif_transpose(image)
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    keep_alpha = image.mode in ("RGBA", "LA", "P") and claimed in ("PNG", "GIF", "WEBP")
    out = io.BytesIO()
    if keep_alpha:
        image = image.convert("RGBA")
        image.save(out, format="PNG", optimize=True)
        content_type, extension = "image/png", "png"
    else:
        image = image.convert("RGB")
        image.save(out, format="JPEG", quality=85, optimize=True, progressive=True)
        content_type, extension = "image/jpeg", "jpg"
    return ContentFile(out.getvalue(), name=f"image.{extension}"), content_type, image.width, image.height
