from django.urls import path

from satupintu.portal import surveys

app_name = "surveys_public"
urlpatterns = [
    path("isi/<str:token>/", surveys.answer, name="answer"),
    path("terima-kasih/", surveys.thanks, name="thanks"),
    path("hasil/", surveys.published, name="published"),
    path("kantor/<slug:office_slug>/hasil/", surveys.published, name="office_published"),
]
