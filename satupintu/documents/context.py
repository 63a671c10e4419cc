"""
The data each document template receives (as JSON, ``data()`` in Typst).

Built from the office, the service standard and the application only: no service has code of
its own. The permit's identity block lists the application form's fields in form order — the
standard decides what the letter says — leaving out contact data (phone, e-mail) and merging the
STR's validity fields that ``PermitTerms`` names into one row ("seumur hidup" where it is
lifelong). Where the standard names a ``photo_requirement`` the letter carries the holder's photo
(3x4) beside the signature: the active upload when it is a JPEG or PNG, else an empty box
labelled "Pas foto 3x4" where the officer affixes the printed photo.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from satupintu.accounts.roles import Role
from satupintu.applications.models import Application, Document, Permit
from satupintu.applications.selectors import card_view, personal_value, signature_entry
from satupintu.applications.services import spec_for
from satupintu.applications.uploads import image_within_limits
from satupintu.applications.workflow import back_step, kind
from satupintu.catalogue.schema import Clause, FormField, ServiceStandardSpec
from satupintu.catalogue.step_kinds import outcome_label
from satupintu.control_card.models import ControlCardEntry
from satupintu.core.dates import date_words, local_moment
from satupintu.core.models import Office
from satupintu.documents.models import LetterSettings
from satupintu.workdays import WorkingDuration

#: Form data that is contact information, not the holder's identity: never printed on a letter.
CONTACT_PURPOSES = frozenset({"applicant_phone", "applicant_email"})
DRAFT_LABEL = "KONSEP"
PHOTO_LABEL = "Pas foto 3x4"
#: Uploads printed as the holder's photo, with the file name they get in the Typst root.
PHOTO_FILES = {"image/jpeg": "pas-foto.jpg", "image/png": "pas-foto.png"}
#: The largest photo read for the letter (the upload limit is 5 MB); a larger one prints the empty box.
PHOTO_MAX_BYTES = 5 * 1024 * 1024


def tanggal(value: dt.date | dt.datetime | None, *, tz: str = "Asia/Jakarta", with_time: bool = False) -> str:
    """A date as an Indonesian letter writes it: ``12 Maret 2026`` (``12 Maret 2026 09.30 WIB``)."""
    if value is None:
        return ""
    text = date_words(value, tz=tz)
    if with_time and isinstance(value, dt.datetime):
        zone = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}.get(tz, tz)
        text += f" {local_moment(value, tz):%H.%M} {zone}"
    return text


def format_nip(nip: str) -> str:
    """``197001011995031001`` → ``19700101 199503 1 001`` (DOMAIN, People and numbers)."""
    digits = re.sub(r"\D", "", nip or "")
    if len(digits) != 18:
        return nip or ""
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"


def letter_settings(office: Office) -> LetterSettings:
    found = LetterSettings.objects.filter(office=office).first()
    return found or LetterSettings(office=office)


def public_url(office: Office) -> str:
    base = (
        letter_settings(office).public_url or getattr(settings, "SATUPINTU_PUBLIC_URL", "") or "http://127.0.0.1:8000"
    )
    return base.rstrip("/")


def verification_url(permit: Permit) -> str:
    """The absolute address of the permit's public verification page (what the QR encodes)."""
    return f"{public_url(permit.office)}/verifikasi/{permit.verification_code}/"


def office_block(office: Office) -> dict[str, Any]:
    lines = [str(line) for line in office.letterhead_lines or []]
    if not lines:
        contacts = " · ".join(
            part
            for part in (
                f"Telepon {office.phone}" if office.phone else "",
                f"Faks {office.fax}" if office.fax else "",
                f"Laman {office.website}" if office.website else "",
                f"Surel {office.email}" if office.email else "",
            )
            if part
        )
        address = ", ".join(p for p in (office.address, office.postal_code) if p)
        lines = [f"Pemerintah {office.region}", office.name, address] + ([contacts] if contacts else [])
    return {"name": office.name, "region": office.region, "letterhead": lines, "address": office.address}


