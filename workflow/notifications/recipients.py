"""Who hears of what (procedure.md §3 "Who hears of what", §4): the recipients of every notification.

One rule throughout: a notice goes to the active users of an agency who hold the roles it concerns, and to all
active users of that agency when none does (an agency without that role still hears of it); a creditor hears as
the case's applicant. ``People`` loads the users of many agencies with a fixed number of queries and picks from
them in memory; the sweep uses it for a whole batch of deadlines (``DeadlinePeople``), transitions and records
for one case.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from agencies.models import Agency, User
from agencies.roles import HEAD_ROLES, AgencyKind
from agencies.selectors import region_agency
from procedure.deadlines import ACTING_ROLES, waiting_position
from procedure.notices import REGION_PROCURATORATE, TransitionNotice
from procedure.positions import CREDITOR, SUPERVISING_ROLES, WAITING_ROLES

_USER_FIELDS = ("id", "role", "agency_id", "is_liaison", "language", "email")


class People:
    """The active users of some agencies and some creditors: two queries, then every choice is made in memory."""

    def __init__(self, *, agency_ids: Iterable = (), creditor_ids: Iterable = ()):
        agency_ids = set(agency_ids) - {None}
        creditor_ids = set(creditor_ids) - {None}
        self.by_agency: dict[int, list[User]] = defaultdict(list)
        self.creditors: dict[int, User] = {}
        if agency_ids:
            for user in (User.objects.filter(agency_id__in=agency_ids, is_active=True).only(*_USER_FIELDS)
                         .order_by("id")):
                self.by_agency[user.agency_id].append(user)
        if creditor_ids:
            self.creditors = {u.pk: u for u in User.objects.filter(pk__in=creditor_ids, is_active=True)
                              .only(*_USER_FIELDS)}

    def of(self, agency_id, roles: Iterable[str] = ()) -> list[User]:
        """The agency's users holding one of ``roles``; all of them when none does (or no roles are named)."""
        users = self.by_agency.get(agency_id, [])
        return [u for u in users if u.role in roles] or users

    def creditor(self, user_id) -> list[User]:
        user = self.creditors.get(user_id)
        return [user] if user else []


class DeadlinePeople(People):
    """The users the notices of a batch of deadlines (rows of the sweep) go to, loaded with a fixed number of
    queries whatever the size of the batch."""

    def __init__(self, rows: list[dict]):
        region_codes = {r["case__executing_court__region_code"] for r in rows
                        if r["owed_by__kind"] == AgencyKind.POLICE and not r["case__procuratorate_id"]}
        self.region_procuratorate: dict[str, int] = {}
        if region_codes:
            for agency_id, code in (Agency.objects.filter(kind=AgencyKind.PROCURATORATE, region_code__in=region_codes)
                                    .order_by("-pk").values_list("pk", "region_code")):
                self.region_procuratorate[code] = agency_id  # lowest pk wins, as agencies.selectors.region_agency
        agency_ids = set(self.region_procuratorate.values())
        for r in rows:
            agency_ids |= {r["owed_by_id"], r["case__executing_court_id"], r["case__police_agency_id"],
                           r["case__procuratorate_id"], r["case__trial_court_id"]}
        super().__init__(agency_ids=agency_ids, creditor_ids={r["case__applicant_user_id"] for r in rows})

    def acting(self, row) -> list[User]:
        return self.of(row["owed_by_id"], ACTING_ROLES.get(row["kind"], ()))

    def heads(self, row) -> list[User]:
        """The owing agency's heads; an agency without a head role (a court) escalates to its liaisons."""
        users = self.by_agency.get(row["owed_by_id"], [])
        return [u for u in users if u.role in HEAD_ROLES] or [u for u in users if u.is_liaison]

    def supervising(self, row) -> list[User]:
        """Art. 8: for a police deadline, the procuratorate of the case or else of the executing court's region."""
        if row["owed_by__kind"] != AgencyKind.POLICE:
            return []
        agency_id = row["case__procuratorate_id"] or self.region_procuratorate.get(
            row["case__executing_court__region_code"])
        return [u for u in self.by_agency.get(agency_id, []) if u.role in SUPERVISING_ROLES]

    def waiting(self, row) -> list[User]:
        position = waiting_position(row["kind"], state=row["case__state"], origin=row["case__origin"])
        if position == CREDITOR:
            return self.creditor(row["case__applicant_user_id"])
        if position is None:
            return []
        agency_id = row[f"case__{position}_id"]
        if agency_id is None or agency_id == row["owed_by_id"]:
            return []
        return self.of(agency_id, WAITING_ROLES[position])


def transition_recipients(case, notice: TransitionNotice) -> list[User]:
    """Who a transition's notice goes to: the creditor, or the users of the agency in the notice's position (for
    the procuratorate of the region, the case's own or else that of the executing court's region)."""
    if case is None:
        return []
    if notice.position == CREDITOR:
        return People(creditor_ids=[case.applicant_user_id]).creditor(case.applicant_user_id)
    if notice.position == REGION_PROCURATORATE:
        region = None if case.procuratorate_id else region_agency(region_code=case.executing_court.region_code,
                                                                   kind=AgencyKind.PROCURATORATE)
        agency_id = case.procuratorate_id or (region.pk if region is not None else None)
    else:
        agency_id = getattr(case, f"{notice.position}_id")
    if agency_id is None:
        return []
    return People(agency_ids=[agency_id]).of(agency_id, notice.roles)


def officers(agency_id, roles: Iterable[str]) -> list[int]:
    """Ids of the agency's users who hold one of ``roles`` (all of its users when none does)."""
    return [u.pk for u in People(agency_ids=[agency_id]).of(agency_id, tuple(roles))]


def creditor(case) -> list[int]:
    """The case's creditor, as a recipient id (none when the creditor has no account)."""
    return [case.applicant_user_id] if case.applicant_user_id else []


def active_users(ids: Iterable[int]) -> list[User]:
    return list(User.objects.filter(pk__in=set(ids), is_active=True).order_by("id"))
