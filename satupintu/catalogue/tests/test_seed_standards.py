"""
The two shipped standards against the seed documents they transcribe (standards/sources/).

The seed text is parsed here independently of the YAML, so a transcription slip fails a test.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

from satupintu.catalogue.loader import parse_standard
from satupintu.workdays import WorkingDuration

STANDARDS = Path(settings.SATUPINTU_STANDARDS_DIR)
RADIOGRAFER = "izin-kerja-radiografer"
PARAMEDIK = "izin-praktik-paramedik-asisten-teknik-reproduksi"


def _spec(code):
    return parse_standard((STANDARDS / f"{code}.yaml").read_text(encoding="utf-8"), path=f"{code}.yaml")


def _seed(code):
    return (STANDARDS / "sources" / f"{code}.txt").read_text(encoding="utf-8")


def _squash(text):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip()


def _seed_sop_rows(code):
    """(row number, activity, kelengkapan, waktu, output) from the seed's SOP table."""
    rows = []
    for number, rest in re.findall(r"^(\d)\t(.*)$", _seed(code), re.M):
        cells = [c.strip() for c in rest.split("\t") if c.strip()]
        rows.append((int(number), cells[0], cells[-3], cells[-2], cells[-1]))
    return rows


def _flat_text(spec):
    return _squash(" ".join(_strings(spec.model_dump())))


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


@pytest.mark.parametrize("code", [RADIOGRAFER, PARAMEDIK])
def test_every_seed_sop_row_is_a_step_with_its_exact_time(code):
    """SOP (Mutu Baku): each row keeps its activity, inputs, time and output, in order."""
    spec = _spec(code)
    seed_rows = _seed_sop_rows(code)
    assert [n for n, *_ in seed_rows] == list(range(1, 10))
    by_seed_number = {s.seed_number: s for s in spec.sop.steps if s.seed_number is not None}
    assert sorted(by_seed_number) == list(range(1, 10))
    for number, activity, inputs, time, output in seed_rows:
        step = by_seed_number[number]
        assert step.time == time, f"baris {number}"
        assert WorkingDuration.parse(step.time) == WorkingDuration.parse(time)
        assert _squash(step.inputs) == _squash(inputs), f"baris {number}"
        assert _squash(step.output) == _squash(output), f"baris {number}"
        assert _squash(step.activity.replace("\n", " ")) == _squash(activity), f"baris {number}"
    engine_order = [s.seed_number for s in spec.sop.steps if s.seed_number is not None]
    assert engine_order == sorted(engine_order)
    assert spec.sop.total_time == "2 hari kerja"


@pytest.mark.parametrize(
    ("code", "times"),
    [
        (
            RADIOGRAFER,
            ["3 menit", "35 menit", "3 menit", "5 menit", "10 menit", "10 menit", "1 hari", "3 menit", "1 menit"],
        ),
        (
            PARAMEDIK,
            ["5 menit", "20 menit", "3 menit", "5 menit", "10 menit", "10 menit", "1 hari", "3 menit", "1 menit"],
        ),
    ],
)
def test_seed_times_as_written_in_the_standards(code, times):
    """The times of DESIGN/seed SOP tables, written out, so a parser slip on both sides still fails."""
    spec = _spec(code)
    assert [s.time for s in spec.sop.steps if s.seed_number is not None] == times


def test_step_kinds_and_roles_follow_the_seed_flow():
    radiografer = _spec(RADIOGRAFER)
    kinds = [(s.kind, s.roles[0]) for s in radiografer.sop.steps]
    assert kinds == [
        ("submit", "pemohon"),
        ("completeness_check", "front_office"),
        ("inspection", "tim_teknis"),
        ("draft", "back_office"),
        ("initial", "analis_muda"),
        ("initial", "analis_madya"),
        ("initial", "sekretaris"),
        ("sign", "kepala_dinas"),
        ("number", "back_office"),
        ("handover", "front_office"),
    ]
    paramedik = _spec(PARAMEDIK)
    assert [s.kind for s in paramedik.sop.steps] == [
        "submit",
        "completeness_check",
        "draft",
        "initial",
        "initial",
        "initial",
        "sign",
        "number",
        "handover",
    ]


def test_the_radiographer_inspection_is_marked_as_implied_by_step_3():
    """DESIGN §4: step 3 works 'sesuai hasil BAP dari tim teknis'; the inspection is added and marked."""
    spec = _spec(RADIOGRAFER)
    inspection = [s for s in spec.sop.steps if s.kind == "inspection"]
    assert len(inspection) == 1
    step = inspection[0]
    assert step.implied_by == 3 and step.seed_number is None
    assert not step.provenance.from_seed and "BAP" in step.provenance.source
    assert step.outcomes == ["recommend", "reject"]
    assert spec.sop.steps[step.number].seed_number == 3  # the draft step comes right after


