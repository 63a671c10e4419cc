"""
What the benchmarks share: a fresh database per run, the bare-insert baseline, and the office
whose radiographer files the step benchmarks walk.

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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/")


def shared_cache_url() -> str:
    """
    The shared cache as the production profile picks it (deploy/serve.sh): ``SATUPINTU_CACHE_URL``
    when set, else Redis when one answers on this machine, else the database cache.
    """
    if os.environ.get("SATUPINTU_CACHE_URL"):
        return os.environ["SATUPINTU_CACHE_URL"]
    try:
        import redis

        redis.Redis(socket_connect_timeout=1).ping()
        return "redis://127.0.0.1:6379/0"
    except Exception:
        return "db://"


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
    migrate_fresh()


def migrate_fresh() -> None:
    """Migrate the (new) database Django is set up on and make the cache table."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # Outside DEBUG and tests the shared cache is the database cache unless Redis is configured
    # (config/settings.py): its table, as deploy/serve.sh makes it.
    call_command("createcachetable", verbosity=0)


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


#: The outcome that moves a file forward at each step kind, as the benchmarks walk the SOP.
FORWARD_OUTCOME = {
    "submit": "submitted",
    "completeness_check": "complete",
    "inspection": "recommend",
    "draft": "drafted",
    "initial": "approve",
    "sign": "approve",
    "number": "numbered",
    "handover": "pickup",
}


def forward_data(
    kind: str, *, requirement_keys: list[str], bap: dict[str, Any], handover: dict[str, str] | None = None
) -> dict[str, Any] | None:
    """
    What a step of ``kind`` records with its forward outcome (the step-kind table's data), as an
    officer enters it: the judged checklist, the BAP, the handover record; None for the others.
    """
    if kind == "completeness_check":
        return {"checklist": {key: {"judgement": "sesuai"} for key in requirement_keys}}
    if kind == "inspection":
        return {"bap": bap}
    if kind == "handover" and handover is not None:
        return {"handover": handover}
    return None


#: The radiographer form as an applicant fills it in (the NIK and name also on the account).
RADIOGRAPHER_FORM = {
    "nama_lengkap": "Rina Marlina, A.Md.Rad.",
    "nik": "1471015503900002",
    "tempat_lahir": "Pekanbaru",
    "tanggal_lahir": "1990-03-15",
    "jenis_kelamin": "Perempuan",
    "alamat": "Jalan Sudirman No. 1, Pekanbaru",
    "no_hp": "081234567890",
    "nomor_str": "RG00001234567890",
    "str_berlaku_sampai": "2029-12-31",
    "tempat_kerja": "RSUD Arifin Achmad",
    "alamat_tempat_kerja": "Jalan Diponegoro No. 2, Pekanbaru",
}


def radiographer_office() -> tuple[Any, Any, dict[str, Any], dict[str, str]]:
    """
    The benchmark office on a fresh database (after ``fresh_django``): a development signing
    certificate, the radiographer service, one user per role (``bench-<role>``; the applicant with
    the form's NIK and name, as online applications take them from the account) and today's BAP.
    Return (office, service, staff by role code, bap).
    """
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    from satupintu.accounts.models import RoleMembership, User
    from satupintu.accounts.roles import Role
    from satupintu.catalogue.loader import standard_load_file
    from satupintu.core.models import Office

    office = Office.objects.create(slug="bench", name="Kantor Benchmark", region="Kota Benchmark", address="-")
    # The sign step renders and signs the permit PDF (docs/adr/0006): give the office a development certificate.
    call_command("documents_dev_ca", verbosity=0)
    service = standard_load_file(office=office, path=ROOT / "standards" / "izin-kerja-radiografer.yaml").service
    staff = {}
    for role in Role:
        user = User.objects.create(username=f"bench-{role.value}", full_name=f"Bench {role.value}")
        if role is not Role.PEMOHON:
            RoleMembership.objects.create(office=office, user=user, role=role.value, valid_from=dt.date(2000, 1, 1))
        staff[role.value] = user
    applicant = staff["pemohon"]
    applicant.nik, applicant.full_name = RADIOGRAPHER_FORM["nik"], RADIOGRAPHER_FORM["nama_lengkap"]
    applicant.save()
    bap = {
        "date": timezone.localdate().isoformat(),
        "team": [str(staff["tim_teknis"].pk)],
        "findings": "Sesuai.",
        "recommendation": "Layak.",
    }
    return office, service, staff, bap


def postgres_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_SERVER + "postgres", connect_timeout=3):
            return True
    except Exception:
        return False