def _base(office: Office, *, title: str, draft: bool = False) -> dict[str, Any]:
    # The emblem is added by the renderer (rendering.render_pdf), which has the office's file.
    return {
        "document_title": title,
        "draft": draft,
        "draft_label": DRAFT_LABEL,
        "office": office_block(office),
    }


_TRAILING = re.compile(r"[\s;,.:]+$")


def _clause_texts(clauses: list[Clause]) -> list[str]:
    """
    The clauses as the items of one list: each ends with ``;``, the last with ``.``.

    The standard's own punctuation is dropped first: its texts end as their authors typed them
    ("… Satu Pintu;."), and the list decides how an item ends.
    """
    texts = []
    for clause in clauses:
        text = _TRAILING.sub("", clause.text.strip())
        if clause.items:
            text += " " + "; ".join(_TRAILING.sub("", item.text.strip()) for item in clause.items)
        if text:
            texts.append(text)
    return [text + (";" if i < len(texts) - 1 else ".") for i, text in enumerate(texts)]


def _label(field: FormField) -> str:
    # "Nama lengkap (dengan gelar)" → "Nama lengkap": the hint in brackets is for the form.
    return re.sub(r"\s*\([^)]*\)\s*$", "", field.label).strip()


def _value(field: FormField, value: Any) -> str:
    if value in (None, ""):
        return ""
    if field.type == "checkbox":
        return "Ya" if value else ""
    if field.type == "date":
        try:
            return tanggal(dt.date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    return str(value)


def identity_rows(
    spec: ServiceStandardSpec, application: Application, *, may_see_personal: bool = True
) -> list[list[str]]:
    """
    The holder's identity block, generically from the standard's application form; for a reader
    who may not see personal data, through the one masking rule (``selectors.personal_value``).
    """
    terms = spec.permit
    rows: list[list[str]] = []
    for field in spec.form_fields():
        if field.purpose in CONTACT_PURPOSES or field.key == terms.str_lifetime_field:
            continue
        if field.renewal_only and not application.renewal:
            continue
        if field.key == terms.str_valid_until_field:
            lifetime = bool(terms.str_lifetime_field and application.data.get(terms.str_lifetime_field))
            value = "Seumur hidup" if lifetime else _value(field, application.data.get(field.key))
        else:
            value = _value(field, application.data.get(field.key))
        if value and not may_see_personal:
            shown = personal_value(field, application.data.get(field.key), may_see=False)
            value = "(disamarkan)" if shown is None else value if shown == application.data.get(field.key) else shown
        if value:
            rows.append([_label(field), value])
    return rows


def public_facts(spec: ServiceStandardSpec, application: Application) -> list[list[str]]:
    """
    The facts the public verification page may show besides name, validity and number: the
    form fields the standard does not mark personal (place of work, registration numbers), never
    NIK, birth data, address or contacts.
    """
    return [
        row
        for row, field in _rows_with_fields(spec, application)
        if not field.personal and field.purpose is None and not field.renewal_only
    ]


def _rows_with_fields(spec: ServiceStandardSpec, application: Application) -> list[tuple[list[str], FormField]]:
    by_label = {_label(f): f for f in spec.form_fields()}
    return [(row, by_label[row[0]]) for row in identity_rows(spec, application) if row[0] in by_label]


def validity_text(spec: ServiceStandardSpec, permit: Permit) -> str:
    if permit.valid_until is not None:
        return f"sampai dengan tanggal {tanggal(permit.valid_until)}"
    if spec.permit.validity == "follows_str":
        return "selama Surat Tanda Registrasi (STR) pemegang izin masih berlaku (STR berlaku seumur hidup)"
    return "tanpa batas waktu selama pemegang izin memenuhi ketentuan peraturan perundang-undangan"


def validity_short(permit: Permit) -> str:
    return tanggal(permit.valid_until) if permit.valid_until else "Seumur hidup / tanpa batas waktu"


@dataclass(frozen=True)
class HolderPhoto:
    """The holder's photo for the letter: its file name in the Typst root and its bytes."""

    name: str
    content: bytes


def holder_photo(application: Application) -> HolderPhoto | None:
    """
    The active upload of the standard's ``photo_requirement`` when it is a JPEG or PNG of at most
    ``PHOTO_MAX_BYTES`` whose header declares no more pixels than the upload limit; None otherwise
    (no photo requirement, no upload, a PDF, an unreadable file, a pixel bomb).
    """
    key = spec_for(application).permit.photo_requirement
    if not key:
        return None
    document = (
        Document.objects.filter(application=application, requirement_key=key, active=True)
        .order_by("-uploaded_at")
        .first()
    )
    if document is None or document.content_type not in PHOTO_FILES or document.size > PHOTO_MAX_BYTES:
        return None
    try:
        with document.file.open("rb") as handle:
            content = handle.read(PHOTO_MAX_BYTES + 1)
    except OSError:
        return None
    if not content or len(content) > PHOTO_MAX_BYTES:
        return None
    if not image_within_limits(content):
        # Stored before uploads were decoded and re-encoded: its header may declare gigapixels.
        return None
    return HolderPhoto(name=PHOTO_FILES[document.content_type], content=content)


@dataclass(frozen=True)
class SignatureBlock:
    """Who signs and in which capacity: the Kepala Dinas, or a Plh acting for them."""

    title_lines: list[str]
    name: str
    rank: str
    nip: str
    acting: bool
    acting_for_name: str = ""
    signer_name: str = ""


def sign_entry(application: Application) -> ControlCardEntry | None:
    """The card entry of the approving signature (the latest outcome that records a signature)."""
    return signature_entry(application)


def certificate_name(office: Office) -> str:
    """
    The signer's name as the office's signing certificate names them (its subject CN), or empty
    when no certificate is readable here (none installed yet, or BSrE holds it). Reading never
    makes a development certificate: that happens at the first signature.
    """
    from satupintu.documents.signing import SigningError, office_pkcs12_path, signer_for, signing_settings

    if signing_settings()["BACKEND"] == "local" and not office_pkcs12_path(office).exists():
        return ""
    try:
        signer = signer_for(office)
    except (SigningError, OSError, ValueError):
        return ""
    named = getattr(signer, "subject_name", "")
    if named:
        return str(named)
    cert = getattr(getattr(signer, "signer", None), "signing_cert", None)
    if cert is None:
        return ""
    return str(cert.subject.native.get("common_name", "") or "")


def signature_block(
    office: Office, entry: ControlCardEntry | None, *, certificate: str | None = None
) -> SignatureBlock:
    """
    The signature block from the sign step's card entry: "Plh." where an acting official signed.

    The head's name is printed as the signing certificate names them (``certificate``, looked up
    when not given), so the letter and its signature agree; without a readable certificate, the
    office's configured head, else the signer's account name.
    """
    letter = letter_settings(office)
    title = (letter.head_title or f"Kepala {office.name}").upper()
    lines = [f"a.n. {letter.on_behalf_of.upper()}"] if letter.on_behalf_of else []
    actor = entry.actor if entry is not None else None
    acting = bool(entry is not None and entry.acting_for_id)
    if acting and actor is not None:
        lines.append(f"Plh. {title},")
        return SignatureBlock(
            title_lines=lines,
            name=actor.display_name,
            rank=getattr(actor, "rank", ""),
            nip=format_nip(getattr(actor, "nip", "")),
            acting=True,
            acting_for_name=entry.acting_for_name if entry else "",
            signer_name=actor.display_name,
        )
    lines.append(f"{title},")
    named = certificate_name(office) if certificate is None else certificate
    # The office's head as configured is whom the office's certificate is made out to.
    name = (
        named
        or office.head_name
        or (getattr(actor, "full_name", "") if actor else "")
        or (actor.display_name if actor else "")
    )
    rank = (getattr(actor, "rank", "") if actor else "") or office.head_rank
    nip = (getattr(actor, "nip", "") if actor else "") or office.head_nip
    return SignatureBlock(title_lines=lines, name=name, rank=rank, nip=format_nip(nip), acting=False, signer_name=name)


def _place(office: Office) -> str:
    """Where letters are made: the configured place, else the region's name ("Kota Pekanbaru" → "Pekanbaru")."""
    return letter_settings(office).place or office.region.removeprefix("Kota ").removeprefix("Kabupaten ")


def _tembusan(office: Office, service_code: str) -> list[str]:
    configured = letter_settings(office).tembusan
    if isinstance(configured, dict):
        items = configured.get(service_code) or configured.get("") or []
    else:
        items = configured or []
    return [str(i) for i in items] or ["Yang bersangkutan;", "Arsip."]


def permit_context(
    application: Application,
    permit: Permit | None,
    *,
    draft: bool,
    qr_svg: str = "",
    issuer_text: str = "",
    entry: ControlCardEntry | None = None,
    photo_file: str = "",
    may_see_personal: bool = True,
) -> dict[str, Any]:
    """
    The permit letter's data; a draft has no number, no QR and a KONSEP watermark.

    ``photo_file``: the holder's photo's name in the compile root (``holder_photo``), or empty for
    the empty 3x4 box; no photo slot at all where the standard names no ``photo_requirement``.
    """
    office = application.office
    spec = spec_for(application)
    letter_settings(office)
    tz = office.time_zone
    issued = permit.issued_at if permit is not None else timezone.now()
    block = signature_block(office, entry if entry is not None else sign_entry(application))
    data = _base(office, title=spec.permit.title, draft=draft)
    data.update(
        {
            "title": spec.permit.title,
            "number": permit.number if permit is not None and not draft else "",
            "considerations": _clause_texts(spec.legal_basis),
            "identity": identity_rows(spec, application, may_see_personal=may_see_personal),
            "service_name": spec.name,
            "product_name": spec.product.name,
            "grant_text": (
                f"sebagai bukti tertulis pemberian {spec.product.name} kepada yang bersangkutan untuk menjalankan "
                "pekerjaan/praktik pada tempat sebagaimana tersebut di atas."
            ),
            "validity_text": validity_text(spec, permit)
            if permit is not None
            else "sesuai ketentuan masa berlaku layanan ini",
            "signature": {
                "place": _place(office),
                "date": tanggal(issued, tz=tz) if not draft else "",
                "title_lines": block.title_lines,
                "name": block.name,
                "rank": block.rank,
                "nip": block.nip,
                "note": "Ditandatangani secara elektronik",
            },
            "tembusan": _tembusan(office, spec.code),
            "photo": {"file": f"/{photo_file}" if photo_file else "", "label": PHOTO_LABEL}
            if spec.permit.photo_requirement
            else None,
            "qr_svg": "" if draft else qr_svg,
            "verify_url": verification_url(permit) if permit is not None and not draft else "",
            "esign_note": (
                "Dokumen ini ditandatangani secara elektronik menggunakan sertifikat elektronik yang diterbitkan "
                f"oleh {issuer_text}."
                if issuer_text
                else ""
            ),
        }
    )
    return data


# --- the other documents -------------------------------------------------------------------------


def receipt_context(application: Application, *, documents: list[Any]) -> dict[str, Any]:
    """Tanda terima: registration number, tracking code, what was handed in, the target date."""
    office = application.office
    spec = spec_for(application)
    tz = office.time_zone
    present = {d.requirement_key for d in documents}
    data = _base(office, title="Tanda Terima Berkas")
    data.update(
        {
            "title": "TANDA TERIMA BERKAS PERMOHONAN",
            "number": application.number,
            "facts": [
                ["Nomor registrasi", application.number],
                ["Kode pelacakan", application.tracking_code],
                ["Layanan", spec.name],
                ["Nama pemohon", application.applicant_name],
                ["Diajukan", tanggal(application.submitted_at, tz=tz, with_time=True) or "Belum diajukan"],
                ["Jalur", application.get_channel_display()],
                ["Jangka waktu penyelesaian", spec.completion_time.text],
                ["Biaya", spec.fee.text],
            ]
            + ([["Target selesai", tanggal(application.due_at, tz=tz, with_time=True)]] if application.due_at else []),
            "requirements": [
                [r.label, "Ada" if r.key in present else "Belum ada"]
                for r in spec.requirements_for(renewal=application.renewal)
            ],
            "track_url": f"{public_url(office)}/lacak/?nomor={application.number}",
            "fee": spec.fee.text,
            "place_date": tanggal(application.submitted_at or timezone.now(), tz=tz),
        }
    )
    return data


def _duration(seconds: int | None) -> str:
    if seconds is None:
        return ""
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} menit"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} jam {minutes} menit" if minutes else f"{hours} jam"


