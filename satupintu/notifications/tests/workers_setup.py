"""
Data for the two-workers test, run inside ``manage.py shell``: an office and 60 SMS notices, each
with its send task on the queue twice (as a retry and the sweeper may both queue one); prints the
notices' ids as JSON.
"""

import json

from django.db import transaction

from satupintu.core.models import Office
from satupintu.notifications.services import _enqueue, notice_queue

COUNT = 60


def run() -> None:
    office = Office.objects.create(slug="dua-pekerja", name="DPMPTSP Dua Pekerja", region="Kota Dua", address="Jl. 2")
    ids = []
    for i in range(COUNT):
        with transaction.atomic():  # its task is queued when it commits
            notice = notice_queue(
                office=office,
                channel="sms",
                recipient=f"+62812000{i:05d}",
                event="test.workers",
                template_key="application.ready",
                context={"kantor": office.name, "nomor": f"T-{i}", "telepon_kantor": "-"},
                idempotency_key=f"test.workers:{i}",
            )
        _enqueue(notice.pk)  # the second task for the same notice
        ids.append(notice.pk)
    print(json.dumps(ids))
