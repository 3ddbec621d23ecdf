"""Fixtures of the guidance tests: a 2024 list for 黄泥塘镇 (a town) and 九驿街道 (a street), three
items, and a group led by `leader` covering 黄泥塘镇 only; a second leader with no group."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from renda.accounts.services import user_create
from renda.conftest import PASSWORD
from renda.core.access import Role
from renda.guidance import services
from renda.guidance.models import GuidanceItem


@pytest.fixture
def other_leader(regions):
    return user_create(
        username="leader2",
        password=PASSWORD,
        role=Role.LEADER,
        full_name="李副主任",
        region=regions["county"],
    )


@pytest.fixture
def guidance(regions, users):
    gl = services.guidance_list_create(
        year=2024,
        title="2024年乡镇（街道）人大工作指导清单",
        region=regions["county"],
        townships=[regions["huangnitang"], regions["jiuyi"]],
        issued_on=datetime.date(2024, 2, 20),
    )
    presidium = services.guidance_item_add(
        guidance_list=gl,
        title="召开主席团会议",
        due_on=datetime.date(2024, 3, 31),
        applies_to=GuidanceItem.AppliesTo.TOWNSHIP,
        evidence_expected="会议记录、照片",
    )
    reception = services.guidance_item_add(
        guidance_list=gl,
        title="联络站每月接待日",
        due_on=datetime.date(2024, 6, 30),
        evidence_expected="签到表",
    )
    records = services.guidance_item_add(
        guidance_list=gl, title="建立代表履职档案", due_on=datetime.date(2024, 12, 31)
    )
    group = services.guidance_group_create(
        guidance_list=gl, name="第一指导组", leader=users["leader"], townships=[regions["huangnitang"]]
    )
    return {"list": gl, "presidium": presidium, "reception": reception, "records": records, "group": group}


def cell(item, township):
    return item.cells.get(township=township)


def jpeg(width=3000, height=2000, name="现场照片.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 40, 40)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def pdf(name="会议记录.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%minutes\n", content_type="application/pdf")
