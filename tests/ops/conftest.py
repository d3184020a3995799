"""Servers the operations tests start and stop themselves: a Redis on a free local port, a Celery worker."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

from tests.conftest import _unavailable

ROOT = Path(__file__).resolve().parents[2]
REDIS_DB = 12


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def wait_for(predicate, *, timeout: float = 30.0, every: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"not true within {timeout}s: {predicate.__doc__ or predicate}")


class RedisServer:
    """redis-server on 127.0.0.1:<port>, without persistence; start() and kill() as often as a test likes."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None
        self.url = f"redis://127.0.0.1:{self.port}/{REDIS_DB}"

    def answers(self) -> bool:
        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
        except redis.RedisError:
            return False

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            _unavailable("redis-server is not installed")
        self.process = subprocess.Popen(
            [binary, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"],
            cwd=self.workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(self.answers, timeout=10)

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture
def in_process(settings, eager_celery):
    """Tasks run in-process (the embedded default), whatever REDIS_URL the suite runs with."""
    settings.CELERY_TASK_ALWAYS_EAGER = True


def app_environment(**extra) -> dict:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": str(ROOT), **extra}


@pytest.fixture
def celery_worker(redis_server, tmp_path):
    """A real Celery worker of the project on the test's Redis (its log in tmp_path/worker.log)."""
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "refusal_cases", "worker", "--pool", "solo", "--without-gossip",
         "--without-mingle", "--loglevel", "INFO", "--hostname", f"ops-test-{redis_server.port}@%h"],
        cwd=ROOT, env=app_environment(REDIS_URL=redis_server.url, DATABASE_URL=f"sqlite:///{tmp_path / 'worker.db'}"),
        stdout=log, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        stop(process)
        log.close()
