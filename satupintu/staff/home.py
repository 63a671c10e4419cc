"""
The staff home: where an officer lands after signing in.

For each office the user works in now it lists every area their roles open — role queues with
their counts, the counter, office tasks, the outbox, the complaint register, the survey and IKM,
staff performance, the office's service standards and, for the admin, the administration site —
each decided by ``accounts.permissions`` (the one policy), never by role names written here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from satupintu.accounts.permissions import Action, can, grant_for, offices_for, roles_in
from satupintu.accounts.roles import Role, office_role_codes
from satupintu.applications import selectors
from satupintu.applications.search import nik_search_allowed
from satupintu.catalogue.selectors import services_list
from satupintu.core.errors import PermissionDenied
from satupintu.core.models import Office
from satupintu.notifications.selectors import office_tasks_open
from satupintu.staff import display
from satupintu.staff.search import search_box
from satupintu.staff.views import staff_view


@dataclass
class Link:
    label: str
    url: str
    count: int | None = None
    more: list[Link] = field(default_factory=list)


@dataclass
class Area:
    """One box on the home page: a heading, a sentence saying what it is for, and its links."""

    key: str
    title: str
    about: str
    links: list[Link] = field(default_factory=list)


@dataclass
class OfficeHome:
    office: Office
    roles: list[str]
    queues: list[Link]
    areas: list[Area]
    nik_search: bool


def _queues(user: Any, office: Office) -> list[Link]:
    """The user's SOP role queues with how many files wait in each (the queue selector's counts)."""
    counts = selectors.queue_counts(user=user, office=office)
    queues = [
        Link(
            label=_("Antrian %(role)s") % {"role": display.role_label(role, office)},
            url=reverse("staff:queue", args=[office.slug, role]),
            count=count,
        )
        for role, count in counts.items()
        if role in office_role_codes(office) - {Role.PEMOHON.value}
    ]
    return sorted(queues, key=lambda q: q.label)


def _pdf(slug: str, code: str, kind: str) -> str:
    return reverse("staff:service_document_pdf", args=[slug, code, kind])


def office_home(user: Any, office: Office, *, admin_site: bool = False) -> OfficeHome:
    """What the home page shows the user for one office; every area is asked of the policy."""
    slug = office.slug
    roles = roles_in(user, office)
    areas: list[Area] = []

    if grant_for(user, office, Role.FRONT_OFFICE) is not None:
        drafts = selectors.counter_drafts(office=office).count()
        areas.append(
            Area(
                "counter",
                _("Loket"),
                _("Daftarkan permohonan yang dibawa pemohon ke loket dan serahkan produk layanan."),
                [
                    Link(_("Pendaftaran di loket"), reverse("staff:counter_start", args=[slug])),
                    Link(_("Terdaftar di loket, belum diajukan"), reverse("staff:counter_start", args=[slug]), drafts),
                ],
            )
        )

    if grant_for(user, office, Role.KEPALA_DINAS) is not None:
        areas.append(
            Area(
                "signing",
                _("Tanda tangan elektronik"),
                _("Tandatangani banyak surat izin sekaligus dengan satu kali memasukkan passphrase (ADR 0009)."),
                [Link(_("Tanda tangan sekaligus"), reverse("staff:batch_sign", args=[slug]))],
            )
        )

    tasks = sum(1 for task in office_tasks_open(office) if task.role in roles)
    office_links = [Link(_("Tugas kantor"), reverse("staff:tasks", args=[slug]), tasks)]
    if can(user, Action.MANAGE_NOTICES, office):
        office_links.append(Link(_("Pemberitahuan (SMS, surel, WhatsApp)"), reverse("staff:outbox", args=[slug])))
    if any(can(user, a, office) for a in (Action.MANAGE_CATALOGUE, Action.PREPARE_STANDARDS, Action.APPROVE_STANDARDS)):
        office_links.append(Link(_("Standar pelayanan dan layanan kantor"), reverse("staff:standards", args=[slug])))
    if can(user, Action.VIEW_REVENUE, office):
        office_links.append(
            Link(_("Penerimaan retribusi (Bendahara Penerima)"), reverse("staff:treasurer", args=[slug]))
        )
    areas.append(
        Area(
            "office",
            _("Tugas dan pemberitahuan"),
            _("Surat pemberitahuan yang harus dikirim dan pesan yang sudah atau gagal terkirim."),
            office_links,
        )
    )

    if can(user, Action.HANDLE_COMPLAINTS, office):
        areas.append(
            Area(
                "complaints",
                _("Pengaduan"),
                _("Buku Pengaduan: catat, pilah menurut bobot, tanggapi; laporan bulanan."),
                [
                    Link(_("Buku Pengaduan"), reverse("complaints_staff:register", args=[slug])),
                    Link(_("Catat pengaduan baru"), reverse("complaints_staff:new", args=[slug])),
                    Link(_("Laporan pengaduan bulanan"), reverse("complaints_staff:reports", args=[slug])),
                ],
            )
        )

    if can(user, Action.VIEW_STAFF_PAGES, office):
        survey_links = [
            Link(_("Hasil survei dan IKM"), reverse("surveys_staff:results", args=[slug])),
            Link(_("Isi kuesioner kertas"), reverse("surveys_staff:paper_entry", args=[slug])),
            Link(_("Impor hasil survei (XLSX/CSV)"), reverse("surveys_staff:import", args=[slug])),
        ]
        if can(user, Action.VIEW_PERFORMANCE, office):
            survey_links.append(Link(_("Rencana tindak lanjut"), reverse("surveys_staff:plans", args=[slug])))
        areas.append(
            Area(
                "survey",
                _("Survei kepuasan (SKM) dan IKM"),
                _("Kuesioner sembilan unsur, indeks kepuasan masyarakat, dan tindak lanjutnya."),
                survey_links,
            )
        )

    if can(user, Action.VIEW_ACCESS_LOG, office):
        areas.append(
            Area(
                "privacy",
                _("Pelindungan data pribadi"),
                _("Siapa membuka data pribadi siapa, kapan, untuk apa, dari mana; cari dan unduh."),
                [Link(_("Akses data pribadi"), reverse("staff:access_log", args=[slug]))],
            )
        )

    if can(user, Action.VIEW_PERFORMANCE, office):
        areas.append(
            Area(
                "performance",
                _("Kinerja petugas"),
                _("Dari kartu kendali: jumlah ditangani, waktu dibanding standar, tepat waktu, tunggakan."),
                [
                    Link(_("Kinerja petugas"), reverse("surveys_staff:performance", args=[slug])),
                    Link(_("Unduh kinerja (XLSX)"), reverse("surveys_staff:performance_xlsx", args=[slug])),
                ],
            )
        )

    if can(user, Action.VIEW_STAFF_PAGES, office):
        standards = [
            Link(
                str(service.name),
                reverse("portal:office_service", args=[slug, service.code]),
                more=[
                    Link(_("Standar (PDF)"), _pdf(slug, service.code, "standar")),
                    Link(_("Diagram SOP (PDF)"), _pdf(slug, service.code, "sop")),
                ],
            )
            for service in services_list(office=office)
        ]
        areas.append(
            Area(
                "standards",
                _("Standar Pelayanan"),
                _("Persyaratan, prosedur, waktu, biaya dan produk tiap layanan kantor ini."),
                standards,
            )
        )

    if admin_site and can(user, Action.MANAGE_OFFICE, office):
        areas.append(
            Area(
                "admin",
                _("Administrasi"),
                _("Kantor, pengguna, peran, Plh, kalender kerja, versi standar, templat, log audit."),
                [Link(_("Buka halaman administrasi"), reverse("admin:index"))],
            )
        )

    return OfficeHome(
        office=office,
        roles=[display.role_label(role, office) for role in sorted(roles)],
        queues=_queues(user, office),
        areas=areas,
        nik_search=nik_search_allowed(office=office, viewer=user),
    )


@staff_view
def home(request: HttpRequest) -> HttpResponse:
    """Every area the signed-in officer's roles open, office by office, with a search at the top."""
    user = request.user
    offices = [office for office in offices_for(user) if can(user, Action.VIEW_STAFF_PAGES, office)]
    if not offices:
        raise PermissionDenied(_("Halaman ini hanya untuk petugas kantor."))
    homes = [office_home(user, office, admin_site=bool(user.is_staff)) for office in offices]
    return render(request, "staff/home.html", {"offices": homes, **search_box(user, offices)})
