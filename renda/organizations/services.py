"""Writes to organisations."""

from django.db import transaction

from renda.audit.services import audit_record

from .models import Organization


def organization_create(
    *, actor=None, name: str, kind: str, region, parent=None, short_name: str = ""
) -> Organization:
    with transaction.atomic():
        org = Organization(name=name, kind=kind, region=region, parent=parent, short_name=short_name)
        org.full_clean()
        org.save()
        audit_record(
            action="organization.create",
            actor=actor,
            obj=org,
            changes={"name": name, "kind": kind, "region": str(region)},
        )
    return org
