"""
The other documents, rendered on request from current data (not stored, not signed): receipt,
control card, refusal and return letters, the *surat pemberitahuan*, the Standar Pelayanan and the
SOP diagram. Each is a pure read: ``<kind>_pdf(...) -> bytes``.
"""

from __future__ import annotations

import datetime as dt

from satupintu.applications.models import Application
from satupintu.applications.selectors import documents_of
from satupintu.applications.services import spec_for
from satupintu.catalogue.schema import ServiceStandardSpec
from satupintu.core.errors import Conflict
from satupintu.core.models import Office
from satupintu.documents import context as ctx
from satupintu.documents.models import DocumentKind
from satupintu.documents.rendering import render_pdf


def _render(kind: str, application: Application, data: dict) -> bytes:
    return render_pdf(kind, data, office_id=application.office_id, service_code=application.service.code)


def receipt_pdf(application: Application) -> bytes:
    """Tanda terima berkas: the registration number and tracking code the applicant tracks with."""
    return _render(
        DocumentKind.RECEIPT, application, ctx.receipt_context(application, documents=list(documents_of(application)))
    )


def card_pdf(application: Application) -> bytes:
    """The printable kartu kendali."""
    return _render(DocumentKind.CARD, application, ctx.card_context(application))


def refusal_letter_pdf(application: Application, *, at: dt.datetime | None = None) -> bytes:
    """The letter of refusal (seed: a rejection ends the application with a letter and its reason)."""
    if not application.rejection_reason:
        raise Conflict("Permohonan ini tidak ditolak.")
    spec = spec_for(application)
    data = ctx.letter_context(
        application,
        kind="refusal",
        subject=f"Penolakan Permohonan {spec.name}",
        paragraphs=[
            f"Menindaklanjuti permohonan Saudara/i nomor registrasi {application.number} tentang {spec.name}, "
            "dengan ini kami sampaikan bahwa permohonan tersebut TIDAK DAPAT DIKABULKAN dengan alasan sebagai berikut:",
            application.rejection_reason,
            "Saudara/i dapat mengajukan permohonan kembali setelah memenuhi ketentuan yang berlaku. "
            "Demikian disampaikan untuk dimaklumi.",
        ],
        at=at or application.closed_at,
    )
    return _render(DocumentKind.REFUSAL, application, data)


def return_letter_pdf(application: Application, *, at: dt.datetime | None = None) -> bytes:
    """The return-for-completion letter: what is missing or wrong, item by item."""
    if not application.return_reasons:
        raise Conflict("Berkas permohonan ini tidak pernah dikembalikan.")
    spec = spec_for(application)
    items = [f"{r.get('label', '')}: {r.get('reason', '')}" for r in application.return_reasons]
    data = ctx.letter_context(
        application,
        kind="return",
        subject=f"Pengembalian Berkas Permohonan {spec.name}",
        paragraphs=[
            f"Berdasarkan hasil pemeriksaan kelengkapan berkas permohonan nomor registrasi {application.number} "
            f"tentang {spec.name}, berkas Saudara/i belum lengkap/belum memenuhi syarat pada hal-hal berikut:",
            "Mohon berkas dilengkapi dan diajukan kembali. Waktu penyelesaian layanan dihitung sejak berkas "
            "dinyatakan lengkap. Demikian disampaikan, atas perhatiannya diucapkan terima kasih.",
        ],
        items=items,
        at=at,
    )
    return _render(DocumentKind.RETURN, application, data)


def notice_letter_pdf(application: Application, *, body: str, at: dt.datetime | None = None) -> bytes:
    """
    The *surat pemberitahuan* (seed, Jaminan pelayanan b): the product is still uncollected a
    month after it was finished; to the applicant's home address. ``body`` is the office's letter
    text (the notifications app's ``application.uncollected`` letter template).
    """
    spec = spec_for(application)
    data = ctx.letter_context(
        application,
        kind="notice",
        subject=f"Pemberitahuan Pengambilan {spec.product.name}",
        paragraphs=[p.strip() for p in body.split("\n\n") if p.strip()],
        at=at,
    )
    return _render(DocumentKind.NOTICE, application, data)


def standard_pdf(spec: ServiceStandardSpec, office: Office) -> bytes:
    """The Standar Pelayanan of a service as a document, generated from its definition."""
    return render_pdf(
        DocumentKind.STANDARD, ctx.standard_context(spec, office), office_id=office.pk, service_code=spec.code
    )


def sop_pdf(spec: ServiceStandardSpec, office: Office) -> bytes:
    """The SOP as a swimlane flow chart (A4 landscape, PermenPANRB 35/2012 symbols)."""
    return render_pdf(DocumentKind.SOP, ctx.sop_context(spec, office), office_id=office.pk, service_code=spec.code)


def bap_pdf(application: Application) -> bytes:
    """The Tim Teknis's Berita Acara Pemeriksaan, from the BAP recorded at the inspection step."""
    if not application.bap:
        raise Conflict("Permohonan ini belum memiliki BAP.")
    return _render(DocumentKind.BAP, application, ctx.bap_context(application))


def revocation_letter_pdf(application: Application, *, number: str, reason: str, at: dt.datetime) -> bytes:
    """The letter that tells the holder their permit is revoked, with the reason."""
    spec = spec_for(application)
    data = ctx.letter_context(
        application,
        kind="revocation",
        subject=f"Pencabutan {spec.product.name}",
        paragraphs=[
            f"Dengan ini diberitahukan bahwa {spec.product.name} nomor {number} atas nama "
            f"{application.applicant_name} DICABUT dan tidak berlaku lagi sejak tanggal surat ini, dengan alasan:",
            reason,
            "Keberatan atas pencabutan ini dapat disampaikan melalui saluran pengaduan kantor. "
            "Demikian disampaikan untuk dimaklumi.",
        ],
        at=at,
    )
    return _render(DocumentKind.REVOCATION, application, data)
