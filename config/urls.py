from django.contrib import admin
from django.urls import include, path

from satupintu.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("akun/", include("satupintu.accounts.urls")),
    path("petugas/", include("satupintu.staff.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("satupintu.portal.urls")),
]
