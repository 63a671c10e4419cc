"""Fixtures for the working-time tests: a fresh calendar cache per test (``make_office`` is project-wide)."""

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from satupintu.workdays import clear_calendar_cache

WIB = ZoneInfo("Asia/Jakarta")


def wib(*args: int) -> datetime:
    """An aware datetime on the Jakarta wall clock."""
    return datetime(*args, tzinfo=WIB)  # type: ignore[misc]


@pytest.fixture(autouse=True)
def fresh_calendar_cache() -> Iterator[None]:
    """Each test starts and ends with an empty cache (rows of a rolled-back test must not linger)."""
    clear_calendar_cache()
    yield
    clear_calendar_cache()
