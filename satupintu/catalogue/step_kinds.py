"""
What each SOP step kind means: the one table the engine and every interface read (DESIGN §4,
docs/adr/0007-one-table-of-step-kinds.md).

A standard names the kind of each step and the outcomes it allows; this module says, per kind,
the status a file has while it waits there, whether its time counts against the office, whether
it takes the permit number, the applicant's word for the stage, and per outcome its label (how
the card records it), its button, where it leads, the clock change, whether a note is needed and
for whom, who records it, whether the page asks for a confirmation, what data it records and
which lifecycle event it raises. A new kind (``payment``) is a new row here and nothing else.

The small parsers at the bottom check the data an outcome records (the completeness checklist,
the BAP, the draft's changes, the handover record, the applicant's answers to a return); they
take plain values so the table stays free of the database: the engine (``applications.services``)
gathers what they need.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

Leads = Literal["next", "end", "back_to_submit", "back_to_draft"]
ClockChange = Literal["start", "pause", "resume"] | None
Note = Literal["required", "optional", "when_unchanged"]
#: ``system``: recorded by the office's own machinery (the payment gateway's callback, the daily scan)
#: as well as by an officer holding the step's role.
Recorder = Literal["officer", "applicant", "either", "system"]
Records = Literal["checklist", "bap", "draft", "handover", "responses", "signature", "payment"] | None
#: Events the engine raises (``applications.events``), named here so an outcome can say which.
Event = Literal["submitted", "returned", "accepted", "rejected", "signed", "collected", "unpaid"] | None


@dataclass(frozen=True)
class Outcome:
    """One outcome a step kind allows."""

    code: str
    label: Any
    button: Any
    leads: Leads = "next"
    end_status: str = ""
    clock: ClockChange = None
    note: Note = "optional"
    #: The note is addressed to the applicant (a return, a refusal), not internal (a paraf's "revise").
    note_for_applicant: bool = False
    recorded_by: Recorder = "officer"
    confirm: Any = ""
    records: Records = None
    event: Event = None
    #: The button looks like a warning: it sends the file back or ends it unfavourably.
    warning: bool = False

    @property
    def ends(self) -> bool:
        return self.leads == "end"


@dataclass(frozen=True)
class StepKind:
    """One kind of SOP step."""

    code: str
    label: Any
    #: The application's status while it waits at a step of this kind.
    waiting_status: str
    #: Whether time at this step counts against the office (not while the file is with the applicant).
    office_time: bool
    #: The applicant's and the public's word for the stage ("Diperiksa tim teknis").
    stage: Any
    outcomes: tuple[Outcome, ...]
    #: Completing this kind with an outcome that leads on takes the permit number (once per file).
    takes_number: bool = False
    #: What the officer is asked to do here (shown above the outcome buttons).
    officer_hint: Any = ""
    #: Where an SOP must have a step of this kind: "first" (handing in), "last" (the product reaches the
    #: applicant), "somewhere" (the completeness check that starts the clock), or "" (optional).
    place: Literal["first", "last", "somewhere", ""] = ""
    #: The clock change when a file arrives at a step of this kind: ``pause`` stops the service
    #: clock while it waits (the bill unpaid), unless the standard counts that time
    #: (``fee.payment_time_counted``).
    clock_on_entry: ClockChange = None

    def outcome(self, code: str) -> Outcome:
        for outcome in self.outcomes:
            if outcome.code == code:
                return outcome
        raise KeyError(code)

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(o.code for o in self.outcomes)


_REJECT_CONFIRM = gettext_lazy("Tolak permohonan ini? Pemohon menerima surat penolakan dengan alasan yang Anda tulis.")

KINDS: dict[str, StepKind] = {
    k.code: k
    for k in (
        StepKind(
            code="submit",
            label=gettext_lazy("Pengajuan berkas"),
            waiting_status="returned",
            office_time=False,
            stage=gettext_lazy("Menunggu Anda melengkapi dan mengajukan kembali berkas"),
            officer_hint=gettext_lazy("Unggah pindaian berkas persyaratan, lalu ajukan."),
            place="first",
            outcomes=(
                Outcome(
                    "submitted",
                    gettext_lazy("Diajukan"),
                    gettext_lazy("Ajukan berkas"),
                    clock="resume",
                    note_for_applicant=True,
                    recorded_by="either",
                    records="responses",
                    event="submitted",
                ),
            ),
        ),
        StepKind(
            code="completeness_check",
            label=gettext_lazy("Pemeriksaan kelengkapan berkas"),
            waiting_status="submitted",
            office_time=True,
            stage=gettext_lazy("Berkas Anda sedang diperiksa kelengkapannya oleh petugas loket"),
            officer_hint=gettext_lazy(
                "Nilai setiap persyaratan: sesuai atau tidak sesuai. Untuk yang tidak "
                "sesuai, tuliskan alasannya: pemohon membaca alasan ini."
            ),
            place="somewhere",
            outcomes=(
                Outcome(
                    "complete",
                    gettext_lazy("Lengkap"),
                    gettext_lazy("Berkas lengkap — terima"),
                    clock="start",
                    records="checklist",
                    event="accepted",
                ),
                Outcome(
                    "incomplete",
                    gettext_lazy("Tidak lengkap — dikembalikan"),
                    gettext_lazy("Tidak lengkap — kembalikan ke pemohon"),
                    leads="back_to_submit",
                    clock="pause",
                    note_for_applicant=True,
                    records="checklist",
                    event="returned",
                    warning=True,
                ),
                Outcome(
                    "reject",
                    gettext_lazy("Ditolak"),
                    gettext_lazy("Tolak permohonan"),
                    leads="end",
                    end_status="rejected",
                    note="required",
                    note_for_applicant=True,
                    confirm=_REJECT_CONFIRM,
                    event="rejected",
                    warning=True,
                ),
            ),
        ),
        StepKind(
            code="inspection",
            label=gettext_lazy("Pemeriksaan tim teknis (BAP)"),
            waiting_status="in_process",
            office_time=True,
            stage=gettext_lazy("Diperiksa tim teknis"),
            officer_hint=gettext_lazy(
                "Isi Berita Acara Pemeriksaan: tanggal, tim, hasil dan rekomendasi. Untuk "
                "menolak, isi BAP dan tuliskan alasannya pada catatan."
            ),
            outcomes=(
                Outcome(
                    "recommend",
                    gettext_lazy("Direkomendasikan (BAP)"),
                    gettext_lazy("Simpan BAP dan rekomendasikan"),
                    records="bap",
                ),
                Outcome(
                    "reject",
                    gettext_lazy("Ditolak (BAP)"),
                    gettext_lazy("Simpan BAP dan tolak permohonan"),
                    leads="end",
                    end_status="rejected",
                    note="required",
                    note_for_applicant=True,
                    confirm=_REJECT_CONFIRM,
                    records="bap",
                    event="rejected",
                    warning=True,
                ),
            ),
        ),
        StepKind(
            code="draft",
            label=gettext_lazy("Penyusunan konsep surat izin"),
            waiting_status="in_process",
            office_time=True,
            stage=gettext_lazy("Surat izin sedang disiapkan"),
            officer_hint=gettext_lazy(
                "Siapkan konsep surat izin dari data permohonan (dan BAP). Perbaiki "
                "data yang dicetak bila perlu; setiap perubahan dicatat."
            ),
            outcomes=(
                Outcome(
                    "drafted",
                    gettext_lazy("Konsep dibuat"),
                    gettext_lazy("Konsep surat izin selesai"),
                    note="when_unchanged",
                    records="draft",
                ),
            ),
        ),
        StepKind(
            code="initial",
            label=gettext_lazy("Paraf"),
            waiting_status="in_process",
            office_time=True,
            stage=gettext_lazy("Diperiksa dan diparaf pejabat"),
            officer_hint=gettext_lazy(
                "Periksa data permohonan, berkas dan konsep surat izin. Setujui (paraf), "
                "atau kembalikan ke Back Office dengan catatan perbaikan."
            ),
            outcomes=(
                Outcome("approve", gettext_lazy("Diparaf"), gettext_lazy("Setujui (paraf)")),
                Outcome(
                    "revise",
                    gettext_lazy("Dikembalikan untuk diperbaiki"),
                    gettext_lazy("Kembalikan ke back office untuk diperbaiki"),
                    leads="back_to_draft",
                    note="required",
                    warning=True,
                ),
            ),
        ),
        StepKind(
            code="sign",
            label=gettext_lazy("Tanda tangan Kepala Dinas"),
            waiting_status="in_process",
            office_time=True,
            stage=gettext_lazy("Menunggu tanda tangan Kepala Dinas"),
            takes_number=True,
            officer_hint=gettext_lazy(
                "Periksa konsep surat izin. Tandatangani secara elektronik, kembalikan untuk diperbaiki, "
                "atau tolak dengan alasan."
            ),
            outcomes=(
                Outcome(
                    "approve",
                    gettext_lazy("Ditandatangani"),
                    gettext_lazy("Tandatangani secara elektronik"),
                    confirm=gettext_lazy(
                        "Tandatangani surat izin ini secara elektronik? Nomor surat diambil dan surat izin terbit."
                    ),
                    records="signature",
                    event="signed",
                ),
                Outcome(
                    "revise",
                    gettext_lazy("Dikembalikan untuk diperbaiki"),
                    gettext_lazy("Kembalikan ke back office untuk diperbaiki"),
                    leads="back_to_draft",
                    note="required",
                    warning=True,
                ),
                Outcome(
                    "reject",
                    gettext_lazy("Ditolak Kepala Dinas"),
                    gettext_lazy("Tolak permohonan"),
                    leads="end",
                    end_status="rejected",
                    note="required",
                    note_for_applicant=True,
                    confirm=_REJECT_CONFIRM,
                    event="rejected",
                    warning=True,
                ),
            ),
        ),
        StepKind(
            code="number",
            label=gettext_lazy("Penomoran surat izin"),
            waiting_status="in_process",
            office_time=True,
            stage=gettext_lazy("Surat izin sedang dicatat dan diberi nomor"),
            takes_number=True,
            officer_hint=gettext_lazy(
                "Nomor surat izin diberikan otomatis menurut format kantor, tanpa nomor yang terlewat."
            ),
            outcomes=(Outcome("numbered", gettext_lazy("Diberi nomor"), gettext_lazy("Catat nomor surat izin")),),
        ),
        StepKind(
            code="payment",
            label=gettext_lazy("Pembayaran retribusi (SKRD)"),
            waiting_status="awaiting_payment",
            office_time=False,
            stage=gettext_lazy("Menunggu pembayaran retribusi sesuai SKRD"),
            officer_hint=gettext_lazy(
                "SKRD terbit otomatis saat berkas tiba di langkah ini. Pembayaran melalui bank atau QRIS "
                "tercatat sendiri; pembayaran tunai di loket dicatat Bendahara Penerima dengan buktinya."
            ),
            clock_on_entry="pause",
            outcomes=(
                Outcome(
                    "paid",
                    gettext_lazy("Retribusi dibayar"),
                    gettext_lazy("Catat pembayaran retribusi"),
                    clock="resume",
                    recorded_by="system",
                    records="payment",
                ),
                Outcome(
                    "expired",
                    gettext_lazy("Ditutup: retribusi tidak dibayar"),
                    gettext_lazy("Tutup permohonan: retribusi tidak dibayar"),
                    leads="end",
                    end_status="unpaid",
                    note_for_applicant=True,
                    recorded_by="system",
                    records="payment",
                    event="unpaid",
                    warning=True,
                ),
            ),
        ),
        StepKind(
            code="handover",
            label=gettext_lazy("Penyerahan surat izin"),
            waiting_status="ready",
            office_time=False,
            stage=gettext_lazy("Surat izin selesai: siap diambil di loket atau diunduh"),
            officer_hint=gettext_lazy(
                "Serahkan surat izin kepada pemohon (atau kuasanya dengan surat kuasa) dan catat siapa yang menerima."
            ),
            place="last",
            outcomes=(
                Outcome(
                    "pickup",
                    gettext_lazy("Diserahkan di loket"),
                    gettext_lazy("Catat penyerahan surat izin"),
                    leads="end",
                    end_status="collected",
                    note_for_applicant=True,
                    records="handover",
                    event="collected",
                ),
                Outcome(
                    "download",
                    gettext_lazy("Diunduh pemohon"),
                    gettext_lazy("Unduh surat izin"),
                    leads="end",
                    end_status="collected",
                    note_for_applicant=True,
                    recorded_by="applicant",
                    event="collected",
                ),
            ),
        ),
    )
}

#: Card entries written outside the SOP's steps (``card_event_record``), with their labels.
CARD_EVENTS: dict[str, Any] = {
    "withdrawn": gettext_lazy("Dibatalkan"),
    "notice_letter": gettext_lazy("Surat pemberitahuan dibuat"),
    "revoked": gettext_lazy("Surat izin dicabut"),
    "lapsed": gettext_lazy("Ditutup: tidak dilengkapi dalam batas waktu"),
    "bill_issued": gettext_lazy("SKRD diterbitkan"),
    "bill_reminded": gettext_lazy("Surat teguran SKRD"),
    "refunded": gettext_lazy("Retribusi dikembalikan"),
}
#: Card-event outcomes whose note the applicant reads.
CARD_EVENTS_FOR_APPLICANT = frozenset({"withdrawn", "revoked", "lapsed", "bill_issued", "bill_reminded", "refunded"})
#: The applicant's word for a file that has left the SOP, by its final status.
FINAL_STAGES: dict[str, Any] = {
    "collected": gettext_lazy("Surat izin sudah Anda terima"),
    "rejected": gettext_lazy("Permohonan ditolak"),
    "withdrawn": gettext_lazy("Permohonan dibatalkan"),
    "lapsed": gettext_lazy("Permohonan ditutup: berkas tidak dilengkapi dalam batas waktu"),
    "draft": gettext_lazy("Draf: belum diajukan"),
    "unpaid": gettext_lazy("Permohonan ditutup: retribusi tidak dibayar sampai batas waktu"),
}


def kind_of(code: str) -> StepKind:
    return KINDS[code]


def outcome_of(kind: str, outcome: str) -> Outcome | None:
    """The table's row for ``outcome`` at a step of ``kind``; None when the kind does not allow it."""
    step_kind = KINDS.get(kind)
    if step_kind is None or outcome not in step_kind.codes:
        return None
    return step_kind.outcome(outcome)


