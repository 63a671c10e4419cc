"""The importer's small readers: times, requirement wording, fees, headings, channels, roles."""

import pytest

from satupintu.catalogue.importing import import_standard
from satupintu.catalogue.importing.clauses import complaints_of, fee_of, requirement_of
from satupintu.catalogue.importing.reader import numbered_heading
from satupintu.catalogue.importing.report import ImportReport
from satupintu.catalogue.importing.sop import RoleNames, guess_kind, parse_time, suggested_outcomes
from satupintu.workdays import WorkingDuration


@pytest.mark.parametrize(
    ("written", "time", "remark"),
    [
        ("3 menit", "3 menit", False),
        ("1 hari", "1 hari", False),
        ("1 hari kerja", "1 hari kerja", False),
        ("12 (dua belas) hari kerja", "12 hari kerja", False),
        ("30 Menit", "30 menit", False),
        ("2 jam", "2 jam", False),
        ("-", "0 menit", True),
        ("1 x 24 jam", "1 hari", True),
        ("secepatnya", "0 menit", True),
    ],
)
def test_a_time_standard_is_read_as_the_engine_counts_it(written, time, remark):
    parsed, note = parse_time(written)
    assert parsed == time and bool(note) is remark
    WorkingDuration.parse(parsed)


@pytest.mark.parametrize(
    ("label", "flags"),
    [
        ("Pas Foto 3x4 sebanyak 2 lembar", {"quantity": 2}),
        ("Pas foto berwarna 4x6 tiga lembar", {"quantity": 3}),
        ("Foto copy KTP", {"photocopy": True}),
        ("Fotokopi ijazah yang dilegalisir basah", {"photocopy": True, "legalised": True}),
        ("Surat izin praktik asli (bagi perpanjangan)", {"original": True, "renewal_only": True}),
        ("Surat pernyataan (khusus permohonan baru)", {"new_only": True}),
        ("Surat keterangan domisili untuk izin baru", {"new_only": True}),
        ("Surat Rekomendasi dari organisasi profesi", {}),
    ],
)
def test_requirement_flags_come_from_the_wording(label, flags):
    requirement = requirement_of(label)
    assert {k: v for k, v in requirement.items() if k != "label"} == flags


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("Pelayanan ini tidak berbiaya (GRATIS)", 0),
        ("Gratis", 0),
        ("Rp. 150.000,- (seratus lima puluh ribu rupiah)", 150000),
        ("Retribusi sesuai Peraturan Daerah Nomor 3 Tahun 2023: luas bangunan x indeks x tarif", None),
        ("Izin gratis; Pajak Reklame menurut Perda Nomor 1 Tahun 2024", None),
        ("Rp 5.000 per meter persegi luas bidang reklame", None),
    ],
)
def test_a_fee_is_zero_an_amount_or_left_unknown_with_its_text(text, amount):
    fee = fee_of(text)
    assert fee["amount"] == amount and fee["text"] == text


def test_a_numbered_heading_in_capitals_or_with_its_colon():
    assert numbered_heading("3. JANGKA WAKTU : 12 Hari") == ("completion_time", "JANGKA WAKTU", "12 Hari")
    assert numbered_heading("1. PERSYARATAN PELAYANAN a. Surat permohonan") == (
        "requirements",
        "PERSYARATAN PELAYANAN",
        "a. Surat permohonan",
    )
    assert numbered_heading("4. Biaya/tarif : Gratis") == ("fee", "Biaya/tarif", "Gratis")
    assert numbered_heading("2. Fotokopi KTP") is None
    assert numbered_heading("5. Persyaratan teknis dipenuhi pemohon") is None


