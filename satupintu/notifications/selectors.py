"""Reads for notices: who holds a role (for alerts), the outbox and the office's task list."""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import Q, QuerySet

from satupintu.accounts.models import ActingAppointment, RoleMembership, User
from satupintu.accounts.permissions import office_today
from satupintu.core.models import Office
from satupintu.notifications.models import Notice, NoticeChannel, OfficeTask


def role_holders(office: Office, role: str, *, at: dt.datetime | None = None) -> list[User]:
    """
    Active users who hold ``role`` in the office on its local date at ``at``: members and Plh.

    Used to address alerts, not to grant access (that is ``accounts.permissions``).
    """
    day = office_today(office, at)
    members = RoleMembership.objects.filter(office=office, role=role, valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )
    acting = ActingAppointment.objects.filter(office=office, role=role, valid_from__lte=day, valid_to__gte=day)
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(pk__in=members.values("user_id")) | Q(pk__in=acting.values("acting_user_id")))
        .order_by("pk")
    )


def notices_for_office(
    office: Office, *, status: str | None = None, channel: str | None = None, application_id: int | None = None
) -> QuerySet[Notice]:
    """The office's outbox, newest first (for a staff page: what was sent to whom, when, status)."""
    notices = Notice.objects.filter(office=office).select_related("application")
    if status:
        notices = notices.filter(status=status)
    if channel:
        notices = notices.filter(channel=channel)
    if application_id:
        notices = notices.filter(application_id=application_id)
    return notices.order_by("-created_at", "-id")


def office_tasks_open(office: Office, *, role: str | None = None) -> QuerySet[OfficeTask]:
    """Tasks not yet done in the office (optionally for one role), oldest due first."""
    tasks = OfficeTask.objects.filter(office=office, done_at__isnull=True).select_related("application", "notice")
    if role:
        tasks = tasks.filter(role=role)
    return tasks.order_by("due_at", "created_at")


def mask_recipient(notice: Notice) -> str:
    """The recipient as staff lists show it: phones to their last 4 digits, e-mail's local part shortened."""
    value = notice.recipient
    if notice.channel in {NoticeChannel.SMS, NoticeChannel.WHATSAPP}:
        digits = re.sub(r"\D", "", value)
        return ("+" if value.startswith("+") else "") + "*" * max(0, len(digits) - 4) + digits[-4:]
    if notice.channel == NoticeChannel.EMAIL and "@" in value:
        local, domain = value.split("@", 1)
        return f"{local[:2]}***@{domain}"
    first_line = value.splitlines()[0] if value else ""
    return first_line[:40] + ("…" if len(first_line) > 40 or "\n" in value else "")
