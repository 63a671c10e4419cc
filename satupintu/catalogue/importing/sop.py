"""
Turn the published SOP rows into the schema's steps: who acts, which kind, how long.

Roles: the Pelaksana columns marked for the row or the ``Pelaksana :`` line name the roles; where
the marks are lost (the seeds' text), the subjects of the activity's sentences do ("Pemohon
memasukan berkas", "JF Analis Kebijakan Ahli Muda memaraf …"). A bare "Petugas" means the role
that usually works a step of that kind. Names are mapped to role codes through the built-in names
and the office's own mapping; a name that maps to nothing is reported, never dropped.

Kinds: the engine's table (``catalogue.step_kinds.KINDS``) says what a kind means; the wording
below only *suggests* one from the activity, and every suggestion is listed in the report. The
outcomes suggested are the kind's own, in the table's order, except that an outcome ending the
file in a refusal is left out where the step's wording sends an incomplete file back to the
applicant instead of refusing it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, get_args

from satupintu.accounts.roles import Role
from satupintu.catalogue.importing.clauses import clean, normalise
from satupintu.catalogue.importing.reader import SopRow
from satupintu.catalogue.importing.report import GuessedKind, ImportReport
from satupintu.catalogue.schema import RoleCode
from satupintu.catalogue.step_kinds import KINDS

#: Words that suggest a step kind, tried in this order (the first that matches wins).
KIND_WORDING: list[tuple[str, str]] = [
    (
        "handover",
        r"menerima (?:surat|izin|produk|sk\b|dokumen izin)|mengambil (?:surat|izin|produk)"
        r"|penyerahan (?:surat|izin|produk)|menyerahkan (?:surat|izin|produk|sk\b)"
        r"|diserahkan kepada pemohon|mengunduh (?:surat|izin)",
    ),
    ("number", r"memberi(?:kan)? nomor|penomoran|menomori|mencatat nomor|registrasi nomor"),
    ("sign", r"menandatangani|tanda tangan|penandatanganan|\btte\b"),
    ("initial", r"memaraf|paraf"),
    (
        "inspection",
        r"peninjauan|meninjau|tinjau lapangan|pemeriksaan lapangan|memeriksa lokasi|survei lapangan|survey lapangan"
        r"|cek lapangan|verifikasi lapangan|berita acara pemeriksaan|menyusun bap|membuat bap|rekomendasi teknis",
    ),
    (
        "draft",
        r"membuat (?:surat|draf|konsep|sk\b|izin)|mencetak|menyusun (?:draf|konsep|surat)|mengetik|mengonsep"
        r"|draf\w* (?:surat|izin)|konsep (?:surat|izin)",
    ),
    (
        "completeness_check",
        r"memeriksa (?:kelengkapan|berkas)|kelengkapan berkas|verifikasi (?:berkas|dokumen|administrasi)"
        r"|memverifikasi (?:berkas|dokumen|kelengkapan)|meneliti (?:berkas|kelengkapan)",
    ),
    # A kind the engine does not (yet) have is skipped: the table may name kinds to come.
    ("payment", r"membayar|melakukan pembayaran|menyetor|penyetoran"),
    (
        "submit",
        r"memasuk\w*an berkas|mengajukan permohonan|menyerahkan berkas|mendaftar|mengisi formulir|mengunggah"
        r"|meminta informasi",
    ),
]
#: The roles that usually work a step of a kind ("Petugas membuat …" at a draft step: back office).
USUAL_ROLES: dict[str, list[str]] = {
    "submit": ["pemohon", "front_office"],
    "completeness_check": ["front_office"],
    "inspection": ["tim_teknis"],
    "draft": ["back_office"],
    "initial": ["analis_muda"],
    "sign": ["kepala_dinas"],
    "number": ["back_office"],
    "handover": ["front_office", "pemohon"],
}
#: Steps the wording of a later step implies although the table has no row for them.
IMPLIED: list[tuple[str, str, str, str]] = [
    (
        r"hasil bap|bap dari tim teknis|berita acara pemeriksaan",
        "inspection",
        "Tim Teknis memeriksa berkas/tempat kerja dan menyusun Berita Acara Pemeriksaan (BAP) beserta rekomendasi.",
        "BAP",
    ),
]
_RETURNS = re.compile(r"dikembalikan|mengembalikan|dilengkapi|diperbaiki", re.I)
_REFUSES = re.compile(r"ditolak|menolak|penolakan|tolak", re.I)

#: Built-in names of the roles as standards write them (lower case) → role codes.
BUILTIN_NAMES: dict[str, list[str]] = {
    "pemohon": ["pemohon"],
    "pemohon/kuasa": ["pemohon"],
    "front office": ["front_office"],
    "petugas front office": ["front_office"],
    "petugas desk": ["front_office"],
    "petugas loket": ["front_office"],
    "loket": ["front_office"],
    "petugas pelayanan": ["front_office"],
    "back office": ["back_office"],
    "petugas back office": ["back_office"],
    "tim teknis": ["tim_teknis"],
    "jf analis kebijakan ahli muda": ["analis_muda"],
    "analis kebijakan ahli muda": ["analis_muda"],
    "jf analis kebijakan ahli madya": ["analis_madya"],
    "analis kebijakan ahli madya": ["analis_madya"],
    "sekretaris": ["sekretaris"],
    "sekretaris dinas": ["sekretaris"],
    "kepala dinas": ["kepala_dinas"],
    "kadis": ["kepala_dinas"],
    "pejabat struktural": ["sekretaris", "kepala_dinas"],
}
#: The role codes a step may name (the schema's); other built-in roles (admin, kepegawaian) act
#: outside the SOP, so their names are not read as Pelaksana.
STEP_ROLE_CODES = frozenset(get_args(RoleCode))
for _role in Role:
    if _role.value in STEP_ROLE_CODES:
        BUILTIN_NAMES.setdefault(str(_role.label).lower(), [_role.value])
GENERIC_NAMES = {"petugas", "operator", "staf", "staff", "pegawai"}
#: A role name at the start of a sentence: capitalised words before a verb (me-, ber-, di-).
_SUBJECT = re.compile(r"^((?:[A-Z][\w./]*)(?:\s+(?:[A-Z][\w./()]*|dan|&))*?)\s+(?=(?:me|ber|di)[a-z]+\b)")


def _key(name: str) -> str:
    return " ".join(re.sub(r"[^\w/ ]", " ", name.lower()).split())


class RoleNames:
    """Map Pelaksana names to role codes: the office's own names first, then the built-in ones."""

    def __init__(self, extra: Mapping[str, str | list[str]] | None, report: ImportReport) -> None:
        self.names: dict[str, list[str]] = dict(BUILTIN_NAMES)
        for name, codes in (extra or {}).items():
            self.names[_key(name)] = [codes] if isinstance(codes, str) else list(codes)
        self.report = report

    def lookup(self, name: str) -> list[str] | None:
        key = _key(name)
        if key in self.names:
            self.report.mapped_roles.setdefault(name, self.names[key])
            return self.names[key]
        return None

    def leading(self, sentence: str) -> tuple[str, list[str] | None] | None:
        """The role named at the start of a sentence: (name as written, codes or None if unknown)."""
        sentence = sentence.strip(" -–•")
        lowered = _key(sentence)
        best = ""
        for key in self.names:
            if (lowered == key or lowered.startswith(key + " ")) and len(key) > len(best):
                best = key
        subject = _SUBJECT.match(sentence)
        if subject and len(subject.group(1).split()) > len(best.split()) and best:
            # "Kepala Bidang Perizinan memaraf": the name is longer than the known "Kepala Bidang".
            best = ""
        if best:
            written = " ".join(sentence.split()[: len(best.split())])
            return written, self.lookup(written)
        first = sentence.split(" ", 1)[0].lower()
        if first in GENERIC_NAMES:
            return first, []
        if subject:
            return subject.group(1), self.lookup(subject.group(1))
        return None


