"""
Run the scheduler (``crontask`` of django-crontask) so that it survives a database restart.

Same options as ``crontask``. Every scheduled job (``@cron`` tasks' ``enqueue``, the heartbeat)
runs between two checks of its thread's database connections and waits out a database that
cannot be reached, so after PostgreSQL restarts the next run enqueues normally — nobody has to
restart the scheduler. Run exactly one.
"""

from __future__ import annotations

from crontask.management.commands.crontask import Command as CrontaskCommand

from satupintu.notifications.resilience import with_fresh_connection


class Command(CrontaskCommand):
    help = __doc__

    def launch_scheduler(self, lock, scheduler):
        for job in scheduler.get_jobs():
            if not getattr(job.func, "__wrapped__", None):
                job.modify(func=with_fresh_connection(job.func))
        return super().launch_scheduler(lock, scheduler)
