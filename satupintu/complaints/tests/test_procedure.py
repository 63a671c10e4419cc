"""
Seed clause 6 "Penanganan pengaduan, saran, dan masukan", walked one channel (a.1–a.4) and one
weight (b–e) at a time, with the reply going back on the channel the complaint came in (f–i).
"""

import datetime as dt

import pytest

from satupintu.complaints import services
from satupintu.complaints.chain import history_verify
from satupintu.complaints.models import Complaint, ComplaintStatus
from satupintu.complaints.tests.conftest import MONDAY, pdf_file
from satupintu.core.errors import Conflict, InvalidData, PermissionDenied
from satupintu.notifications.models import Notice, OfficeTask

pytestmark = pytest.mark.django_db


def _register(office, officers, channel, **extra):
    fields = {"name": "Budi Santoso", "description": "Berkas saya belum diproses setelah satu minggu."}
    fields.update(extra)
    actor = None if channel in {"website", "email"} else officers["pengelola_pengaduan"]
    return services.complaint_register(office=office, channel=channel, actor=actor, at=MONDAY, **fields)


def _actions(complaint):
    return [e.action for e in complaint.events.order_by("seq")]


# --- a. channels, f–i. replies on the same channel ------------------------------------------------


def test_a1_letter_from_the_suggestion_box_is_registered_with_its_scan_and_answered_by_letter(office, officers, fake):
    """a.1 + f: a letter (kotak saran) is registered by the officer with its scan; the reply is a letter to post."""
    complaint = _register(
        office, officers, "letter", source="kotak saran", address="Jl. Sudirman 1, Pekanbaru", attachments=[pdf_file()]
    )
    assert complaint.ticket.startswith("PKU-PGD-2026-")
    assert complaint.attachments.get().content_type == "application/pdf"
    assert complaint.status == ComplaintStatus.RECEIVED
    services.complaint_triage(
        complaint=complaint, actor=officers["pengelola_pengaduan"], weight="ringan", category="prosedur"
    )
    assert services.reply_methods_for(Complaint.objects.get(pk=complaint.pk)) == ["letter"]  # no phone given
    done = services.complaint_reply(
        complaint=complaint, actor=officers["pengelola_pengaduan"], method="letter", text="Berkas Anda sudah diproses."
    )
    assert done.status == ComplaintStatus.ANSWERED
    letter = done.events.get(action="reply").data["letter"]
    assert "Tanggapan atas pengaduan nomor " + done.ticket in letter and "Jl. Sudirman 1" in letter
    task = OfficeTask.objects.get(kind="post_complaint_reply")
    assert task.role == "pengelola_pengaduan" and done.ticket in task.title


def test_a1_letter_with_a_phone_number_may_be_answered_by_phone(office, officers, fake):
    """f: "via telepon ... (apabila pihak pengadu mencantumkan nomor telepon untuk klarifikasi)"."""
    complaint = _register(office, officers, "letter", phone="081234567890")
    services.complaint_triage(complaint=complaint, actor=officers["pengelola_pengaduan"], weight="ringan")
    assert services.reply_methods_for(Complaint.objects.get(pk=complaint.pk)) == ["letter", "phone"]
    done = services.complaint_reply(
        complaint=complaint,
        actor=officers["pengelola_pengaduan"],
        method="phone",
        text="Dijelaskan bahwa berkas sudah lengkap.",
        contact_result="Diterima oleh pengadu",
    )
    reply = done.events.get(action="reply")
    assert reply.data["number"] == "+6281234567890" and reply.data["contact_result"] == "Diterima oleh pengadu"


def test_a2_email_complaint_is_answered_by_email_through_the_outbox(office, officers, fake):
    """a.2 + g: "Pengaduan melalui email akan dibalas ... melalui email" — received and answered notices."""
    complaint = _register(office, officers, "email", email="budi@example.com")
    received = Notice.objects.get(event="complaint.received", channel="email")
    assert complaint.ticket in received.subject and received.related_id == complaint.ticket
    services.complaint_triage(complaint=complaint, actor=officers["pengelola_pengaduan"], weight="ringan")
    with pytest.raises(InvalidData) as refused:
        services.complaint_reply(complaint=complaint, actor=officers["pengelola_pengaduan"], method="phone", text="x")
    assert "method" in refused.value.errors
    services.complaint_reply(
        complaint=complaint, actor=officers["pengelola_pengaduan"], method="email", text="Izin Anda terbit besok."
    )
    answered = Notice.objects.get(event="complaint.answered", channel="email")
    assert "Izin Anda terbit besok." in answered.text and answered.recipient == "budi@example.com"


def test_a2_website_complaint_needs_no_officer_and_may_be_anonymous(office, officers, fake):
    """a.2: the website form registers itself; an anonymous complainant keeps no name or address."""
    complaint = _register(office, officers, "website", name="Rahasia", address="Jl. X", anonymous=True)
    assert complaint.registered_by is None and complaint.complainant_name == "" and complaint.complainant_address == ""
    assert complaint.events.get().actor_name == "Sistem"


