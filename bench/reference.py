"""The fixed pure-Python loop every benchmark prints beside its figures, to compare machines and interpreters."""

import time


def reference_loop_ms() -> float:
    """CPU time of a fixed pure-Python loop (best of three), to compare this machine and interpreter with another."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        total = 0
        for i in range(2_000_000):
            total += i
        best = min(best, time.process_time() - start)
    return best * 1000
