"""
The payment documents, all through ``documents.rendering.render_pdf`` from office-editable Typst
templates (``skrd``, ``payment_receipt``, ``revenue_report``), and the treasurer's workbooks.

The SKRD and the receipt are rendered on request from the stored bill and payment (which never
change once written), like the other receipts; both print where their authenticity is checked
(the public bill page, ``/skrd/periksa/``), and the SKRD the QRIS code the applicant scans.

Both are sealed with the office's electronic signature (PAdES, ``documents.signing``) when the
office's key signs without a person at hand — a PKCS#12 installed for the office. Through BSrE
every signature needs its signer's passphrase, which a bill issued by the system does not have:
there the documents carry the public check alone (docs/payments.md).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from typing import Any

from django.utils import timezone

from satupintu.applications.models import Application
from satupintu.catalogue.fees import money
from satupintu.core.models import Office
from satupintu.documents.context import _base, letter_context, public_url, tanggal
from satupintu.documents.models import DocumentKind
from satupintu.documents.qr import qr_svg
from satupintu.documents.rendering import render_pdf
from satupintu.documents.signing import SigningError, signer_for, signing_needs_credentials
from satupintu.documents.spreadsheets import number_formats
from satupintu.payments.models import Bill, Payment
from satupintu.payments.selectors import Reconciliation, RevenueRow

logger = logging.getLogger(__name__)

_UNITS = ["", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh", "sebelas"]


def terbilang(n: int) -> str:
    """An amount in Indonesian words: 1500000 → 'satu juta lima ratus ribu'."""
    if n < 12:
        return _UNITS[n] if n else "nol"
    if n < 20:
        return f"{_UNITS[n - 10]} belas"
    if n < 100:
        return f"{_UNITS[n // 10]} puluh {terbilang(n % 10) if n % 10 else ''}".strip()
    if n < 200:
        return f"seratus {terbilang(n - 100) if n > 100 else ''}".strip()
    if n < 1000:
        return f"{_UNITS[n // 100]} ratus {terbilang(n % 100) if n % 100 else ''}".strip()
    if n < 2000:
        return f"seribu {terbilang(n - 1000) if n > 1000 else ''}".strip()
    for size, word in ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (10**3, "ribu")):
        if n >= size:
            rest = n % size
            return f"{terbilang(n // size)} {word} {terbilang(rest) if rest else ''}".strip()
    return str(n)


def rupiah_words(amount: int) -> str:
    return f"{terbilang(amount)} rupiah".capitalize()


def verify_url(bill: Bill) -> str:
    return f"{public_url(bill.office)}/skrd/periksa/?kode={bill.payment_code}"


def _render(kind: str, application: Application, data: dict[str, Any]) -> bytes:
    return render_pdf(kind, data, office_id=application.office_id, service_code=application.service.code)


def skrd_context(bill: Bill) -> dict[str, Any]:
    application = bill.application
    office = application.office
    tz = office.time_zone
    data = _base(office, title="SKRD")
    data.update(
        {
            "title": "SURAT KETETAPAN RETRIBUSI DAERAH (SKRD)",
            "number": bill.number,
            "facts": [
                ["Nama wajib retribusi", application.applicant_name],
                ["Alamat", application.applicant_address or "-"],
                ["Layanan", application.service.name],
                ["Nomor registrasi permohonan", application.number],
                ["Tanggal terbit", tanggal(bill.issued_at, tz=tz, with_time=True)],
                ["Jatuh tempo", tanggal(bill.due_at, tz=tz, with_time=True)],
                ["Kode bayar / virtual account", bill.payment_code],
            ],
            "explanation": bill.explanation,
            "amount": money(bill.amount),
            "amount_words": rupiah_words(bill.amount),
            "how_to_pay": [
                f"Transfer ke virtual account {bill.payment_code} melalui bank, ATM, atau mobile banking.",
                "Atau pindai kode QRIS di samping dengan aplikasi pembayaran apa pun.",
                "Atau bayar tunai kepada Bendahara Penerima di kantor pada jam layanan; simpan kuitansinya.",
            ],
            "warning": (
                "Bayar tepat sejumlah di atas sebelum jatuh tempo. Bila belum dibayar, kantor mengirim surat "
                "teguran; bila tetap tidak dibayar, permohonan ditutup. Jangan membayar kepada petugas di luar "
                "Bendahara Penerima."
            ),
            "qr_svg": qr_svg(bill.qris) if bill.qris else "",
            "legal_basis": bill.legal_basis,
            "place_date": f"{office.region}, {tanggal(bill.issued_at, tz=tz)}",
            "issuer_title": f"Kepala {office.name}",
            "verify_url": verify_url(bill),
        }
    )
    return data


def sealed(pdf: bytes, office: Office, *, reason: str) -> bytes:
    """
    ``pdf`` with the office's electronic seal (PAdES) where its key signs unattended; unchanged
    (the public check alone) through BSrE or when the office has no key installed yet.
    """
    if signing_needs_credentials(office):
        return pdf
    try:
        return signer_for(office).sign(pdf, reason=reason, location=office.region)
    except SigningError as exc:
        logger.warning("payment document of office %s not sealed: %s", office.pk, exc)
        return pdf


def skrd_pdf(bill: Bill) -> bytes:
    """The bill (SKRD) as PDF, sealed with the office's electronic signature where it can be."""
    office = bill.application.office
    return sealed(
        _render(DocumentKind.SKRD, bill.application, skrd_context(bill)), office, reason=f"SKRD {bill.number}"
    )


