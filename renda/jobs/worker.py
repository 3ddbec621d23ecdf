"""The background worker that survives faults: django-tasks' database worker, plus retries of
transient database errors with back-off, and a heartbeat (WorkerBeat, Job.heartbeat_at).

Run it as `manage.py job_worker` under a supervisor that restarts it (scripts/supervise.sh in
`make run`, systemd's Restart=always in production: deploy/renda-worker.service).
"""

import logging
import os
import socket
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker

from .models import Job, WorkerBeat
from .services import backoff_delays, is_transient_db_error

logger = logging.getLogger("renda.jobs.worker")


class ResilientWorker(Worker):
    """A db_worker Worker that does not die of a locked or lost database, and says it is alive."""

    def __init__(self, *args, heartbeat_seconds: float | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.heartbeat_seconds = heartbeat_seconds or settings.RENDA_WORKER_HEARTBEAT_SECONDS
        self.current_job_id: str | None = None
        self._stop = threading.Event()
        self.restarts = 0

    # --- the heartbeat: a thread with its own connection, so a long task does not silence it ---

    def beat(self) -> None:
        """Record that this worker, and the job it runs, are alive. Never raises."""
        try:
            now = timezone.now()
            WorkerBeat.objects.update_or_create(
                worker_id=self.worker_id,
                defaults={
                    "hostname": socket.gethostname()[:100],
                    "pid": os.getpid(),
                    "last_seen": now,
                    "current_job": self.current_job_id,
                },
            )
            if self.current_job_id:
                Job.objects.filter(pk=self.current_job_id, state=Job.State.RUNNING).update(heartbeat_at=now)
        except Exception as exc:  # a missed beat is harmless; a dead heartbeat thread is not
            logger.warning("worker heartbeat failed: %s", exc)
            connection.close()

    def _beat_loop(self) -> None:
        try:
            while not self._stop.wait(self.heartbeat_seconds):
                self.beat()
        finally:
            connection.close()

    # --- the loop ---

    def run(self) -> None:
        self.beat()
        thread = threading.Thread(target=self._beat_loop, name="renda-heartbeat", daemon=True)
        thread.start()
        delays = backoff_delays()
        try:
            while True:
                try:
                    super().run()
                    return  # --batch or --max-tasks reached
                except Exception as exc:
                    if not is_transient_db_error(exc) or not self.running:
                        raise
                    self.restarts += 1
                    wait = next(delays)
                    logger.warning("worker: transient database error (%s); retrying in %.1f s", exc, wait)
                    self._reset_connection()
                    time.sleep(wait)
                    self.startup_delay = False
        finally:
            self._stop.set()
            thread.join(timeout=5)
            try:
                WorkerBeat.objects.filter(worker_id=self.worker_id).delete()
            except Exception as exc:
                logger.warning("worker: could not remove its heartbeat row: %s", exc)

    @staticmethod
    def _reset_connection() -> None:
        # The failed transaction has already been rolled back by atomic(); a connection that broke
        # is replaced on next use.
        # Inside an atomic block (only ever a test's transaction) the connection is left alone:
        # close_old_connections() would close it because its autocommit differs from the settings.
        if connection.in_atomic_block:
            return
        try:
            connection.close()
        except Exception:
            logger.debug("closing the broken connection failed", exc_info=True)
        close_old_connections()

    def run_task(self, db_task_result) -> None:
        self.current_job_id = (db_task_result.args_kwargs or {}).get("kwargs", {}).get("job_id")
        try:
            super().run_task(db_task_result)
        finally:
            self.current_job_id = None
