import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from satupintu.core.validators import (
    display_phone,
    format_nip,
    nik_mismatches,
    normalise_phone,
    parse_nik,
    validate_nip,
)

TODAY = dt.date(2026, 11, 23)


def test_nik_of_a_man_born_in_pekanbaru_is_parsed():
    """A NIK carries province, regency, district, birth date and serial."""
    info = parse_nik("1471011503900001", today=TODAY)
    assert (info.province_code, info.regency_code, info.district_code) == ("14", "71", "01")
    assert info.region_code == "14.71"
    assert info.sex == "L"
    assert info.birth_date == dt.date(1990, 3, 15)
    assert info.serial == "0001"


def test_nik_of_a_woman_has_forty_added_to_the_day():
    """Women's NIKs add 40 to the birth day (41–71)."""
    info = parse_nik("1471015503900002", today=TODAY)
    assert info.sex == "P"
    assert info.birth_date == dt.date(1990, 3, 15)


def test_nik_two_digit_year_takes_the_latest_century_not_in_the_future():
    assert parse_nik("1471010101050001", today=TODAY).birth_date == dt.date(2005, 1, 1)
    assert parse_nik("1471010101300001", today=TODAY).birth_date == dt.date(1930, 1, 1)


def test_nik_accepts_spaces_and_dots_people_type():
    assert parse_nik("14.7101 150390 0001", today=TODAY).nik == "1471011503900001"


@pytest.mark.parametrize(
    ("nik", "code", "words"),
    [
        ("147101150390001", "nik_format", "16 angka"),
        ("14710115039000AB", "nik_format", "16 angka"),
        ("2071011503900001", "nik_province", "provinsi 20"),
        ("9971011503900001", "nik_province", "provinsi 99"),
        ("1400011503900001", "nik_regency", "kabupaten/kota"),
        ("1471001503900001", "nik_district", "kecamatan"),
        ("1471013503900001", "nik_birth_day", "01–31"),
        ("1471017503900001", "nik_birth_day", "41–71"),
        ("1471011513900001", "nik_birth_month", "01–12"),
        ("1471013102900001", "nik_birth_date", "tidak ada dalam kalender"),
        ("1471012902010001", "nik_birth_date", "tidak ada dalam kalender"),
        ("1471011503900000", "nik_serial", "0000"),
    ],
)
def test_impossible_niks_are_rejected_with_an_indonesian_reason(nik, code, words):
    """Bad NIKs say in Indonesian which part is wrong."""
    with pytest.raises(ValidationError) as excinfo:
        parse_nik(nik, today=TODAY)
    error = excinfo.value
    assert error.code == code
    message = error.message % (error.params or {})
    assert words in message


def test_nik_of_29_february_in_a_leap_year_is_valid():
    assert parse_nik("1471012902000001", today=TODAY).birth_date == dt.date(2000, 2, 29)


def test_nik_birth_date_in_the_future_falls_back_to_the_previous_century():
    """Born 01-12-26 read on 23 Nov 2026 cannot be 2026: it is 1926."""
    assert parse_nik("1471010112260001", today=TODAY).birth_date == dt.date(1926, 12, 1)


def test_a_nik_that_disagrees_with_the_form_gives_warnings_not_errors():
    info = parse_nik("1471011503900001", today=TODAY)
    assert nik_mismatches(info, sex="L", birth_date=dt.date(1990, 3, 15)) == []
    warnings = nik_mismatches(info, sex="P", birth_date=dt.date(1991, 3, 15))
    assert len(warnings) == 2
    assert all("berbeda" in w for w in warnings)


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("081234567890", "+6281234567890"),
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("08117515133", "+628117515133"),
        ("(0761) 28262", "+6276128262"),
    ],
)
def test_indonesian_phone_numbers_are_normalised_to_e164(raw, e164):
    assert normalise_phone(raw) == e164


@pytest.mark.parametrize("raw", ["", "abc", "0812", "08123"])
def test_invalid_phone_numbers_are_rejected_in_indonesian(raw):
    with pytest.raises(ValidationError) as excinfo:
        normalise_phone(raw)
    assert "telepon" in excinfo.value.message.lower()


def test_phone_is_shown_the_national_way():
    assert display_phone("+6281234567890").startswith("0812")


def test_nip_is_validated_and_printed_in_groups():
    validate_nip("197001011995031001")
    assert format_nip("197001011995031001") == "19700101 199503 1 001"
    for bad in ["1970010119950310", "197013011995031001", "197001011995131001", "197001011995033001"]:
        with pytest.raises(ValidationError):
            validate_nip(bad)