def outcome_label(kind: str, outcome: str) -> str:
    """How the card and the histories name an outcome: "Ditandatangani" at a sign step, "Diparaf" at a paraf."""
    row = outcome_of(kind, outcome)
    if row is not None:
        return str(row.label)
    if outcome in CARD_EVENTS:
        return str(CARD_EVENTS[outcome])
    return outcome


def note_for_applicant(kind: str, outcome: str) -> bool:
    """Whether a card entry's note is addressed to the applicant (else it is internal to the office)."""
    row = outcome_of(kind, outcome)
    return row.note_for_applicant if row is not None else outcome in CARD_EVENTS_FOR_APPLICANT


def applicant_records(kind: str, outcome: str) -> bool:
    """Whether the applicant may record this outcome (``submitted``, ``download``)."""
    row = outcome_of(kind, outcome)
    return row is not None and row.recorded_by in {"applicant", "either"}


def officer_records(kind: str, outcome: str) -> bool:
    row = outcome_of(kind, outcome)
    return row is not None and row.recorded_by in {"officer", "either", "system"}


# --- the data outcomes record ---------------------------------------------------------------------


class StepDataError(Exception):
    """The data an outcome records is not acceptable: a message and errors per field (Indonesian)."""

    def __init__(self, message: str, errors: dict[str, str]):
        super().__init__(message)
        self.message = message
        self.errors = errors


