"""
The signature worker (ADR 0009): signed permits made off the approving transaction, and the sweep
that takes back signatures whose worker died. Run by ``manage.py worker``; no rules here.
"""

from __future__ import annotations

from crontask import cron
from django.tasks import task

from satupintu.documents import services


@task
def sign_batch(batch: str) -> int:
    """Render and sign the pending requests of one batch; the number of permits issued."""
    return len(services.signature_batch_run(batch=batch))


@cron("* * * * *")
@task
def recover_signatures() -> int:
    """Every minute: signatures left by a dead worker are cleaned up and queued again (or marked failed)."""
    return services.signatures_recover()
