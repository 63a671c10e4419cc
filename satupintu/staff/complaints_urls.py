"""Complaint officers' pages; include under ``petugas/pengaduan/`` (namespace ``complaints_staff``)."""

from django.urls import path, re_path

from satupintu.staff import complaints

app_name = "complaints_staff"
urlpatterns = [
    path("", complaints.home, name="home"),
    path("tiket/<str:ticket>/", complaints.detail, name="detail"),
    path("tiket/<str:ticket>/tindakan/", complaints.act, name="act"),
    path("tiket/<str:ticket>/publikasi/", complaints.publication, name="publication"),
    path("lampiran/<int:pk>/", complaints.attachment, name="attachment"),
    path("laporan/<int:pk>/", complaints.report, name="report"),
    path("laporan/<int:pk>/tindakan/", complaints.report_act, name="report_act"),
    re_path(r"^laporan/(?P<pk>\d+)/unduh\.(?P<fmt>pdf|xlsx)$", complaints.report_file, name="report_file"),
    path("<slug:office_slug>/", complaints.register, name="register"),
    path("<slug:office_slug>/baru/", complaints.new, name="new"),
    path("<slug:office_slug>/laporan/", complaints.reports, name="reports"),
]