#: The two judgements of a checklist item.
SESUAI, TIDAK_SESUAI = "sesuai", "tidak_sesuai"


def _judgement(item: Any) -> tuple[bool | None, str]:
    """(judged ok?, reason) from an item given as a dict (``ok``/``judgement``, ``reason``)."""
    if not isinstance(item, Mapping):
        return None, ""
    reason = str(item.get("reason", "") or "").strip()
    judgement = item.get("judgement")
    if judgement in (SESUAI, TIDAK_SESUAI):
        return judgement == SESUAI, reason
    ok = item.get("ok")
    if isinstance(ok, bool):
        return ok, reason
    if isinstance(ok, str) and ok in {"1", "0", "true", "false"}:
        return ok in {"1", "true"}, reason
    return None, reason


def parse_checklist(
    given: Any, *, outcome: str, requirements: Iterable[tuple[str, str]], present: set[str], note: str = ""
) -> list[dict[str, Any]]:
    """
    The completeness checklist: every applicable requirement judged "sesuai" or "tidak sesuai"
    (with a reason); nothing counts as judged unless the officer said so.

    ``complete`` only when every item is judged sesuai; ``incomplete`` needs at least one item
    judged tidak sesuai. A requirement with no upload cannot be sesuai.
    """
    if given is None:
        given = {}
    if not isinstance(given, Mapping):
        raise StepDataError(_("Daftar periksa kelengkapan tidak sah."), {"checklist": _("Daftar periksa tidak sah.")})
    rows: list[dict[str, Any]] = []
    errors: dict[str, str] = {}
    for key, label in requirements:
        ok, reason = _judgement(given.get(key))
        if key not in present:
            if ok:
                errors[key] = _("Berkas belum diunggah; tidak dapat dinilai sesuai.")
            ok, reason = False, reason or _("Berkas belum diunggah.")
        if ok is None:
            errors[key] = _("Nilai persyaratan ini: sesuai atau tidak sesuai.")
        elif not ok and not reason:
            errors[key] = _("Tuliskan alasan persyaratan ini tidak sesuai.")
        rows.append({"key": key, "label": label, "ok": ok, "reason": reason if ok is False else ""})
    if errors:
        raise StepDataError(_("Nilai setiap persyaratan, dan tuliskan alasan untuk yang tidak sesuai."), errors)
    problems = [r for r in rows if not r["ok"]]
    if outcome == "complete" and problems:
        raise StepDataError(
            _("Berkas belum lengkap; pilih “Tidak lengkap” dan tuliskan alasannya."),
            {str(r["key"]): str(r["reason"]) for r in problems},
        )
    if outcome == "incomplete" and not problems:
        raise StepDataError(
            _("Semua persyaratan dinilai sesuai; berkas ini lengkap."),
            {"checklist": _("Tandai minimal satu persyaratan yang tidak sesuai.")},
        )
    return rows