def parse_time(text: str) -> tuple[str, str]:
    """
    A time standard as the schema reads it, and a remark when it was not written as a number and unit.

    ``3 menit``, ``1 hari``, ``1 hari kerja`` stay; ``12 (dua belas) hari kerja`` → ``12 hari kerja``;
    ``-`` (none) → ``0 menit``; ``1 x 24 jam`` → ``1 hari``.
    """
    plain = clean(normalise(text))
    lowered = plain.lower()
    if match := re.match(r"^(\d+)\s*x\s*24\s*jam$", lowered):
        return f"{match.group(1)} hari", f"waktu “{plain}” dibaca sebagai {match.group(1)} hari kerja"
    match = re.match(r"^(\d+)\s*(?:\([^)]*\)\s*)?(menit|jam|hari kerja|hari)\b", lowered)
    if match:
        return f"{int(match.group(1))} {match.group(2)}", ""
    if lowered in {"-", "–", "", "—"}:
        return "0 menit", "tanpa standar waktu (“-” pada naskah): ditulis 0 menit"
    return "0 menit", f"waktu “{plain}” tidak dapat dibaca: ditulis 0 menit, wajib diperbaiki"


def guess_kind(activity: str, *, first: bool, last: bool) -> tuple[str, str]:
    """The suggested kind and why."""
    lowered = activity.lower()
    for code, pattern in KIND_WORDING:
        if code in KINDS and (match := re.search(pattern, lowered)):
            return code, f"kata “{match.group(0)}”"
    if first:
        return next(iter(KINDS)), "langkah pertama"
    if last:
        return list(KINDS)[-1], "langkah terakhir"
    return "initial", "tidak ada kata yang dikenali: periksa jenis langkah ini"


