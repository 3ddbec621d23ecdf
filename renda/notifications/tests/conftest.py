"""The suggestions fixtures, for the test that moves suggestions' stored reminders here."""

from renda.suggestions.tests.conftest import deputies, make, units  # noqa: F401
