"""API bearer tokens. Only a token's SHA-256 is stored; the token itself is shown once, when issued."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone


def token_expiry() -> dt.datetime:
    """When a token issued now expires: ``SATUPINTU_API_TOKEN_DAYS`` (default 30) days from now."""
    return timezone.now() + dt.timedelta(days=getattr(settings, "SATUPINTU_API_TOKEN_DAYS", 30))


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="pengguna"
    )
    key_hash = models.CharField("SHA-256 token", max_length=64, unique=True)
    created_at = models.DateTimeField("dibuat", default=timezone.now)
    last_used_at = models.DateTimeField("terakhir dipakai", null=True, blank=True)
    expires_at = models.DateTimeField("kedaluwarsa", default=token_expiry)

    class Meta:
        verbose_name = "token API"
        verbose_name_plural = "token API"
        indexes = [models.Index(fields=["user", "expires_at"])]

    def __str__(self) -> str:
        return f"token API {self.user} ({self.key_hash[:8]}…)"
