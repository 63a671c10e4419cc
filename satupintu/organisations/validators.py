"""Business identifiers: NIB (OSS, 13 digits) and NPWP (15 digits, or the 16-digit NIK-based form)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def normalise_identifier(value: str) -> str:
    """Digits only: NPWP is often written 01.234.567.8-901.000."""
    return "".join(ch for ch in str(value or "") if ch not in " .-")


def validate_nib(value: str) -> None:
    if value and not (len(value) == 13 and value.isascii() and value.isdigit()):
        raise ValidationError(_("NIB terdiri atas 13 angka."), code="invalid_nib")


def validate_npwp(value: str) -> None:
    if value and not (len(value) in (15, 16) and value.isascii() and value.isdigit()):
        raise ValidationError(_("NPWP terdiri atas 15 atau 16 angka."), code="invalid_npwp")
