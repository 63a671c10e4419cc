"""
Importing published standards in the other forms offices publish (issue 11, item 2).

The documents in ``tests/documents/`` are written for these tests (permits other than the
seeds'): a numbered list with a tax under a Perda as its fee (izin reklame), an HTML table export
with a field inspection by the Tim Teknis and another agency's recommendation (menara
telekomunikasi), and the seeds' table form with the office's own role names and a twelve-day
completion time (toko swalayan). ``generate.py`` made the PDF and the DOCX from two of them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from satupintu.catalogue.importing import StandardImportError, import_standard, role_map_parse
from satupintu.catalogue.loader import parse_standard

DOCUMENTS = Path(__file__).parent / "documents"
REKLAME = DOCUMENTS / "izin-reklame.txt"
MENARA = DOCUMENTS / "izin-menara-telekomunikasi.html"
SWALAYAN = DOCUMENTS / "izin-usaha-toko-swalayan.txt"
ALL = [REKLAME, MENARA, SWALAYAN, DOCUMENTS / "izin-reklame.pdf", DOCUMENTS / "izin-usaha-toko-swalayan.docx"]
OFFICE_ROLES = {
    "Petugas Tata Usaha": "back_office",
    "Kasubid Pelayanan": "analis_muda",
    "Kepala Bidang Perizinan": "analis_madya",
}


def _import(path: Path, **kwargs):
    return import_standard(path.read_bytes(), path.name, **kwargs)


def test_a_numbered_list_with_a_tax_under_a_perda_as_its_fee():
    """The fee names a tax under another regulation: kept as text, the amount left unknown and reported."""
    result = _import(REKLAME)
    spec, report = result.definition, result.report
    assert report.form == "numbered_list"
    assert spec.name == "Izin Penyelenggaraan Reklame"
    assert spec.source.publisher == "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Siak"
    assert spec.fee.amount is None
    assert "Peraturan Daerah Kabupaten Siak Nomor 1 Tahun 2024" in spec.fee.text and "25%" in spec.fee.text
    assert any("pajak" in note for note in report.notes)
    assert (spec.completion_time.duration, spec.completion_time.condition) == (
        "5 hari",
        "sejak berkas dinyatakan lengkap",
    )
    by_label = {r.label: r for r in spec.requirements}
    assert by_label["Fotokopi KTP pemohon"].photocopy
    assert by_label["Foto lokasi titik reklame berwarna sebanyak 2 lembar"].quantity == 2
    lama = by_label["Izin reklame lama asli (khusus perpanjangan)"]
    assert lama.original and lama.renewal_only
    assert [c.kind for c in spec.complaints.channels] == ["letter", "internet", "phone", "in_person"]
    assert spec.complaints.channels[1].email == "pengaduan@dpmptsp.siakkab.go.id"
    assert spec.complaints.channels[2].sms == "081266001122"
    assert [c.label for c in spec.complaints.procedure] == ["e."]
    steps = spec.sop.steps
    assert [(s.kind, s.roles[0], s.time) for s in steps] == [
        ("submit", "pemohon", "10 menit"),
        ("completeness_check", "front_office", "30 menit"),
        ("draft", "back_office", "1 hari"),
        ("sign", "kepala_dinas", "1 hari kerja"),
        ("number", "back_office", "0 menit"),
        ("handover", "front_office", "5 menit"),
    ]
    assert any("Langkah 5" in note and "“-”" in note for note in report.notes)
    assert steps[1].outcomes == ["complete", "incomplete"]  # returned to the applicant, not refused
    assert spec.sop.total_time == "5 hari kerja"
    assert [(u.text, u.reason) for u in report.unplaced_lines] == [("Halaman 1 dari 2", "nomor halaman")]


def test_an_html_table_with_a_field_inspection_and_another_agencys_recommendation():
    """Components in any order; the SOP's Pelaksana marks give the roles; an agency no code names is reported."""
    result = _import(MENARA)
    spec, report = result.definition, result.report
    assert (report.form, report.container) == ("table", "html")
    assert report.components_missing == []
    assert spec.product.name == "Surat Izin Mendirikan Menara Telekomunikasi"
    assert spec.fee.amount == 0
    assert spec.procedure == "Bagan alir terlampir"
    assert spec.completion_time.duration == "14 hari"
    by_label = {r.label: r for r in spec.requirements}
    assert by_label["Gambar rencana teknis menara rangkap 3 (tiga)"].quantity == 3
    assert by_label["Fotokopi akta pendirian perusahaan yang dilegalisir"].legalised
    assert "Rekomendasi dari Dinas Komunikasi dan Informatika Kota Dumai" in by_label
    inspection = spec.sop.steps[2]
    assert (inspection.kind, inspection.roles, inspection.time) == ("inspection", ["tim_teknis"], "5 hari kerja")
    assert inspection.outcomes == ["recommend", "reject"]
    assert inspection.note == "Bersama kelurahan setempat"
    recommendation = spec.sop.steps[3]
    assert recommendation.kind == "inspection" and "Dinas Kominfo" in recommendation.note
    assert [(u.name, u.where) for u in report.unmapped_roles] == [("Dinas Kominfo", ["langkah 4"])]
    guessed = {g.step: g for g in report.guessed_kinds}
    assert guessed[4].because == "kata “rekomendasi teknis”"
    assert guessed[8].roles == ["front_office", "pemohon"] and guessed[8].roles_note == "kolom Pelaksana"
    assert [c.roles for c in spec.competence] == [
        ["front_office"],
        ["tim_teknis"],
    ]
    assert [u.text for u in report.unplaced_lines] == ["Ditetapkan di Dumai"]


