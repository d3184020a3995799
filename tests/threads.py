"""Work on a connection of its own, in a thread, for the tests of concurrent transactions."""

import threading
import time

from django.db import connection, connections


def in_thread(work, errors: list) -> threading.Thread:
    """Start ``work()`` in a thread (with its own database connection, closed at the end); an exception it raises
    is appended to ``errors`` for the test to report."""
    def run():
        try:
            work()
        except Exception as exc:  # reported by the test
            errors.append(exc)
        finally:
            connections.close_all()
    thread = threading.Thread(target=run)
    thread.start()
    return thread


def another_waits_for_a_lock(timeout: float = 10) -> bool:
    """Whether another connection to this PostgreSQL database is, or comes within ``timeout`` seconds to be, waiting
    for a lock: how a test knows that its second transaction reached the first one's locks, without guessing a
    delay. Call it outside a transaction (the activity view is read afresh each time)."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database() "
                           "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock')")
            if cursor.fetchone()[0]:
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
