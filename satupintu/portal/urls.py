from django.urls import path

from satupintu.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.services, name="home"),
    path("layanan/", views.services, name="services"),
    path("layanan/<slug:code>/", views.service_detail, name="service"),
    path("kantor/<slug:office_slug>/layanan/", views.services, name="office_services"),
    path("kantor/<slug:office_slug>/layanan/<slug:code>/", views.service_detail, name="office_service"),
]
