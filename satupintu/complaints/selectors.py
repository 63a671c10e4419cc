"""Reads of the complaint register: the Buku Pengaduan, one complaint for staff or the public, categories."""

from __future__ import annotations

import hmac
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from satupintu.accounts.permissions import Action, grant_for, require, roles_in
from satupintu.accounts.roles import Role
from satupintu.complaints import rules as rulebook
from satupintu.complaints.labels import complaint_status_label, event_action_label, event_detail, rating_label
from satupintu.complaints.models import Complaint, ComplaintCategory, ComplaintEvent, ComplaintStatus
from satupintu.core.errors import NotFound
from satupintu.core.models import AccessKind, Office
from satupintu.core.privacy import Subject, personal_read
from satupintu.core.throttle import throttle_check, throttle_fail

STATUS_FAILURE_LIMIT = 20
STATUS_WINDOW_SECONDS = 15 * 60
OPEN_STATUSES = frozenset(
    {ComplaintStatus.RECEIVED, ComplaintStatus.HANDLING, ComplaintStatus.COORDINATION, ComplaintStatus.DECIDED}
)


def categories_for(office: Office) -> list[ComplaintCategory]:
    """The office's active categories: its own rows replace the defaults with the same code."""
    rows = ComplaintCategory.objects.filter(Q(office__isnull=True) | Q(office=office))
    by_code: dict[str, ComplaintCategory] = {}
    for row in rows.order_by("order", "name"):
        if row.code not in by_code or row.office_id is not None:
            by_code[row.code] = row
    return sorted((c for c in by_code.values() if c.active), key=lambda c: (c.order, c.name))


def complaint_by_ticket(ticket: str) -> Complaint:
    complaint = (
        Complaint.objects.select_related("office", "category", "application")
        .filter(ticket=ticket.strip().upper())
        .first()
    )
    if complaint is None:
        raise NotFound(_("Pengaduan %(ticket)s tidak ditemukan.") % {"ticket": ticket})
    return complaint


def complaint_for_staff(ticket: str, user: Any) -> Complaint:
    """The complaint, for a user who handles complaints in its office; NotFound / PermissionDenied otherwise."""
    complaint = complaint_by_ticket(ticket)
    require(user, Action.HANDLE_COMPLAINTS, complaint.office)
    return complaint


def complaint_public(*, ticket: str, code: str, client: str = "") -> Complaint | None:
    """The complaint for its public status page when ticket and code match; wrong pairs are throttled per client."""
    if client:
        throttle_check(f"complaint:{client}", limit=STATUS_FAILURE_LIMIT)
    complaint = Complaint.objects.select_related("office", "category").filter(ticket=ticket.strip().upper()).first()
    if complaint is None or not hmac.compare_digest(complaint.access_code.encode(), code.strip().upper().encode()):
        if client:
            throttle_fail(f"complaint:{client}", window_seconds=STATUS_WINDOW_SECONDS)
        return None
    return complaint


#: History actions the complainant reads on the status page (what happened, never who inside).
PUBLIC_ACTIONS = {
    "register": gettext_lazy("Pengaduan diterima dan dicatat"),
    "triage": gettext_lazy("Pengaduan dipilah dan diteruskan"),
    "coordinate": gettext_lazy("Dikoordinasikan dengan pimpinan"),
    "decide": gettext_lazy("Keputusan hasil koordinasi dicatat"),
    "reply": gettext_lazy("Tanggapan disampaikan"),
    "overdue": gettext_lazy("Melewati batas waktu: diteruskan kepada atasan"),
    "rate": gettext_lazy("Anda menyatakan puas atas tanggapan"),
    "reopen": gettext_lazy("Anda tidak puas: pengaduan dibuka kembali dan diteruskan kepada pimpinan"),
}


def can_rate(complaint: Complaint) -> bool:
    """Whether the complainant may rate the answer now (answered, and this answer not yet rated)."""
    if complaint.status != ComplaintStatus.ANSWERED or complaint.answered_at is None:
        return False
    return complaint.rated_at is None or complaint.rated_at < complaint.answered_at


def public_status(complaint: Complaint) -> dict[str, Any]:
    """What anyone holding the ticket and code may read: no identity, no officer names, no internal notes."""
    steps = [
        {"action": e.action, "label": str(PUBLIC_ACTIONS[e.action]), "at": e.at}
        for e in complaint.events.order_by("seq")
        if e.action in PUBLIC_ACTIONS
    ]
    return {
        "ticket": complaint.ticket,
        "office": complaint.office.slug,
        "office_name": complaint.office.name,
        "status": complaint.status,
        "status_text": complaint.get_status_display(),
        "kind": complaint.kind,
        "channel": complaint.channel,
        "category": complaint.category.code if complaint.category else None,
        "weight": complaint.weight or None,
        "received_at": complaint.received_at,
        "due_at": complaint.due_at,
        "answered_at": complaint.answered_at,
        "reply_method": complaint.reply_method or None,
        # A letter or a call is answered where the complainant is; the web shows the text of any answer.
        "reply": complaint.reply_text if complaint.status == ComplaintStatus.ANSWERED else None,
        "decision": complaint.decision if complaint.status == ComplaintStatus.ANSWERED and complaint.decision else None,
        "rating": complaint.rating or None,
        "rating_text": rating_label(complaint.rating) if complaint.rating else None,
        "rated_at": complaint.rated_at,
        "can_rate": can_rate(complaint),
        "history": steps,
    }