def standard_text(time_standard: str) -> str:
    """A step's time standard with its number: ``35 menit``, ``1 hari kerja`` (as written when unreadable)."""
    try:
        return str(WorkingDuration.parse(time_standard))
    except ValueError:
        return time_standard


def _role_label(role: str) -> str:
    return str(Role(role).label) if role in Role.values else role


def card_context(application: Application) -> dict[str, Any]:
    """
    The printable kartu kendali, as the card page has it: one row per completed step (paraf,
    times, the outcome, working time against the standard, and in "Ket." whether it was on time,
    late or the applicant's time, with the officer's note), the step the file is at now, where
    the delays were, and the chain's head.
    """
    office = application.office
    spec = spec_for(application)
    tz = office.time_zone
    view = card_view(application)
    rows = []
    for entry in view.entries:
        actor = entry.actor_name + (f" (Plh. untuk {entry.acting_for_name})" if entry.acting_for_name else "")
        late = entry.late and entry.office_time
        remark = "TERLAMBAT" if late else ("Tepat waktu" if entry.office_time else "Waktu pemohon")
        rows.append(
            [
                str(entry.seq),
                entry.step_label,
                entry.activity.splitlines()[0] if entry.activity else "",
                _role_label(entry.role),
                tanggal(entry.received_at, tz=tz, with_time=True),
                tanggal(entry.completed_at, tz=tz, with_time=True),
                actor,
                outcome_label(entry.step_kind, entry.outcome),
                f"{_duration(entry.worked_seconds)} / standar {standard_text(entry.time_standard)}"
                if entry.time_standard
                else _duration(entry.worked_seconds),
                remark + (f" — {entry.note}" if entry.note else ""),
            ]
        )
    open_step = None
    if view.open_step is not None:
        step = view.open_step
        open_step = {
            "label": step.label or str(step.number),
            "activity": step.activity.splitlines()[0] if step.activity else "",
            "role": _role_label(application.current_role) if application.current_role else "",
            "received": tanggal(view.open_received_at, tz=tz, with_time=True),
            "due": tanggal(view.open_due_at, tz=tz, with_time=True),
        }
    delays = [f"langkah {e.step_label} ({_role_label(e.role)})" for e in view.delays]
    data = _base(office, title="Kartu Kendali")
    data.update(
        {
            "title": "KARTU KENDALI PELAYANAN",
            "number": application.number,
            "facts": [
                ["Jenis pelayanan", spec.name],
                ["Nomor registrasi", application.number],
                ["Nama pemohon", application.applicant_name],
                ["Tanggal pengajuan", tanggal(application.submitted_at, tz=tz, with_time=True) or "—"],
                ["Status", application.get_status_display()],
                [
                    "Target selesai",
                    tanggal(application.due_at, tz=tz, with_time=True) or "Belum dihitung (berkas belum lengkap)",
                ],
            ],
            "rows": rows,
            "open_step": open_step,
            "delays": "; ".join(delays) if delays else "Tidak ada keterlambatan",
            "chain_head": application.card_head_hash[:16],
            "printed": tanggal(timezone.now(), tz=tz, with_time=True),
        }
    )
    return data


