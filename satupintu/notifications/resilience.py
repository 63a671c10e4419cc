"""
Keep the task worker and the scheduler going through a database restart.

Django opens a connection per thread and closes a broken one only when asked
(``close_old_connections``), which a web request does and a long-running process does not. After
PostgreSQL restarts, the scheduler's threads kept their dead connections ("connection is closed"
every minute until someone restarted the process), and the worker died on the first query that
failed while the database was down. Here each job runs between two checks of its connections,
and a failure to reach the database is waited out with a bounded back-off instead of ending the
process.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any

from django.db import DatabaseError, InterfaceError, OperationalError, close_old_connections, connections

logger = logging.getLogger("satupintu.tasks")

#: What a database that went away raises (psycopg's errors arrive wrapped as these).
UNREACHABLE: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)


def connections_reset() -> None:
    """Drop every connection of this thread, broken or not, so the next query opens a fresh one."""
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except DatabaseError:
            # Closing a socket the server already dropped can fail; the wrapper forgets it anyway.
            conn.connection = None


def backoff(attempt: int, *, cap: float = 5.0) -> float:
    """Seconds to wait before attempt ``attempt`` (1, 2, …): 0.5, 1, 2, 4, then ``cap``."""
    return float(min(cap, 0.5 * 2 ** (attempt - 1)))


def with_fresh_connection[F: Callable[..., Any]](
    func: F, *, attempts: int = 8, sleep: Callable[[float], None] = time.sleep
) -> F:
    """
    Wrap a scheduled job: check the thread's connections before and after it, and when the
    database cannot be reached, reset them and try again (``attempts`` times, about 25 seconds in
    all) before giving up on this run.
    """

    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        for attempt in range(1, attempts + 1):
            close_old_connections()
            try:
                return func(*args, **kwargs)
            except UNREACHABLE as exc:
                connections_reset()
                if attempt == attempts:
                    logger.error("job %s: database unreachable, giving up this run: %s", func, exc)
                    raise
                logger.warning("job %s: database unreachable (%s); retrying", func, exc)
                sleep(backoff(attempt))
            finally:
                close_old_connections()
        return None

    return run  # type: ignore[return-value]
