"""GET /api/v1/queue in pages: cursor pagination over the merged queues (issue 12, part 3; DESIGN §12)."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from satupintu.api.tests.conftest import RADIOGRAFER
from satupintu.applications import services
from satupintu.applications.models import Channel
from satupintu.applications.tests.conftest import FORM_DATA, all_sesuai, upload_all

pytestmark = pytest.mark.django_db


def _submitted(service, applicant, at):
    application = services.application_create(
        office=service.office, service=service, actor=applicant, data=FORM_DATA[service.code], at=at
    )
    upload_all(application, applicant)
    return services.application_submit(application=application, actor=applicant, at=at + dt.timedelta(minutes=5))


def _returned_at_the_counter(service, officer, at):
    """
    A counter file of someone without an account, sent back for completion: it stays in the front
    office's queue with no due time (the clock is stopped).
    """
    application = services.application_create(
        office=service.office,
        service=service,
        actor=officer,
        data=dict(FORM_DATA[service.code], nik="1471015503900099"),
        channel=Channel.COUNTER,
        at=at,
    )
    upload_all(application, officer)
    application = services.application_submit(application=application, actor=officer, at=at + dt.timedelta(minutes=5))
    return services.step_complete(
        application=application,
        actor=officer,
        step_number=2,
        outcome="incomplete",
        data=all_sesuai(application, ktp="KTP tidak terbaca."),
        at=at + dt.timedelta(minutes=10),
    )


def _walk(session, limit, **params):
    """Every page from the first, following the Link header; the numbers in order and the pages' sizes."""
    numbers, sizes = [], []
    query = {"limit": limit, **params}
    for _page in range(50):
        response = session.get("/queue", query)
        assert response.status_code == 200
        page = response.json()
        numbers += [i["number"] for i in page]
        sizes.append(len(page))
        link = response.headers.get("Link")
        if not link:
            assert "X-Next-Cursor" not in response.headers
            return numbers, sizes
        assert link.endswith('>; rel="next"')
        target = parse_qs(urlsplit(link[1 : link.index(">")]).query)
        assert target["cursor"] == [response.headers["X-Next-Cursor"]] and target["limit"] == [str(limit)]
        query = {k: v[0] for k, v in target.items()}
    raise AssertionError("the pages never end")


def test_the_queue_comes_in_pages_that_add_up_to_the_whole_queue_in_order(
    api, services_loaded, staff, applicant, make_user, office
):
    """
    Pages of ``limit`` follow one another by cursor across two roles: no file repeated or missed,
    overdue first, then by due time, files without a due time last — the unpaginated order.
    """
    service = services_loaded[RADIOGRAFER]
    now = timezone.now()
    front = [_submitted(service, applicant, now - dt.timedelta(days=d, minutes=30)) for d in (9, 6, 3, 0)]
    inspected = []
    for days in (12, 8):
        app = _submitted(service, applicant, now - dt.timedelta(days=days))
        inspected.append(
            services.step_complete(
                application=app,
                actor=staff["front_office"],
                step_number=2,
                outcome="complete",
                data=all_sesuai(app),
                at=now - dt.timedelta(days=days) + dt.timedelta(minutes=20),
            )
        )
    returned = _returned_at_the_counter(service, staff["front_office"], now - dt.timedelta(days=20))
    both = api(make_user(office=office, roles=["front_office", "tim_teknis"]))

    whole = both.get("/queue", {"limit": 200})
    assert "Link" not in whole.headers
    everything = [i["number"] for i in whole.json()]
    assert set(everything) == {a.number for a in [*front, *inspected, returned]}
    assert everything[-1] == returned.number  # no due time: last, however long it has waited
    dues = [i["due_at"] for i in whole.json()[:-1]]
    assert dues == sorted(dues)
    assert [i["overdue"] for i in whole.json()][:2] == [True, True]

    for limit in (1, 2, 3, 6):
        numbers, sizes = _walk(both, limit)
        assert numbers == everything
        assert all(size == limit for size in sizes[:-1]) and 0 < sizes[-1] <= limit
    numbers, _sizes = _walk(both, 2, role="front_office", office=office.slug)
    assert numbers == [n for n in everything if n not in {a.number for a in inspected}]


def test_a_page_after_the_cursor_does_not_shift_when_earlier_files_move_on(
    api, services_loaded, staff, applicant, office
):
    """Keyset pages: completing a file already listed does not make the next page skip one."""
    service = services_loaded[RADIOGRAFER]
    now = timezone.now()
    files = [_submitted(service, applicant, now - dt.timedelta(days=d)) for d in (5, 4, 3, 2)]
    session = api(staff["front_office"])
    first = session.get("/queue", {"limit": 2})
    assert [i["number"] for i in first.json()] == [files[0].number, files[1].number]
    services.step_complete(
        application=files[0], actor=staff["front_office"], step_number=2, outcome="complete", data=all_sesuai(files[0])
    )
    second = session.get("/queue", {"limit": 2, "cursor": first.headers["X-Next-Cursor"]})
    assert [i["number"] for i in second.json()] == [files[2].number, files[3].number]


@pytest.mark.parametrize("cursor", ["x", "bm90IGpzb24", "WzEsMiwzXQ", "WyIyMDI2LTAxLTAxVDAwOjAwOjAwIiwgbnVsbCwgMV0"])
def test_a_cursor_the_api_did_not_hand_out_is_refused(api, staff, cursor):
    """An unreadable cursor (or one with a time without zone) is a 422 with the usual error body."""
    response = api(staff["front_office"]).get("/queue", {"cursor": cursor})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_data" and "cursor" in response.json()["errors"]


def test_the_page_size_is_bounded(api, staff):
    session = api(staff["front_office"])
    assert session.get("/queue", {"limit": 0}).status_code == 422
    assert session.get("/queue", {"limit": 201}).status_code == 422
    assert session.get("/queue", {"limit": 200}).status_code == 200