def parse_bap(
    given: Any, *, team_choices: Mapping[str, str], earliest: dt.date | None, today: dt.date
) -> dict[str, Any]:
    """
    The Berita Acara Pemeriksaan: the inspection date (not in the future, not before the file was
    handed in), the team chosen from the office's Tim Teknis (``team_choices``: id → name),
    findings and a recommendation.
    """
    if not isinstance(given, Mapping):
        raise StepDataError(_("BAP tidak sah."), {"bap": _("BAP tidak sah.")})
    errors = {}
    date = None
    try:
        date = dt.date.fromisoformat(str(given.get("date", "")))
    except ValueError:
        errors["date"] = _("Tanggal pemeriksaan wajib diisi (TTTT-BB-HH).")
    if date is not None and date > today:
        errors["date"] = _("Tanggal pemeriksaan tidak boleh di masa depan.")
    elif date is not None and earliest is not None and date < earliest:
        errors["date"] = _("Tanggal pemeriksaan tidak boleh sebelum berkas diajukan (%(date)s).") % {
            "date": earliest.isoformat()
        }
    team = given.get("team") or []
    if isinstance(team, str):
        team = [part.strip() for part in team.replace(",", "\n").splitlines() if part.strip()]
    if not isinstance(team, list):
        team = []
    members = [str(t) for t in team]
    unknown = [m for m in members if m not in team_choices]
    if not members:
        errors["team"] = _("Pilih anggota tim teknis yang memeriksa.")
    elif unknown:
        errors["team"] = _("Anggota tim harus dipilih dari Tim Teknis kantor ini.")
    findings = str(given.get("findings", "") or "").strip()
    if not findings:
        errors["findings"] = _("Hasil pemeriksaan wajib diisi.")
    recommendation = str(given.get("recommendation", "") or "").strip()
    if not recommendation:
        errors["recommendation"] = _("Rekomendasi wajib diisi.")
    if errors:
        raise StepDataError(_("Berita Acara Pemeriksaan belum lengkap."), errors)
    assert date is not None
    return {
        "date": date.isoformat(),
        "team": [{"id": m, "name": team_choices[m]} for m in members],
        "findings": findings,
        "recommendation": recommendation,
    }


