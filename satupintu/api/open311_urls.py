"""Open311 GeoReport v2 routes; include under ``open311/v2/`` (namespace ``open311``)."""

from django.urls import re_path

from satupintu.api import open311

app_name = "open311"
FMT = r"\.(?P<fmt>[a-z]+)$"
urlpatterns = [
    re_path(r"^discovery" + FMT, open311.discovery, name="discovery"),
    re_path(r"^services" + FMT, open311.service_list, name="services"),
    re_path(r"^services/(?P<code>[-a-zA-Z0-9_]+)" + FMT, open311.service_definition, name="service"),
    re_path(r"^requests" + FMT, open311.request_list, name="requests"),
    re_path(r"^requests/(?P<request_id>[-A-Za-z0-9_]+)" + FMT, open311.request_detail, name="request"),
    re_path(r"^tokens/(?P<token>[A-Za-z0-9]+)" + FMT, open311.token_detail, name="token"),
]
