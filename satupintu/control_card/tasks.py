"""
The nightly anchor of every office's control cards (docs/security.md, "Kartu kendali: kunci dan
jangkar"). Enqueued by the scheduler (``manage.py crontask``), run by the worker; no rules here.
"""

from __future__ import annotations

import logging

from crontask import cron
from django.db import connection
from django.tasks import task

from satupintu.control_card.partitions import partitions_ensure
from satupintu.control_card.services import card_anchors_make_all

logger = logging.getLogger(__name__)


@cron("10 0 * * *")
@task
def anchor_cards_daily() -> int:
    """
    00.10 daily: anchor the heads of every card that changed, per office; the number of anchors
    made. First, on PostgreSQL, the card's yearly partitions for this year and the next two.
    """
    for line in partitions_ensure(connection):
        logger.info("card partitions: %s", line)
    return card_anchors_make_all()
