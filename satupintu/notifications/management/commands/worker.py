"""
Run the task worker (``db_worker`` of django-tasks-db) so that it survives a database restart.

Same options as ``db_worker``. When the database cannot be reached — while polling, or while a
task records its result — the worker drops its connections, waits with a bounded back-off and
polls again instead of exiting. A task interrupted that way stays claimed in the task table; the
notices it was sending are put back by the outbox sweeper (``dispatch_due_notices``), which sends
each notice once.
"""

from __future__ import annotations

import logging
import time

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

from satupintu.notifications.resilience import UNREACHABLE, backoff, connections_reset

logger = logging.getLogger("satupintu.tasks")


class ResilientWorker(Worker):
    def run(self) -> None:
        attempt = 0
        while self.running:
            try:
                super().run()
                return
            except UNREACHABLE as exc:
                attempt += 1
                connections_reset()
                delay = backoff(attempt)
                logger.warning(
                    "worker %s: database unreachable (%s); polling again in %.1fs", self.worker_id, exc, delay
                )
                time.sleep(delay)
                self.startup_delay = False
            else:
                attempt = 0


class Command(DbWorkerCommand):
    help = __doc__

    def handle(self, *args, **options):
        # db_worker builds its Worker by name in its module; hand it the resilient one.
        from django_tasks_db.management.commands import db_worker

        original = db_worker.Worker
        db_worker.Worker = ResilientWorker  # type: ignore[misc]
        try:
            return super().handle(*args, **options)
        finally:
            db_worker.Worker = original  # type: ignore[misc]