def parse_draft(
    given: Any,
    *,
    editable: Mapping[str, Any],
    data: Mapping[str, Any],
    clean: Callable[[Any, Any], Any],
    revising: bool,
    note: str,
) -> list[dict[str, Any]]:
    """
    The changes the back office makes to the data the letter prints: ``{"changes": {key: value}}``
    for the ``editable`` form fields (key → field); returns ``[{"field", "label", "before",
    "after"}]`` for the values that differ. ``clean(field, value)`` validates a value as the form
    does (raising ``ValueError`` with the message). After a revise, a draft that changes nothing
    needs a note saying why.
    """
    if given is None:
        given = {}
    if not isinstance(given, Mapping):
        raise StepDataError(_("Perubahan konsep tidak sah."), {"changes": _("Perubahan konsep tidak sah.")})
    proposed = given.get("changes") or {}
    if not isinstance(proposed, Mapping):
        raise StepDataError(_("Perubahan konsep tidak sah."), {"changes": _("Perubahan konsep tidak sah.")})
    changes, errors = [], {}
    for key, value in proposed.items():
        field = editable.get(key)
        if field is None:
            errors[str(key)] = _("Isian ini tidak dapat diubah pada konsep surat izin.")
            continue
        try:
            after = clean(field, value)
        except ValueError as exc:
            errors[key] = str(exc)
            continue
        before = data.get(key)
        if after != before:
            changes.append({"field": key, "label": field.label, "before": before, "after": after})
    if errors:
        raise StepDataError(_("Periksa kembali perubahan pada konsep surat izin."), errors)
    if revising and not changes and not note:
        raise StepDataError(
            _("Konsep dikembalikan untuk diperbaiki, tetapi tidak ada yang diubah; tuliskan alasannya pada catatan."),
            {"note": _("Catatan wajib diisi bila konsep tidak diubah.")},
        )
    return changes


