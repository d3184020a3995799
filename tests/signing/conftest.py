import pytest
from django.core.management import call_command


@pytest.fixture
def signing_keys(demo, tmp_path, settings):
    """A local certificate authority and a key for every demo agency, as `make_signing_keys` makes them for the
    demo; returns the folder (ca.pem is the trust root)."""
    call_command("make_signing_keys", dir=str(tmp_path))
    settings.DOCUMENT_SIGNING_KEYS_FILE = str(tmp_path / "keys.json")
    return tmp_path
