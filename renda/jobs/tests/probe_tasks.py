"""A task for the contention tests: records which thread ran which number, and takes a moment."""

import threading
import time

from django_tasks import task

RUNS: list[tuple[int, str]] = []
_LOCK = threading.Lock()


@task()
def probe_task(number: int) -> None:
    with _LOCK:
        RUNS.append((number, threading.current_thread().name))
    time.sleep(0.01)
