"""docker-compose's replica scripts (scripts/postgres/), run with Debian's PostgreSQL binaries as the image would:
the primary's init script makes the replication role, the replica's entrypoint copies the primary and streams."""

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from tests.conftest import _unavailable
from tests.scaling import pgcluster
from tests.scaling.pgcluster import OWNER, PG_BIN, Node, free_port

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts" / "postgres"
PASSWORD = "s3cret 'quoted\" pw"


def as_owner(*command, env=None, **kwargs):
    prefix = ["runuser", "-u", OWNER, "--", "env", f"PATH={PG_BIN}:/usr/bin:/bin", *(f"{k}={v}" for k, v in
                                                                                     (env or {}).items())]
    return prefix + [str(c) for c in command]


def sql(root: Path, port: int, statement: str) -> str:
    """psql over the clusters' Unix socket (trusted locally; TCP asks for passwords, as in the image)."""
    return subprocess.run(as_owner(PG_BIN / "psql", "-h", root, "-p", port, "-U", "postgres", "-d", "postgres", "-tAc",
                                   statement), check=True, capture_output=True, text=True).stdout.strip()


def test_the_compose_scripts_make_a_streaming_standby_of_the_primary():
    reason = pgcluster.missing()
    if reason:
        _unavailable(reason)
    root = Path(tempfile.mkdtemp(prefix="refusal-cases-compose-"))
    shutil.chown(root, OWNER, OWNER)
    primary = Node(root / "primary", free_port(), root / "primary.log")
    standby_port = free_port()
    replica = None
    try:
        subprocess.run(as_owner(PG_BIN / "initdb", "-D", primary.data, "-U", "postgres", "--auth-local=trust",
                                "--auth-host=scram-sha-256", "--no-sync"), check=True, capture_output=True)
        with (primary.data / "postgresql.conf").open("a") as conf:
            conf.write(f"listen_addresses = '127.0.0.1'\nport = {primary.port}\nunix_socket_directories = '{root}'\n")
        primary.start()
        subprocess.run(as_owner("sh", SCRIPTS / "primary-replication.sh", env={
            "POSTGRES_USER": "postgres", "POSTGRES_DB": "postgres", "PGDATA": primary.data, "PGHOST": root,
            "PGPORT": primary.port, "REPLICATION_PASSWORD": PASSWORD}), check=True, capture_output=True)
        primary.ctl("reload")  # the image restarts the server after its init scripts

        replica = subprocess.Popen(as_owner("sh", SCRIPTS / "replica-entrypoint.sh", "-c", f"port={standby_port}",
                                            "-c", f"unix_socket_directories={root}", env={
            "PGDATA": root / "standby", "PRIMARY_HOST": "127.0.0.1", "PRIMARY_PORT": primary.port,
            "REPLICATION_PASSWORD": PASSWORD}), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True)
        sql(root, primary.port, "CREATE TABLE written (word text); INSERT INTO written VALUES ('replayed')")
        deadline = time.monotonic() + 60
        while True:
            assert replica.poll() is None, replica.stdout.read()
            try:
                if sql(root, standby_port, "SELECT pg_is_in_recovery()::text || ':' || word FROM written") == \
                        "true:replayed":
                    break
            except subprocess.CalledProcessError:
                pass  # still copying or starting
            assert time.monotonic() < deadline, "the standby never served the primary's row"
            time.sleep(0.3)
        assert sql(root, primary.port, "SELECT slot_name || ':' || active::text FROM pg_replication_slots") == \
            "replica:true"
    finally:
        if replica is not None:
            subprocess.run(as_owner(PG_BIN / "pg_ctl", "-D", root / "standby", "-m", "immediate", "-w", "stop"),
                           capture_output=True)
            try:
                replica.wait(30)
            except subprocess.TimeoutExpired:  # still copying: end the entrypoint started here, and its children
                os.killpg(replica.pid, signal.SIGKILL)
                replica.wait(10)
        primary.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)
