from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from satupintu.catalogue.loader import standard_files
from satupintu.catalogue.models import ServiceStandardVersion
from satupintu.catalogue.tests.conftest import as_yaml

pytestmark = pytest.mark.django_db


def test_load_standards_loads_the_shipped_files_once(office, capsys):
    call_command("load_standards", "--office", office.slug)
    out = capsys.readouterr().out
    assert "izin-kerja-radiografer: v1 (versi baru)" in out
    call_command("load_standards", "--office", office.slug)
    assert "v1 (tidak berubah)" in capsys.readouterr().out
    shipped = standard_files(Path(settings.SATUPINTU_STANDARDS_DIR))
    assert ServiceStandardVersion.objects.filter(office=office).count() == len(shipped) >= 3


def test_load_standards_rejects_a_broken_file_naming_file_field_and_problem(office, tmp_path, minimal_standard):
    minimal_standard["sop"]["steps"][1]["time"] = "tiga menit"
    broken = tmp_path / "rusak.yaml"
    broken.write_text(as_yaml(minimal_standard))
    with pytest.raises(CommandError) as excinfo:
        call_command("load_standards", str(broken), "--office", office.slug)
    message = str(excinfo.value)
    assert "rusak.yaml: sop.steps[1].time:" in message
    assert not ServiceStandardVersion.objects.exists()


def test_check_mode_validates_without_loading(tmp_path, minimal_standard, capsys, db):
    good = tmp_path / "baik.yaml"
    good.write_text(as_yaml(minimal_standard))
    call_command("load_standards", str(good), "--check")
    assert "sah:" in capsys.readouterr().out
    assert not ServiceStandardVersion.objects.exists()


def test_an_unknown_office_is_refused(tmp_path):
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("load_standards", "--office", "kantor-tidak-ada")
