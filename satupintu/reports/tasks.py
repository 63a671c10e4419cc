"""The performance rollup's schedule: every hour, the days not summed yet (``rollup.rollup_run``)."""

from __future__ import annotations

from crontask import cron
from django.tasks import task

from satupintu.reports.rollup import rollup_run


@cron("7 * * * *")
@task
def rollup_performance() -> int:
    """Hourly at :07 (the first run after midnight sums yesterday): card-day rows written."""
    return sum(rollup_run().values())