def receipt_context(payment: Payment) -> dict[str, Any]:
    bill = payment.bill
    application = bill.application
    office = application.office
    tz = office.time_zone
    data = _base(office, title="Tanda Bukti Pembayaran")
    data.update(
        {
            "title": "TANDA BUKTI PEMBAYARAN RETRIBUSI",
            "number": payment.receipt_number,
            "facts": [
                ["Telah terima dari", application.applicant_name],
                ["Untuk pembayaran", f"SKRD {bill.number}"],
                ["Layanan", application.service.name],
                ["Nomor registrasi permohonan", application.number],
                ["Cara bayar", payment.get_channel_display()],
                ["Rujukan transaksi", payment.reference],
                ["Waktu bayar", tanggal(payment.paid_at, tz=tz, with_time=True)],
            ],
            "amount": money(payment.amount),
            "amount_words": rupiah_words(payment.amount),
            "note": f"Dasar hukum: {bill.legal_basis}",
            "place_date": f"{office.region}, {tanggal(payment.recorded_at, tz=tz)}",
            "issuer_title": "Bendahara Penerima",
            "verify_url": verify_url(bill),
        }
    )
    return data


def receipt_pdf(payment: Payment) -> bytes:
    """The applicant's payment receipt as PDF, sealed like the SKRD."""
    application = payment.bill.application
    pdf = _render(DocumentKind.PAYMENT_RECEIPT, application, receipt_context(payment))
    return sealed(pdf, application.office, reason=f"Tanda bukti pembayaran {payment.receipt_number}")


def unpaid_letter_pdf(bill: Bill) -> bytes:
    """The letter that closes an application whose SKRD was not paid after the reminder (``notice`` template)."""
    application = bill.application
    tz = application.office.time_zone
    data = letter_context(
        application,
        kind="notice",
        subject="Penutupan Permohonan karena Retribusi Tidak Dibayar",
        paragraphs=[
            f"Permohonan {application.service.name} Saudara nomor {application.number} telah diverifikasi dan "
            f"kami terbitkan SKRD nomor {bill.number} sebesar {money(bill.amount)} dengan jatuh tempo "
            f"{tanggal(bill.due_at, tz=tz)}.",
            f"Sampai batas waktu yang diberikan surat teguran ({tanggal(bill.closes_at, tz=tz)}) retribusi "
            "tersebut belum dibayar. Dengan ini permohonan Saudara kami tutup.",
            "Bila izin masih Saudara perlukan, silakan mengajukan permohonan baru melalui portal atau loket kami.",
        ],
        items=[f"Dasar hukum retribusi: {bill.legal_basis}"],
    )
    return _render(DocumentKind.NOTICE, application, data)


# --- the treasurer's reports ----------------------------------------------------------------------

