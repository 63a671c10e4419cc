"""
The queues read the open-files index (issue 12): every status a queue lists is in the index's
condition, so PostgreSQL can answer a page from ``application_queue_open`` in queue order
instead of sorting the office's whole queue (the index once missed ``awaiting_payment`` and the
1M benchmark's biggest queue sorted 5,453 files for each page of 50).
"""

import pytest
from django.db import connection

from satupintu.applications import selectors
from satupintu.applications.models import OPEN_STATUSES, Application

pytestmark = pytest.mark.django_db


def test_the_queues_list_exactly_the_statuses_of_the_open_files_index():
    index = next(i for i in Application._meta.indexes if i.name == "application_queue_open")
    ((_lookup, statuses),) = index.condition.children
    assert set(statuses) == set(OPEN_STATUSES) == set(selectors.ACTIVE)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans are PostgreSQL's")
def test_a_queue_page_is_an_index_range_of_the_open_files_index(office):
    for queryset in (
        selectors.queue_for(office=office, role="front_office")[:50],
        Application.objects.filter(office=office, current_role="front_office", status__in=selectors.ACTIVE)
        .filter(step_due_at__isnull=False)
        .order_by("step_due_at", "step_received_at", "pk")[:50],
    ):
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            # Few rows in a test database: take the planner's cheap way out (a sequential scan) away.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "application_queue_open" in plan, plan
