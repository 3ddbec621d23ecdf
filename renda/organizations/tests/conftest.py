"""Fixtures of the organisations tests: the standing committee, a work body, two township bodies."""

import datetime

import pytest

from renda.organizations.models import Organization
from renda.organizations.services import appointment_create, organization_create


@pytest.fixture
def bodies(regions):
    committee = organization_create(
        name="大方县人大常委会", kind=Organization.Kind.STANDING_COMMITTEE, region=regions["county"]
    )
    office = organization_create(
        name="代表工作委员会", kind=Organization.Kind.WORK_BODY, region=regions["county"], parent=committee
    )
    presidium = organization_create(
        name="黄泥塘镇人大主席团", kind=Organization.Kind.TOWNSHIP_PRESIDIUM, region=regions["huangnitang"]
    )
    street = organization_create(
        name="九驿街道人大工作委员会",
        kind=Organization.Kind.STREET_COMMITTEE,
        region=regions["jiuyi"],
        parent=committee,
    )
    return {"committee": committee, "office": office, "presidium": presidium, "street": street}


@pytest.fixture
def street_members(bodies):
    street = bodies["street"]
    made = {
        "old_director": appointment_create(
            organization=street,
            person_name="马光荣",
            post="director",
            started_on=datetime.date(2022, 2, 25),
            ended_on=datetime.date(2023, 6, 30),
            decided_on=datetime.date(2022, 2, 25),
            document_number="大人常任〔2022〕11号",
        ),
        "director": appointment_create(
            organization=street, person_name="赵明远", post="director", started_on=datetime.date(2023, 7, 1)
        ),
        "member": appointment_create(
            organization=street, person_name="袁玉兰", post="member", started_on=datetime.date(2022, 2, 25)
        ),
        "staff": appointment_create(
            organization=street, person_name="宋杰", post="staff", started_on=datetime.date(2022, 4, 1)
        ),
    }
    return made
