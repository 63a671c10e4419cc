"""
Staff pages of the notices: the office's outbox (what was sent to whom, when, with what result;
resend a failed notice) and the office tasks the system cannot do itself (post the *surat
pemberitahuan* of seed *Jaminan pelayanan* b).
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from satupintu.accounts.permissions import Action, require, roles_in
from satupintu.core.errors import Conflict
from satupintu.core.selectors import office_get
from satupintu.notifications import selectors as notices
from satupintu.notifications import services as notice_services
from satupintu.notifications.labels import event_label
from satupintu.notifications.models import Notice, NoticeChannel, NoticeStatus, OfficeTask
from satupintu.staff.views import staff_view

PAGE_SIZE = 50


@staff_view
def outbox(request: HttpRequest, office_slug: str) -> HttpResponse:
    """The office's outbox, newest first, filterable by status and channel."""
    office = office_get(office_slug)
    require(request.user, Action.MANAGE_NOTICES, office)
    status = request.GET.get("status", "")
    channel = request.GET.get("kanal", "")
    rows = notices.notices_for_office(
        office,
        status=status if status in NoticeStatus.values else None,
        channel=channel if channel in NoticeChannel.values else None,
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("hal"))
    items = [
        {"notice": n, "recipient": notices.mask_recipient(n), "event": event_label(n.template_key or n.event)}
        for n in page
    ]
    return render(
        request,
        "staff/outbox.html",
        {
            "office": office,
            "page": page,
            "items": items,
            "status": status,
            "channel": channel,
            "statuses": NoticeStatus.choices,
            "channels": NoticeChannel.choices,
        },
    )


@require_POST
@staff_view
def notice_resend(request: HttpRequest, office_slug: str, pk: int) -> HttpResponse:
    """Send a failed notice again (recorded in the audit trail)."""
    office = office_get(office_slug)
    require(request.user, Action.MANAGE_NOTICES, office)
    notice = get_object_or_404(Notice, pk=pk, office=office)
    from django.contrib import messages

    try:
        notice_services.notice_resend(notice=notice, actor=request.user)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Pemberitahuan dijadwalkan untuk dikirim ulang."))
    return redirect("staff:outbox", office_slug=office.slug)


@staff_view
def tasks(request: HttpRequest, office_slug: str) -> HttpResponse:
    """Open office tasks for the user's roles in the office (e.g. letters to post), oldest due first."""
    office = office_get(office_slug)
    require(request.user, Action.VIEW_STAFF_PAGES, office)
    roles = roles_in(request.user, office)
    open_tasks = [t for t in notices.office_tasks_open(office) if t.role in roles]
    return render(request, "staff/tasks.html", {"office": office, "tasks": open_tasks})


@require_POST
@staff_view
def task_done(request: HttpRequest, office_slug: str, pk: int) -> HttpResponse:
    """Mark a task done; a posted letter's notice becomes sent."""
    from django.contrib import messages

    office = office_get(office_slug)
    task = get_object_or_404(OfficeTask, pk=pk, office=office)
    if task.role not in roles_in(request.user, office):
        require(request.user, Action.MANAGE_NOTICES, office)
    try:
        notice_services.office_task_done(task=task, actor=request.user)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Tugas ditandai selesai."))
    return redirect("staff:tasks", office_slug=office.slug)


@staff_view
def task_letter(request: HttpRequest, office_slug: str, pk: int) -> HttpResponse:
    """The notice letter of a task, printable (the signed PDF comes with the documents issue)."""
    office = office_get(office_slug)
    task = get_object_or_404(OfficeTask.objects.select_related("notice", "application"), pk=pk, office=office)
    if task.role not in roles_in(request.user, office):
        require(request.user, Action.MANAGE_NOTICES, office)
    return render(request, "staff/task_letter.html", {"office": office, "task": task})
