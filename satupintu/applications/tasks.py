"""Periodic upkeep of the applications app, run by the worker when the scheduler enqueues it."""

from __future__ import annotations

from crontask import cron
from django.tasks import task

from satupintu.applications.idempotency import idempotency_purge


@cron("40 0 * * *")
@task
def purge_idempotency_keys() -> int:
    """00.40 daily: forget the step answers kept for retries once their keys have expired."""
    return idempotency_purge()
