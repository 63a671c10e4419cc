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
    path("sesi/", views.sessions_view, name="sessions"),
    path("sesi/<int:pk>/akhiri/", views.session_end_view, name="session_end"),
    path("sesi/akhiri-lainnya/", views.sessions_end_others_view, name="sessions_end_others"),
    path("token/<int:pk>/cabut/", views.token_end_view, name="token_end"),
    path("kantor/<slug:office_slug>/peran/", roles_page.office_roles, name="office_roles"),
]
