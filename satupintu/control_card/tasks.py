"""
The nightly anchor of every office's control cards (docs/security.md, "Kartu kendali: kunci dan
jangkar"). Enqueued by the scheduler (``manage.py crontask``), run by the worker; no rules here.
"""

from __future__ import annotations

from crontask import cron
from django.tasks import task

from satupintu.control_card.services import card_anchors_make_all


@cron("10 0 * * *")
@task
def anchor_cards_daily() -> int:
    """00.10 daily: anchor the heads of every card that changed, per office; the number of anchors made."""
    return card_anchors_make_all()
