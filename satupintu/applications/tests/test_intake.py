"""Intake: the form from the service definition, uploads checked by content, new vs renewal."""

import datetime as dt
import io

import pytest

from satupintu.applications import services
from satupintu.applications.models import Document, Status
from satupintu.applications.tests.conftest import FORM_DATA, PDF, PNG, WIB, Clock, all_sesuai, upload_all
from satupintu.applications.uploads import UploadRejected
from satupintu.core.errors import Conflict, DomainError, PermissionDenied

pytestmark = pytest.mark.django_db
RADIOGRAFER = "izin-kerja-radiografer"


def _new(services_loaded, applicant, *, renewal=False, **changes):
    service = services_loaded[RADIOGRAFER]
    data = {**FORM_DATA[RADIOGRAFER], **changes}
    return services.application_create(
        office=service.office, service=service, actor=applicant, data=data, renewal=renewal
    )


def test_the_form_is_validated_field_by_field_in_indonesian(services_loaded, applicant):
    with pytest.raises(services.InvalidData) as excinfo:
        _new(
            services_loaded,
            applicant,
            nik="1234",
            no_hp="12",
            jenis_kelamin="X",
            tanggal_lahir="15-03-1990",
            tempat_kerja="",
        )
    errors = excinfo.value.errors
    # The NIK comes from the applicant's account (issue 10), so the typed "1234" is not even read.
    assert set(errors) == {"no_hp", "jenis_kelamin", "tanggal_lahir", "tempat_kerja"}
    assert "wajib diisi" in errors["tempat_kerja"]


def test_the_applicant_cannot_put_another_persons_nik_or_name_on_the_file(services_loaded, applicant, staff):
    """Issue 10 (identity): NIK and name come from the account, at creation and on every change."""
    app = _new(services_loaded, applicant, nik="3171014101800001", nama_lengkap="Orang Lain")
    assert app.applicant_nik == applicant.nik and app.data["nik"] == applicant.nik
    assert app.applicant_name == applicant.full_name
    changed = services.application_update_data(
        application=app, actor=applicant, data={**app.data, "nik": "3171014101800001", "nama_lengkap": "Orang Lain"}
    )
    assert changed.applicant_nik == applicant.nik and changed.applicant_name == applicant.full_name


def test_a_counter_application_for_a_nik_with_an_account_appears_in_that_account(services_loaded, applicant, staff):
    """Issue 10 (identity): registered at the counter, the file is linked to the account holding the NIK."""
    service = services_loaded[RADIOGRAFER]
    app = services.application_create(
        office=service.office,
        service=service,
        actor=staff["front_office"],
        data={**FORM_DATA[RADIOGRAFER], "nik": applicant.nik},
        channel="counter",
    )
    assert app.applicant == applicant
    with pytest.raises(services.InvalidData) as excinfo:
        services.application_create(
            office=service.office,
            service=service,
            actor=staff["front_office"],
            data={**FORM_DATA[RADIOGRAFER], "nik": "1234"},
            channel="counter",
        )
    assert "16 angka" in excinfo.value.errors["nik"]


def test_dates_that_must_lie_ahead_or_behind_are_checked(services_loaded, applicant):
    """Issue 10: an STR that expired in 2020 is refused; a birth date in the future is refused."""
    with pytest.raises(services.InvalidData) as excinfo:
        _new(services_loaded, applicant, str_berlaku_sampai="2020-01-01", tanggal_lahir="2099-01-01")
    assert set(excinfo.value.errors) == {"str_berlaku_sampai", "tanggal_lahir"}
    assert "sudah lewat" in excinfo.value.errors["str_berlaku_sampai"]


def test_a_lifetime_str_needs_no_expiry_date(services_loaded, applicant):
    with pytest.raises(services.InvalidData) as excinfo:
        _new(services_loaded, applicant, str_berlaku_sampai="")
    assert set(excinfo.value.errors) == {"str_berlaku_sampai"}
    app = _new(services_loaded, applicant, str_berlaku_sampai="", str_seumur_hidup="on")
    assert app.data["str_seumur_hidup"] is True and "str_berlaku_sampai" not in app.data


def test_a_renewal_requires_the_old_permit_and_its_number(services_loaded, applicant):
    """Seed requirement 10: "Surat izin praktik asli (bagi perpanjangan)"."""
    with pytest.raises(services.InvalidData) as excinfo:
        _new(services_loaded, applicant, renewal=True)
    assert set(excinfo.value.errors) == {"nomor_izin_lama"}
    app = _new(services_loaded, applicant, renewal=True, nomor_izin_lama="503/0112/SIKR/DPM-PTSP/2021")
    keys = [r.key for r in services.spec_for(app).requirements_for(renewal=True)]
    assert "izin_lama" in keys
    upload_all(app, applicant, skip={"izin_lama"})
    with pytest.raises(services.InvalidData) as missing:
        services.application_submit(application=app, actor=applicant)
    assert "Surat izin praktik asli (bagi perpanjangan)" in missing.value.message
    new = _new(services_loaded, applicant)
    assert "izin_lama" not in [r.key for r in services.spec_for(new).requirements_for(renewal=False)]
    assert "nomor_izin_lama" not in new.data
    with pytest.raises(DomainError):
        services.document_attach(
            application=new, actor=applicant, requirement_key="izin_lama", stream=io.BytesIO(PDF), filename="a.pdf"
        )


