"""
Prometheus metrics: request counts and latency by view, task queue depth, the worker's silence,
and the gauges the apps declare (settings.SATUPINTU_METRICS_GAUGES).

Under gunicorn every worker process counts its own requests; ``deploy/gunicorn.conf.py`` sets
``PROMETHEUS_MULTIPROC_DIR`` so prometheus_client adds them up across processes at each scrape.
Labels are the URL pattern's name (``portal:track``), never the path, so their number is bounded.
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import REGISTRY, Collector

REQUESTS = Counter(
    "satupintu_http_requests_total", "HTTP requests answered, by view, method and status", ["view", "method", "status"]
)
LATENCY = Histogram(
    "satupintu_http_request_duration_seconds",
    "Time to answer an HTTP request, by view",
    ["view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)


def view_label(request: HttpRequest) -> str:
    """The URL pattern's name (bounded), ``static`` for static files, ``unmatched`` otherwise."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or match._func_path
    if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
        return "static"
    return "unmatched"


class RequestMetricsMiddleware:
    """Count every request and time it, labelled by the view that answered it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        view = view_label(request)
        LATENCY.labels(view=view).observe(time.perf_counter() - started)
        REQUESTS.labels(view=view, method=request.method or "", status=str(response.status_code)).inc()
        return response


class SampledGauges(Collector):
    """Gauges read from the database at scrape time: queue depth, worker silence, app gauges."""

    def collect(self) -> Iterator[Metric]:
        from satupintu.core.health import task_queue_depth, worker_silence_seconds

        depth = GaugeMetricFamily(
            "satupintu_task_queue_depth", "Tasks waiting for the worker (ready to run now)", labels=["queue"]
        )
        for queue, count in task_queue_depth().items():
            depth.add_metric([queue], count)
        yield depth
        silence = worker_silence_seconds()
        yield GaugeMetricFamily(
            "satupintu_worker_silence_seconds",
            "Seconds since the worker last finished a task (-1: never)",
            value=-1 if silence is None else silence,
        )
        from satupintu.core.routing import replica_configured, replica_healthy

        if replica_configured():
            yield GaugeMetricFamily(
                "satupintu_replica_in_use",
                "1 while reads go to the read replica, 0 while it is down or lagging",
                value=1 if replica_healthy() else 0,
            )
        for name, (help_text, path) in getattr(settings, "SATUPINTU_METRICS_GAUGES", {}).items():
            value: Any = import_string(path)()
            if isinstance(value, dict):
                family = GaugeMetricFamily(name, help_text, labels=["status"])
                for label, number in value.items():
                    family.add_metric([str(label)], float(number))
                yield family
            else:
                yield GaugeMetricFamily(name, help_text, value=float(value))


def metrics_allowed(request: HttpRequest) -> bool:
    """
    Whether this request may read the metrics.

    With SATUPINTU_METRICS_TOKEN set, only a request carrying it as a bearer token. Without one,
    only a request made directly from this machine: one that came through the reverse proxy
    (which adds X-Forwarded-For / X-Real-IP) is refused even though it also arrives from 127.0.0.1.
    """
    token = getattr(settings, "SATUPINTU_METRICS_TOKEN", "")
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(given.encode(), token.encode())
    proxied = "X-Forwarded-For" in request.headers or "X-Real-Ip" in request.headers
    return not proxied and request.META.get("REMOTE_ADDR") in {"127.0.0.1", "::1"}


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """The Prometheus text exposition of every metric above."""
    if not metrics_allowed(request):
        return HttpResponse("forbidden\n", status=403, content_type="text/plain")
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        counted = CollectorRegistry()
        MultiProcessCollector(counted)
    else:
        counted = REGISTRY
    sampled = CollectorRegistry()
    sampled.register(SampledGauges())
    return HttpResponse(generate_latest(counted) + generate_latest(sampled), content_type=CONTENT_TYPE_LATEST)