def suggested_outcomes(kind: str, wording: str) -> list[str]:
    outcomes = []
    returns, refuses = bool(_RETURNS.search(wording)), bool(_REFUSES.search(wording))
    for outcome in KINDS[kind].outcomes:
        if outcome.leads == "end" and outcome.end_status == "rejected" and returns and not refuses:
            continue
        outcomes.append(outcome.code)
    return outcomes


def _activity_text(activity: str) -> str:
    plain = clean(normalise(activity))
    if plain.startswith("- "):
        parts = [p.strip() for p in re.split(r"(?:^|\s)-\s+", plain) if p.strip()]
        return "\n".join(f"- {p}" for p in parts)
    return plain


def _sentences(activity: str) -> list[str]:
    plain = clean(normalise(activity))
    return [s for s in re.split(r"(?:^|\s)-\s+|(?<=[.;])\s+", plain) if s.strip()]


def build_steps(
    rows: list[SopRow], *, names: RoleNames, report: ImportReport, implied_time: str = "1 hari"
) -> list[dict[str, Any]]:
    """The SOP steps in engine order, with implied steps added and marked."""
    steps: list[dict[str, Any]] = []
    for index, row in enumerate(rows):
        activity = _activity_text(row.activity)
        wording = " ".join([activity, row.inputs, row.output])
        kind, because = guess_kind(activity, first=index == 0, last=index == len(rows) - 1)
        usual = USUAL_ROLES.get(kind, [])
        where = f"langkah {row.number}"
        roles, roles_note, unknown = _roles_for(row, activity, usual, names, report, where)
        for pattern, code, implied_activity, implied_output in IMPLIED:
            implied = re.search(pattern, wording, re.I)
            if implied and not any(s["kind"] == code for s in steps) and kind != code and steps:
                previous = steps[-1]
                steps.append(
                    {
                        "number": len(steps) + 1,
                        "seed_number": None,
                        "label": f"{previous['label']}a",
                        "kind": code,
                        "roles": USUAL_ROLES.get(code, ["back_office"]),
                        "activity": implied_activity,
                        "inputs": previous["output"],
                        "time": implied_time,
                        "output": implied_output,
                        "outcomes": suggested_outcomes(code, implied_activity),
                        "implied_by": row.number,
                        "_because": f"tersirat dari langkah {row.number} (“{implied.group(0)}”)",
                        "_roles_note": "peran yang biasa untuk jenis langkah ini",
                        "provenance": {
                            "from_seed": False,
                            "source": f"Tersirat dari langkah {row.number} SOP (“{implied.group(0)}”); "
                            "waktu ditetapkan kantor, tidak tercantum pada naskah",
                            "verified": False,
                        },
                    }
                )
                report.notes.append(
                    f"Langkah {previous['label']}a ({code}) ditambahkan: tersirat dari langkah {row.number}; "
                    f"waktu {implied_time} belum dari naskah."
                )
        time, time_note = parse_time(row.time)
        if time_note:
            report.notes.append(f"Langkah {row.number}: {time_note}.")
        step: dict[str, Any] = {
            "number": len(steps) + 1,
            "seed_number": row.number,
            "label": str(row.number),
            "kind": kind,
            "roles": roles,
            "activity": activity,
            "inputs": clean(normalise(row.inputs)),
            "time": time,
            "output": clean(normalise(row.output)),
            "outcomes": suggested_outcomes(kind, wording),
        }
        notes = [clean(normalise(row.note))] if row.note.strip() else []
        if unknown:
            notes.append("Pelaksana pada naskah: " + ", ".join(unknown) + " (belum dipetakan ke peran)")
        if notes:
            step["note"] = "; ".join(n for n in notes if n)
        step["_because"], step["_roles_note"] = because, roles_note
        steps.append(step)
    steps = _required_places(steps, report)
    for step in steps:
        report.guessed_kinds.append(
            GuessedKind(
                step=step["number"],
                label=step["label"],
                kind=step["kind"],
                because=step.pop("_because"),
                outcomes=step["outcomes"],
                roles=step["roles"],
                roles_note=step.pop("_roles_note"),
            )
        )
    return steps


