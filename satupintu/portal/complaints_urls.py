"""Public complaint pages; include under ``pengaduan/`` (namespace ``complaints_public``)."""

from django.urls import path

from satupintu.portal import complaints

app_name = "complaints_public"
urlpatterns = [
    path("", complaints.complaint_new, name="new"),
    path("terkirim/<str:ticket>/", complaints.complaint_receipt, name="receipt"),
    path("status/", complaints.complaint_status, name="status"),
    path("status/nilai/", complaints.complaint_rate, name="rate"),
]
