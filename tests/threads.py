"""Work on a connection of its own, in a thread, for the tests of concurrent transactions."""

import threading

from django.db import connections


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
