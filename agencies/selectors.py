from django.db.models import QuerySet

from agencies.models import Agency, User
from agencies.roles import HEAD_ROLES, AgencyKind


def agency_list() -> QuerySet[Agency]:
    return Agency.objects.all()


def region_agency(*, region_code: str, kind: str) -> Agency | None:
    """The agency of a kind in a region (Art. 2: the organs of the executing court's region)."""
    return Agency.objects.filter(region_code=region_code, kind=kind).order_by("pk").first()


def agency_heads(*, agency: Agency) -> QuerySet[User]:
    return User.objects.filter(agency=agency, role__in=HEAD_ROLES, is_active=True)


def agency_users(*, agency: Agency, roles=None) -> QuerySet[User]:
    qs = User.objects.filter(agency=agency, is_active=True)
    if roles:
        qs = qs.filter(role__in=roles)
    return qs


__all__ = ["AgencyKind", "agency_list", "region_agency", "agency_heads", "agency_users"]
