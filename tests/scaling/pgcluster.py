"""A real PostgreSQL primary and a streaming standby made by pg_basebackup, in a temporary directory, on free
ports, run as the `postgres` user with Debian's binaries."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
OWNER = "postgres"


def missing() -> str | None:
    """Why the clusters cannot be made here, or None."""
    if not (PG_BIN / "initdb").exists():
        return f"needs PostgreSQL's server binaries in {PG_BIN}"
    if os.geteuid() != 0 or shutil.which("runuser") is None:
        return "needs root (initdb and pg_ctl run as the postgres user through runuser)"
    try:
        import pwd

        pwd.getpwnam(OWNER)
    except KeyError:
        return "needs a postgres system user"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_owner(*command, check=True) -> subprocess.CompletedProcess:
    return subprocess.run(["runuser", "-u", OWNER, "--", *map(str, command)], check=check, capture_output=True,
                          text=True, timeout=120)


@dataclass
class Node:
    data: Path
    port: int
    log: Path

    def ctl(self, *args, check=True):
        return _as_owner(PG_BIN / "pg_ctl", "-D", self.data, "-l", self.log, *args, check=check)

    def start(self):
        self.ctl("-w", "-t", "60", "start")

    def stop(self, mode="fast"):
        self.ctl("-w", "-m", mode, "stop", check=False)

    def sql(self, statement: str, database: str = "postgres") -> str:
        return _as_owner(PG_BIN / "psql", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres", "-d", database,
                         "-tAc", statement).stdout.strip()


@dataclass
class Pair:
    root: Path
    primary: Node
    standby: Node

    def url(self, node: Node, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{node.port}/{database}"

    def close(self):
        self.standby.stop("immediate")
        self.primary.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


SETTINGS = """
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{root}'
wal_level = replica
max_wal_senders = 4
max_replication_slots = 4
hot_standby = on
fsync = off
full_page_writes = off
shared_buffers = 32MB
max_connections = 40
"""


def start_pair() -> Pair:
    """Primary (wal_level=replica, a replication user and slot), then a standby of it by pg_basebackup -R."""
    root = Path(tempfile.mkdtemp(prefix="refusal-cases-replica-"))
    shutil.chown(root, OWNER, OWNER)
    root.chmod(0o700)
    primary = Node(root / "primary", free_port(), root / "primary.log")
    standby = Node(root / "standby", free_port(), root / "standby.log")
    pair = Pair(root, primary, standby)
    try:
        _as_owner(PG_BIN / "initdb", "-D", primary.data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        with (primary.data / "postgresql.conf").open("a") as conf:
            conf.write(SETTINGS.format(port=primary.port, root=root))
        primary.start()
        primary.sql("CREATE ROLE replicator WITH REPLICATION LOGIN")
        primary.sql("SELECT pg_create_physical_replication_slot('standby')")
        _as_owner(PG_BIN / "pg_basebackup", "-h", "127.0.0.1", "-p", primary.port, "-U", "replicator", "-D",
                  standby.data, "-R", "-S", "standby", "-X", "stream", "--no-sync")
        with (standby.data / "postgresql.conf").open("a") as conf:
            conf.write(f"port = {standby.port}\n")
        standby.start()
        deadline = time.monotonic() + 30
        while standby.sql("SELECT count(*) FROM pg_stat_wal_receiver WHERE status = 'streaming'") != "1":
            if time.monotonic() > deadline:
                raise RuntimeError("the standby does not stream:\n" + standby.log.read_text())
            time.sleep(0.2)
    except BaseException:
        pair.close()
        raise
    return pair
