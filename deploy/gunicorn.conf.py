"""
gunicorn settings for satupintu's production profile (`make serve`, deploy/satupintu-web.service).

Every value can be changed from the environment without editing this file:
HOST/PORT (bind), WEB_CONCURRENCY (processes), SATUPINTU_WEB_THREADS (threads per process),
SATUPINTU_WEB_TIMEOUT (seconds), SATUPINTU_VAR_DIR.

Connections: each process holds a psycopg pool of at most DATABASE_POOL_MAX_SIZE connections
(settings.py; default 4 = the threads below), so the web tier opens at most
WEB_CONCURRENCY x DATABASE_POOL_MAX_SIZE connections to PostgreSQL.
"""

import multiprocessing
import os
import shutil
from pathlib import Path

wsgi_app = "config.wsgi:application"
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", str(min(2 * multiprocessing.cpu_count() + 1, 9))))
worker_class = "gthread"
threads = int(os.environ.get("SATUPINTU_WEB_THREADS", "4"))
# Signing a permit or rendering a report may take seconds; a request past this is killed.
timeout = int(os.environ.get("SATUPINTU_WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle processes now and then so a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# nginx on the same machine is the only proxy trusted for X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("SATUPINTU_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Bound the request line and headers (uploads go in the body; nginx bounds that).
limit_request_line = 8190

# Logs: JSON lines on stderr (journald keeps them). The access line names the path without its
# query string (a tracking query carries a registration number and receipt code).
accesslog = "-"
errorlog = "-"
access_log_format = "%(m)s %(U)s %(s)s %(B)s bytes %(M)s ms"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_data": {"()": "satupintu.core.logs.MaskPersonalData"}},
    "formatters": {"json": {"()": "satupintu.core.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["personal_data"],
            "stream": "ext://sys.stderr",
        }
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

_var = Path(os.environ.get("SATUPINTU_VAR_DIR", Path(__file__).resolve().parent.parent / "var"))
# gunicorn's control socket (gunicornc) lives beside the data, one per installation.
control_socket = str(_var / "gunicorn.ctl")

# Prometheus: every process writes its counters to this directory; /metrics adds them up.
_metrics_dir = Path(os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(_var / "prometheus")))


def on_starting(server):
    """Start with empty counters: files left by a previous run would be added to the new ones."""
    shutil.rmtree(_metrics_dir, ignore_errors=True)
    _metrics_dir.mkdir(parents=True, exist_ok=True)


def child_exit(server, worker):
    """Let prometheus_client drop the live gauges of a process that has gone."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
