from django.urls import path

from satupintu.staff import views

app_name = "staff"
urlpatterns = [
    path("", views.home, name="home"),
    path("permohonan/<str:number>/", views.application, name="application"),
    path("permohonan/<str:number>/tindakan/", views.act, name="act"),
    path("permohonan/<str:number>/kartu-kendali/", views.card, name="card"),
    path("berkas/<int:pk>/", views.document, name="document"),
    path("<slug:office_slug>/antrian/<slug:role>/", views.queue, name="queue"),
    path("<slug:office_slug>/loket/", views.counter_start, name="counter_start"),
    path("<slug:office_slug>/loket/<slug:code>/", views.counter_new, name="counter_new"),
]
