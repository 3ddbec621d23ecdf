"""Helpers for forms that show what services refuse."""

from .errors import DomainError


def add_domain_error(form, exc: DomainError) -> None:
    """Show a service's refusal next to the field it names, or above the form when it names none."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
