"""
Users, their roles per office, acting-official (Plh) appointments and login attempts.

A user may hold several roles in several offices, each for a period. An applicant (pemohon)
needs no membership: the role is implied by owning an application. Nothing here decides what a
role may do — that is ``permissions.py``.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django_otp.models import Device

from satupintu.accounts.roles import role_name
from satupintu.core.models import Office
from satupintu.core.validators import validate_nik, validate_nip, validate_phone


class User(AbstractUser):  # type: ignore[django-manager-missing]  # SecurityKey: django-otp is untyped
    """Anyone who signs in: an applicant or an officer."""

    full_name = models.CharField("nama lengkap (dengan gelar)", max_length=200, blank=True)
    phone = models.CharField("nomor HP (E.164)", max_length=20, blank=True, validators=[validate_phone])
    nik = models.CharField("NIK", max_length=16, blank=True, validators=[validate_nik])
    nip = models.CharField("NIP", max_length=18, blank=True, validators=[validate_nip])
    rank = models.CharField("pangkat/golongan", max_length=120, blank=True)
    position = models.CharField("jabatan", max_length=200, blank=True)

    class Meta:
        verbose_name = "pengguna"
        verbose_name_plural = "pengguna"
        constraints = [
            # One account per person and per contact: sign-in by e-mail or phone must be unambiguous.
            models.UniqueConstraint(fields=["nik"], condition=~Q(nik=""), name="user_nik_unique"),
            models.UniqueConstraint(Lower("email"), condition=~Q(email=""), name="user_email_unique_ci"),
            models.UniqueConstraint(fields=["phone"], condition=~Q(phone=""), name="user_phone_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.get_username()

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.get_username()


class OfficeRole(models.Model):
    """
    A role an office adds to the built-in set (``roles.Role``): its own name for an official
    (Kasubid Pelayanan, Bendahara Penerima) and which of the office actions it may perform.

    Memberships, Plh appointments, queues and SOP steps name it by ``code`` like a built-in role.
    """

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="roles", verbose_name="kantor")
    code = models.SlugField("kode peran", max_length=40)
    name = models.CharField("nama peran", max_length=200)
    permissions = models.JSONField(
        "kewenangan", default=list, blank=True, help_text="kode tindakan dari permissions.Action"
    )
    active = models.BooleanField("aktif", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "peran kantor"
        verbose_name_plural = "peran kantor"
        ordering = ["office", "name"]
        constraints = [models.UniqueConstraint(fields=["office", "code"], name="office_role_code_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class RoleMembership(models.Model):
    """The user holds ``role`` in ``office`` from ``valid_from`` to ``valid_to`` (inclusive, office dates)."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="memberships", verbose_name="kantor")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name="pengguna")
    role = models.CharField("peran", max_length=40, help_text="kode peran bawaan atau peran kantor")
    valid_from = models.DateField("berlaku sejak")
    valid_to = models.DateField("berlaku sampai", null=True, blank=True, help_text="Kosong: tanpa batas.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "keanggotaan peran"
        verbose_name_plural = "keanggotaan peran"
        indexes = [models.Index(fields=["user", "office", "role"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="membership_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {role_name(self.role, self.office)} ({self.office})"


class ActingAppointment(models.Model):
    """
    A Plh (pelaksana harian): ``acting_user`` acts in ``role`` for ``official`` during the period.

    The control card records both names (the Plh who acted, the official acted for).
    """

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="acting_appointments")
    role = models.CharField("peran", max_length=40, help_text="kode peran bawaan atau peran kantor")
    acting_user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="acting_appointments")
    official = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="appointments_acting_for",
        verbose_name="pejabat yang berhalangan",
    )
    valid_from = models.DateField("berlaku sejak")
    valid_to = models.DateField("berlaku sampai")
    decree_number = models.CharField("nomor surat perintah Plh", max_length=120, blank=True)
    reason = models.CharField("alasan", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "penunjukan Plh"
        verbose_name_plural = "penunjukan Plh"
        indexes = [models.Index(fields=["acting_user", "office", "role"])]
        constraints = [
            models.CheckConstraint(condition=Q(valid_to__gte=models.F("valid_from")), name="acting_period_ordered"),
            models.CheckConstraint(condition=~Q(acting_user=models.F("official")), name="acting_not_self"),
        ]

    def __str__(self) -> str:
        return f"Plh. {role_name(self.role, self.office)}: {self.acting_user} untuk {self.official}"


class LoginAttempt(models.Model):
    """Every sign-in attempt: the audit trail of logins and the input of the throttle."""

    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    attempted_at = models.DateTimeField(db_index=True)
    succeeded = models.BooleanField(default=False)
    # Refused unchecked while the throttle said wait (counted apart: waiting is not guessing).
    throttled = models.BooleanField(default=False)
    # Where it came in: "web", "admin" or "api".
    door = models.CharField(max_length=20, blank=True, default="")

    class Meta:
        verbose_name = "percobaan masuk"
        verbose_name_plural = "percobaan masuk"

    def __str__(self) -> str:
        return f"{self.username} @ {self.attempted_at:%Y-%m-%d %H:%M} ({'berhasil' if self.succeeded else 'gagal'})"


class OfficeAccountPolicy(models.Model):
    """
    An office's sign-in policy. Without a row the office follows
    ``SATUPINTU_ACCOUNTS["STAFF_OTP_REQUIRED_DEFAULT"]`` (on in production).
    """

    office = models.OneToOneField(
        Office, on_delete=models.CASCADE, related_name="account_policy", verbose_name="kantor"
    )
    staff_otp_required = models.BooleanField(
        "wajib 2FA untuk petugas",
        default=True,
        help_text="Petugas kantor ini masuk dengan kata sandi dan kode dari aplikasi autentikator.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "kebijakan akun kantor"
        verbose_name_plural = "kebijakan akun kantor"

    def __str__(self) -> str:
        return f"{self.office}: 2FA {'wajib' if self.staff_otp_required else 'tidak wajib'}"


class UserSession(models.Model):
    """
    One signed-in browser session, listed on "Sesi dan token aktif" so that its owner can end it.

    The session itself lives in Django's session store (whose table holds the same key); this
    row names it and says where it came from. The key is never shown: pages and the API use the id.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="browser_sessions")
    session_key = models.CharField(max_length=64, unique=True)
    user_agent = models.CharField("perangkat", max_length=300, blank=True)
    ip_address = models.GenericIPAddressField("alamat IP", null=True, blank=True)
    created_at = models.DateTimeField("masuk")
    last_seen_at = models.DateTimeField("terakhir aktif")

    class Meta:
        verbose_name = "sesi masuk"
        verbose_name_plural = "sesi masuk"
        indexes = [models.Index(fields=["user", "last_seen_at"])]

    def __str__(self) -> str:
        return f"{self.user} @ {self.ip_address} ({self.last_seen_at:%Y-%m-%d %H:%M})"


class SecurityKey(Device):
    """
    A WebAuthn credential (a security key, or the phone's or laptop's own authenticator), an
    optional second factor besides the authenticator app. A django-otp device, so that a session
    verified with it counts as verified; it takes no typed codes (``verify_token`` is False).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="security_keys", verbose_name="pengguna")
    credential_id = models.CharField("ID kredensial (base64url)", max_length=1400, unique=True)
    public_key = models.BinaryField("kunci publik (COSE)")
    sign_count = models.PositiveBigIntegerField("penghitung tanda tangan", default=0)
    created_at = models.DateTimeField("didaftarkan", auto_now_add=True)
    last_used_at = models.DateTimeField("terakhir dipakai", null=True, blank=True)

    class Meta:
        verbose_name = "kunci keamanan (WebAuthn)"
        verbose_name_plural = "kunci keamanan (WebAuthn)"

    def verify_token(self, token: str) -> bool:
        return False
