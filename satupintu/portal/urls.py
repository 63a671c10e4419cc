from django.urls import path

from satupintu.portal import applicant, organisations, payments, privacy, verify, views

app_name = "portal"
urlpatterns = [
    path("", views.services, name="home"),
    path("verifikasi/<str:code>/", verify.verify, name="verify"),
    path("permohonan/<str:number>/surat-izin.pdf", verify.permit_pdf, name="permit_pdf"),
    path("permohonan/<str:number>/tanda-terima.pdf", verify.receipt_pdf, name="receipt_pdf"),
    path("layanan/", views.services, name="services"),
    path("layanan/<slug:code>/", views.service_detail, name="service"),
    path("layanan/<slug:code>/ajukan/", applicant.apply, name="apply"),
    path("kantor/<slug:office_slug>/layanan/", views.services, name="office_services"),
    path("kantor/<slug:office_slug>/layanan/<slug:code>/", views.service_detail, name="office_service"),
    path("kantor/<slug:office_slug>/layanan/<slug:code>/ajukan/", applicant.apply, name="office_apply"),
    path("daftar/", views.signup, name="signup"),
    path("lacak/", views.track, name="track"),
    path("permohonan/", applicant.my_applications, name="my_applications"),
    path("data-saya/akses/", privacy.my_data_access, name="my_data_access"),
    path("organisasi/", organisations.home, name="organisations"),
    path("organisasi/undangan/<int:membership_id>/", organisations.invitation, name="organisation_invitation"),
    path("organisasi/<int:pk>/", organisations.organisation, name="organisation"),
    path(
        "organisasi/<int:pk>/anggota/<int:membership_id>/akhiri/",
        organisations.member_end,
        name="organisation_member_end",
    ),
    path("organisasi/<int:pk>/ajukan/<slug:code>/", organisations.apply_for, name="organisation_apply"),
    path("permohonan/<str:number>/", applicant.application, name="application"),
    path("permohonan/<str:number>/berkas/", applicant.documents, name="documents"),
    path("permohonan/<str:number>/templat/<slug:key>.pdf", applicant.requirement_letter, name="requirement_letter"),
    path("permohonan/<str:number>/ubah/", applicant.edit, name="edit"),
    path("permohonan/<str:number>/periksa/", applicant.review, name="review"),
    path("permohonan/<str:number>/tanda-terima/", applicant.receipt, name="receipt"),
    path("permohonan/<str:number>/surat-izin/", applicant.permit, name="permit"),
    path("permohonan/<str:number>/skrd.pdf", payments.bill_pdf, name="bill_pdf"),
    path("permohonan/<str:number>/tanda-bukti-bayar.pdf", payments.receipt_pdf, name="payment_receipt_pdf"),
    path("permohonan/<str:number>/bayar-uji/", payments.pay_fake, name="pay_fake"),
    path("permohonan/<str:number>/surat-penutupan.pdf", payments.unpaid_letter_pdf, name="unpaid_letter_pdf"),
    path("skrd/periksa/", payments.bill_check, name="bill_check"),
]
