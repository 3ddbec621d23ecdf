"""Office files are checked before parsing: size unpacked, compression ratio, XML entities."""

import io
import re
import zipfile

import pytest
from openpyxl import Workbook

from renda.core.errors import DomainError
from renda.core.uploads import office_file_check

BOMB_DTD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
)


def workbook(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rewrite(data: bytes, name: str, change) -> bytes:
    """The same ZIP with one part replaced by change(old_bytes)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            target.writestr(info.filename, change(body) if info.filename == name else body)
    return out.getvalue()


def entity_bomb() -> bytes:
    def poison(body: bytes) -> bytes:
        root = body[body.index(b"<worksheet") :]
        return BOMB_DTD + root.replace(b"<sheetData>", b"<sheetData>&lol3;", 1)

    return rewrite(workbook([["姓名", "身份证号码"]]), "xl/worksheets/sheet1.xml", poison)


def huge_string(megabytes: int = 4) -> bytes:
    """One inline string of `megabytes` MB (openpyxl itself cuts strings at 32,767 characters)."""

    def inflate(body: bytes) -> bytes:
        cell = b'<c r="B1" t="inlineStr"><is><t>' + b"A" * (megabytes * 1024 * 1024) + b"</t></is></c>"
        return re.sub(rb'<c r="B1".*?</c>', lambda _m: cell, body, count=1, flags=re.S)

    return rewrite(workbook([["姓名", "x"]]), "xl/worksheets/sheet1.xml", inflate)


def test_an_ordinary_workbook_passes():
    office_file_check(workbook([["姓名", "身份证号码"], ["罗敏", "520521197503122021"]]))


def test_an_entity_declaration_is_refused_naming_the_field():
    with pytest.raises(DomainError) as caught:
        office_file_check(entity_bomb(), field="file", label="代表名册文件")
    assert caught.value.field == "file"
    assert "代表名册文件" in caught.value.message and "XML 实体" in caught.value.message


def test_one_huge_string_is_refused_by_its_ratio():
    data = huge_string()
    assert len(data) < 100_000  # a small file ...
    with pytest.raises(DomainError) as caught:
        office_file_check(data)
    assert "压缩比异常" in caught.value.message and caught.value.field == "file"


def test_the_total_unpacked_size_has_a_limit(settings):
    settings.RENDA_OFFICE_MAX_UNCOMPRESSED_BYTES = 2 * 1024 * 1024
    settings.RENDA_OFFICE_MAX_RATIO = 10_000
    with pytest.raises(DomainError) as caught:
        office_file_check(huge_string(3))
    assert "解压后有 3 MB，超过上限 2 MB" in caught.value.message


def test_the_number_of_parts_has_a_limit(settings):
    settings.RENDA_OFFICE_MAX_PARTS = 3
    with pytest.raises(DomainError) as caught:
        office_file_check(workbook([["x"]]))
    assert "个部件" in caught.value.message


def test_not_a_zip_is_refused():
    with pytest.raises(DomainError) as caught:
        office_file_check(b"hello")
    assert "不是有效的 Office 文件" in caught.value.message


def test_every_service_that_checks_uploads_checks_office_files_too():
    """core/files.file_check (work plans, guidance rules and evidence) refuses a hostile .docx/.xlsx."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from renda.core.files import file_check

    for name in ("plan.docx", "plan.xlsx"):
        upload = SimpleUploadedFile(name, entity_bomb())
        with pytest.raises(DomainError) as caught:
            file_check(
                upload, field="file", label="工作要点文件", allowed=(".docx", ".xlsx"), max_bytes=10**7
            )
        assert "工作要点文件" in caught.value.message and "XML 实体" in caught.value.message
    good = SimpleUploadedFile("ok.xlsx", workbook([["x"]]))
    assert file_check(good, field="file", label="文件", allowed=(".xlsx",), max_bytes=10**7) == ".xlsx"
