"""The background worker: django-tasks' db_worker made to survive faults (see renda/jobs/worker.py)."""

from django.core.management.base import CommandError
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from renda.jobs.worker import ResilientWorker


class Command(DbWorkerCommand):
    help = "运行后台任务处理进程：数据库繁忙或连接中断时自动重试，并定时报告心跳"

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options,
    ) -> None:
        from renda.core.keycheck import verify_keys

        self.configure_logging(verbosity)
        verify_keys()  # a worker with the wrong keys would fail every job that reads personal data
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        worker.configure_signals()
        worker.run()
