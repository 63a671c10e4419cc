"""
Notice templates: the events that have one, the placeholders they may use, and rendering.

Templates are rows (``NoticeTemplate``) an admin edits; the defaults ship in
``data/default_templates.yaml``. A placeholder is ``{name}``; rendering replaces known names and
leaves anything else untouched, so an edited template can never reach into Python objects the
way ``str.format`` would.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from pathlib import Path
from typing import Any

import yaml
from django.core.cache import cache
from django.db.models import Q

from satupintu.core.dates import date_words, local_moment
from satupintu.notifications.models import NoticeChannel, NoticeTemplate

DEFAULTS_FILE = Path(__file__).parent / "data" / "default_templates.yaml"

#: Template keys (one per event that tells someone something) and what each is for.
TEMPLATE_KEYS: dict[str, str] = {
    "application.submitted": "Permohonan diterima (dengan nomor registrasi dan kode lacak)",
    "application.returned": "Berkas dikembalikan untuk dilengkapi (apa yang harus diperbaiki)",
    "application.accepted": "Berkas lengkap, diproses (perkiraan tanggal selesai)",
    "application.ready": "Produk selesai, siap diambil/diunduh (Jaminan pelayanan a: SMS)",
    "application.rejected": "Permohonan ditolak (dengan alasan)",
    "application.withdrawn": "Permohonan dibatalkan oleh petugas atas permintaan pemohon (dengan alasan)",
    "permit.revoked": "Surat izin dicabut oleh Kepala Dinas (dengan alasan)",
    "application.uncollected": "Surat pemberitahuan: produk belum diambil 1 bulan (Jaminan pelayanan b)",
    "permit.expiring": "Izin akan berakhir dalam N hari (perpanjangan)",
    "complaint.received": "Pengaduan diterima",
    "complaint.answered": "Pengaduan ditanggapi",
    "complaint.overdue": "Pengaduan melewati batas waktu (kepada atasan)",
    "survey.invitation": "Undangan survei kepuasan setelah produk diterima",
    "staff.step_overdue": "Peringatan langkah terlambat kepada petugas",
    "staff.step_overdue_superior": "Peringatan langkah terlambat kepada atasan",
    "payment.bill": "SKRD terbit (retribusi yang harus dibayar)",
    "payment.reminder": "Surat teguran: SKRD belum dibayar",
    "payment.unpaid": "Permohonan ditutup: retribusi tidak dibayar",
    "payment.paid": "Pembayaran retribusi diterima",
}

#: Placeholders a template may use (not every one is filled for every event).
PLACEHOLDERS: dict[str, str] = {
    "nama": "nama pemohon",
    "alamat": "alamat pemohon",
    "nomor": "nomor registrasi permohonan",
    "kode": "kode pelacakan",
    "layanan": "nama layanan",
    "tanggal_selesai": "perkiraan tanggal selesai",
    "tanggal_produk_selesai": "tanggal produk selesai",
    "alasan": "alasan (penolakan/pengembalian), satu baris",
    "alasan_daftar": "alasan pengembalian, satu butir per baris",
    "nomor_izin": "nomor surat izin",
    "berlaku_sampai": "tanggal akhir masa berlaku izin",
    "sisa_hari": "jumlah hari sampai izin berakhir",
    "tautan_survei": "tautan survei kepuasan",
    "kantor": "nama kantor",
    "alamat_kantor": "alamat kantor",
    "telepon_kantor": "telepon kantor",
    "kota": "kabupaten/kota kantor",
    "tanggal": "tanggal hari ini",
    "petugas": "nama petugas penerima peringatan",
    "langkah": "langkah SOP",
    "peran": "pelaksana langkah",
    "diterima": "waktu berkas diterima pada langkah",
    "batas_waktu": "batas waktu langkah",
    "tiket": "nomor tiket pengaduan",
    "tanggapan": "tanggapan atas pengaduan",
    "data_terdaftar": "data yang dipakai dalam pendaftaran akun (NIK, surel, nomor HP)",
    "skrd": "nomor SKRD",
    "jumlah": "jumlah retribusi (rupiah)",
    "kode_bayar": "kode bayar / nomor virtual account",
    "jatuh_tempo": "jatuh tempo SKRD",
    "batas": "batas akhir pembayaran setelah surat teguran",
    "tanda_bukti": "nomor tanda bukti pembayaran",
}


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def render(text: str, context: dict[str, Any]) -> str:
    """Replace ``{name}`` with ``context[name]`` for known names; leave the rest as written."""

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        return str(context[name]) if name in context else match.group(0)

    return _PLACEHOLDER.sub(substitute, text)


def unknown_placeholders(text: str) -> list[str]:
    """Placeholders in ``text`` that no notice fills (for the admin's validation)."""
    return sorted({name for name in _PLACEHOLDER.findall(text) if name not in PLACEHOLDERS})


def date_id(value: dt.date | dt.datetime | None, *, tz: str = "Asia/Jakarta", with_time: bool = False) -> str:
    """A date the Indonesian way: ``12 Maret 2026`` (``12 Maret 2026 pukul 09.30`` with the time)."""
    if value is None:
        return "-"
    text = date_words(value, tz=tz)
    if with_time and isinstance(value, dt.datetime):
        return f"{text} pukul {local_moment(value, tz):%H.%M}"
    return text


#: The shared cache's key for the templates' generation; a saved or deleted template starts a new one.
_GENERATION_KEY = "notice-templates:generation"
#: How long a cached set of templates lives at most (a change made around the signals, e.g. by a
#: data migration, is seen after this).
TEMPLATE_CACHE_SECONDS = 300
_FIELDS = ("pk", "office_id", "key", "channel", "subject", "body", "active")


def templates_changed(**_kwargs: Any) -> None:
    """Forget every cached template (connected to NoticeTemplate's post_save and post_delete)."""
    cache.set(_GENERATION_KEY, secrets.token_hex(8), None)


def _templates_of(office_id: int | None, key: str) -> dict[tuple[int | None, str], NoticeTemplate]:
    """The office's and the default templates for ``key`` on every channel: one query, then the shared cache."""
    generation = cache.get(_GENERATION_KEY)
    if generation is None:
        generation = secrets.token_hex(8)
        cache.add(_GENERATION_KEY, generation, None)
        generation = cache.get(_GENERATION_KEY, generation)
    cache_key = f"notice-templates:{generation}:{office_id or 0}:{key}"
    rows = cache.get(cache_key)
    if rows is None:
        scope = Q(office__isnull=True) | Q(office_id=office_id) if office_id else Q(office__isnull=True)
        rows = list(NoticeTemplate.objects.filter(scope, key=key).values_list(*_FIELDS))
        cache.set(cache_key, rows, TEMPLATE_CACHE_SECONDS)
    return {(row[1], row[3]): NoticeTemplate(**dict(zip(_FIELDS, row, strict=True))) for row in rows}


def template_for(*, office_id: int | None, key: str, channel: str) -> NoticeTemplate | None:
    """
    The template to use: the office's own, else the default; WhatsApp falls back to SMS.

    None when there is none, or when the one that applies is switched off. Read from the shared
    cache (``_templates_of``); a template saved or deleted is seen at once.
    """
    rows = _templates_of(office_id, key)
    channels = [channel, NoticeChannel.SMS] if channel == NoticeChannel.WHATSAPP else [channel]
    for candidate in channels:
        chosen = rows.get((office_id, candidate)) if (office_id, candidate) in rows else rows.get((None, candidate))
        if chosen is not None:
            return chosen if chosen.active else None
    return None


def default_templates() -> list[dict[str, str]]:
    """The shipped defaults: dicts with key, channel, subject (optional) and body."""
    with DEFAULTS_FILE.open(encoding="utf-8") as handle:
        rows = yaml.safe_load(handle)
    return [
        {"key": r["key"], "channel": r["channel"], "subject": r.get("subject", ""), "body": r["body"].strip()}
        for r in rows
    ]


def default_templates_install(model: Any = NoticeTemplate) -> int:
    """Insert the shipped defaults that are missing (office-wide rows); return how many were added."""
    added = 0
    for row in default_templates():
        _obj, created = model.objects.get_or_create(
            office=None,
            key=row["key"],
            channel=row["channel"],
            defaults={"subject": row["subject"], "body": row["body"]},
        )
        added += created
    return added
