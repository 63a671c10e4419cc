"""
The IKM rules of PermenPANRB 14/2017 (DOMAIN "Satisfaction survey"), pinned on known datasets.

Seed, Evaluasi kinerja pelaksana a.3: "Hasil survey berdasarkan pedoman pengolahan data SKM".
"""

from decimal import Decimal
from fractions import Fraction

import pytest

from satupintu.surveys.ikm import grade_of, ikm_compute, ikm_of_answers, round_half_up, sample_size
from satupintu.surveys.tests.factories import element_rows, rows_with_total


def test_all_answers_three_give_75_and_grade_c():
    """All answers 3 → IKM 75,00 → C (Kurang baik)."""
    result = ikm_of_answers([[3] * 9] * 40)
    assert (result.ikm, result.grade.letter, result.grade.label) == (Decimal("75.00"), "C", "Kurang baik")
    assert result.ikm_weight_0111 == Decimal("74.93")
    assert all(e.converted == Decimal("75.00") and e.grade.letter == "C" for e in result.elements)


def test_all_answers_four_give_100_and_grade_a():
    result = ikm_of_answers([[4] * 9] * 7)
    assert (result.ikm, result.grade.letter) == (Decimal("100.00"), "A")
    assert result.index == 4
    assert result.ikm_weight_0111 == Decimal("99.90")
    assert result.below_good == ()


def test_all_answers_one_give_25_and_grade_d():
    result = ikm_of_answers([[1] * 9] * 3)
    assert (result.ikm, result.grade.letter) == (Decimal("25.00"), "D")


@pytest.mark.parametrize(
    ("respondents", "total", "ikm", "grade"),
    [
        (38, 889, "64.99", "D"),  # 64,985… rounds half-up to 64,99
        (5, 117, "65.00", "C"),
        (26, 717, "76.60", "C"),  # 76,6026
        (19, 524, "76.61", "B"),  # 76,6082
        (19, 604, "88.30", "B"),  # 88,3041
        (24, 763, "88.31", "A"),  # 88,3102
    ],
)
def test_each_grade_border_is_read_off_the_rounded_converted_value(respondents, total, ikm, grade):
    result = ikm_of_answers(rows_with_total(respondents, total))
    assert result.respondents == respondents
    assert str(result.ikm) == ikm
    assert result.grade.letter == grade


@pytest.mark.parametrize(
    ("respondents", "total", "converted", "grade"),
    [
        (337, 876, "64.99", "D"),
        (5, 13, "65.00", "C"),
        (47, 144, "76.60", "C"),
        (31, 95, "76.61", "B"),
        (47, 166, "88.30", "B"),
        (62, 219, "88.31", "A"),
    ],
)
def test_each_element_is_graded_on_nrr_times_25(respondents, total, converted, grade):
    """Elements graded below Baik need a follow-up plan (seed, Evaluasi kinerja a.4)."""
    result = ikm_of_answers(element_rows(respondents, total))
    u1 = result.elements[0]
    assert (str(u1.converted), u1.grade.letter) == (converted, grade)
    assert u1.needs_follow_up is (grade in {"C", "D"})
    assert [e.code for e in result.below_good] == (["U1"] if grade in {"C", "D"} else [])


def test_the_printed_weight_0111_can_give_another_grade_than_one_ninth():
    """Σ NRR = 27,6: exact 1/9 gives 76,67 B; the template's 0,111 gives 76,59 C. The grade follows 1/9."""
    result = ikm_of_answers(rows_with_total(10, 276))
    assert (result.ikm, result.grade.letter) == (Decimal("76.67"), "B")
    assert (result.ikm_weight_0111, result.grade_weight_0111.letter) == (Decimal("76.59"), "C")


def test_nrr_and_weighted_nrr_are_exact_fractions():
    result = ikm_of_answers([[3, 4, 2, 4, 3, 3, 4, 3, 2], [4, 3, 3, 4, 3, 4, 4, 3, 3]])
    u1 = result.elements[0]
    assert u1.nrr == Fraction(7, 2) and u1.weighted == Fraction(7, 18)
    assert u1.nrr_display == Decimal("3.5000") and u1.weighted_display == Decimal("0.3889")
    assert result.index == Fraction(59, 18)
    assert result.ikm == Decimal("81.94")  # 59/18 × 25 = 81,944…


def test_rounding_is_half_up_and_exact():
    assert round_half_up(Fraction(64985, 1000)) == Decimal("64.99")
    assert round_half_up(Fraction(76605, 1000)) == Decimal("76.61")
    assert round_half_up(Fraction(5, 2), 0) == Decimal("3")
    assert grade_of(Decimal("64.99")).letter == "D" and grade_of(Decimal("65.00")).letter == "C"


def test_no_respondents_give_no_index():
    assert ikm_compute({f"U{i}": 0 for i in range(1, 10)}, 0) is None


def test_impossible_sums_are_refused():
    with pytest.raises(ValueError):
        ikm_compute({f"U{i}": 50 for i in range(1, 10)}, 10)


@pytest.mark.parametrize(
    ("population", "sample"),
    [(0, 0), (10, 10), (50, 44), (100, 80), (500, 217), (1_000, 278), (10_000, 370), (100_000, 383), (1_000_000, 384)],
)
def test_sample_size_follows_krejcie_and_morgan(population, sample):
    assert sample_size(population) == sample