def letter_context(
    application: Application,
    *,
    kind: str,
    subject: str,
    paragraphs: list[str],
    items: list[str] | None = None,
    at: dt.datetime | None = None,
    address: str = "",
) -> dict[str, Any]:
    """A Tata Naskah Dinas letter to the applicant (refusal, return, notice)."""
    office = application.office
    letter_settings(office)
    block = signature_block(office, None)
    data = _base(office, title=subject)
    data.update(
        {
            "kind": kind,
            "place_date": f"{_place(office)}, {tanggal(at or timezone.now(), tz=office.time_zone)}",
            "number": "",
            "sifat": "Biasa",
            "lampiran": "-",
            "subject": subject,
            "addressee": [f"Yth. Sdr./Sdri. {application.applicant_name}"]
            + [line for line in (address or application.applicant_address or "").splitlines() if line.strip()],
            "paragraphs": paragraphs,
            "items": items or [],
            "signature": {
                "place": "",
                "date": "",
                "title_lines": block.title_lines,
                "name": block.name,
                "rank": block.rank,
                "nip": block.nip,
            },
            "reference": [["Nomor registrasi", application.number], ["Layanan", spec_for(application).name]],
        }
    )
    return data


def standard_context(spec: ServiceStandardSpec, office: Office) -> dict[str, Any]:
    """The Standar Pelayanan as a document: the 14 components from the service's definition."""
    delivery = [
        [
            "Persyaratan",
            [r.label for r in spec.requirements] + ([spec.requirements_note] if spec.requirements_note else []),
        ],
        # The steps carry their own SOP labels (1, 2, 2a, …): listed as they are, not numbered again.
        ["Sistem, mekanisme, dan prosedur", [f"{s.label or s.number}. {s.activity}" for s in spec.sop.steps], True],
        ["Jangka waktu penyelesaian", [spec.completion_time.text]],
        ["Biaya/tarif", [spec.fee.text]],
        ["Produk pelayanan", [spec.product.name]],
        [
            "Penanganan pengaduan, saran, dan masukan",
            # An imported flat list of media gives a channel whose text starts with its label: say it once.
            [spec.complaints.intro]
            + [c.text if c.text.startswith(c.label) else f"{c.label}: {c.text}" for c in spec.complaints.channels],
        ],
    ]
    manufacturing = [
        ["Dasar hukum", _clause_texts(spec.legal_basis)],
        ["Sarana dan prasarana, dan/atau fasilitas", _clause_texts(spec.facilities)],
        ["Kompetensi pelaksana", [f"{c.group}: " + " ".join(_clause_texts(c.items)) for c in spec.competence]],
        ["Pengawasan internal", _clause_texts(spec.internal_supervision)],
        ["Jumlah pelaksana", [spec.staff_count.text, *spec.staff_count.breakdown]],
        ["Jaminan pelayanan", _clause_texts(spec.service_guarantees)],
        ["Jaminan keamanan dan keselamatan pelayanan", _clause_texts(spec.safety_guarantees)],
        ["Evaluasi kinerja pelaksana", _clause_texts([spec.performance_evaluation])],
    ]
    data = _base(office, title=f"Standar Pelayanan {spec.name}")
    data.update(
        {
            "title": f"STANDAR PELAYANAN {spec.name.upper()}",
            "delivery": delivery,
            "manufacturing": manufacturing,
        }
    )
    return data


