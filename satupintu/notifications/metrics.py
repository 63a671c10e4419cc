"""Numbers the metrics endpoint samples at each scrape (settings.SATUPINTU_METRICS_GAUGES)."""

from django.db.models import Count

from satupintu.notifications.models import Notice, NoticeStatus


def outbox_backlog() -> dict[str, float]:
    """Notices not yet delivered, by status (pending, sending, failed)."""
    open_statuses = [NoticeStatus.PENDING, NoticeStatus.SENDING, NoticeStatus.FAILED]
    counts = {status.value: 0.0 for status in open_statuses}
    rows = Notice.objects.filter(status__in=open_statuses).values("status").annotate(n=Count("id"))
    for row in rows:
        counts[row["status"]] = float(row["n"])
    return counts
