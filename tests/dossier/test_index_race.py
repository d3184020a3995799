"""Two content jobs of one case at once (two changes in a row, two workers): both end, and the case has one search
entry per text, where the second used to fail on the entry the first had just written."""

import threading

import pytest
from django.db import transaction

from agencies.demo import seed_agencies_and_users
from agencies.models import User
from documents.models import SearchEntry
from tests.casebuilder import new_case
from tests.threads import another_waits_for_a_lock, in_thread
from workflow.cases.search import index_case


@pytest.mark.django_db(transaction=True)
def test_two_indexings_of_one_case_at_once_both_succeed(require_postgres):
    seed_agencies_and_users()
    case = new_case({u.username: u for u in User.objects.select_related("agency")})
    SearchEntry.objects.filter(case=case).delete()
    first_wrote, release, outcome, errors = threading.Event(), threading.Event(), {}, []

    def first():
        with transaction.atomic():  # written, not yet committed, when the second reads the case's entries
            outcome["first"] = index_case(case_id=case.pk)
            first_wrote.set()
            release.wait(10)

    def second():
        outcome["second"] = index_case(case_id=case.pk)

    a = in_thread(first, errors)
    assert first_wrote.wait(10), errors
    b = in_thread(second, errors)
    waited = another_waits_for_a_lock()  # the second waits on the first's uncommitted entry
    release.set()
    a.join(10)
    b.join(10)
    assert not errors, errors
    assert waited, "the second indexing did not reach the first's entries"
    assert isinstance(outcome["first"], int) and outcome["first"] >= 1, outcome
    assert outcome["second"] == outcome["first"], outcome
    keys = list(SearchEntry.objects.filter(case=case).values_list("source", "source_id"))
    assert len(keys) == len(set(keys)) == outcome["first"]
