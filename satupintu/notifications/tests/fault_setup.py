"""
Notices for the database-restart test, queued inside ``manage.py shell`` as a step would queue
them (each send enqueued after commit), plus one whose task was lost (only the scheduler's
sweeper can send it). Prints the ids as JSON.
"""

import datetime as dt
import json

from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from satupintu.core.models import Office
from satupintu.notifications.models import Notice
from satupintu.notifications.services import notice_queue


def _queue(office: Office, key: str, at: dt.datetime | None = None) -> Notice:
    with transaction.atomic():
        notice = notice_queue(
            office=office,
            channel="sms",
            recipient="+6281234500000",
            event="test.fault",
            template_key="application.ready",
            context={"kantor": office.name, "nomor": key, "telepon_kantor": "-"},
            idempotency_key=key,
            at=at,
        )
    assert notice is not None
    return notice


def run(prefix: str, n: int) -> None:
    office, _created = Office.objects.get_or_create(
        slug="gangguan", defaults={"name": "DPMPTSP Gangguan", "region": "Kota Gangguan", "address": "Jl. Uji 1"}
    )
    ids = [_queue(office, f"{prefix}:{i}").pk for i in range(n)]
    past = timezone.now() - dt.timedelta(hours=1)
    lost = _queue(office, f"{prefix}:lost", at=past)
    DBTaskResult.objects.filter(args_kwargs__args=[lost.pk]).delete()
    Notice.objects.filter(pk=lost.pk).update(updated_at=past)
    print(json.dumps({"queued": ids, "lost": lost.pk}))
