from django.contrib import admin
from django.urls import include, path

from satupintu.api.api import api
from satupintu.core import health, metrics

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("admin/", admin.site.urls),
    path("akun/", include("satupintu.accounts.urls")),
    path("petugas/pengaduan/", include("satupintu.staff.complaints_urls")),
    path("petugas/survei/", include("satupintu.staff.surveys_urls")),
    path("petugas/", include("satupintu.staff.urls")),
    path("pengaduan/", include("satupintu.portal.complaints_urls")),
    path("survei/", include("satupintu.portal.surveys_urls")),
    path("open311/v2/", include("satupintu.api.open311_urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("satupintu.portal.urls")),
]