@pytest.mark.parametrize("channel", ["phone", "fax", "sms"])
def test_a3_phone_fax_sms_is_registered_by_the_officer_and_answered_by_calling_back(office, officers, fake, channel):
    """a.3 + h: "Pengaduan melalui telepon/fax akan ditelepon/fax kepada yang bersangkutan"."""
    with pytest.raises(InvalidData) as missing:
        _register(office, officers, channel)
    assert "phone" in missing.value.errors
    complaint = _register(office, officers, channel, phone="0761 28262")
    assert complaint.registered_by == officers["pengelola_pengaduan"]
    services.complaint_triage(complaint=complaint, actor=officers["pengelola_pengaduan"], weight="ringan")
    method = {"phone": "phone", "fax": "fax", "sms": "sms"}[channel]
    done = services.complaint_reply(
        complaint=complaint, actor=officers["pengelola_pengaduan"], method=method, text="Sudah dijawab."
    )
    assert done.reply_method == method
    if channel == "sms":
        assert Notice.objects.filter(event="complaint.answered", channel="sms").count() == 1


def test_a4_in_person_at_the_complaint_counter_is_answered_in_person(office, officers, fake):
    """a.4 + i: "ditemui langsung oleh petugas pada loket pengaduan ... dijawab secara langsung"."""
    complaint = _register(office, officers, "in_person", confidential=True)
    services.complaint_triage(complaint=complaint, actor=officers["pengelola_pengaduan"], weight="ringan")
    assert services.reply_methods_for(Complaint.objects.get(pk=complaint.pk)) == ["in_person"]
    done = services.complaint_reply(
        complaint=complaint, actor=officers["pengelola_pengaduan"], method="in_person", text="Dijelaskan di loket."
    )
    assert _actions(done) == ["register", "triage", "reply"]


def test_officer_channels_refuse_anyone_but_the_complaint_officer(office, officers):
    """j: complaints are recorded by the pejabat fungsional umum (pengelola_pengaduan)."""
    for role in ("front_office", "kepala_dinas"):
        with pytest.raises(PermissionDenied):
            services.complaint_register(
                office=office, channel="letter", name="A", description="Isi pengaduan panjang.", actor=officers[role]
            )
    with pytest.raises(PermissionDenied):
        services.complaint_register(office=office, channel="in_person", name="A", description="Isi pengaduan panjang.")


def test_an_application_number_links_the_complaint_to_the_application(office, officers, services_loaded, applicant):
    from satupintu.applications.services import application_create
    from satupintu.applications.tests.conftest import FORM_DATA

    app = application_create(
        office=office,
        service=services_loaded["izin-kerja-radiografer"],
        actor=applicant,
        data=FORM_DATA["izin-kerja-radiografer"],
    )
    complaint = _register(office, officers, "website", application_number=app.number.lower())
    assert complaint.application == app
    other = _register(office, officers, "website", application_number="XYZ-2026-000999")
    assert other.application is None and other.application_number == "XYZ-2026-000999"


# --- b–e. weights -----------------------------------------------------------------------------------


def test_c_ringan_is_answered_directly_within_two_working_days(office, officers, fake):
    """c: "personil yang menangani akan menjawab secara langsung"; deadline 2 working days (data)."""
    complaint = _register(office, officers, "website")
    triaged = services.complaint_triage(complaint=complaint, actor=officers["pengelola_pengaduan"], weight="ringan")
    assert triaged.status == ComplaintStatus.HANDLING
    assert triaged.due_at.astimezone(MONDAY.tzinfo) == MONDAY + dt.timedelta(days=2)
    with pytest.raises(PermissionDenied):
        services.complaint_reply(complaint=triaged, actor=officers["kepala_dinas"], method="web", text="x")


def test_d_sedang_is_coordinated_with_the_kepala_bidang_and_kadis_before_the_decision_is_told(office, officers, fake):
    """d: coordinated with the Kepala Bidang concerned and the Kepala Dinas; the decision goes to the complainant."""
    complaint = _register(office, officers, "email", email="budi@example.com")
    with pytest.raises(InvalidData) as no_unit:
        services.complaint_triage(complaint=complaint, actor=officers["pengelola_pengaduan"], weight="sedang")
    assert "unit" in no_unit.value.errors
    triaged = services.complaint_triage(
        complaint=complaint, actor=officers["pengelola_pengaduan"], weight="sedang", unit="Bidang Pelayanan Perizinan"
    )
    assert triaged.status == ComplaintStatus.COORDINATION
    assert triaged.due_at.astimezone(MONDAY.tzinfo) == MONDAY + dt.timedelta(days=7)  # 5 working days
    with pytest.raises(Conflict):  # not answerable before the decision
        services.complaint_reply(complaint=triaged, actor=officers["pengelola_pengaduan"], method="email", text="x")
    with pytest.raises(Conflict) as early:
        services.complaint_decide(complaint=triaged, actor=officers["kepala_dinas"], decision="Diproses ulang.")
    assert "Kepala Bidang" in early.value.message
    with pytest.raises(PermissionDenied):
        services.complaint_coordinate(complaint=triaged, actor=officers["sekretaris"], note="x")
    services.complaint_coordinate(complaint=triaged, actor=officers["kepala_bidang"], note="Petugas loket lalai.")
    services.complaint_coordinate(complaint=triaged, actor=officers["kepala_dinas"], note="Disetujui diproses ulang.")
    with pytest.raises(PermissionDenied):
        services.complaint_decide(complaint=triaged, actor=officers["kepala_bidang"], decision="x")
    decided = services.complaint_decide(
        complaint=triaged, actor=officers["kepala_dinas"], decision="Berkas diproses ulang hari ini."
    )
    assert decided.status == ComplaintStatus.DECIDED
    done = services.complaint_reply(
        complaint=decided, actor=officers["pengelola_pengaduan"], method="email", text="Berkas diproses ulang hari ini."
    )
    assert _actions(done) == ["register", "triage", "coordinate", "coordinate", "decide", "reply"]
    assert [e.role for e in done.events.filter(action="coordinate").order_by("seq")] == [
        "kepala_bidang",
        "kepala_dinas",
    ]


