"""Which county a suggestion belongs to, and what may be offered for it: its own county's units only.

Several counties share one deployment (issue 15 §1), and counties have namesake bodies (every county
has a 县交通运输局). A suggestion belongs to the county congress whose region holds the item's region;
units, co-signing deputies and regions offered in its forms — and accepted by its services — are
those of that county. Forms use the querysets here; services check with `unit_in_jurisdiction`.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from renda.core.errors import DomainError
from renda.deputies.models import Congress, Level
from renda.organizations.models import Organization
from renda.regions.models import Region


def path_codes(region: Region | None) -> list[str]:
    """ "52/5205/520521/520521105/" → ["52", "5205", "520521", "520521105"] (the region and its ancestors)."""
    if region is None:
        return []
    return [code for code in region.path.split("/") if code]


def county_of(region: Region | None) -> Region | None:
    """The county that `region` is in (the region itself from county level up); walks `parent`."""
    county = region
    while (
        county is not None
        and county.level not in (Region.Level.COUNTY, Region.Level.CITY, Region.Level.PROVINCE)
        and county.parent_id
    ):
        county = county.parent
    return county


def congress_for(region: Region | None, term: int) -> Congress | None:
    """The county congress of `term` whose county holds `region` (itself or an ancestor); one query."""
    codes = path_codes(region)
    if not codes:
        return None
    return (
        Congress.objects.filter(level=Level.COUNTY, term=term, region__code__in=codes)
        .select_related("region")
        .first()
    )


def home_region(suggestion) -> Region | None:
    """The county a suggestion belongs to: its congress's region, else the county above its region."""
    if suggestion.congress_id:
        return suggestion.congress.region
    codes = path_codes(suggestion.region)
    return Region.objects.filter(code__in=codes, level=Region.Level.COUNTY).first()


def units_for(suggestion) -> QuerySet[Organization]:
    """Handling units of the suggestion's own county (and its townships), by name."""
    units = Organization.objects.filter(kind=Organization.Kind.HANDLING_UNIT)
    home = home_region(suggestion)
    if home is None:
        return units.none()
    return units.filter(region__path__startswith=home.path).order_by("name", "id")


def leaders_for(suggestion):
    """Active leader accounts of the suggestion's own county (领衔督办 is named among them)."""
    from renda.accounts.models import User
    from renda.core.access import Role

    leaders = User.objects.filter(role=Role.LEADER, is_active=True)
    home = home_region(suggestion) if suggestion is not None else None
    if home is None:
        return leaders.none()
    return leaders.filter(region__path__startswith=home.path).order_by("full_name", "id")


def deputies_in_jurisdiction(suggestion, deputies, *, field: str) -> None:
    """Refuse co-signers from another county (DomainError on `field` naming them)."""
    home = home_region(suggestion)
    if home is None:
        return
    strangers = [d for d in deputies if not d.region.path.startswith(home.path)]
    if strangers:
        raise DomainError(
            _("%(n)s不是%(h)s的代表，不能联名本件建议")
            % {"n": "、".join(d.name for d in strangers), "h": home.name},
            field=field,
        )


def unit_in_jurisdiction(suggestion, unit: Organization, *, field: str) -> Organization:
    """Refuse a unit of another county (DomainError naming the field and the unit's county)."""
    home = home_region(suggestion)
    if home is None or not unit.region.path.startswith(home.path):
        raise DomainError(
            _("%(u)s（%(r)s）不属于本件建议所在的%(h)s，不能交其办理")
            % {"u": unit.name, "r": unit.region.name, "h": home.name if home else _("本县")},
            field=field,
        )
    return unit