def sop_context(spec: ServiceStandardSpec, office: Office) -> dict[str, Any]:
    """The SOP as a flow chart (PermenPANRB 35/2012): one lane per role, a symbol per step."""
    lanes: list[str] = []
    for step in spec.sop.steps:
        for role in step.roles[:1]:
            if role not in lanes:
                lanes.append(role)
    steps = []
    for step in spec.sop.steps:
        rows = [kind(step).outcome(o) for o in step.outcomes]
        decision = any(r.leads != "next" and r.warning for r in rows)
        shape = "capsule" if step.number in (1, len(spec.sop.steps)) else "diamond" if decision else "box"
        back = next((str(target.number) for r in rows if (target := back_step(spec, step, r)) is not None), "")
        steps.append(
            {
                "number": step.number,
                "label": step.label or str(step.number),
                "activity": step.activity.replace("\n", " "),
                "lane": lanes.index(step.roles[0]),
                "shape": shape,
                "inputs": step.inputs,
                "time": step.time,
                "output": step.output,
                "back_to": back,
                "rejects": any(r.leads == "end" and r.warning for r in rows),
            }
        )
    data = _base(office, title=f"SOP {spec.name}")
    data.update(
        {
            "title": f"STANDAR OPERASIONAL PROSEDUR {spec.name.upper()}",
            "lanes": [str(Role(r).label) if r in Role.values else r for r in lanes],
            "steps": steps,
            "total_time": spec.sop.total_time,
        }
    )
    return data