def test_the_issues_one_line_numbered_list_is_split_at_its_headings():
    """ "1. PERSYARATAN PELAYANAN a. … 3. JANGKA WAKTU : 12 Hari 4. BIAYA/TARIF : Gratis …" on one line."""
    text = (
        "STANDAR PELAYANAN IZIN TRAYEK\n"
        "1. PERSYARATAN PELAYANAN a. Surat permohonan b. Fotokopi STNK yang dilegalisir 2. SISTEM, MEKANISME "
        "DAN PROSEDUR : Terlampir 3. JANGKA WAKTU : 12 Hari 4. BIAYA/TARIF : Gratis 5. PRODUK PELAYANAN : "
        "Surat Izin Trayek\n"
        "PROSEDUR\n"
        "1. Pemohon menyerahkan berkas (Pelaksana: Pemohon; Waktu: 15 menit; Output: Berkas)\n"
        "2. Petugas memeriksa kelengkapan berkas (Pelaksana: Petugas Loket; Waktu: 1 hari kerja)\n"
        "3. Kepala Dinas menandatangani surat izin (Pelaksana: Kepala Dinas; Waktu: 12 (dua belas) hari kerja)\n"
        "4. Pemohon menerima surat izin (Pelaksana: Petugas Loket, Pemohon; Waktu: -)\n"
    )
    result = import_standard(text.encode(), "trayek.txt")
    spec = result.definition
    assert [r.label for r in spec.requirements] == ["Surat permohonan", "Fotokopi STNK yang dilegalisir"]
    assert (spec.completion_time.text, spec.completion_time.duration) == ("12 Hari", "12 hari")
    assert (spec.fee.amount, spec.product.name, spec.procedure) == (0, "Surat Izin Trayek", "Terlampir")
    assert [(s.kind, s.time, s.output) for s in spec.sop.steps] == [
        ("submit", "15 menit", "Berkas"),
        ("completeness_check", "1 hari kerja", ""),
        ("sign", "12 hari kerja", ""),
        ("handover", "0 menit", ""),
    ]
    assert "Dasar hukum" in result.report.components_missing
    assert {f.field for f in result.report.filled} >= {"legal_basis", "complaints", "staff_count"}
    assert len(result.report.accounted_lines) == result.report.total_lines == 7
    # No SOP table: the steps the engine requires are added, each listed in the report.
    bare = import_standard(text.split("PROSEDUR\n")[0].encode(), "trayek.txt")
    assert [(g.step, g.kind) for g in bare.report.guessed_kinds] == [
        (1, "submit"),
        (2, "completeness_check"),
        (3, "handover"),
    ]
    assert all(not s.provenance.from_seed for s in bare.definition.sop.steps)


@pytest.mark.parametrize(
    ("activity", "kind"),
    [
        ("Pemohon memasukan berkas ke loket penerimaan", "submit"),
        ("Petugas menerima dan memeriksa berkas permohonan izin dari Pemohon", "completeness_check"),
        ("Tim teknis melakukan peninjauan lapangan", "inspection"),
        ("Petugas membuat Surat Izin sesuai hasil BAP dari tim teknis", "draft"),
        ("Kasubid memaraf konsep surat", "initial"),
        ("Kepala Dinas Menandatangani Surat Izin", "sign"),
        ("Petugas memberi nomor Surat Izin", "number"),
        ("Pemohon menerima Surat Izin", "handover"),
    ],
)
def test_a_step_kind_is_suggested_from_the_wording(activity, kind):
    assert guess_kind(activity, first=False, last=False)[0] == kind


def test_a_refusal_is_not_suggested_where_the_step_returns_the_file():
    """The counter returns an incomplete file; it refuses only where the wording says so."""
    returned = suggested_outcomes("completeness_check", "Jika tidak lengkap, dikembalikan ke pemohon")
    refused = suggested_outcomes(
        "completeness_check", "dikembalikan ke pemohon atau ditolak bila tidak memenuhi syarat"
    )
    assert "reject" not in returned and "reject" in refused


def test_office_role_names_come_before_the_built_in_ones():
    report = ImportReport(source="x", form="", container="")
    names = RoleNames({"Kepala Bidang Perizinan": "analis_madya", "Petugas Desk": ["back_office"]}, report)
    assert names.leading("Kepala Bidang Perizinan memaraf") == ("Kepala Bidang Perizinan", ["analis_madya"])
    assert names.leading("Petugas Desk memberikan informasi") == ("Petugas Desk", ["back_office"])
    assert names.leading("Petugas menerima berkas") == ("petugas", [])
    assert names.leading("Kasubid Pelayanan memverifikasi berkas") == ("Kasubid Pelayanan", None)
    assert names.leading("Kepala Bidang Pelayanan memaraf") == ("Kepala Bidang Pelayanan", None)
    assert RoleNames(None, report).leading("Kepala Bidang memaraf") == ("Kepala Bidang", None)


def test_complaint_channels_are_read_with_their_contacts():
    complaints = complaints_of(
        "Pengaduan melalui: a. Kotak saran b. Email: aduan@contoh.go.id atau Website : www.contoh.go.id "
        "c. Telp. (0761) 28262 Fax (0761) 42003 atau SMS 08117515133 d. Langsung ke loket"
    )
    assert [c["kind"] for c in complaints["channels"]] == ["letter", "internet", "phone", "in_person"]
    assert complaints["channels"][1]["email"] == "aduan@contoh.go.id"
    assert complaints["channels"][1]["website"] == "www.contoh.go.id"
    phone = complaints["channels"][2]
    assert (phone["phone"], phone["fax"], phone["sms"]) == ("(0761) 28262", "(0761) 42003", "08117515133")