RECONCILIATION_HEADER = ["No", "Waktu", "SKRD", "Permohonan", "Layanan", "Cara bayar", "Rujukan", "Jumlah (Rp)"]
REVENUE_HEADER = ["No", "Layanan", "SKRD terbit", "SKRD dibayar", "Diterima (Rp)", "Dikembalikan (Rp)", "Bersih (Rp)"]


def _reconciliation_rows(office: Office, rec: Reconciliation) -> list[list[Any]]:
    tz = office.time_zone
    return [
        [
            i,
            tanggal(p.paid_at, tz=tz, with_time=True),
            p.bill.number,
            p.bill.application.number,
            p.bill.application.service.name,
            p.get_channel_display(),
            p.reference,
            p.amount,
        ]
        for i, p in enumerate(rec.payments, start=1)
    ]


def _flagged(rec: Reconciliation) -> list[str]:
    return [f"{p.bill.number} · {p.reference} · {money(p.amount)}: {p.problem}" for p in rec.flagged]


def _report_pdf(office: Office, data: dict[str, Any]) -> bytes:
    base = _base(office, title=data["title"])
    base.update(data)
    return render_pdf(DocumentKind.REVENUE_REPORT, base, office_id=office.pk)


def reconciliation_pdf(office: Office, rec: Reconciliation) -> bytes:
    rows = [
        [str(c) if not isinstance(c, int) or i == 0 else money(c) for i, c in enumerate(r)]
        for r in _reconciliation_rows(office, rec)
    ]
    return _report_pdf(
        office,
        {
            "title": "REKONSILIASI PENERIMAAN RETRIBUSI HARIAN",
            "subtitle": tanggal(rec.day),
            "columns": [0.8, 2.4, 4.2, 4.4, 4, 2.6, 2.6, 2.8],
            "first_number_column": 7,
            "header": RECONCILIATION_HEADER,
            "rows": rows,
            "total_row": ["", "", "", "", "", "", "Jumlah", money(rec.total)],
            "flagged": _flagged(rec),
            "place_date": f"{office.region}, {tanggal(timezone.now(), tz=office.time_zone)}",
        },
    )


def _revenue_rows(rows: list[RevenueRow]) -> list[list[Any]]:
    return [[i, r.service, r.bills, r.paid, r.received, r.refunded, r.net] for i, r in enumerate(rows, start=1)]


def revenue_pdf(office: Office, year: int, month: int, rows: list[RevenueRow]) -> bytes:
    cells = [[str(c) if i < 4 else money(c) for i, c in enumerate(r)] for r in _revenue_rows(rows)]
    return _report_pdf(
        office,
        {
            "title": "LAPORAN PENERIMAAN RETRIBUSI PER LAYANAN",
            "subtitle": tanggal(dt.date(year, month, 1)).split(" ", 1)[-1],
            "columns": [0.8, 9, 2.4, 2.4, 3.6, 3.6, 3.6],
            "first_number_column": 2,
            "header": REVENUE_HEADER,
            "rows": cells,
            "total_row": [
                "",
                "Jumlah",
                str(sum(r.bills for r in rows)),
                str(sum(r.paid for r in rows)),
                money(sum(r.received for r in rows)),
                money(sum(r.refunded for r in rows)),
                money(sum(r.net for r in rows)),
            ],
            "flagged": [],
            "place_date": f"{office.region}, {tanggal(timezone.now(), tz=office.time_zone)}",
        },
    )


def _workbook(title: str, header: list[str], rows: list[list[Any]], total: list[Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.append(total)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    number_formats(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def reconciliation_xlsx(office: Office, rec: Reconciliation) -> bytes:
    return _workbook(
        "Rekonsiliasi",
        RECONCILIATION_HEADER,
        _reconciliation_rows(office, rec),
        ["", "", "", "", "", "", "Jumlah", rec.total],
    )


def revenue_xlsx(rows: list[RevenueRow]) -> bytes:
    return _workbook(
        "Penerimaan",
        REVENUE_HEADER,
        _revenue_rows(rows),
        [
            "",
            "Jumlah",
            sum(r.bills for r in rows),
            sum(r.paid for r in rows),
            sum(r.received for r in rows),
            sum(r.refunded for r in rows),
            sum(r.net for r in rows),
        ],
    )
