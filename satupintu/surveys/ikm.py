"""
The satisfaction index (IKM) of PermenPANRB 14/2017, computed exactly.

NRR per element = sum of its answers ÷ completed questionnaires; weighted NRR = NRR × 1/9;
IKM = Σ weighted NRR × 25. The printed template says the weight is 0,111, but the definition is
1/9 (nine equally weighted elements), and the difference moves results across grade borders. So
every step here is exact (``Fraction``); only the converted value is rounded, half-up to two
decimals, and the grade is read off that converted column. The 0,111 figure is computed beside
it for offices that must match an old spreadsheet. Elements are graded the same way (NRR × 25)
to find those needing a follow-up plan.

Pure functions: no database, no Django. Callers pass sums and counts (aggregated by the database).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

ELEMENT_CODES: tuple[str, ...] = tuple(f"U{i}" for i in range(1, 10))
#: The definition's weight: nine equally weighted elements.
WEIGHT = Fraction(1, 9)
#: The weight printed in the regulation's template.
PRINTED_WEIGHT = Fraction(111, 1000)
SCALE = 25
MIN_ANSWER, MAX_ANSWER = 1, 4


@dataclass(frozen=True)
class Grade:
    """A quality grade: letter, performance wording and the lowest converted value it starts at."""

    letter: str
    label: str
    lowest: Decimal


#: Converted-value borders (PermenPANRB 14/2017, Bab III): 25,00–64,99 D; 65,00–76,60 C;
#: 76,61–88,30 B; 88,31–100,00 A. Highest first.
GRADES: tuple[Grade, ...] = (
    Grade("A", "Sangat baik", Decimal("88.31")),
    Grade("B", "Baik", Decimal("76.61")),
    Grade("C", "Kurang baik", Decimal("65.00")),
    Grade("D", "Tidak baik", Decimal("25.00")),
)
#: Grades below *Baik*: each such element needs a follow-up plan (seed, Evaluasi kinerja a.4).
BELOW_GOOD = frozenset({"C", "D"})


def round_half_up(value: Fraction, places: int = 2) -> Decimal:
    """Round an exact value half-up (away from zero at .5) to ``places`` decimals, exactly."""
    scaled = abs(value) * 10**places
    digits = math.floor(scaled + Fraction(1, 2))
    result = Decimal(digits).scaleb(-places).quantize(Decimal(1).scaleb(-places))
    return -result if value < 0 else result


def grade_of(converted: Decimal) -> Grade:
    """The grade of a converted (×25, rounded) value; anything under 25,00 is still D."""
    for grade in GRADES:
        if converted >= grade.lowest:
            return grade
    return GRADES[-1]


@dataclass(frozen=True)
class ElementResult:
    code: str
    total: int
    nrr: Fraction
    weighted: Fraction
    converted: Decimal
    grade: Grade

    @property
    def nrr_display(self) -> Decimal:
        return round_half_up(self.nrr, 4)

    @property
    def weighted_display(self) -> Decimal:
        return round_half_up(self.weighted, 4)

    @property
    def needs_follow_up(self) -> bool:
        return self.grade.letter in BELOW_GOOD


@dataclass(frozen=True)
class IkmResult:
    respondents: int
    elements: tuple[ElementResult, ...]
    #: Σ weighted NRR (exact 1/9), unrounded.
    index: Fraction
    ikm: Decimal
    grade: Grade
    ikm_weight_0111: Decimal
    grade_weight_0111: Grade

    @property
    def index_display(self) -> Decimal:
        return round_half_up(self.index, 4)

    @property
    def below_good(self) -> tuple[ElementResult, ...]:
        return tuple(e for e in self.elements if e.needs_follow_up)


def ikm_compute(sums: Mapping[str, int], respondents: int) -> IkmResult | None:
    """
    The IKM from each element's answer sum over ``respondents`` completed questionnaires.

    Return None when there are no respondents (no index can be computed). Raise ValueError when
    an element's sum is missing or impossible for answers of 1–4.
    """
    if respondents <= 0:
        return None
    elements = []
    for code in ELEMENT_CODES:
        total = sums.get(code)
        if total is None:
            raise ValueError(f"sum of {code} missing")
        if not MIN_ANSWER * respondents <= total <= MAX_ANSWER * respondents:
            raise ValueError(f"sum of {code} out of range for {respondents} respondents")
        nrr = Fraction(total, respondents)
        converted = round_half_up(nrr * SCALE)
        elements.append(
            ElementResult(
                code=code, total=total, nrr=nrr, weighted=nrr * WEIGHT, converted=converted, grade=grade_of(converted)
            )
        )
    index = sum((e.weighted for e in elements), Fraction(0))
    ikm = round_half_up(index * SCALE)
    printed = round_half_up(sum((e.nrr for e in elements), Fraction(0)) * PRINTED_WEIGHT * SCALE)
    return IkmResult(
        respondents=respondents,
        elements=tuple(elements),
        index=index,
        ikm=ikm,
        grade=grade_of(ikm),
        ikm_weight_0111=printed,
        grade_weight_0111=grade_of(printed),
    )


def ikm_of_answers(rows: Sequence[Sequence[int]]) -> IkmResult | None:
    """The IKM of answer rows held in memory (nine answers each, in U1–U9 order): for small sets and tests."""
    sums = {code: 0 for code in ELEMENT_CODES}
    for row in rows:
        if len(row) != len(ELEMENT_CODES):
            raise ValueError("a row needs nine answers")
        for code, answer in zip(ELEMENT_CODES, row, strict=True):
            sums[code] += answer
    return ikm_compute(sums, len(rows))


def sample_size(population: int) -> int:
    """
    Krejcie & Morgan's minimum sample for ``population`` users served (95 %, 5 % margin).

    S = X²·N·P·(1−P) / (d²·(N−1) + X²·P·(1−P)) with X² = 3,841, P = 0,5, d = 0,05, rounded half-up:
    100 → 80, 1.000 → 278, 1.000.000 → 384.
    """
    if population <= 0:
        return 0
    chi = Fraction(3841, 1000)
    p = Fraction(1, 4)  # P(1−P)
    d2 = Fraction(25, 10000)
    value = chi * population * p / (d2 * (population - 1) + chi * p)
    return int(round_half_up(value, 0))
