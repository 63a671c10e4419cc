from django.urls import path

from satupintu.staff import surveys

app_name = "surveys_staff"
urlpatterns = [
    path("<slug:office_slug>/", surveys.results, name="results"),
    path("<slug:office_slug>/isi/", surveys.paper_entry, name="paper_entry"),
    path("<slug:office_slug>/isi/<int:pk>/", surveys.paper_batch, name="paper_batch"),
    path("<slug:office_slug>/kelompok/", surveys.batches, name="batches"),
    path("<slug:office_slug>/impor/", surveys.import_file, name="import"),
    path("<slug:office_slug>/saran/", surveys.suggestions, name="suggestions"),
    path("<slug:office_slug>/tindak-lanjut/", surveys.plans, name="plans"),
    path("<slug:office_slug>/tindak-lanjut/<int:pk>/", surveys.plan_edit, name="plan_edit"),
    path("<slug:office_slug>/laporan.xlsx", surveys.report_xlsx, name="report_xlsx"),
    path("<slug:office_slug>/laporan.pdf", surveys.report_pdf, name="report_pdf"),
    path("<slug:office_slug>/undangan/<str:number>/", surveys.invitation, name="invitation"),
    path("<slug:office_slug>/kinerja/", surveys.performance, name="performance"),
    path("<slug:office_slug>/kinerja.xlsx", surveys.performance_export, name="performance_xlsx"),
]