def test_submission_needs_every_requirement(services_loaded, applicant):
    app = _new(services_loaded, applicant)
    upload_all(app, applicant, skip={"pas_foto", "ktp"})
    with pytest.raises(services.InvalidData) as excinfo:
        services.application_submit(application=app, actor=applicant)
    assert "Foto copy KTP" in excinfo.value.message and "Pas Foto" in excinfo.value.message
    assert app.status == Status.DRAFT


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"Ini bukan PDF, hanya teks yang diberi nama .pdf", "ktp.pdf"),
        (b"GIF89a\x01\x00", "ktp.png"),
        (b"", "ktp.pdf"),
    ],
)
def test_uploads_are_checked_by_content_not_by_name(services_loaded, applicant, content, name):
    app = _new(services_loaded, applicant)
    with pytest.raises(UploadRejected) as excinfo:
        services.document_attach(
            application=app, actor=applicant, requirement_key="ktp", stream=io.BytesIO(content), filename=name
        )
    assert "berkas" in excinfo.value.message.lower()
    assert not Document.objects.exists()


def test_an_upload_over_the_size_limit_is_refused(services_loaded, applicant):
    app = _new(services_loaded, applicant)
    big = io.BytesIO(PDF[:9] + b"0" * (5 * 1024 * 1024))
    with pytest.raises(UploadRejected) as excinfo:
        services.document_attach(
            application=app, actor=applicant, requirement_key="ktp", stream=big, filename="ktp.pdf"
        )
    assert "5 MB" in excinfo.value.message


def test_a_replaced_upload_is_kept_inactive(services_loaded, applicant):
    """Nothing is lost: the earlier file stays on record."""
    app = _new(services_loaded, applicant)
    first = services.document_attach(
        application=app, actor=applicant, requirement_key="pas_foto", stream=io.BytesIO(PNG), filename="foto.png"
    )
    second = services.document_attach(
        application=app, actor=applicant, requirement_key="pas_foto", stream=io.BytesIO(PDF), filename="foto.pdf"
    )
    first.refresh_from_db()
    assert not first.active and second.active
    assert (first.content_type, second.content_type) == ("image/png", "application/pdf")
    assert first.file.read() == PNG


def test_nobody_but_the_applicant_or_the_counter_edits_a_file_and_not_after_submission(
    services_loaded, staff, applicant, make_user
):
    app = _new(services_loaded, applicant)
    with pytest.raises(PermissionDenied):
        services.document_attach(
            application=app, actor=make_user(), requirement_key="ktp", stream=io.BytesIO(PDF), filename="x.pdf"
        )
    with pytest.raises(PermissionDenied):
        services.document_attach(
            application=app, actor=staff["back_office"], requirement_key="ktp", stream=io.BytesIO(PDF), filename="x.pdf"
        )
    upload_all(app, applicant)
    services.application_submit(application=app, actor=applicant)
    with pytest.raises(Conflict):
        services.document_attach(
            application=app, actor=applicant, requirement_key="ktp", stream=io.BytesIO(PDF), filename="x.pdf"
        )
    with pytest.raises(Conflict):
        services.application_update_data(application=app, actor=applicant, data=FORM_DATA[RADIOGRAFER])


def test_an_incomplete_check_needs_a_reason_per_item(services_loaded, staff, applicant):
    """Issue 10 (completeness): nothing counts as judged unless the officer said so; a reason per unmet item."""
    clock = Clock(dt.datetime(2026, 6, 2, 8, 30, tzinfo=WIB))
    app = _new(services_loaded, applicant)
    upload_all(app, applicant)
    app = services.application_submit(application=app, actor=applicant, at=clock.now)
    with pytest.raises(services.InvalidData) as excinfo:
        services.step_complete(
            application=app,
            actor=staff["front_office"],
            step_number=2,
            outcome="incomplete",
            data=all_sesuai(app, ktp=""),
            at=clock.tick(minutes=5),
        )
    assert set(excinfo.value.errors) == {"ktp"}
    # An unjudged checklist is not "lengkap": every item names itself.
    with pytest.raises(services.InvalidData) as unjudged:
        services.step_complete(
            application=app, actor=staff["front_office"], step_number=2, outcome="complete", at=clock.tick(minutes=1)
        )
    spec = services.spec_for(app)
    assert set(unjudged.value.errors) == {r.key for r in spec.requirements_for(renewal=False)}
    with pytest.raises(services.InvalidData):
        services.step_complete(
            application=app, actor=staff["front_office"], step_number=2, outcome="incomplete", at=clock.tick(minutes=5)
        )
    with pytest.raises(services.InvalidData):
        services.step_complete(
            application=app,
            actor=staff["front_office"],
            step_number=2,
            outcome="complete",
            data=all_sesuai(app, ktp="buram"),
            at=clock.tick(minutes=5),
        )


def test_the_submit_step_cannot_be_completed_around_the_checks(services_loaded, applicant):
    """Completing step 1 directly applies the same checks as application_submit."""
    app = _new(services_loaded, applicant)
    with pytest.raises(services.InvalidData):
        services.step_complete(application=app, actor=applicant, step_number=1, outcome="submitted")
