"""
Assemble the draft standard from the components read, and fill what the schema needs.

A clause the document has is transcribed (tags dropped, labels kept, spelling kept). A clause it
lacks is written only where the schema requires one, with ``provenance.from_seed: false``, its
source (the same document's SOP table where it can be derived from it, or "not in the document"),
``verified: false`` where an office must decide, and a line in the report. The operating
configuration the published standard does not hold (application form, numbering, permit terms)
is a minimal default the editor is expected to complete; the report lists it too.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from satupintu.catalogue.importing.clauses import (
    clean,
    complaints_of,
    completion_time_of,
    fee_of,
    list_items,
    normalise,
    parse_clauses,
    requirement_key,
    requirement_of,
    staff_count_of,
)
from satupintu.catalogue.importing.reader import COMPONENT_LABELS, Document, Segment
from satupintu.catalogue.importing.report import ImportReport
from satupintu.catalogue.importing.sop import RoleNames, build_steps

_SMALL_WORDS = {"dan", "di", "ke", "dari", "untuk", "atau", "yang", "pada", "dengan", "bagi", "serta"}
NOT_IN_DOCUMENT = "Tidak ada pada naskah yang diimpor"


def _missing(note: str = "", *, verified: bool = False) -> dict[str, Any]:
    provenance: dict[str, Any] = {"from_seed": False, "source": NOT_IN_DOCUMENT, "verified": verified}
    if note:
        provenance["note"] = note
    return provenance


def title_case(text: str) -> str:
    """``IZIN KERJA RADIOGRAFER`` → ``Izin Kerja Radiografer``; text already in mixed case stays."""
    if text != text.upper():
        return text
    words = []
    for index, word in enumerate(text.lower().split()):
        words.append(word if index and word in _SMALL_WORDS else word[:1].upper() + word[1:])
    return " ".join(words)


def slug(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.lower())) or "layanan"


def initials(text: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Za-z]+", text) if w.lower() not in _SMALL_WORDS).upper()[:12]


def _segment(doc: Document, key: str) -> Segment | None:
    if key in doc.components:
        return doc.components[key]
    return next((s for s in doc.orphans if s.key == key), None)


def _clauses(
    doc: Document, key: str, report: ImportReport, *, placeholder: str
) -> tuple[list[dict[str, Any]], str, Segment | None]:
    segment = _segment(doc, key)
    if segment is None:
        report.fill(key, placeholder, "komponen tidak ada pada naskah")
        return [{"text": placeholder, "provenance": _missing()}], "", None
    head, items = parse_clauses(normalise(segment.text))
    clauses = [i.as_clause() for i in items]
    if not clauses:
        clauses = [{"text": clean(head)}] if clean(head) else [{"text": placeholder, "provenance": _missing()}]
        head = ""
    return clauses, clean(head), segment


def _leftover(report: ImportReport, segment: Segment | None, text: str, where: str) -> None:
    if text and segment is not None:
        report.unplaced(segment.lines[0], text, f"teks pada {where} yang tidak masuk klausul mana pun")


def build_definition(
    doc: Document,
    *,
    filename: str,
    report: ImportReport,
    role_map: dict[str, str | list[str]] | None = None,
    publisher: str = "",
    implied_time: str = "1 hari",
) -> dict[str, Any]:
    """The draft standard as data for ``ServiceStandardSpec``."""
    names = RoleNames(role_map, report)
    report.components_found = [k for k in COMPONENT_LABELS if _segment(doc, k) is not None]
    report.components_missing = [COMPONENT_LABELS[k] for k in COMPONENT_LABELS if _segment(doc, k) is None]
    steps = build_steps(doc.sop_rows, names=names, report=report, implied_time=implied_time) if doc.sop_rows else []
    if not doc.sop_rows:
        report.notes.append("Tabel SOP tidak ditemukan: langkah wajib ditambahkan dan harus dilengkapi.")
        steps = build_steps([], names=names, report=report)

    data: dict[str, Any] = {"schema_version": 1}

    # Product first: the name and the short code may come from it.
    product_segment = _segment(doc, "product")
    if product_segment is not None:
        product: dict[str, Any] = {"name": clean(normalise(product_segment.text))}
    else:
        from_sop = _product_from_sop(steps)
        if from_sop:
            product = {
                "name": from_sop,
                "provenance": {
                    "from_seed": False,
                    "source": "Kegiatan tabel SOP pada naskah yang sama",
                    "verified": True,
                },
            }
            report.fill("product", from_sop, "komponen Produk tidak ada: nama diambil dari kegiatan SOP")
        else:
            product = {"name": "Surat Izin", "provenance": _missing()}
            report.fill("product", "Surat Izin", "komponen Produk tidak ada pada naskah")

    name = title_case(doc.name or doc.title_line)
    if not name:
        name = re.sub(r"^surat\s+", "", product["name"], flags=re.I) or "Layanan"
        report.fill("name", name, "nama layanan tidak tertulis: diambil dari produk")
    data["code"] = slug(name)
    data["name"] = name
    data["short_code"] = initials(product["name"]) or initials(name)
    report.fill("short_code", data["short_code"], "singkatan tidak tertulis pada naskah: huruf awal nama produk")

    complete = not doc.truncated_at_top and not report.components_missing
    source: dict[str, Any] = {
        "title": f"Standar Pelayanan {name}",
        "publisher": title_case(doc.publisher) or _publisher_from(doc) or publisher or "-",
        "document": filename,
        "complete": complete,
    }
    if not complete:
        parts = []
        if doc.truncated_at_top:
            parts.append("naskah terpotong di bagian atas")
        if report.components_missing:
            parts.append("komponen tidak ada: " + ", ".join(report.components_missing))
        source["note"] = "; ".join(parts).capitalize() + "."
    data["source"] = source

    if doc.introduction:
        data["introduction"] = doc.introduction
    else:
        data["introduction"] = ""
        data["introduction_provenance"] = _missing(verified=True)

    # 1. Persyaratan
    segment = _segment(doc, "requirements")
    requirements: list[dict[str, Any]] = []
    if segment is not None:
        head, items, note = list_items(normalise(segment.text))
        taken: set[str] = set()
        for item in items:
            label = clean(item.text)
            if not label:
                continue
            requirement = requirement_of(label)
            requirements.append({"key": requirement_key(label, taken), **requirement})
        if note:
            data["requirements_note"] = clean(note)
        _leftover(report, segment, clean(head), "persyaratan")
    if not requirements:
        requirements = [{"key": "surat_permohonan", "label": "Surat permohonan", "provenance": _missing()}]
        data["requirements_provenance"] = _missing("Daftar persyaratan wajib dilengkapi kantor.")
        report.fill("requirements", "Surat permohonan", "persyaratan tidak ada pada naskah")
    data["requirements"] = requirements

    # 2. Sistem, mekanisme, dan prosedur
    segment = _segment(doc, "procedure")
    if segment is not None and clean(normalise(segment.text)):
        data["procedure"] = clean(normalise(segment.text))
    elif doc.sop_rows:
        data["procedure"] = "Terlampir"
        data["procedure_provenance"] = {
            "from_seed": False,
            "source": "Tabel SOP pada naskah yang sama",
            "verified": True,
        }
        report.fill("procedure", "Terlampir", "komponen Prosedur tidak ada; tabel SOP ada pada naskah")
    else:
        data["procedure"] = "-"
        data["procedure_provenance"] = _missing()
        report.fill("procedure", "-", "komponen Prosedur tidak ada pada naskah")

    # 3. Jangka waktu
    segment = _segment(doc, "completion_time")
    completion = completion_time_of(segment.text) if segment is not None else None
    if completion is None and segment is not None:
        report.unplaced(segment.lines[0], clean(normalise(segment.text)), "jangka waktu tanpa angka dan satuan")
    if completion is None:
        total = completion_time_of(doc.total_time) if doc.total_time else None
        if total is not None:
            completion = {
                "text": total["text"],
                "duration": total["duration"],
                "provenance": {
                    "from_seed": False,
                    "source": "Baris TOTAL tabel SOP pada naskah yang sama",
                    "verified": True,
                },
            }
            report.fill("completion_time", total["text"], "jangka waktu tidak ada: diambil dari baris TOTAL SOP")
        else:
            completion = {"text": "-", "duration": "1 hari", "provenance": _missing("Jangka waktu wajib ditetapkan.")}
            report.fill("completion_time", "1 hari", "jangka waktu tidak ada pada naskah")
    data["completion_time"] = completion

    # 4. Biaya/tarif
    segment = _segment(doc, "fee")
    if segment is not None:
        fee = fee_of(segment.text)
        if fee["amount"] is None:
            report.notes.append(
                "Biaya berupa rumus, pajak atau retribusi menurut peraturan lain: besaran (amount) dibiarkan "
                "kosong; layanan tidak menerima permohonan sampai kantor menetapkannya."
            )
    else:
        fee = {"amount": None, "text": "Tidak tercantum pada naskah; kantor wajib menetapkan", "provenance": _missing()}
        report.fill("fee", "kosong", "biaya tidak ada pada naskah")
    data["fee"] = fee
    data["product"] = product

    # 6. Pengaduan
    segment = _segment(doc, "complaints")
    if segment is not None:
        complaints = complaints_of(segment.text, cut=segment.guessed)
        if segment.guessed:
            # A document cut at the top: the text before the first clause is the tail of a lost one.
            _leftover(report, segment, complaints["intro"], "awal naskah yang terpotong")
            complaints["intro"] = ""
        if not complaints["intro"]:
            complaints["intro_provenance"] = _missing(verified=True)
        if not complaints["channels"]:
            report.notes.append("Saluran pengaduan tidak ditemukan pada naskah: wajib dilengkapi.")
    else:
        complaints = {"intro": "", "intro_provenance": _missing(), "channels": [], "procedure": []}
        report.fill("complaints", "kosong", "komponen Pengaduan tidak ada pada naskah")
    data["complaints"] = complaints

    # 7.–14. Manufacturing
    data["legal_basis"], head, seg = _clauses(doc, "legal_basis", report, placeholder="Dasar hukum wajib dilengkapi")
    _leftover(report, seg, head, "dasar hukum")
    data["facilities"], head, seg = _clauses(doc, "facilities", report, placeholder="Sarana wajib dilengkapi")
    _leftover(report, seg, head, "sarana")
    data["competence"] = _competence(doc, names, report)
    data["internal_supervision"], head, seg = _clauses(
        doc, "internal_supervision", report, placeholder="Pengawasan internal wajib dilengkapi"
    )
    _leftover(report, seg, head, "pengawasan internal")
    segment = _segment(doc, "staff_count")
    if segment is not None:
        data["staff_count"] = staff_count_of(segment.text)
    else:
        data["staff_count"] = {"total": 1, "text": "-", "breakdown": [], "provenance": _missing()}
        report.fill("staff_count", "1", "jumlah pelaksana tidak ada pada naskah")
    data["service_guarantees"], head, seg = _clauses(
        doc, "service_guarantees", report, placeholder="Jaminan pelayanan wajib dilengkapi"
    )
    _leftover(report, seg, head, "jaminan pelayanan")
    data["safety_guarantees"], head, seg = _clauses(
        doc, "safety_guarantees", report, placeholder="Jaminan keamanan wajib dilengkapi"
    )
    _leftover(report, seg, head, "jaminan keamanan")
    segment = _segment(doc, "performance_evaluation")
    if segment is not None:
        head, items = parse_clauses(normalise(segment.text))
        evaluation: dict[str, Any] = {"text": clean(head)}
        if items:
            evaluation["items"] = [i.as_clause() for i in items]
        data["performance_evaluation"] = evaluation
    else:
        data["performance_evaluation"] = {"text": "Evaluasi kinerja wajib dilengkapi", "provenance": _missing()}
        report.fill("performance_evaluation", "-", "komponen Evaluasi kinerja tidak ada pada naskah")

    data["sop"] = {
        "title": doc.sop_title or "STANDAR OPERASIONAL PROSEDUR",
        "total_time": clean(normalise(doc.total_time)) or completion["text"],
        "steps": steps,
    }
    _operating_defaults(data, report)
    return data


def _competence(doc: Document, names: RoleNames, report: ImportReport) -> list[dict[str, Any]]:
    segment = _segment(doc, "competence")
    if segment is None:
        report.fill("competence", "-", "komponen Kompetensi pelaksana tidak ada pada naskah")
        return [{"group": "Pelaksana", "items": [{"text": "Wajib dilengkapi"}], "provenance": _missing()}]
    head, items = parse_clauses(normalise(segment.text))
    _leftover(report, segment, clean(head), "kompetensi pelaksana")
    groups = []
    for item in items:
        group_name = clean(item.text).rstrip(":")
        codes = names.lookup(group_name)
        if codes is None:
            report.role_unmapped(group_name, where="kompetensi pelaksana", used_instead=[])
        entry: dict[str, Any] = {"group": group_name, "roles": codes or []}
        if item.label:
            entry = {"label": item.label, **entry}
        entry["items"] = [i.as_clause() for i in item.items] or [{"text": group_name}]
        groups.append(entry)
    if not groups:
        groups = [{"group": "Pelaksana", "items": [{"text": clean(head) or "-"}]}]
    return groups


def _product_from_sop(steps: list[dict[str, Any]]) -> str:
    found: Counter[str] = Counter()
    for step in steps:
        for match in re.findall(r"\b(Surat Izin(?: [A-Z][\w-]*)+)", step["activity"]):
            found[match] += 1
    return found.most_common(1)[0][0] if found else ""


def _publisher_from(doc: Document) -> str:
    for segment in [*doc.components.values(), *doc.orphans]:
        match = re.search(r"\b(Dinas Penanaman Modal [^,.:;<]*?(?:Kota|Kabupaten) [A-Z]\w+)", segment.text)
        if match:
            return " ".join(match.group(1).split())
    return ""


def _operating_defaults(data: dict[str, Any], report: ImportReport) -> None:
    fields: list[dict[str, Any]] = [
        {"key": "nama_lengkap", "label": "Nama lengkap", "purpose": "applicant_name"},
        {"key": "nik", "label": "NIK", "type": "nik", "purpose": "applicant_nik", "personal": True},
        {
            "key": "alamat",
            "label": "Alamat",
            "type": "textarea",
            "purpose": "applicant_address",
            "personal": True,
        },
        {"key": "no_hp", "label": "Nomor HP", "type": "phone", "purpose": "applicant_phone", "personal": True},
        {
            "key": "surel",
            "label": "Surel (e-mail)",
            "type": "email",
            "purpose": "applicant_email",
            "required": False,
            "personal": True,
        },
    ]
    sections: list[dict[str, Any]] = [{"title": "Identitas pemohon", "fields": fields}]
    if any(r.get("renewal_only") for r in data["requirements"]):
        sections.append(
            {
                "title": "Perpanjangan",
                "fields": [
                    {"key": "nomor_izin_lama", "label": "Nomor surat izin yang diperpanjang", "renewal_only": True}
                ],
            }
        )
    data["application_form"] = sections
    data["numbering"] = {"format": "500.16.7.2/{seq:04d}/" + (data["short_code"] or "IZIN") + "/{office_code}/{year}"}
    permit: dict[str, Any] = {
        "title": data["product"]["name"].upper(),
        "validity": "years",
        "years": 5,
        "provenance": {
            "from_seed": False,
            "source": "Bawaan pengimpor",
            "verified": False,
            "note": "Masa berlaku tidak tercantum pada naskah Standar Pelayanan: tetapkan sebelum dipakai.",
        },
    }
    photo = next(
        (
            r["key"]
            for r in data["requirements"]
            if re.search(r"pas\s*foto", r["label"], re.I) and not r.get("photocopy")
        ),
        "",
    )
    if photo:
        permit["photo_requirement"] = photo
    data["permit"] = permit
    report.fill("application_form", "identitas pemohon", "formulir bawaan: tambahkan isian yang diperlukan surat izin")
    report.fill("numbering", data["numbering"]["format"], "format nomor bawaan")
    report.fill("permit", "5 tahun (belum diverifikasi)", "masa berlaku tidak tercantum pada naskah")