HANDOVER_SELF, HANDOVER_PROXY = "self", "proxy"


def parse_handover(given: Any, *, proxy_documents: set[str]) -> dict[str, Any]:
    """
    Who collected the permit at the counter: their name and ID number, and whether they are the
    applicant or a proxy — a proxy needs the power of attorney (surat kuasa) uploaded
    (``proxy_documents``: ids of the file's power-of-attorney uploads).
    """
    if not isinstance(given, Mapping):
        raise StepDataError(_("Catatan penyerahan tidak sah."), {"handover": _("Catatan penyerahan tidak sah.")})
    errors = {}
    relation = str(given.get("relation", "") or "")
    if relation not in {HANDOVER_SELF, HANDOVER_PROXY}:
        errors["relation"] = _("Pilih siapa yang mengambil: pemohon sendiri atau kuasanya.")
    name = str(given.get("name", "") or "").strip()
    if not name:
        errors["name"] = _("Nama penerima wajib diisi.")
    id_number = "".join(str(given.get("id_number", "") or "").split())
    if not id_number:
        errors["id_number"] = _("Nomor identitas penerima (NIK/KTP) wajib diisi.")
    elif len(id_number) > 40:
        errors["id_number"] = _("Nomor identitas terlalu panjang.")
    proxy_document = str(given.get("proxy_document", "") or "")
    if relation == HANDOVER_PROXY and proxy_document not in proxy_documents:
        errors["proxy_document"] = _("Unggah surat kuasa dari pemohon untuk pengambilan oleh kuasa.")
    if errors:
        raise StepDataError(_("Catatan penyerahan belum lengkap."), errors)
    return {
        "relation": relation,
        "name": name[:200],
        "id_number": id_number,
        "proxy_document": proxy_document if relation == HANDOVER_PROXY else "",
    }