def test_the_offices_own_role_names_are_reported_until_mapped():
    """Kepala Bidang Perizinan, Kasubid Pelayanan, Petugas Tata Usaha: unknown to the built-in names."""
    result = _import(SWALAYAN)
    spec, report = result.definition, result.report
    assert spec.completion_time.text == "12 (dua belas) hari kerja (sejak berkas lengkap dan benar)"
    assert (spec.completion_time.duration, spec.completion_time.condition) == (
        "12 hari",
        "sejak berkas lengkap dan benar",
    )
    assert spec.fee.amount == 150000
    unmapped = {u.name: u.where for u in report.unmapped_roles}
    assert unmapped == {
        "Petugas Tata Usaha": ["langkah 3", "langkah 7", "kompetensi pelaksana"],
        "Kasubid Pelayanan": ["langkah 4", "kompetensi pelaksana"],
        "Kepala Bidang Perizinan": ["langkah 5"],
    }
    # Nothing dropped: the name stays on the step until someone maps it.
    assert "Kasubid Pelayanan" in spec.sop.steps[3].note

    mapped = _import(SWALAYAN, role_map=OFFICE_ROLES)
    assert mapped.report.unmapped_roles == []
    assert [s.roles for s in mapped.definition.sop.steps] == [
        ["pemohon", "front_office"],
        ["front_office"],
        ["back_office"],
        ["analis_muda"],
        ["analis_madya"],
        ["kepala_dinas"],
        ["back_office"],
        ["front_office", "pemohon"],
    ]
    assert [s.kind for s in mapped.definition.sop.steps][3:5] == ["initial", "initial"]
    assert [c.roles for c in mapped.definition.competence] == [["back_office"], ["analis_muda"]]
    assert mapped.definition.sop.steps[3].note == ""


@pytest.mark.parametrize(("generated", "source"), [(ALL[3], REKLAME), (ALL[4], SWALAYAN)], ids=["pdf", "docx"])
def test_a_pdf_or_docx_imports_as_its_text_does(generated, source):
    """The text of the PDF (pypdf) and of the DOCX (python-docx) gives the same draft as the source text."""
    from_text = _import(source, role_map=OFFICE_ROLES).definition.model_dump(mode="json")
    result = _import(generated, role_map=OFFICE_ROLES)
    assert result.report.container == generated.suffix[1:]
    from_file = result.definition.model_dump(mode="json")
    assert from_file["source"].pop("document") == generated.name
    from_text["source"].pop("document")
    assert from_file == from_text


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_every_line_of_a_document_is_placed_or_listed(path):
    """Nothing dropped silently: every non-blank line fed a component or is listed with a reason."""
    result = _import(path)
    report = result.report
    assert report.total_lines > 20
    assert len(report.accounted_lines) == report.total_lines
    assert all(u.reason for u in report.unplaced_lines)
    data = json.loads(report.as_json())
    assert data["placed_lines"] + len({u["line"] for u in data["unplaced_lines"]} - set(report.placed_lines)) == (
        report.total_lines
    )


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_every_draft_is_a_valid_standard_file(path):
    """The YAML written is what the loader reads, and equal to the draft's definition."""
    result = _import(path)
    assert parse_standard(result.yaml_text) == result.definition
    assert result.yaml_text.startswith("# Draf hasil impor dari ")


