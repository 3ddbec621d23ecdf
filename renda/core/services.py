"""Small helpers that services share."""

from django.core.exceptions import ValidationError
from django.db import models

from .errors import DomainError


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


def validate(instance: models.Model, *, exclude=None, validate_constraints: bool = True) -> None:
    """full_clean() that raises DomainError naming the first offending field, for views to show."""
    try:
        instance.full_clean(exclude=exclude, validate_constraints=validate_constraints)
    except ValidationError as exc:
        raise DomainError.from_validation(exc) from exc