def parse_responses(given: Any, *, flagged: Mapping[str, str], replaced: set[str]) -> dict[str, str]:
    """
    A resubmission after a return: every flagged requirement (key → label) has a new upload
    (``replaced``) or the applicant's answer to the reason (``{"responses": {key: text}}``).
    """
    answers = (given or {}).get("responses") if isinstance(given, Mapping) else None
    if not isinstance(answers, Mapping):
        answers = {}
    clean: dict[str, str] = {}
    for k, v in answers.items():
        if str(k) in flagged and str(v).strip():
            clean[str(k)] = str(v).strip()[:1000]
    missing = {key: label for key, label in flagged.items() if key not in replaced and key not in clean}
    if missing:
        raise StepDataError(
            _("Ganti berkas yang ditandai petugas, atau jawab alasannya: %(items)s.")
            % {"items": "; ".join(missing.values())},
            {key: _("Unggah berkas pengganti atau tuliskan jawaban atas alasan pengembalian.") for key in missing},
        )
    return clean


BILL_PAID, BILL_UNPAID = "paid", "unpaid"


def parse_payment(bill: Mapping[str, Any] | None, *, outcome: str, now: dt.datetime) -> dict[str, Any]:
    """
    What a payment step's outcome records, from the file's bill (the SKRD) as the payments app
    keeps it (``number``, ``amount``, ``status``, ``closes_at``, and for a paid bill ``paid_at``,
    ``channel``, ``reference``): ``paid`` needs the bill paid in full — the gateway's callback or
    the treasurer records the payment first, then this outcome; ``expired`` needs the bill unpaid
    and past the date the reminder gave (``closes_at``).
    """
    if not isinstance(bill, Mapping) or not bill.get("number"):
        raise StepDataError(
            _("Permohonan ini belum memiliki SKRD."), {"payment": _("SKRD belum diterbitkan untuk permohonan ini.")}
        )
    status = bill.get("status")
    if outcome == "paid" and status != BILL_PAID:
        raise StepDataError(
            _("SKRD %(number)s belum lunas; catat pembayarannya pada halaman Bendahara Penerima.")
            % {"number": bill["number"]},
            {"payment": _("Pembayaran belum tercatat.")},
        )
    if outcome == "expired":
        closes_at = bill.get("closes_at")
        if status != BILL_UNPAID or not isinstance(closes_at, dt.datetime) or now < closes_at:
            raise StepDataError(
                _("SKRD %(number)s belum melewati batas waktu pembayaran setelah teguran.")
                % {"number": bill["number"]},
                {"payment": _("Permohonan belum dapat ditutup.")},
            )
    return {
        k: (v.isoformat() if isinstance(v, dt.datetime | dt.date) else v)
        for k, v in bill.items()
        if k in {"number", "amount", "status", "paid_at", "channel", "reference", "closes_at"}
    }
