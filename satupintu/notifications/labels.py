"""
The words officers read for the outbox's event codes (issue 14: the outbox showed ``application.ready``).

``templates.TEMPLATE_KEYS`` says, for the admin, what each template is for; these are the short
names the outbox and the tasks list show. An unknown code shows as itself.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

EVENT_LABELS: dict[str, Promise] = {
    "application.submitted": _("Permohonan diterima"),
    "application.returned": _("Berkas dikembalikan untuk dilengkapi"),
    "application.accepted": _("Berkas lengkap, sedang diproses"),
    "application.ready": _("Produk selesai, siap diambil"),
    "application.rejected": _("Permohonan ditolak"),
    "application.withdrawn": _("Permohonan dibatalkan oleh petugas"),
    "permit.revoked": _("Surat izin dicabut"),
    "application.uncollected": _("Surat pemberitahuan: produk belum diambil"),
    "application.collected": _("Produk diterima pemohon"),
    "permit.expiring": _("Izin segera berakhir"),
    "complaint.received": _("Pengaduan diterima"),
    "complaint.answered": _("Pengaduan ditanggapi"),
    "complaint.overdue": _("Pengaduan melewati batas waktu"),
    "survey.invitation": _("Undangan survei kepuasan"),
    "staff.step_overdue": _("Peringatan langkah terlambat"),
    "staff.step_overdue_superior": _("Peringatan langkah terlambat (kepada atasan)"),
    "payment.bill": _("SKRD terbit"),
    "payment.reminder": _("Surat teguran SKRD"),
    "payment.unpaid": _("Ditutup: retribusi tidak dibayar"),
    "payment.paid": _("Pembayaran retribusi diterima"),
}


def event_label(code: str) -> str:
    """``application.ready`` → ``Produk selesai, siap diambil``."""
    return str(EVENT_LABELS.get(code, code))