def test_every_radiographer_requirement_is_present_as_written():
    """Persyaratan Pelayanan: the ten items, in order, with legalisation and renewal flags."""
    seed = _seed(RADIOGRAFER)
    line = next(line for line in seed.splitlines() if line.startswith("1.\tPersyaratan Pelayanan"))
    text = _squash(line.split("\t", 2)[2])
    items = [i.strip() for i in re.split(r"\s\d{1,2}\.\s", " " + text.split("(jika ada")[0]) if i.strip()]
    spec = _spec(RADIOGRAFER)
    assert [r.label for r in spec.requirements] == items
    assert len(items) == 10
    by_key = {r.key: r for r in spec.requirements}
    legalised = [r.label for r in spec.requirements if r.legalised]
    assert legalised == ["Foto copy ijazah yang dilegalisir basah", "Foto copy STR yang dilegalisir basah"]
    renewal = [r for r in spec.requirements if r.renewal_only]
    assert [r.label for r in renewal] == ["Surat izin praktik asli (bagi perpanjangan)"]
    assert renewal[0].original
    assert [r.quantity for r in spec.requirements if r.quantity > 1] == [2]
    assert len(by_key) == 10
    assert "mengacu pada peraturan perundang-undangan yang berlaku" in spec.requirements_note


def test_radiographer_delivery_components_are_verbatim():
    spec = _spec(RADIOGRAFER)
    assert spec.completion_time.text == "2 hari kerja (dengan persyaratan lengkap)"
    assert WorkingDuration.parse(spec.completion_time.duration) == WorkingDuration.parse("2 hari")
    assert spec.fee.amount == 0 and "GRATIS" in spec.fee.text
    assert spec.product.name == "Surat Izin Kerja Radiografer"
    assert spec.source.complete


# Headings of the seed's layout: the YAML holds them as structure (field names), not as text.
SEED_HEADINGS = [
    "STANDAR PELAYANAN",
    "A. PENDAHULUAN",
    "B.",
    "JENIS PELAYANAN : IZIN KERJA RADIOGRAFER",
    "SERVICE DELIVERY",
    "NO. KOMPONEN URAIAN",
    "Persyaratan Pelayanan",
    "Sistem, mekanisme, dan prosedur",
    "Jangka waktu penyelesaian",
    "Penanganan pengaduan, saran, dan masukan",
    "JENIS PELAYANAN MANUFACTURING",
    "Dasar Hukum",
    "Sarana, prasarana, dan/atau fasilitas",
    "Jaminan keamanan dan keselamatan pelayanan",
    "Evaluasi kinerja pelaksana",
    "No Kegiatan Pelaksana Mutu Baku Keterangan",
    "Pemohon Front Office Back Office",
    "JF Analis Kebijakan Ahli Muda JF Analis Kebijakan Ahli Madya Sekretaris Kepala Dinas",
    "Kelengkapan Waktu (menit/hari kerja) Output",
    "pada loket pengaduan.",
    "Biaya/tarif",
    "Produk pelayanan",
    "Kompetensi pelaksana",
    "Pengawasan internal",
    "Jumlah pelaksana",
    "Jaminan pelayanan",
    "TOTAL HARI",
]


@pytest.mark.parametrize("code", [RADIOGRAFER, PARAMEDIK])
def test_every_word_of_the_seed_is_in_the_standard(code):
    """
    Clause by clause: every text of the seed appears in the standard, except the layout's headings.

    Mark each stretch of the seed that some text of the YAML reproduces verbatim; what stays
    unmarked may only be headings and list numbers.
    """
    seed = _squash(_seed(code))
    covered = [False] * len(seed)
    for text in _strings(_spec(code).model_dump()):
        for part in text.split("\n"):
            part = _squash(part).lstrip("- ")
            if len(part) < 3:
                continue
            at = seed.find(part)
            while at != -1:
                covered[at : at + len(part)] = [True] * len(part)
                at = seed.find(part, at + 1)
    uncovered = "".join(ch if not hit else "\n" for ch, hit in zip(seed, covered, strict=True))
    leftovers = []
    for run in uncovered.split("\n"):
        for heading in SEED_HEADINGS:
            run = run.replace(heading, " ")
        words = re.findall(r"[A-Za-z]{2,}", run)
        if words:
            leftovers.append(" ".join(words))
    assert leftovers == []


def test_paramedik_clauses_missing_from_the_truncated_seed_are_marked_with_their_source():
    """The paramedik seed lacks its top: whatever fills it is marked as not from the seed."""
    spec = _spec(PARAMEDIK)
    assert not spec.source.complete and spec.source.note
    assert all(not r.provenance.from_seed for r in spec.requirements)
    assert all("Nomor 3 Tahun 2019" in r.provenance.source for r in spec.requirements)
    assert all(not r.provenance.verified for r in spec.requirements)  # secondary source: must be checked
    assert not spec.fee.provenance.from_seed
    assert spec.fee.amount is None  # no fee is stated anywhere the seed points to: not invented
    assert not spec.product.provenance.from_seed
    assert not spec.completion_time.provenance.from_seed
    assert spec.product.name == "Surat Izin Praktik Paramedik Asisten Teknik Reproduksi"
    legal = " ".join(c.text for c in spec.legal_basis)
    assert "Peraturan Menteri Pertanian Nomor 3 Tahun 2019" in legal
    assert not any(s.kind == "inspection" for s in spec.sop.steps)
