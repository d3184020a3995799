import pytest


@pytest.fixture
def eager_celery():
    """Run tasks in-process, as the settings do when no REDIS_URL is given, even where the test run has one."""
    from refusal_cases.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = previous