def bap_context(application: Application) -> dict[str, Any]:
    """The Berita Acara Pemeriksaan from the BAP the Tim Teknis recorded at the inspection step."""
    office = application.office
    spec = spec_for(application)
    bap = application.bap or {}
    try:
        day = dt.date.fromisoformat(str(bap.get("date", "")))
    except ValueError:
        day = None
    team = [str(m.get("name", m)) if isinstance(m, dict) else str(m) for m in bap.get("team", [])]
    data = _base(office, title="Berita Acara Pemeriksaan")
    data.update(
        {
            "title": "BERITA ACARA PEMERIKSAAN",
            "number": "",
            "opening": (
                f"Pada tanggal {tanggal(day)} Tim Teknis {office.name} telah melakukan pemeriksaan atas "
                f"permohonan {spec.name} dengan keterangan sebagai berikut:"
                if day
                else f"Tim Teknis {office.name} telah melakukan pemeriksaan atas permohonan {spec.name}:"
            ),
            "facts": [
                ["Nomor registrasi", application.number],
                ["Layanan", spec.name],
                ["Nama pemohon", application.applicant_name],
            ]
            + [row for row in public_facts(spec, application)],
            "team": team or ["-"],
            "findings": str(bap.get("findings", "")) or "-",
            "recommendation": str(bap.get("recommendation", "")) or "-",
            "closing": (
                "Demikian Berita Acara Pemeriksaan ini dibuat dengan sebenarnya untuk dipergunakan "
                "sebagaimana mestinya."
            ),
            "place_date": f"{_place(office)}, {tanggal(day)}" if day else _place(office),
        }
    )
    return data


