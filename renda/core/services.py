"""Small helpers that services share."""

from django.db import models


def model_update(*, instance: models.Model, data: dict, fields: list[str]) -> dict[str, list]:
    """Set `fields` from `data` on `instance`; return {field: [old, new]} for what really changed.

    The caller validates, saves (with update_fields) and audits inside its transaction.
    """
    changes: dict[str, list] = {}
    for field in fields:
        if field not in data:
            continue
        old, new = getattr(instance, field), data[field]
        if old != new:
            setattr(instance, field, new)
            changes[field] = [old, new]
    return changes