def test_the_import_command_writes_the_draft_and_the_report(office, tmp_path, capsys):
    out, report, roles = tmp_path / "draf.yaml", tmp_path / "laporan.json", tmp_path / "peran.yaml"
    roles.write_text("Petugas Tata Usaha: back_office\nKasubid Pelayanan: [analis_muda]\n", encoding="utf-8")
    call_command(
        "standard_import",
        str(SWALAYAN),
        "--office",
        office.slug,
        "--out",
        str(out),
        "--report",
        str(report),
        "--roles",
        str(roles),
    )
    printed = capsys.readouterr().out
    assert "izin-usaha-toko-swalayan, 8 langkah" in printed
    assert "peran belum dipetakan: Kepala Bidang Perizinan (langkah 5)" in printed
    call_command("load_standards", str(out), "--check")
    assert "sah:" in capsys.readouterr().out
    data = json.loads(report.read_text(encoding="utf-8"))
    assert [u["name"] for u in data["unmapped_roles"]] == ["Kepala Bidang Perizinan"]
    assert data["total_lines"] == 29 and data["placed_lines"] == 29
    assert {"step", "kind", "because", "outcomes", "roles"} <= set(data["guessed_kinds"][0])


def test_the_import_command_refuses_bad_input_in_indonesian(office, tmp_path):
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("standard_import", str(tmp_path / "tidak-ada.txt"), "--office", office.slug, "--out", "x")
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("standard_import", str(REKLAME), "--office", "kantor-tidak-ada", "--out", str(tmp_path / "x"))
    broken = tmp_path / "rusak.pdf"
    broken.write_bytes(b"%PDF-1.4 bukan pdf")
    with pytest.raises(CommandError, match="PDF tidak dapat dibaca"):
        call_command("standard_import", str(broken), "--office", office.slug, "--out", str(tmp_path / "x"))
    letter = tmp_path / "surat.txt"
    letter.write_text("Yth. Bapak Kepala Dinas\nDengan hormat, kami mohon informasi.\n", encoding="utf-8")
    with pytest.raises(CommandError, match="tidak memuat komponen Standar Pelayanan"):
        call_command("standard_import", str(letter), "--office", office.slug, "--out", str(tmp_path / "x"))


def test_a_role_map_must_name_codes():
    assert role_map_parse("Kasubid Pelayanan: analis_muda") == {"Kasubid Pelayanan": "analis_muda"}
    with pytest.raises(StandardImportError, match="Kasubid"):
        role_map_parse("Kasubid: {a: 1}")
    with pytest.raises(StandardImportError):
        role_map_parse("- daftar")


@pytest.mark.parametrize("path", [REKLAME, MENARA], ids=lambda p: p.name)
def test_a_document_missing_any_one_line_still_gives_a_valid_draft(path):
    """Robustness: whatever line a copy lost, the draft validates and every line is accounted for."""
    lines = path.read_text(encoding="utf-8").split("\n")
    for index in range(len(lines)):
        text = "\n".join(lines[:index] + lines[index + 1 :])
        report = import_standard(text.encode(), path.name).report
        assert len(report.accounted_lines) == report.total_lines, index


def test_a_role_map_naming_a_code_the_schema_does_not_know_is_refused_at_the_field():
    """A mapping to a code that is neither built-in nor the office's own says where it fails."""
    with pytest.raises(StandardImportError) as excinfo:
        _import(SWALAYAN, role_map={"Kasubid Pelayanan": "kasubid_pelayanan"})
    assert excinfo.value.code == "invalid_draft"
    assert "sop.steps[3].roles: peran tidak dikenal: kasubid_pelayanan" in excinfo.value.message