def _roles_for(
    row: SopRow, activity: str, usual: list[str], names: RoleNames, report: ImportReport, where: str
) -> tuple[list[str], str, list[str]]:
    """The step's role codes, a remark on how they were found, and the names no code was found for."""
    subjects: list[str] = []
    unknown: list[str] = []
    generic = False
    if row.role_names:
        written = row.role_names
        how = "kolom Pelaksana" if row.marked_columns else "baris Pelaksana"
        for name in written:
            codes = names.lookup(name)
            if codes is None and _key(name) in GENERIC_NAMES:
                generic = True
            elif codes is None:
                unknown.append(name)
            else:
                subjects.extend(c for c in codes if c not in subjects)
    else:
        how = "subjek kalimat kegiatan"
        for sentence in _sentences(activity):
            found = names.leading(sentence)
            if found is None:
                continue
            name, codes = found
            if codes is None:
                if name not in unknown:
                    unknown.append(name)
            elif not codes:
                generic = True
            else:
                subjects.extend(c for c in codes if c not in subjects)
    if subjects and set(subjects) & set(usual):
        roles = usual + [c for c in subjects if c not in usual]
        note = how if set(roles) == set(subjects) else f"{how}; ditambah peran yang biasa untuk jenis langkah ini"
    elif subjects:
        roles, note = subjects, how
    else:
        roles = list(usual) or ["back_office"]
        note = "“Petugas”: peran yang biasa untuk jenis langkah ini" if generic else "menurut jenis langkah (tebakan)"
    for name in unknown:
        report.role_unmapped(name, where=where, used_instead=roles)
    return roles, note, unknown


def _required_places(steps: list[dict[str, Any]], report: ImportReport) -> list[dict[str, Any]]:
    """Add the steps the engine requires (first, last, somewhere) when the document lacks them, marked."""
    for code, kind in KINDS.items():
        present = [s for s in steps if s["kind"] == code]
        if not kind.place:
            continue
        if kind.place == "first" and steps and steps[0]["kind"] == code:
            continue
        if kind.place == "last" and steps and steps[-1]["kind"] == code:
            continue
        if kind.place == "somewhere" and present:
            continue
        step = {
            "number": 0,
            "seed_number": None,
            "label": "",
            "kind": code,
            "roles": USUAL_ROLES.get(code, ["back_office"]),
            "activity": str(kind.label),
            "inputs": "-",
            "time": "0 menit",
            "output": "-",
            "outcomes": [o.code for o in kind.outcomes],
            "provenance": {
                "from_seed": False,
                "source": "Ditambahkan pengimpor: mesin SOP mewajibkan langkah ini, naskah tidak memuatnya",
                "verified": False,
            },
            "_because": "mesin SOP mewajibkan langkah ini; naskah tidak memuatnya",
            "_roles_note": "peran yang biasa untuk jenis langkah ini",
        }
        position = {"first": 0, "last": len(steps), "somewhere": 1 if steps else 0}[kind.place]
        steps.insert(position, step)
        report.notes.append(f"Langkah {kind.label} ({code}) ditambahkan: wajib ada, tidak ada pada naskah.")
    for number, step in enumerate(steps, start=1):
        step["number"] = number
        if not step["label"]:
            step["label"] = f"{number}*"
    return steps
