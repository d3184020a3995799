from tests.documents.conftest import eager_celery  # noqa: F401 (the fixture, shared)
