"""
Reads from a PostgreSQL streaming replica, when one is configured (DATABASE_REPLICA_URL).

Only reads that may be a moment stale go to the replica: the GET requests of the views named in
SATUPINTU_REPLICA_VIEWS (public catalogue and tracking pages, permit verification, published
survey results, performance reports) and code inside ``reading_from_replica()``. Everything else
— every write, every read inside a transaction, every other view — uses the primary.

The replica is used only while it is healthy: it answers within its connect timeout, it is in
recovery and its replay lag is at most SATUPINTU_REPLICA_MAX_LAG_SECONDS. A replica that is down
or behind is skipped (the reads go to the primary) and asked again after
SATUPINTU_REPLICA_CHECK_SECONDS; the verdict is kept per process, so a healthy replica costs one
small query every few seconds, not one per request.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

REPLICA = "replica"
logger = logging.getLogger(__name__)

_use_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("satupintu_use_replica", default=False)
_verdict_lock = threading.Lock()
_verdict: dict[str, Any] = {"healthy": False, "checked_at": float("-inf"), "reason": "not checked"}

# Seconds the replica is behind: 0 when it has replayed everything it received, else the age of
# the last transaction it replayed. NULL when it is not a replica at all.
LAG_SQL = """
SELECT pg_is_in_recovery(),
       CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
       END
"""


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_lag_seconds() -> float:
    """Ask the replica how far behind it is; raise when it cannot be asked or is not a replica."""
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(LAG_SQL)
        in_recovery, lag = cursor.fetchone()
    if not in_recovery:
        raise RuntimeError("the replica database is not in recovery (not a streaming replica)")
    return float(lag)


def replica_healthy(*, force: bool = False) -> bool:
    """Whether reads may go to the replica now (the verdict is cached for a few seconds)."""
    if not replica_configured():
        return False
    now = time.monotonic()
    interval = getattr(settings, "SATUPINTU_REPLICA_CHECK_SECONDS", 5)
    with _verdict_lock:
        if not force and now - _verdict["checked_at"] < interval:
            return bool(_verdict["healthy"])
        _verdict["checked_at"] = now  # one check at a time; others use the last verdict meanwhile
    try:
        lag = replica_lag_seconds()
        max_lag = getattr(settings, "SATUPINTU_REPLICA_MAX_LAG_SECONDS", 10)
        healthy, reason = lag <= max_lag, f"lag {lag:.1f} s (limit {max_lag} s)"
    except Exception as exc:  # down, refused, timed out: the primary serves the reads
        healthy, reason = False, f"{type(exc).__name__}: {exc}"[:200]
        with contextlib.suppress(Exception):
            connections[REPLICA].close()
    with _verdict_lock:
        if healthy != _verdict["healthy"]:
            logger.warning("read replica %s: %s", "in use" if healthy else "skipped", reason)
        _verdict.update(healthy=healthy, reason=reason, checked_at=time.monotonic())
    return healthy


def replica_status() -> dict[str, Any]:
    """The last verdict (for readiness and metrics): configured, healthy, reason."""
    return {"configured": replica_configured(), "healthy": bool(_verdict["healthy"]), "reason": _verdict["reason"]}


@contextlib.contextmanager
def reading_from_replica() -> Iterator[None]:
    """Within this block, reads outside a transaction may go to the replica (when it is healthy)."""
    token = _use_replica.set(True)
    try:
        yield
    finally:
        _use_replica.reset(token)


class ReplicaRouter:
    """Send reads to the replica inside ``reading_from_replica()``; everything else to the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if not _use_replica.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None
        return REPLICA if replica_healthy() else None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        return db != REPLICA


class ReplicaReadsMiddleware:
    """Read from the replica while answering GET/HEAD requests to the views in SATUPINTU_REPLICA_VIEWS."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.views = set(getattr(settings, "SATUPINTU_REPLICA_VIEWS", []))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in {"GET", "HEAD"} and self.views and replica_configured():
            try:
                view_name = resolve(request.path_info, getattr(request, "urlconf", None)).view_name
            except Resolver404:
                view_name = ""
            if view_name in self.views:
                # The whole response, lazy template rendering included, reads from the replica.
                with reading_from_replica():
                    return self.get_response(request)
        return self.get_response(request)