def register_for(
    office: Office,
    *,
    status: str = "",
    weight: str = "",
    channel: str = "",
    query: str = "",
    open_only: bool = False,
) -> QuerySet[Complaint]:
    """The Buku Pengaduan of the office, newest first, with filters."""
    rows = Complaint.objects.filter(office=office).select_related("category", "application")
    if status:
        rows = rows.filter(status=status)
    if open_only:
        rows = rows.filter(status__in=OPEN_STATUSES)
    if weight:
        rows = rows.filter(weight=weight)
    if channel:
        rows = rows.filter(channel=channel)
    if query:
        rows = rows.filter(
            Q(ticket__icontains=query) | Q(subject__icontains=query) | Q(application_number__icontains=query)
        )
    return rows.order_by("-received_at", "-id")


def identity_visible(complaint: Complaint, user: Any) -> bool:
    """
    Whether the user may read the complainant's identity: complaint officers do, except that a
    confidential complaint's identity is for those who keep the register (the triage roles) only.
    """
    roles = roles_in(user, complaint.office)
    if not roles & set(rulebook.rules().triage_roles) and complaint.confidential:
        return False
    from satupintu.accounts.permissions import POLICY

    return bool(roles & POLICY[Action.HANDLE_COMPLAINTS])


def actions_for(complaint: Complaint, user: Any) -> list[str]:
    """The actions the user may take on the complaint now (for the staff page's buttons)."""
    allowed = []
    for action, transition in rulebook.TRANSITIONS.items():
        if complaint.status not in transition.sources:
            continue
        if any(grant_for(user, complaint.office, role) for role in rulebook.roles_for(action, complaint.weight)):
            allowed.append(action)
    return allowed


def history_of(complaint: Complaint) -> QuerySet[ComplaintEvent]:
    return complaint.events.order_by("seq")


def staff_detail(complaint: Complaint, user: Any) -> dict[str, Any]:
    """The whole complaint as a complaint officer sees it: identity when they may, the history, what they may do."""
    from satupintu.complaints.chain import history_verify
    from satupintu.complaints.services import coordination_missing, reply_methods_for

    shows_identity = identity_visible(complaint, user)
    if shows_identity and not complaint.anonymous:
        personal_read(
            actor=user,
            kind=AccessKind.COMPLAINT,
            office=complaint.office,
            subjects=[complaint_subject(complaint)],
            target=f"complaint:{complaint.ticket}",
            fields=[
                key
                for key, value in (
                    ("complainant_name", complaint.complainant_name),
                    ("complainant_phone", complaint.complainant_phone),
                    ("complainant_email", complaint.complainant_email),
                    ("complainant_address", complaint.complainant_address),
                )
                if value
            ],
        )
    hidden = _("Anonim") if complaint.anonymous else _("Dirahasiakan")
    history = list(history_of(complaint))
    check = history_verify(complaint)
    return {
        "ticket": complaint.ticket,
        "office": complaint.office.slug,
        "status": complaint.status,
        "status_text": complaint.get_status_display(),
        "channel": complaint.channel,
        "channel_text": complaint.get_channel_display(),
        "source": complaint.source,
        "kind": complaint.kind,
        "category": complaint.category.code if complaint.category else None,
        "category_name": complaint.category.name if complaint.category else None,
        "weight": complaint.weight or None,
        "unit": complaint.unit,
        "subject": complaint.subject,
        "description": complaint.description,
        "anonymous": complaint.anonymous,
        "confidential": complaint.confidential,
        "complainant": {
            "name": complaint.complainant_name if shows_identity and not complaint.anonymous else hidden,
            "phone": complaint.complainant_phone if shows_identity else None,
            "email": complaint.complainant_email if shows_identity else None,
            "address": complaint.complainant_address if shows_identity else None,
        },
        "application": complaint.application_number or None,
        "application_linked": complaint.application_id is not None,
        "received_at": complaint.received_at,
        "due_at": complaint.due_at,
        "decided_at": complaint.decided_at,
        "decision": complaint.decision,
        "answered_at": complaint.answered_at,
        "reply_method": complaint.reply_method or None,
        "reply": complaint.reply_text,
        "rating": complaint.rating or None,
        "rating_text": rating_label(complaint.rating) if complaint.rating else None,
        "rating_reason": complaint.rating_reason,
        "rated_at": complaint.rated_at,
        "reopened_count": complaint.reopened_count,
        "attachments": [
            {"id": a.pk, "name": a.original_name, "content_type": a.content_type, "size": a.size}
            for a in complaint.attachments.all()
        ],
        "actions": actions_for(complaint, user),
        "reply_methods": reply_methods_for(complaint),
        "coordination_missing": coordination_missing(complaint),
        "history_ok": check.ok,
        "history_problem": check.reason,
        "history": [
            {
                "seq": e.seq,
                "action": e.action,
                "action_text": event_action_label(e.action),
                "detail_text": event_detail(e.action, e.data),
                "role_text": str(Role(e.role).label) if e.role in Role.values else e.role,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "to_status_text": complaint_status_label(e.to_status),
                "at": e.at,
                "actor": e.actor_name,
                "role": e.role,
                "acting_for": e.acting_for_name or None,
                "note": e.note,
                "data": {k: v for k, v in e.data.items() if shows_identity or k != "number"},
                "hash": e.hash,
                "prev_hash": e.prev_hash,
            }
            for e in history
        ],
    }


def complaint_subject(complaint: Complaint) -> Subject:
    """The complainant, for the access log (``core.privacy``)."""
    return Subject(user_id=complaint.complainant_user_id, name=complaint.complainant_name)


def report_subjects(report: Any) -> list[Subject]:
    """The complainants a monthly report names (neither anonymous nor confidential ones)."""
    tickets = [row.get("ticket") for row in report.figures.get("register", [])]
    named = Complaint.objects.filter(office=report.office, ticket__in=tickets, anonymous=False, confidential=False)
    return [complaint_subject(c) for c in named.exclude(complainant_name="").order_by("pk")]
