import pytest

from satupintu.catalogue.loader import StandardFileError, parse_standard, standard_load
from satupintu.catalogue.models import Service, ServiceStandardVersion
from satupintu.catalogue.tests.conftest import as_yaml
from satupintu.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_loading_is_idempotent_and_a_change_makes_a_new_version(office, minimal_standard):
    """Unchanged content loads to nothing new; changed content becomes version 2, version 1 stays."""
    first = standard_load(office=office, text=as_yaml(minimal_standard), path="standards/contoh.yaml")
    again = standard_load(office=office, text=as_yaml(minimal_standard), path="standards/contoh.yaml")
    assert first.created and not again.created
    assert again.version.pk == first.version.pk
    minimal_standard["sop"]["steps"][1]["time"] = "20 menit"
    changed = standard_load(office=office, text=as_yaml(minimal_standard), path="standards/contoh.yaml")
    assert changed.created and changed.version.version == 2
    assert Service.objects.filter(office=office).count() == 1
    versions = ServiceStandardVersion.objects.filter(service=first.service).order_by("version")
    assert [v.definition["sop"]["steps"][1]["time"] for v in versions] == ["10 menit", "20 menit"]
    assert AuditEvent.objects.filter(action="standard.load").count() == 2


def test_the_same_standard_in_two_offices_is_two_services(office, make_office, minimal_standard):
    other = make_office()
    standard_load(office=office, text=as_yaml(minimal_standard))
    standard_load(office=other, text=as_yaml(minimal_standard))
    assert Service.objects.filter(code="izin-contoh").count() == 2


def test_key_order_and_formatting_do_not_make_a_new_version(office, minimal_standard):
    standard_load(office=office, text=as_yaml(minimal_standard))
    reordered = dict(reversed(list(minimal_standard.items())))
    assert not standard_load(office=office, text=as_yaml(reordered)).created


def _problems(text):
    with pytest.raises(StandardFileError) as excinfo:
        parse_standard(text, path="standards/rusak.yaml")
    return excinfo.value


def test_a_missing_field_is_named_with_the_file(minimal_standard):
    del minimal_standard["fee"]
    error = _problems(as_yaml(minimal_standard))
    assert ("fee", "wajib diisi") in error.problems
    assert "standards/rusak.yaml: fee: wajib diisi" in error.message


def test_an_unparseable_time_standard_is_named_by_step(minimal_standard):
    minimal_standard["sop"]["steps"][1]["time"] = "sebentar"
    error = _problems(as_yaml(minimal_standard))
    fields = [field for field, _ in error.problems]
    assert fields == ["sop.steps[1].time"]
    assert "sebentar" in error.message or "waktu" in error.message.lower()


def test_an_outcome_the_step_kind_does_not_allow_is_refused(minimal_standard):
    minimal_standard["sop"]["steps"][2]["outcomes"] = ["approve", "publish"]
    error = _problems(as_yaml(minimal_standard))
    assert error.problems[0][0] == "sop.steps[2]"
    assert "publish" in error.problems[0][1]


def test_an_unknown_role_and_an_unknown_field_are_refused(minimal_standard):
    minimal_standard["sop"]["steps"][2]["roles"] = ["walikota"]
    minimal_standard["requirements"][0]["legalized"] = True
    error = _problems(as_yaml(minimal_standard))
    fields = dict(error.problems)
    assert "peran tidak dikenal: walikota" in fields["sop.steps[2].roles"]
    assert "kolom tidak dikenal" in fields["requirements[0].legalized"]


def test_steps_out_of_order_and_a_flow_without_completeness_check_are_refused(minimal_standard):
    minimal_standard["sop"]["steps"][1]["number"] = 5
    assert "berurutan" in _problems(as_yaml(minimal_standard)).message
    minimal_standard["sop"]["steps"][1]["number"] = 2
    minimal_standard["sop"]["steps"][1]["kind"] = "draft"
    minimal_standard["sop"]["steps"][1]["outcomes"] = ["drafted"]
    assert "completeness_check" in _problems(as_yaml(minimal_standard)).message


def test_a_clause_not_from_the_seed_must_name_its_source(minimal_standard):
    minimal_standard["fee"]["provenance"] = {"from_seed": False}
    error = _problems(as_yaml(minimal_standard))
    assert error.problems[0][0] == "fee.provenance"
    assert "sumber" in error.problems[0][1]


def test_duplicate_requirement_keys_are_refused(minimal_standard):
    minimal_standard["requirements"][1]["key"] = "surat_permohonan"
    assert "kunci persyaratan ganda" in _problems(as_yaml(minimal_standard)).message


def test_broken_yaml_is_reported_with_its_line():
    error = _problems("code: izin\nname: [tidak ditutup\n")
    assert "bukan YAML yang sah" in error.message and "baris" in error.message


def test_a_file_that_is_not_a_mapping_is_refused():
    assert "pemetaan" in _problems("- satu\n- dua\n").message


def test_an_invalid_file_loads_nothing(office, minimal_standard):
    minimal_standard["sop"]["steps"] = minimal_standard["sop"]["steps"][:1]
    with pytest.raises(StandardFileError):
        standard_load(office=office, text=as_yaml(minimal_standard))
    assert not Service.objects.exists()


def test_search_text_leaves_out_provenance(office, minimal_standard):
    """Searching 'Permentan' must not find a service only because a clause cites where it came from."""
    minimal_standard["fee"]["provenance"] = {"from_seed": False, "source": "Permentan 3/2019"}
    result = standard_load(office=office, text=as_yaml(minimal_standard))
    assert "permentan" not in result.version.search_text
    assert "surat izin contoh" in result.version.search_text
