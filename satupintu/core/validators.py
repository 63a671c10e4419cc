"""
Validators for Indonesian identity numbers and phone numbers.

NIK (Nomor Induk Kependudukan): 16 digits ``PP KK SS DDMMYY NNNN`` — province, regency/city and
district codes (Kemendagri), birth date with 40 added to the day for women, and a serial from
0001. There is no check digit, so validation checks structure and plausibility only. Codes of
regions that were later split stay valid: a NIK never changes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone

# Province codes in use (DOMAIN.md): 11–19, 21, 31–36, 51–53, 61–65, 71–76, 81–82, 91–96.
PROVINCE_CODES: frozenset[str] = frozenset(
    f"{n:02d}"
    for n in [
        *range(11, 20),
        21,
        *range(31, 37),
        *range(51, 54),
        *range(61, 66),
        *range(71, 77),
        81,
        82,
        *range(91, 97),
    ]
)

_NIK_RE = re.compile(r"^\d{16}$")
_NIP_RE = re.compile(r"^\d{18}$")


@dataclass(frozen=True)
class NikInfo:
    """What a NIK says about its holder."""

    nik: str
    province_code: str
    regency_code: str
    district_code: str
    sex: str  # "L" (laki-laki) or "P" (perempuan)
    birth_date: dt.date
    serial: str

    @property
    def region_code(self) -> str:
        """The Kemendagri code of the regency/city, e.g. ``14.71`` for Kota Pekanbaru."""
        return f"{self.province_code}.{self.regency_code}"


def normalise_digits(value: str) -> str:
    """Drop the spaces, dots and dashes people type into long numbers."""
    return re.sub(r"[\s.\-]", "", value or "")


def _birth_date(day: int, month: int, yy: int, today: dt.date) -> dt.date | None:
    """Return the plausible birth date for a two-digit year: the latest century not in the future."""
    for century in (2000, 1900):
        try:
            candidate = dt.date(century + yy, month, day)
        except ValueError:
            continue
        if candidate <= today:
            return candidate
    return None


def parse_nik(value: str, *, today: dt.date | None = None) -> NikInfo:
    """
    Parse and validate a NIK; raise ValidationError with an Indonesian explanation.

    ``today`` bounds the birth date (a NIK cannot carry a date in the future).
    """
    nik = normalise_digits(value)
    if not _NIK_RE.match(nik):
        raise ValidationError("NIK harus terdiri dari 16 angka.", code="nik_format")
    province, regency, district = nik[0:2], nik[2:4], nik[4:6]
    if province not in PROVINCE_CODES:
        raise ValidationError(
            "Kode provinsi %(code)s pada NIK tidak dikenal (dua angka pertama NIK).",
            code="nik_province",
            params={"code": province},
        )
    if regency == "00":
        raise ValidationError("Kode kabupaten/kota pada NIK (angka ke-3 dan ke-4) tidak boleh 00.", code="nik_regency")
    if district == "00":
        raise ValidationError("Kode kecamatan pada NIK (angka ke-5 dan ke-6) tidak boleh 00.", code="nik_district")
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = "L"
    if day > 40:
        day -= 40
        sex = "P"
    if not 1 <= day <= 31:
        raise ValidationError(
            "Tanggal lahir pada NIK (angka ke-7 dan ke-8) harus 01–31 untuk laki-laki atau 41–71 untuk perempuan.",
            code="nik_birth_day",
        )
    if not 1 <= month <= 12:
        raise ValidationError("Bulan lahir pada NIK (angka ke-9 dan ke-10) harus 01–12.", code="nik_birth_month")
    today = today or timezone.localdate()
    birth = _birth_date(day, month, yy, today)
    if birth is None:
        raise ValidationError(
            "Tanggal lahir pada NIK (%(date)s) tidak ada dalam kalender.",
            code="nik_birth_date",
            params={"date": f"{day:02d}-{month:02d}-{yy:02d}"},
        )
    serial = nik[12:16]
    if serial == "0000":
        raise ValidationError("Nomor urut pada NIK (empat angka terakhir) tidak boleh 0000.", code="nik_serial")
    return NikInfo(
        nik=nik,
        province_code=province,
        regency_code=regency,
        district_code=district,
        sex=sex,
        birth_date=birth,
        serial=serial,
    )


def validate_nik(value: str) -> None:
    """Django field validator for a NIK."""
    parse_nik(value)


def nik_mismatches(info: NikInfo, *, sex: str | None = None, birth_date: dt.date | None = None) -> list[str]:
    """
    List, in Indonesian, where the NIK disagrees with the sex or birth date given on a form.

    These are warnings for the officer, never a rejection (DOMAIN.md): registrations contain errors
    and the NIK itself is authoritative only for Dukcapil.
    """
    warnings = []
    if sex and sex != info.sex:
        warnings.append("Jenis kelamin pada formulir berbeda dengan yang tersirat dari NIK.")
    if birth_date and birth_date != info.birth_date:
        warnings.append("Tanggal lahir pada formulir berbeda dengan yang tersirat dari NIK.")
    return warnings


def validate_nip(value: str) -> None:
    """
    Validate a civil-servant NIP: 18 digits — birth date YYYYMMDD, appointment YYYYMM, sex, serial.
    """
    nip = normalise_digits(value)
    if not _NIP_RE.match(nip):
        raise ValidationError("NIP harus terdiri dari 18 angka.", code="nip_format")
    try:
        dt.date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise ValidationError("Tanggal lahir pada NIP (8 angka pertama) tidak valid.", code="nip_birth_date") from None
    if not 1 <= int(nip[12:14]) <= 12:
        raise ValidationError("Bulan pengangkatan pada NIP (angka ke-13 dan ke-14) tidak valid.", code="nip_tmt")
    if nip[14] not in "12":
        raise ValidationError("Kode jenis kelamin pada NIP (angka ke-15) harus 1 atau 2.", code="nip_sex")


def format_nip(value: str) -> str:
    """Print a NIP the way letters do: ``19700101 199503 2 001``."""
    nip = normalise_digits(value)
    if len(nip) != 18:
        return value
    return f"{nip[0:8]} {nip[8:14]} {nip[14]} {nip[15:18]}"


def normalise_phone(value: str) -> str:
    """
    Return the number in E.164 (``+628…``), reading local numbers (``08…``) as Indonesian.

    Raise ValidationError in Indonesian if it is not a valid phone number.
    """
    raw = (value or "").strip()
    if not raw:
        raise ValidationError("Nomor telepon wajib diisi.", code="phone_required")
    try:
        number = phonenumbers.parse(raw, "ID")
    except phonenumbers.NumberParseException:
        raise ValidationError(
            "Nomor telepon tidak dapat dibaca. Tulis seperti 081234567890 atau +6281234567890.", code="phone_format"
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            "Nomor telepon %(value)s tidak valid. Periksa kembali jumlah angkanya.",
            code="phone_invalid",
            params={"value": raw},
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_phone(value: str) -> None:
    """Django field validator for a phone number (any form that normalises to E.164)."""
    normalise_phone(value)


def display_phone(e164: str) -> str:
    """Show an E.164 number the national way (``0812-3456-7890``)."""
    try:
        number = phonenumbers.parse(e164, "ID")
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
