"""
The officers' search (issue 14, finding one's way): a registration number in any case, a permit
number, a name, a NIK only for roles that may see personal data, and the filters; office by office.
"""

import datetime as dt

import pytest

from satupintu.applications import services
from satupintu.applications.models import Channel, Status
from satupintu.applications.search import (
    application_exact,
    applications_search,
    number_normalise,
    registration_number_example,
)
from satupintu.applications.tests.conftest import FORM_DATA, WIB, upload_all
from satupintu.core.errors import PermissionDenied

pytestmark = pytest.mark.django_db

PARAMEDIK = "izin-praktik-paramedik-asisten-teknik-reproduksi"
RADIOGRAFER = "izin-kerja-radiografer"


@pytest.fixture
def files(services_loaded, staff):
    """A paramedik file handed in on 9 March 2026 and a radiographer draft (registered today, not handed in)."""
    front = staff["front_office"]
    para = services_loaded[PARAMEDIK]
    first = services.application_create(
        office=para.office,
        service=para,
        actor=front,
        data=FORM_DATA[PARAMEDIK],
        channel=Channel.COUNTER,
        at=dt.datetime(2026, 3, 9, 9, 0, tzinfo=WIB),
    )
    upload_all(first, front)
    first = services.application_submit(application=first, actor=front, at=dt.datetime(2026, 3, 9, 9, 5, tzinfo=WIB))
    radio = services_loaded[RADIOGRAFER]
    second = services.application_create(
        office=radio.office,
        service=radio,
        actor=front,
        data=FORM_DATA[RADIOGRAFER],
        channel=Channel.COUNTER,
        at=dt.datetime(2026, 3, 20, 10, 0, tzinfo=WIB),
    )
    return first, second


def _numbers(rows):
    return sorted(a.number for a in rows)


def test_number_normalise_upper_cases_and_drops_spaces():
    """What a person types off a receipt reads as the stored number (finding: tracking was case-sensitive)."""
    assert number_normalise(" pku-2026 -000123\t") == "PKU-2026-000123"
    assert number_normalise("ab12cd") == "AB12CD"


def test_the_example_number_has_the_real_format(office):
    """The hint shows the number numbering.registration_number writes (prefix, year, six digits)."""
    office.registration_prefix = "PKU"
    assert registration_number_example(office, year=2026) == "PKU-2026-000123"
    office.registration_prefix = None
    assert registration_number_example(office, year=2026) == "DPMPTSP-KOTA-PEKANBARU-2026-000123"


def test_a_registration_number_matches_in_any_case_exactly_or_as_a_prefix(files, office, staff):
    first, second = files
    viewer = staff["back_office"]
    assert _numbers(applications_search(office=office, viewer=viewer, q=first.number.lower())) == [first.number]
    prefix = first.number[:-1].lower()
    assert _numbers(applications_search(office=office, viewer=viewer, q=prefix)) == sorted(
        [first.number, second.number]
    )
    assert application_exact(office=office, viewer=viewer, q=f" {first.number.lower()} ") == first


def test_a_name_matches_any_part_in_any_case(files, office, staff):
    first, second = files
    rows = applications_search(office=office, viewer=staff["kepegawaian"], q="agus sal")
    assert _numbers(rows) == [first.number]
    assert _numbers(applications_search(office=office, viewer=staff["kepegawaian"], q="MARLINA")) == [second.number]


def test_a_nik_is_searched_only_by_roles_that_may_see_personal_data(files, office, staff):
    """VIEW_PERSONAL_DATA decides: the front office finds the file by NIK, the kepegawaian role does not."""
    first, _second = files
    nik = FORM_DATA[PARAMEDIK]["nik"]
    assert first.applicant_nik == nik
    assert _numbers(applications_search(office=office, viewer=staff["front_office"], q=nik)) == [first.number]
    assert list(applications_search(office=office, viewer=staff["kepegawaian"], q=nik)) == []


def test_filters_narrow_by_service_status_period_and_lateness(files, office, staff, services_loaded):
    first, second = files
    viewer = staff["front_office"]

    def search(**kw):
        return _numbers(applications_search(office=office, viewer=viewer, **kw))

    assert search(service=services_loaded[RADIOGRAFER]) == [second.number]
    assert search(status=Status.DRAFT) == [second.number]
    assert search(period_from=dt.date(2026, 3, 10)) == [second.number]
    assert search(period_to=dt.date(2026, 3, 9)) == [first.number]
    # The completeness check (20 minutes) was due on 9 March; on 11 March it is late, the draft is not.
    now = dt.datetime(2026, 3, 11, 9, 0, tzinfo=WIB)
    assert search(overdue=True, now=now) == [first.number]
    assert search(overdue=False, now=now) == [second.number]


def test_the_search_stays_inside_an_office_the_viewer_works_in(files, make_office, make_user, office):
    """Another office's officer finds nothing here and is refused; nobody sees a file across offices."""
    other = make_office()
    outsider = make_user(office=other, roles=["front_office"])
    with pytest.raises(PermissionDenied):
        applications_search(office=office, viewer=outsider, q="agus")
    assert list(applications_search(office=other, viewer=outsider, q=files[0].number)) == []
    assert application_exact(office=office, viewer=outsider, q=files[0].number) is None


def test_a_row_is_marked_late_by_the_same_rule_as_the_filter(files, office, staff):
    from satupintu.applications.search import application_overdue

    now = dt.datetime(2026, 3, 11, 9, 0, tzinfo=WIB)
    rows = applications_search(office=office, viewer=staff["front_office"], now=now)
    late = {a.number for a in applications_search(office=office, viewer=staff["front_office"], overdue=True, now=now)}
    assert {a.number for a in rows if application_overdue(a, now)} == late
