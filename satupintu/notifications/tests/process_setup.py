"""
Data for the real-process test, run inside ``manage.py shell`` against a file database.

Makes one radiographer application ready for pickup (its SMS and e-mail are queued as a step
would queue them), a notice whose task was lost, and one left ``sending`` by a dead worker; prints
their ids as JSON.
"""

import datetime as dt
import json

from django.conf import settings
from django.utils import timezone

from satupintu.accounts.models import RoleMembership, User
from satupintu.accounts.roles import Role
from satupintu.applications.models import Application
from satupintu.applications.tests.conftest import WIB
from satupintu.catalogue.loader import standard_load_file
from satupintu.core.models import Office
from satupintu.notifications.models import Notice, NoticeStatus
from satupintu.notifications.services import notice_queue
from satupintu.notifications.tests.conftest import new_application, walk


def run() -> None:
    office = Office.objects.create(slug="proses", name="DPMPTSP Proses", region="Kota Proses", address="Jl. Proses 1")
    service = standard_load_file(
        office=office, path=settings.SATUPINTU_STANDARDS_DIR / "izin-kerja-radiografer.yaml"
    ).service
    staff = {}
    for role in Role:
        user = User.objects.create(username=f"p-{role.value}", full_name=f"Petugas {role.value}")
        if role is Role.PEMOHON:
            user.nik = "1471015503900002"
            user.save()
        if role is not Role.PEMOHON:
            RoleMembership.objects.create(office=office, user=user, role=role.value, valid_from=dt.date(2000, 1, 1))
        staff[role.value] = user
    start = dt.datetime(2026, 3, 10, 9, 0, tzinfo=WIB)
    app = new_application(service, staff["pemohon"], at=start)
    app = walk(app, staff, staff["pemohon"], until="handover", at=start)  # on_commit enqueues the sends
    app = Application.objects.get(pk=app.pk)
    ready = list(Notice.objects.filter(application=app, event="application.ready").values_list("pk", flat=True))

    past = timezone.now() - dt.timedelta(hours=1)
    context = {"kantor": office.name, "nomor": app.number, "telepon_kantor": "-"}
    lost = notice_queue(
        office=office,
        channel="sms",
        recipient="+6281299990001",
        event="test.lost",
        template_key="application.ready",
        context=context,
        idempotency_key="test.lost:1",
        at=past,
    )
    stuck = notice_queue(
        office=office,
        channel="sms",
        recipient="+6281299990002",
        event="test.stuck",
        template_key="application.ready",
        context=context,
        idempotency_key="test.stuck:1",
        at=past,
    )
    from django_tasks_db.models import DBTaskResult

    # The lost one's task vanished; the stuck one was claimed an hour ago by a worker that died.
    DBTaskResult.objects.filter(args_kwargs__args__in=[[lost.pk], [stuck.pk]]).delete()
    Notice.objects.filter(pk=lost.pk).update(updated_at=past)
    Notice.objects.filter(pk=stuck.pk).update(status=NoticeStatus.SENDING, attempts=1, claimed_at=past, updated_at=past)
    print(json.dumps({"number": app.number, "ready": ready, "lost": lost.pk, "stuck": stuck.pk}))
