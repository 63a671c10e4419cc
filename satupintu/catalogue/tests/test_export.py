"""Export: a standard written as YAML loads back to the same checksum (issue 11, item 7)."""

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from satupintu.catalogue.importing import export_standard
from satupintu.catalogue.loader import canonical_json, parse_standard, standard_files, standard_load
from satupintu.catalogue.models import ServiceStandardVersion

pytestmark = pytest.mark.django_db

SHIPPED = standard_files(settings.SATUPINTU_STANDARDS_DIR)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_load_export_load_gives_the_same_checksum(office, path):
    """A shipped standard, loaded, exported and loaded again, is the same version (no new one)."""
    first = standard_load(office=office, text=path.read_text(encoding="utf-8"), path=path.name)
    exported = export_standard(first.version)
    assert canonical_json(parse_standard(exported))[1] == first.version.checksum
    again = standard_load(office=office, text=exported, path="ekspor.yaml")
    assert not again.created and again.version.pk == first.version.pk
    assert exported.startswith("# Standar Pelayanan ")
    assert "provenance: {}" not in exported and "from_seed: true" not in exported


def test_an_exported_standard_loads_unchanged_into_another_office(office, make_office):
    """Offices share standards: the file another office loads has the same content checksum."""
    path = SHIPPED[0]
    first = standard_load(office=office, text=path.read_text(encoding="utf-8"), path=path.name)
    other = make_office(slug="dpmptsp-kabupaten-siak", name="DPMPTSP Kabupaten Siak", region="Kabupaten Siak")
    copied = standard_load(office=other, text=export_standard(first.version), path="dari-pekanbaru.yaml")
    assert copied.created and copied.version.checksum == first.version.checksum


def test_the_export_command_writes_a_chosen_version(office, tmp_path, minimal_standard, capsys):
    from satupintu.catalogue.tests.conftest import as_yaml

    standard_load(office=office, text=as_yaml(minimal_standard))
    minimal_standard["fee"] = {"amount": 50000, "text": "Rp 50.000"}
    second = standard_load(office=office, text=as_yaml(minimal_standard)).version
    out = tmp_path / "v1.yaml"
    call_command(
        "standard_export", "--office", office.slug, "--service", "izin-contoh", "--version", "1", "--out", str(out)
    )
    assert "izin-contoh: v1" in capsys.readouterr().out
    first = ServiceStandardVersion.objects.get(service__code="izin-contoh", version=1)
    assert canonical_json(parse_standard(out.read_text()))[1] == first.checksum
    latest = tmp_path / "baru.yaml"
    call_command("standard_export", "--office", office.slug, "--service", "izin-contoh", "--out", str(latest))
    assert canonical_json(parse_standard(latest.read_text()))[1] == second.checksum
    assert "amount: 50000" in latest.read_text()


def test_the_export_command_refuses_an_unknown_service_or_version(office, tmp_path):
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("standard_export", "--office", office.slug, "--service", "tidak-ada", "--out", str(tmp_path / "x"))
    standard_load(office=office, text=SHIPPED[0].read_text(encoding="utf-8"))
    with pytest.raises(CommandError, match="versi 7"):
        call_command(
            "standard_export",
            "--office",
            office.slug,
            "--service",
            SHIPPED[0].stem,
            "--version",
            "7",
            "--out",
            str(tmp_path / "x"),
        )


def test_an_imported_draft_loads_and_exports_back_unchanged(office):
    """Import → load → export → load: the same checksum, so a shared draft travels intact."""
    from pathlib import Path

    from satupintu.catalogue.importing import import_standard

    source = Path(__file__).parent / "documents" / "izin-reklame.txt"
    draft = import_standard(source.read_bytes(), source.name).yaml_text
    loaded = standard_load(office=office, text=draft, path="draf.yaml")
    exported = export_standard(loaded.version)
    assert canonical_json(parse_standard(exported))[1] == loaded.version.checksum
    assert not standard_load(office=office, text=exported).created