# --- reports -------------------------------------------------------------------------------------


def report_base(office: Office, *, title: str) -> dict[str, Any]:
    """What every report's template reads besides its own figures: the office and its kop."""
    return _base(office, title=title)


def approval(
    *,
    heading: str,
    title_lines: list[str],
    user: Any = None,
    name: str = "",
    nip: str = "",
    at: dt.datetime | None = None,
    mark: str = "",
    tz: str = "Asia/Jakarta",
) -> dict[str, Any]:
    """
    One approval block of a report (``approvals`` in ``naskah.typ``): who approves or receives it
    and, once they have, the record of it (``mark``) and its date; blank lines to sign otherwise.
    """
    return {
        "heading": heading,
        "title_lines": title_lines,
        "name": name or (getattr(user, "display_name", "") if user is not None else ""),
        "nip": format_nip(nip or (getattr(user, "nip", "") if user is not None else "")),
        "date": tanggal(at, tz=tz) if at else "",
        "mark": mark,
    }


def head_approval(office: Office, *, heading: str, at: dt.datetime | None = None, mark: str = "") -> dict[str, Any]:
    """The Kepala Dinas's block of a report, named as on the office's letters (``signature_block``)."""
    block = signature_block(office, None)
    return approval(
        heading=heading,
        title_lines=[line.rstrip(",") for line in block.title_lines if not line.startswith("a.n.")],
        name=block.name,
        nip=block.nip,
        at=at,
        mark=mark,
        tz=office.time_zone,
    )


def place_date(office: Office, at: dt.datetime | dt.date | None) -> str:
    """``Pekanbaru, 12 Maret 2026`` (the office's place; today when ``at`` is None)."""
    return f"{_place(office)}, {tanggal(at or timezone.now(), tz=office.time_zone)}"
