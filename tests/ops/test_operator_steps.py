"""The README's steps for an operator without Docker, followed as written (less the Debian and pip installs, which
scripts/test has done): static files collected, the database migrated, the deploy check clean, gunicorn with DEBUG
off serving the login page and its stylesheet behind a TLS-terminating proxy."""

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def operator_env(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "REDIS_URL")}
    env.update(DJANGO_SETTINGS_MODULE="refusal_cases.settings", DEBUG="false", SECRET_KEY=secrets.token_urlsafe(50),
               ALLOWED_HOSTS="cases.example.gov.cn,127.0.0.1", PUBLIC_BASE_URL="https://cases.example.gov.cn",
               DATABASE_URL=f"sqlite:///{tmp_path / 'cases.sqlite3'}", MEDIA_ROOT=str(tmp_path / "media"),
               STATIC_ROOT=str(tmp_path / "static"), LOG_FORMAT="text")
    return env


def step(*args, env):
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def get(url: str):
    request = urllib.request.Request(url, headers={"Host": "cases.example.gov.cn", "X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - a local server of the test's own
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_the_steps_without_docker_serve_pages_and_styles_with_debug_off(tmp_path):
    env = operator_env(tmp_path)
    step("collectstatic", "--noinput", env=env)
    step("migrate", "--noinput", env=env)
    assert "no issues" in step("check", "--deploy", "--fail-level", "WARNING", env=env)
    port = free_port()
    server = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "refusal_cases.wsgi", "--bind",
                               f"127.0.0.1:{port}", "--workers", "1"], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, page = get(f"http://127.0.0.1:{port}/accounts/login/")
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "gunicorn did not start"
                time.sleep(0.3)
        assert status == 200 and b'name="password"' in page
        stylesheets = re.findall(rb'href="(/static/[^"]+\.css)"', page)
        assert stylesheets, "the login page names no stylesheet"
        for href in stylesheets:
            assert re.search(rb"\.[0-9a-f]{12}\.css$", href), f"{href} is not the collected, hashed file"
            status, css = get(f"http://127.0.0.1:{port}{href.decode()}")
            assert status == 200 and len(css) > 100
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_deploy_check_names_collectstatic_when_it_was_not_run(tmp_path):
    env = operator_env(tmp_path)
    done = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "collectstatic" in done.stderr + done.stdout
