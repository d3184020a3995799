"""Property-based fuzzing of the whole API against its own OpenAPI schema (schemathesis, in-process over WSGI).

Every operation of ``/api/schema/`` is called with generated valid and invalid input as a user who holds cases
(the demo data), and each answer must be no 5xx and conform to the schema: a documented status code, the
documented content type and a body that validates against the documented response.

The suite runs a few derandomized examples per operation and per mode (valid input, invalid input). A long
run raises them; ``-s`` prints how many operations and requests were run:

    FUZZ_EXAMPLES=150 .venv/bin/pytest tests/security/test_fuzz.py -q -s -p no:logging
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/refusal_cases FUZZ_EXAMPLES=150 \\
        .venv/bin/pytest tests/security/test_fuzz.py -q -s -p no:logging
"""

import os
from collections import Counter

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from agencies.demo import seed_agencies_and_users
from agencies.models import User
from agencies.tokens import issue
from workflow.management.demo import seed_cases

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))
FUZZ_USER = "enforcement_judge"  # holds a position in most demo cases, so ids of real cases are reached
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]


@pytest.fixture
def fuzz_schema(db, settings):
    from refusal_cases.wsgi import application

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    seed_agencies_and_users()
    seed_cases()
    # The test runs inside one transaction: the WSGI handler must not close the connection after each request
    # (Django's own test client does the same).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def fuzz(operation, mode: GenerationMode, headers, counts: Counter) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis.settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        counts[operation.label] += 1
        case.call_and_validate(headers=headers(), checks=CHECKS)

    run()


def test_api_conforms_to_its_schema(fuzz_schema):
    user = User.objects.get(username=FUZZ_USER)
    # A token of its own for each call: a call to the logout (or to remove a device) ends the token it is made with.
    def headers():
        return {"Authorization": f"Token {issue(user, 'fuzz')[1]}"}

    counts: Counter = Counter()
    failures = []
    operations = [result.ok() for result in fuzz_schema.get_all_operations()]
    for operation in operations:
        has_input = any(len(part) for part in (operation.path_parameters, operation.query, operation.body))
        # Without parameters or a body there is nothing to make invalid.
        modes = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE) if has_input else (GenerationMode.POSITIVE,)
        for mode in modes:
            try:
                fuzz(operation, mode, headers, counts)
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException as exc:  # every operation is fuzzed, then all failures are reported
                failures.append(f"{operation.label} ({mode}): {exc}")
    print(f"fuzzed {len(operations)} operations, {sum(counts.values())} requests")
    assert failures == [], "\n\n".join(failures)
