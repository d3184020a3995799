"""`scripts/start` serves on $HOST:$PORT; the letters' verification links follow that port unless PUBLIC_BASE_URL
says otherwise (the function is the script's own, run by bash; the setting reads what it exports)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def base_url(host: str, port: str, **env) -> str:
    command = f'source "{ROOT}/scripts/setup.sh" && public_base_url "$1" "$2"'
    environment = {key: value for key, value in os.environ.items() if key != "PUBLIC_BASE_URL"} | env
    return subprocess.run(["bash", "-c", command, "bash", host, port], capture_output=True, text=True, check=True,
                          env=environment, timeout=60).stdout.strip()


@pytest.mark.parametrize(("host", "port", "url"), [
    ("127.0.0.1", "8000", "http://127.0.0.1:8000"),
    ("127.0.0.1", "9123", "http://127.0.0.1:9123"),
    ("0.0.0.0", "8080", "http://127.0.0.1:8080"),
    ("cases.local", "8443", "http://cases.local:8443"),
    ("::1", "9000", "http://[::1]:9000"),
])
def test_the_verification_links_follow_the_port_the_app_serves_on(host, port, url):
    assert base_url(host, port) == url


def test_a_given_public_base_url_is_kept():
    assert base_url("0.0.0.0", "9123", PUBLIC_BASE_URL="https://cases.example.gov.cn") == \
        "https://cases.example.gov.cn"


def test_the_start_script_exports_it_before_serving_and_the_settings_read_it():
    script = (ROOT / "scripts" / "start").read_text()
    export = script.index('export PUBLIC_BASE_URL="$(public_base_url "$HOST" "$PORT")"')
    assert script.index('PORT="${PORT:-8000}"') < export < script.index("manage.py runserver")
    probe = "from django.conf import settings; print(settings.PUBLIC_BASE_URL)"
    env = {**os.environ, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "refusal_cases.settings",
           "PUBLIC_BASE_URL": base_url("127.0.0.1", "9123")}
    shown = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {probe}"], cwd=ROOT, env=env,
                           capture_output=True, text=True, check=True, timeout=120).stdout.strip().splitlines()[-1]
    assert shown == "http://127.0.0.1:9123"
