from django.urls import path

from satupintu.accounts import roles_page, views

app_name = "accounts"
urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", views.LogoutView.as_view(), name="logout"),
    path("verifikasi/", views.otp_verify_view, name="otp_verify"),
    path("dua-langkah/", views.otp_enrol_view, name="otp_enrol"),
    path("kata-sandi/", views.password_change_view, name="password_change"),
    path("lupa-kata-sandi/", views.password_reset_view, name="password_reset"),
    path(
        "lupa-kata-sandi/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("verifikasi/kunci/opsi/", views.otp_key_options_view, name="otp_key_options"),
    path("verifikasi/kunci/", views.otp_key_verify_view, name="otp_key_verify"),
    path("kunci-keamanan/", views.security_keys_view, name="security_keys"),
    path("kunci-keamanan/opsi/", views.security_key_options_view, name="security_key_options"),
    path("kunci-keamanan/tambah/", views.security_key_add_view, name="security_key_add"),
    path("sesi/", views.sessions_view, name="sessions"),
    path("sesi/<int:pk>/akhiri/", views.session_end_view, name="session_end"),
    path("sesi/akhiri-lainnya/", views.sessions_end_others_view, name="sessions_end_others"),
    path("token/<int:pk>/cabut/", views.token_end_view, name="token_end"),
    path("kantor/<slug:office_slug>/peran/", roles_page.office_roles, name="office_roles"),
]