def test_e_berat_is_coordinated_by_the_kadis_with_the_walikota_or_sekda_and_the_outcome_recorded(
    office, officers, fake
):
    """e: "dikoordinasikan antara Kepala Dinas ... dengan Walikota Cq Asisten atau Sekretaris Daerah"."""
    complaint = _register(office, officers, "in_person")
    triaged = services.complaint_triage(
        complaint=complaint, actor=officers["pengelola_pengaduan"], weight="berat", category="biaya"
    )
    assert triaged.status == ComplaintStatus.COORDINATION
    with pytest.raises(InvalidData) as no_party:
        services.complaint_coordinate(complaint=triaged, actor=officers["kepala_dinas"], note="Dibahas.")
    assert "party" in no_party.value.errors
    with pytest.raises(PermissionDenied):
        services.complaint_coordinate(
            complaint=triaged, actor=officers["kepala_bidang"], note="x", party="sekretaris_daerah"
        )
    services.complaint_coordinate(
        complaint=triaged, actor=officers["kepala_dinas"], note="Rapat dengan Sekda.", party="sekretaris_daerah"
    )
    decided = services.complaint_decide(
        complaint=triaged, actor=officers["kepala_dinas"], decision="Petugas diperiksa Inspektorat."
    )
    done = services.complaint_reply(
        complaint=decided, actor=officers["kepala_dinas"], method="in_person", text="Disampaikan langsung."
    )
    coordination = done.events.get(action="coordinate")
    assert coordination.data["party_label"] == "Sekretaris Daerah"
    assert history_verify(done).ok


def test_deadlines_are_configurable_data(office, officers, settings, tmp_path):
    """Deadlines per weight come from the rules file (DOMAIN: verify per office)."""
    from satupintu.complaints.rules import RULES_FILE

    custom = tmp_path / "rules.yaml"
    custom.write_text(RULES_FILE.read_text().replace("deadline_working_days: 2", "deadline_working_days: 3"))
    settings.SATUPINTU_COMPLAINTS = {"RULES_FILE": str(custom)}
    complaint = _register(office, officers, "website")
    triaged = services.complaint_triage(complaint=complaint, actor=officers["pengelola_pengaduan"], weight="ringan")
    assert triaged.due_at.astimezone(MONDAY.tzinfo) == MONDAY + dt.timedelta(days=3)


def test_an_overdue_complaint_is_escalated_once_to_the_weights_superior(office, officers, fake):
    officers["sekretaris"].email = "sekretaris@example.go.id"
    officers["sekretaris"].save()
    complaint = _register(office, officers, "website")
    services.complaint_triage(complaint=complaint, actor=officers["pengelola_pengaduan"], weight="ringan", at=MONDAY)
    assert services.complaints_escalate_overdue(at=MONDAY + dt.timedelta(days=1)) == 0
    later = MONDAY + dt.timedelta(days=3)
    assert services.complaints_escalate_overdue(at=later) == 1
    assert services.complaints_escalate_overdue(at=later) == 0
    alert = Notice.objects.get(event="complaint.overdue")
    assert alert.recipient == "sekretaris@example.go.id" and complaint.ticket in alert.subject
    assert Complaint.objects.get(pk=complaint.pk).events.last().action == "overdue"


def test_only_complaint_roles_handle_complaints(office, officers):
    complaint = _register(office, officers, "website")
    for role in ("front_office", "back_office", "admin", "kepala_bidang"):
        with pytest.raises(PermissionDenied):
            services.complaint_triage(complaint=complaint, actor=officers[role], weight="ringan")
    with pytest.raises(PermissionDenied):
        services.complaint_note(complaint=complaint, actor=officers["front_office"], note="x")
    services.complaint_note(complaint=complaint, actor=officers["kepala_bidang"], note="Saya pantau.")


def test_a_rolled_back_registration_leaves_no_notice(office, officers, fake):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        _register(office, officers, "website", email="x@example.com")
        raise RuntimeError
    assert not Notice.objects.exists() and not Complaint.objects.exists()
