"""
The production profile's settings and endpoints (issue 12 part 1, issue 13's connection and deploy
clauses): shared cache, sessions, pooled and bounded PostgreSQL connections, statement_timeout,
TLS settings, masked JSON logs, health endpoints, metrics, the client address behind the proxy.

Settings are read in a fresh interpreter without the test flag, exactly as ``make serve`` reads
them; Redis and PostgreSQL are the real servers of this machine.
"""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("SATUPINTU_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
SECRET = "production-profile-test-key-" + "x" * 40


def redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


needs_redis = pytest.mark.skipif(not redis_available(), reason="no Redis at " + REDIS_URL)


def production_env(**overrides: str) -> dict[str, str]:
    """The environment of a production process: no DEBUG, no test flag, a real secret key."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SATUPINTU_TESTING", "DJANGO_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    # A production process has its secret key and its control-card chain key configured.
    env.update(
        {"DJANGO_SECRET_KEY": SECRET, "DJANGO_SETTINGS_MODULE": "config.settings", "SATUPINTU_CARD_KEY": "ab" * 32}
    )
    for key in ("SATUPINTU_CACHE_URL", "REDIS_URL", "SATUPINTU_TLS", "DJANGO_SECURE_COOKIES"):
        env.pop(key, None)
    env.update(overrides)
    return env


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=production_env(**env), capture_output=True, text=True, timeout=60
    )


def production_settings(**env: str) -> dict:
    """The settings a production process computes from ``env`` (read in a fresh interpreter)."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'CACHES': s.CACHES, 'SESSION_ENGINE': s.SESSION_ENGINE, 'DATABASES': s.DATABASES, "
        "'SECURE_SSL_REDIRECT': s.SECURE_SSL_REDIRECT, 'SECURE_HSTS_SECONDS': s.SECURE_HSTS_SECONDS, "
        "'SESSION_COOKIE_SECURE': s.SESSION_COOKIE_SECURE, 'LOG_FORMAT': s.LOG_FORMAT, 'STORAGES': s.STORAGES}, "
        "default=str))"
    )
    done = run_python(code, **env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- settings ---


def test_production_without_redis_shares_the_database_cache_and_caches_sessions():
    """No cache configured in production: the database cache (shared by all processes), cached_db sessions."""
    s = production_settings()
    assert s["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert s["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    assert s["LOG_FORMAT"] == "json"


def test_redis_url_makes_redis_the_shared_cache():
    """REDIS_URL (or SATUPINTU_CACHE_URL) selects Django's RedisCache with short socket timeouts."""
    s = production_settings(REDIS_URL="redis://127.0.0.1:6379/3")
    cache = s["CACHES"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://127.0.0.1:6379/3"
    assert cache["OPTIONS"]["socket_timeout"] == 2
    assert s["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"


def test_postgresql_gets_a_bounded_pool_and_a_statement_timeout():
    """Issue 13: connections per process are bounded by psycopg's pool; every statement has a timeout."""
    s = production_settings(DATABASE_URL="postgres://postgres@127.0.0.1:5432/none", DATABASE_POOL_MAX_SIZE="3")
    db = s["DATABASES"]["default"]
    assert db["OPTIONS"]["pool"]["max_size"] == 3
    assert db["CONN_MAX_AGE"] == 0
    assert "-c statement_timeout=30000" in db["OPTIONS"]["options"]
    unpooled = production_settings(DATABASE_URL="postgres://postgres@127.0.0.1:5432/none", DATABASE_POOL_MAX_SIZE="0")
    assert "pool" not in unpooled["DATABASES"]["default"]["OPTIONS"]
    assert unpooled["DATABASES"]["default"]["CONN_HEALTH_CHECKS"] is True


def test_tls_setting_turns_on_redirect_hsts_and_secure_cookies():
    """SATUPINTU_TLS=1: SSL redirect, HSTS for a year, secure cookies; off: none of them (plain HTTP works)."""
    on = production_settings(SATUPINTU_TLS="1")
    assert on["SECURE_SSL_REDIRECT"] is True and on["SECURE_HSTS_SECONDS"] == 31536000
    assert on["SESSION_COOKIE_SECURE"] is True
    off = production_settings()
    assert off["SECURE_SSL_REDIRECT"] is False and off["SESSION_COOKIE_SECURE"] is False


def test_check_deploy_is_clean_in_the_production_profile_with_tls():
    """Issue 13: `manage.py check --deploy` reports no issue for the production profile behind TLS."""
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(SATUPINTU_TLS="1", DATABASE_URL="postgres://postgres@127.0.0.1:5432/none"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")), reason="PostgreSQL only"
)
def test_a_statement_longer_than_the_timeout_is_cancelled():
    """statement_timeout from DATABASE_STATEMENT_TIMEOUT_MS cancels a runaway query (issue 12: no statement_timeout)."""
    code = (
        "import django; django.setup(); from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('SHOW statement_timeout'); print(c.fetchone()[0])\n"
        "    try:\n"
        "        c.execute('SELECT pg_sleep(2)'); print('finished')\n"
        "    except Exception as e:\n"
        "        print(type(e).__name__)\n"
    )
    done = run_python(code, DATABASE_STATEMENT_TIMEOUT_MS="300", DATABASE_POOL_MAX_SIZE="0")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["300ms", "OperationalError"]


# --- the shared cache: throttles across processes ---


@needs_redis
def test_the_tracking_throttle_counts_across_processes_on_redis():
    """
    Issue 12 ("the tracking throttle is per worker process"): failures counted in another process
    reach this one through Redis, so the 21st guess is refused whichever process answers it.
    """
    from satupintu.core.throttle import Throttled, throttle_check, throttle_fail

    prefix = f"test-{uuid.uuid4().hex}"
    key = "track:203.0.113.9"
    other = run_python(
        "import django; django.setup()\n"
        "from satupintu.core.throttle import throttle_fail\n"
        f"for _ in range(15): throttle_fail({key!r}, window_seconds=60)\n",
        SATUPINTU_CACHE_URL=REDIS_URL,
        SATUPINTU_CACHE_PREFIX=prefix,
    )
    assert other.returncode == 0, other.stderr
    redis_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(CACHES=redis_cache):
        from django.core.cache import cache

        try:
            throttle_check(key, limit=20)  # 15 failures so far: still allowed
            for _ in range(5):
                throttle_fail(key, window_seconds=60)
            with pytest.raises(Throttled):
                throttle_check(key, limit=20)
        finally:
            cache.delete(f"throttle:{key}")


@pytest.mark.django_db
def test_without_redis_the_database_cache_shares_the_throttle_between_processes():
    """The no-Redis fallback (db://, the cache table `make serve` creates): two processes, one count."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (the processes share the test database)")
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {"DATABASE_URL": url, "SATUPINTU_CACHE_URL": "db://", "SATUPINTU_CACHE_PREFIX": uuid.uuid4().hex}
    created = subprocess.run(
        [sys.executable, "manage.py", "createcachetable"],
        cwd=ROOT,
        env=production_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert created.returncode == 0, created.stderr
    code = (
        "import django; django.setup()\n"
        "from satupintu.core.throttle import Throttled, throttle_check, throttle_fail\n"
        "for _ in range(12): throttle_fail('track:192.0.2.1', window_seconds=60)\n"
        "try:\n    throttle_check('track:192.0.2.1', limit=20); print('allowed')\n"
        "except Throttled:\n    print('throttled')\n"
    )
    first, second = run_python(code, **env), run_python(code, **env)
    assert first.stdout.split()[-1:] == ["allowed"], first.stderr
    assert second.stdout.split()[-1:] == ["throttled"], second.stderr


def test_a_local_memory_cache_does_not_share_counts():
    """The contrast that makes the Redis test meaningful: with local memory another process's failures are lost."""
    from satupintu.core.throttle import throttle_check

    other = run_python(
        "import django; django.setup()\n"
        "from satupintu.core.throttle import throttle_fail\n"
        "for _ in range(25): throttle_fail('track:198.51.100.7', window_seconds=60)\n",
        SATUPINTU_CACHE_URL="locmem://",
    )
    assert other.returncode == 0, other.stderr
    throttle_check("track:198.51.100.7", limit=20)  # not raised: the count stayed in the other process


# --- logs ---


def test_json_logs_mask_email_phone_and_nik():
    """Structured logs carry no e-mail address, phone number or NIK (issue 12: structured logs)."""
    from satupintu.core.logs import JsonFormatter, MaskPersonalData

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(MaskPersonalData())
    logger = logging.getLogger("satupintu.test.logs")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning(
            "notice to %s and %s failed for NIK %s", "rina@example.com", "+62 812-3456-7890", "1471015503900002"
        )
        logger.info("sent", extra={"recipient": "0812345678901", "attempt": 2})
    finally:
        logger.removeHandler(handler)
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["message"] == "notice to [email] and [telepon] failed for NIK [nik]"
    assert first["level"] == "WARNING" and first["logger"] == "satupintu.test.logs"
    assert second["recipient"] == "[telepon]" and second["attempt"] == 2
    assert "example.com" not in stream.getvalue() and "3456" not in stream.getvalue()


def test_production_logs_never_carry_a_notice_text():
    """The console notice channel (recipient and message text) is silent in production's JSON logs."""
    code = (
        "import django, logging; django.setup()\n"
        "print(logging.getLogger('satupintu.notifications.channels').isEnabledFor(logging.INFO))\n"
    )
    assert run_python(code).stdout.split()[-1] == "False"
    assert run_python(code, SATUPINTU_LOG_FORMAT="text").stdout.split()[-1] == "True"


# --- health and metrics ---


@pytest.mark.django_db
def test_readiness_needs_a_recent_task_from_the_worker(client):
    """/readyz is 503 until the worker has finished a task recently, then 200; /healthz is always 200."""
    from django_tasks_db.models import DBTaskResult

    assert client.get("/healthz").status_code == 200
    waiting = client.get("/readyz")
    assert waiting.status_code == 503
    body = waiting.json()
    assert body["checks"]["database"] == "ok" and body["checks"]["cache"] == "ok"
    assert "worker" in body["checks"] and body["checks"]["worker"] != "ok"

    now = timezone.now()
    DBTaskResult.objects.create(
        task_path="crontask.tasks.heartbeat",
        args_kwargs={"args": [], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        run_after=now,
        status="SUCCESSFUL",
        finished_at=now - timezone.timedelta(seconds=30),
    )
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.json()
    assert ready.json() == {"ready": True, "checks": {"database": "ok", "cache": "ok", "worker": "ok"}}

    DBTaskResult.objects.update(finished_at=now - timezone.timedelta(seconds=600))
    assert client.get("/readyz").status_code == 503


@pytest.mark.django_db
def test_metrics_count_requests_by_view_and_show_the_queues(client):
    """/metrics: Prometheus text with request counts by view, task queue depth and the outbox backlog."""
    client.get(reverse("portal:track"))
    text = client.get("/metrics").content.decode()
    assert 'satupintu_http_requests_total{method="GET",status="200",view="portal:track"}' in text
    assert 'satupintu_http_request_duration_seconds_count{view="portal:track"}' in text
    assert 'satupintu_task_queue_depth{queue="default"} 0.0' in text
    assert 'satupintu_outbox_backlog{status="pending"} 0.0' in text
    assert "satupintu_worker_silence_seconds -1.0" in text


@pytest.mark.django_db
def test_metrics_are_refused_through_the_proxy_and_without_the_token(client):
    """Metrics answer a direct local request only, or one with the configured bearer token."""
    assert client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.5"}).status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.5").status_code == 403
    with override_settings(SATUPINTU_METRICS_TOKEN="s3cret-token"):
        assert client.get("/metrics").status_code == 403
        assert client.get("/metrics", headers={"Authorization": "Bearer s3cret-token"}).status_code == 200


@pytest.mark.django_db
def test_each_client_behind_the_proxy_has_its_own_tracking_throttle(client):
    """
    Behind nginx every request comes from 127.0.0.1; the forwarded address keeps one client's
    wrong guesses (20 allowed) from locking out everyone else.
    """
    url = reverse("portal:track")
    for _ in range(20):
        client.get(url, {"nomor": "X-1", "kode": "AAAAAA"}, headers={"X-Real-IP": "203.0.113.10"})
    locked = client.get(url, {"nomor": "X-1", "kode": "AAAAAA"}, headers={"X-Real-IP": "203.0.113.10"})
    assert "Terlalu banyak percobaan" in locked.content.decode()
    other = client.get(url, {"nomor": "X-1", "kode": "AAAAAA"}, headers={"X-Real-IP": "203.0.113.11"})
    assert "Terlalu banyak percobaan" not in other.content.decode()
    assert "tidak cocok" in other.content.decode()


def test_the_pool_is_off_in_tests_and_the_timeout_is_on_for_postgresql():
    """Tests keep Django's plain connections; on PostgreSQL the statement timeout applies to them too."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    assert "pool" not in connection.settings_dict["OPTIONS"]
    assert "statement_timeout" in connection.settings_dict["OPTIONS"]["options"]
