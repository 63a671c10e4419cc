"""Answer sets with a chosen size and total, to hit the IKM's grade borders exactly."""

from satupintu.surveys.ikm import ELEMENT_CODES


def rows_with_total(respondents: int, total: int) -> list[list[int]]:
    """``respondents`` rows of nine answers (1–4) whose answers add up to ``total``."""
    nine = len(ELEMENT_CODES)
    assert nine * respondents <= total <= 4 * nine * respondents
    rows = [[1] * nine for _ in range(respondents)]
    extra = total - nine * respondents
    for row in rows:
        for i in range(nine):
            step = min(3, extra)
            row[i] += step
            extra -= step
    assert extra == 0
    return rows


def element_rows(respondents: int, total: int, *, others: int = 4) -> list[list[int]]:
    """Rows whose U1 answers add up to ``total``; every other element answered ``others``."""
    rows = []
    extra = total - respondents
    for _ in range(respondents):
        step = min(3, extra)
        extra -= step
        rows.append([1 + step] + [others] * (len(ELEMENT_CODES) - 1))
    assert extra == 0
    return rows
