"""
Health endpoints for process managers, load balancers and monitoring.

- ``/healthz`` (liveness): the web process answers. Touches nothing else, so a database outage
  does not make a supervisor restart healthy web processes.
- ``/readyz`` (readiness): the database answers, the shared cache stores and returns a value, and
  the task worker is alive — some task finished within SATUPINTU_WORKER_MAX_SILENCE_SECONDS. The
  scheduler (``manage.py crontask``) enqueues a heartbeat task every minute, so on an idle system
  a recent finished task proves both the scheduler and the worker run. 200 when all hold, else 503;
  the body says which part failed.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_tasks_db.models import DBTaskResult


def task_queue_depth() -> dict[str, int]:
    """Tasks ready to run now (not deferred), by queue."""
    rows = DBTaskResult.objects.ready().values("queue_name").annotate(n=Count("id"))
    depth = {queue: 0 for queue in settings.TASKS["default"].get("QUEUES", ["default"])}
    for row in rows:
        depth[row["queue_name"]] = row["n"]
    return depth


def worker_silence_seconds(*, now: dt.datetime | None = None) -> float | None:
    """Seconds since the worker last finished a task, or None when it never has."""
    last = DBTaskResult.objects.aggregate(last=Max("finished_at"))["last"]
    if last is None:
        return None
    return max(0.0, ((now or timezone.now()) - last).total_seconds())


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_cache() -> str:
    key, value = f"readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, 10)
    try:
        if cache.get(key) != value:
            return "the cache did not return what was stored"
    finally:
        cache.delete(key)
    return "ok"


def _check_worker() -> str:
    silence = worker_silence_seconds()
    limit = settings.SATUPINTU_WORKER_MAX_SILENCE_SECONDS
    if silence is None:
        return "no task has finished yet (is the worker running? the scheduler's heartbeat?)"
    if silence > limit:
        return f"no task finished for {int(silence)} s (limit {limit} s)"
    return "ok"


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers."""
    return HttpResponse("ok\n", content_type="text/plain")


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: database, cache and worker, each "ok" or the reason it is not."""
    checks: dict[str, str] = {}
    for name, check in (("database", _check_database), ("cache", _check_cache), ("worker", _check_worker)):
        try:
            checks[name] = check()
        except Exception as exc:  # a readiness probe reports every failure, it never raises
            checks[name] = f"{type(exc).__name__}: {exc}"[:300]
    ready = all(result == "ok" for result in checks.values())
    return JsonResponse({"ready": ready, "checks": checks}, status=200 if ready else 503)
