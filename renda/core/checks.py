"""System checks of the kernel: the official working calendar must carry the years deadlines fall in."""

from django.core import checks


@checks.register()
def calendar_years(app_configs=None, **kwargs):
    from .calendar import calendar_gap

    year = calendar_gap()
    if year is None:
        return []
    return [
        checks.Warning(
            f"The official working calendar does not carry {year}: "
            "deadlines in it would count Monday–Friday only.",
            hint="Upgrade the chinesecalendar package (and its pin in requirements.lock), or list the year's "
            "arrangements in RENDA_HOLIDAYS / RENDA_EXTRA_WORKDAYS.",
            id="renda.W001",
        )
    ]
