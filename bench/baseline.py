"""
What the benchmarks share: a fresh database per run and the bare-insert baseline.

Each benchmark measures against one single-row INSERT per committed transaction on the same
database, the same connection settings and in the same run (the physical floor of "one step = one
transaction"), and reports its own rate as a ratio of that.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/")


def fresh_django(database: str, *, pg_name: str, prefix: str) -> None:
    """
    Point Django at a new, empty database (SQLite in a temporary folder, or ``pg_name`` dropped
    and created on PG_SERVER), set it up and migrate it. Call once per child process.
    """
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
    # Walked in one process without a worker: the signature is made in the approving step (ADR 0009).
    os.environ.setdefault("SATUPINTU_SIGNING_EAGER", "1")
    os.environ.setdefault("SATUPINTU_CARD_KEY", "bench-only-card-key-0123456789abcdef")
    os.environ["SATUPINTU_VAR_DIR"] = tempfile.mkdtemp(prefix=prefix)
    if database == "postgres":
        import psycopg

        with psycopg.connect(PG_SERVER + "postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {pg_name}")
            conn.execute(f"CREATE DATABASE {pg_name}")
        os.environ["DATABASE_URL"] = PG_SERVER + pg_name
    else:
        os.environ.pop("DATABASE_URL", None)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def bare_insert_rate(inserts: int) -> float:
    """Single-row committed INSERTs per second on Django's default connection."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_row (id INTEGER PRIMARY KEY, payload VARCHAR(200))")
    start = time.perf_counter()
    for i in range(inserts):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("INSERT INTO bench_row (id, payload) VALUES (%s, %s)", [i + 1, "x" * 100])
    return inserts / (time.perf_counter() - start)


def postgres_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_SERVER + "postgres", connect_timeout=3):
            return True
    except Exception:
        return False
