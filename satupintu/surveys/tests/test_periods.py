import datetime as dt

import pytest

from satupintu.surveys.periods import PeriodInvalid, period_parse


@pytest.mark.parametrize(
    ("text", "label", "start", "end"),
    [
        ("2026", "2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
        ("2026-s2", "2026-S2", dt.date(2026, 7, 1), dt.date(2026, 12, 31)),
        ("2026-Q1", "2026-T1", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        ("2026-T4", "2026-T4", dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        ("2026-02", "2026-02", dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        ("2026-03-15", "2026-03-15", dt.date(2026, 3, 15), dt.date(2026, 3, 15)),
    ],
)
def test_periods_are_read_from_text(text, label, start, end):
    period = period_parse(text)
    assert (period.label, period.start, period.end) == (label, start, end)


@pytest.mark.parametrize("text", ["", "26", "2026-S3", "2026-13", "2026-02-30", "semester 1"])
def test_unknown_periods_are_refused_in_indonesian(text):
    with pytest.raises(PeriodInvalid, match="tidak dikenal"):
        period_parse(text)
