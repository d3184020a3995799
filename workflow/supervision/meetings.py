"""Joint meetings of a region's court, procuratorate and police (Art. 19): the record a liaison keeps of who came,
what was said and decided, and which cases were discussed. Each case discussed gets the meeting in its audit chain.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from agencies.models import User
from procedure.records import check_may_record_meetings
from workflow.cases.selectors import visibility_q
from workflow.models import Case
from workflow.models.records import JointMeeting
from workflow.records.selectors import agency_officer
from workflow.records.steps import add_event, clean_text, parse_date, save_valid, storable_ids


def joint_meeting_list(*, user) -> QuerySet[JointMeeting]:
    """Art. 19: the meetings of the user's region, for the officers of that region's agencies."""
    if not agency_officer(user):
        return JointMeeting.objects.none()
    return JointMeeting.objects.filter(region_code=user.agency.region_code).select_related(
        "convened_by", "created_by").prefetch_related("attendees__agency", "cases")


def joint_meeting_get(*, user, meeting_id) -> JointMeeting:
    try:
        meeting_id = int(meeting_id)
    except (TypeError, ValueError):
        raise Http404 from None
    meeting = joint_meeting_list(user=user).filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404
    return meeting


# ---------------------------------------------------------------------------------------------------------------
# Writes


def _meeting_attendees(region_code: str, attendees) -> list[User]:
    names = [a.username if isinstance(a, User) else str(a) for a in (attendees or [])]
    found = {u.username: u for u in User.objects.filter(username__in=names, agency__region_code=region_code)}
    unknown = [n for n in names if n not in found]
    if unknown:
        raise ValidationError({"attendees": [_("No officer of this region with the username: %(names)s.")
                                             % {"names": ", ".join(unknown)}]})
    return list(found.values())


def _meeting_cases(actor, region_code: str, cases) -> list[int]:
    """The cases a liaison links to a meeting: only cases of the region in which the liaison's own agency holds a
    position (Art. 19 meetings discuss the organs' own cases; the link is written into each case's audit chain, which
    an agency outside the case may not touch). Any other id is refused as unknown, never revealed."""
    try:
        ids = sorted({int(getattr(c, "pk", c)) for c in (cases or [])})
    except (TypeError, ValueError):
        raise ValidationError({"cases": [_("Give case ids.")]}) from None
    found = set(Case.objects.filter(visibility_q(actor), pk__in=storable_ids(ids),
                                    executing_court__region_code=region_code).values_list("pk", flat=True))
    unknown = [i for i in ids if i not in found]
    if unknown:
        raise ValidationError({"cases": [_("No case of this region handled by your agency with the id: %(ids)s.")
                                         % {"ids": ", ".join(map(str, unknown))}]})
    return ids


def _link_cases(meeting: JointMeeting, actor, case_ids: list[int]) -> None:
    """Each newly discussed case gets the meeting in its audit chain (cases locked in id order)."""
    already = set(meeting.cases.values_list("pk", flat=True))
    new_ids = [i for i in case_ids if i not in already]
    for case in Case.objects.select_for_update().filter(pk__in=new_ids).order_by("pk"):
        meeting.cases.add(case)
        add_event(case, actor, "joint_meeting", {"joint_meeting": meeting.pk, "held_on": meeting.held_on})


@transaction.atomic
def joint_meeting_create(*, actor, held_on, title: str, place: str = "", attendees=(), other_attendees: str = "",
                         minutes: str = "", decisions: str = "", cases=()) -> JointMeeting:
    """Art. 19: a liaison records a meeting of the region's three organs: who came, what was said and decided,
    which cases were discussed."""
    check_may_record_meetings(actor)
    agency = actor.agency
    if held_on in (None, ""):
        raise ValidationError({"held_on": [_("This field is required.")]})
    held_on = parse_date(held_on, "held_on")
    people = _meeting_attendees(agency.region_code, attendees)
    case_ids = _meeting_cases(actor, agency.region_code, cases)
    meeting = save_valid(JointMeeting(
        region_code=agency.region_code, region_name=agency.region_name, held_on=held_on,
        title=clean_text(title, "title", limit=200), place=clean_text(place, "place", required=False, limit=200),
        other_attendees=clean_text(other_attendees, "other_attendees", required=False),
        minutes=clean_text(minutes, "minutes", required=False),
        decisions=clean_text(decisions, "decisions", required=False),
        convened_by=agency, created_by=actor,
    ))
    meeting.attendees.set(people)
    _link_cases(meeting, actor, case_ids)
    return meeting


@transaction.atomic
def joint_meeting_update(*, meeting_id, actor, **changes) -> JointMeeting:
    """A liaison of the region completes the minutes and decisions, attendees or cases after the meeting.
    Cases can be added, never removed: that they were discussed is already in their audit chains."""
    check_may_record_meetings(actor)
    meeting = (JointMeeting.objects.select_for_update()
               .filter(pk=meeting_id, region_code=actor.agency.region_code).first())
    if meeting is None:
        raise Http404
    for field, limit in (("title", 200), ("place", 200), ("other_attendees", None), ("minutes", None),
                         ("decisions", None)):
        if field in changes:
            setattr(meeting, field, clean_text(changes[field], field, required=field == "title", limit=limit))
    if "held_on" in changes:
        meeting.held_on = parse_date(changes["held_on"], "held_on")
    save_valid(meeting)
    if "attendees" in changes:
        meeting.attendees.set(_meeting_attendees(meeting.region_code, changes["attendees"]))
    if "cases" in changes:
        _link_cases(meeting, actor, _meeting_cases(actor, meeting.region_code, changes["cases"]))
    return meeting
