"""
The words a person reads for every code of the complaints domain: history actions, statuses and
the steps of the monthly report's review (issue 14: the history showed ``register → received``).

Statuses and the other choices carry their labels on their ``TextChoices``; the history's actions
and the report's review steps are free codes in append-only rows, so their words live here. Every
page, letter and export reads them through these functions; an unknown code shows as itself.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from satupintu.complaints.models import ComplaintStatus, Rating, ReportStatus, Weight

#: What each history row records, in the words of the seed's clause.
EVENT_ACTIONS: dict[str, Promise] = {
    "register": _("Dicatat di Buku Pengaduan"),
    "triage": _("Dipilah menurut bobot"),
    "coordinate": _("Koordinasi dicatat"),
    "decide": _("Keputusan dicatat"),
    "reply": _("Tanggapan disampaikan"),
    "note": _("Catatan ditambahkan"),
    "overdue": _("Melewati batas waktu, diteruskan kepada atasan"),
    "rate": _("Pengadu menyatakan puas atas tanggapan"),
    "reopen": _("Pengadu tidak puas: dibuka kembali satu tingkat di atasnya"),
}

#: Each step of the monthly report's review (seed j–k).
REPORT_ACTIONS: dict[str, Promise] = {
    "draft": _("Konsep laporan disusun"),
    "submit": _("Diajukan kepada Sekretaris untuk diperiksa"),
    "return": _("Dikembalikan untuk diperbaiki"),
    "approve": _("Disetujui Sekretaris"),
    "deliver": _("Diserahkan kepada Kepala Dinas"),
}


def event_action_label(code: str) -> str:
    return str(EVENT_ACTIONS.get(code, code))


def rating_label(code: str) -> str:
    return str(Rating(code).label) if code in Rating.values else code


def weight_label(code: str) -> str:
    return str(Weight(code).label) if code in Weight.values else code


def complaint_status_label(code: str) -> str:
    return str(ComplaintStatus(code).label) if code in ComplaintStatus.values else code


def report_action_label(code: str) -> str:
    return str(REPORT_ACTIONS.get(code, code))


def report_status_label(code: str) -> str:
    return str(ReportStatus(code).label) if code in ReportStatus.values else code


def event_detail(action: str, data: dict) -> str:
    """One line of words for what a history row's data says (weights, parties, methods), never codes."""
    from satupintu.complaints.models import ReplyMethod

    parts: list[str] = []
    if action == "triage" and data.get("weight"):
        parts.append(str(_("Bobot: %(weight)s")) % {"weight": weight_label(data["weight"])})
    if action == "reopen" and data.get("weight"):
        parts.append(
            str(_("Bobot naik: %(old)s menjadi %(new)s"))
            % {"old": weight_label(data.get("from_weight", "")), "new": weight_label(data["weight"])}
        )
    if data.get("party_label"):
        parts.append(str(_("Dengan: %(party)s")) % {"party": data["party_label"]})
    method = data.get("method")
    if action == "reply" and method:
        label = ReplyMethod(method).label if method in ReplyMethod.values else method
        parts.append(str(_("Cara: %(method)s")) % {"method": label})
        if data.get("late"):
            parts.append(str(_("melewati batas waktu")))
    return "; ".join(parts)
