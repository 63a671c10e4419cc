from django.urls import path

from satupintu.staff import documents, home, notices, payments, search, views

app_name = "staff"
urlpatterns = [
    path("", home.home, name="home"),
    path("cari/", search.search, name="search"),
    path("permohonan/<str:number>/", views.application, name="application"),
    path("permohonan/<str:number>/tindakan/", views.act, name="act"),
    path("permohonan/<str:number>/kartu-kendali/", views.card, name="card"),
    path("berkas/<int:pk>/", views.document, name="document"),
    path("permohonan/<str:number>/surat-izin.pdf", documents.permit_pdf, name="permit_pdf"),
    path("permohonan/<str:number>/cabut-izin/", documents.permit_revoke_view, name="permit_revoke"),
    path("permohonan/<str:number>/kartu-kendali.pdf", documents.card_pdf, name="card_pdf"),
    path("permohonan/<str:number>/tanda-terima.pdf", documents.receipt_pdf, name="receipt_pdf"),
    path("permohonan/<str:number>/surat/<slug:kind>.pdf", documents.letter_pdf, name="letter_pdf"),
    path("permohonan/<str:number>/bap.pdf", documents.bap_pdf, name="bap_pdf"),
    path("permohonan/<str:number>/surat-pencabutan.pdf", documents.revocation_letter_pdf, name="revocation_pdf"),
    path("<slug:office_slug>/tugas/<int:pk>/surat.pdf", documents.notice_letter_pdf, name="task_letter_pdf"),
    path("<slug:office_slug>/layanan/<slug:code>/<slug:kind>.pdf", documents.standard_pdf, name="service_document_pdf"),
    path("<slug:office_slug>/antrian/<slug:role>/", views.queue, name="queue"),
    path("<slug:office_slug>/loket/", views.counter_start, name="counter_start"),
    path("<slug:office_slug>/loket/<slug:code>/", views.counter_new, name="counter_new"),
    path("<slug:office_slug>/pemberitahuan/", notices.outbox, name="outbox"),
    path("<slug:office_slug>/pemberitahuan/<int:pk>/kirim-ulang/", notices.notice_resend, name="notice_resend"),
    path("<slug:office_slug>/tugas/", notices.tasks, name="tasks"),
    path("<slug:office_slug>/bendahara/", payments.treasurer, name="treasurer"),
    path(
        "<slug:office_slug>/bendahara/rekonsiliasi.<slug:kind>",
        payments.reconciliation_file,
        name="reconciliation_file",
    ),
    path("<slug:office_slug>/bendahara/penerimaan.<slug:kind>", payments.revenue_file, name="revenue_file"),
    path("<slug:office_slug>/bendahara/kurs/", payments.rate_record, name="rate_record"),
    path("<slug:office_slug>/bendahara/skrd/<int:pk>/bayar/", payments.counter_payment, name="counter_payment"),
    path("<slug:office_slug>/bendahara/skrd/<int:pk>/kembalikan/", payments.refund, name="refund"),
    path("<slug:office_slug>/tugas/<int:pk>/selesai/", notices.task_done, name="task_done"),
    path("<slug:office_slug>/tugas/<int:pk>/surat/", notices.task_letter, name="task_letter"),
]
