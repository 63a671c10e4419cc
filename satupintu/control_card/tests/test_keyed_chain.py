"""
Issue 13, part 4: a keyed, anchored control card.

Finding: "The card's chain is unkeyed. With the triggers dropped, an entry can be rewritten and
the chain recomputed so that the check still says intact; the activity text is not hashed."
Each test below drops the append-only triggers the way a database owner could, rewrites the card
and shows that the check now names the rewritten entry.
"""

import datetime as dt
import hashlib
import hmac
import json

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

from satupintu.applications import services
from satupintu.applications.models import Application
from satupintu.applications.tests.conftest import FORM_DATA, WIB, Clock, all_sesuai, upload_all
from satupintu.control_card.chain import HASHED_FIELDS, V1_FIELDS, entry_hash
from satupintu.control_card.models import CardAnchor, ControlCardEntry
from satupintu.control_card.selectors import card_check, office_cards_verify
from satupintu.control_card.services import card_anchor_make, card_anchors_make_all
from satupintu.core.hashchain import GENESIS, _canonical, _plain

pytestmark = pytest.mark.django_db

TABLE = ControlCardEntry._meta.db_table


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def clock():
    return Clock(dt.datetime(2026, 6, 2, 8, 30, tzinfo=WIB))


@pytest.fixture
def worked(services_loaded, staff, applicant, clock):
    """An application three steps into its SOP (three card entries)."""
    service = services_loaded["izin-reklame-kecil"]
    app = services.application_create(
        office=service.office, service=service, actor=applicant, data=FORM_DATA[service.code], at=clock.now
    )
    upload_all(app, applicant)
    app = services.application_submit(application=app, actor=applicant, at=clock.tick(minutes=1))
    app = services.step_complete(
        application=app,
        actor=staff["front_office"],
        step_number=2,
        outcome="complete",
        at=clock.tick(minutes=9),
        data=all_sesuai(app),
    )
    return services.step_complete(
        application=app, actor=staff["back_office"], step_number=3, outcome="drafted", at=clock.tick(minutes=9)
    )


def _drop_triggers():
    """Drop the append-only triggers as the database owner could (the test's transaction restores them)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"DROP TRIGGER IF EXISTS control_card_no_update ON {TABLE}")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS control_card_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS control_card_no_delete")


def _sha256_v1(entry, prev):
    payload = {name: _plain(getattr(entry, name)) for name in V1_FIELDS}
    payload["prev_hash"] = prev
    return hashlib.sha256(_canonical(payload)).hexdigest()


def _hmac_guess(entry, prev):
    """What someone without the office's key can compute: the keyed construction with a guessed key."""
    payload = {name: _plain(getattr(entry, name)) for name in HASHED_FIELDS}
    payload["prev_hash"], payload["v"] = prev, 2
    return hmac.new(b"guessed-key", _canonical(payload), hashlib.sha256).hexdigest()


def _rewrite(app, *, seq, changes, recompute, from_seq=None, version="keep"):
    """
    Change one entry with raw SQL, then recompute every hash from ``from_seq`` (default: the
    changed entry) with ``recompute`` and move the application's recorded head along.
    """
    _drop_triggers()
    if changes:
        sets = ", ".join(f"{column} = %s" for column in changes)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {TABLE} SET {sets} WHERE application_id = %s AND seq = %s", [*changes.values(), app.pk, seq]
            )
    entries = list(ControlCardEntry.objects.filter(application=app).order_by("seq"))
    start = from_seq or seq
    prev = GENESIS if start == 1 else entries[start - 2].hash
    for entry in entries[start - 1 :]:
        if version != "keep":
            entry.chain_version = version
        new = recompute(entry, prev)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {TABLE} SET prev_hash = %s, hash = %s, chain_version = %s WHERE id = %s",
                [prev, new, entry.chain_version, entry.pk],
            )
        prev = new
    Application.objects.filter(pk=app.pk).update(card_head_hash=prev)
    return prev


def test_finding_unkeyed_chain_a_rewritten_entry_with_a_recomputed_chain_is_still_detected(worked):
    """
    Finding "the card's chain is unkeyed": the front office's paraf rewritten and every later hash
    recomputed, with plain SHA-256 or with a guessed key, leaves the card broken at that entry.
    """
    head = _rewrite(worked, seq=2, changes={"actor_name": "Orang Lain", "note": "lengkap"}, recompute=_hmac_guess)
    report = card_check(worked.pk, head_hash=head)
    assert not report.ok and report.broken_at == 2 and "diubah" in report.reason


def test_finding_unkeyed_chain_a_downgrade_to_plain_sha256_is_detected(worked):
    """
    Finding "the card's chain is unkeyed": rewriting the whole card in the old unkeyed form
    (version 1, which the old check accepted) is refused where the deployment declared no such rows.
    """
    head = _rewrite(worked, seq=2, changes={"actor_name": "Orang Lain"}, recompute=_sha256_v1, from_seq=1, version=None)
    report = card_check(worked.pk, head_hash=head)
    assert not report.ok and report.broken_at == 1 and "tanpa kunci" in report.reason

    head = _rewrite(worked, seq=3, changes={"note": "x"}, recompute=_sha256_v1, from_seq=3, version=None)
    assert card_check(worked.pk, head_hash=head).broken_at == 1


def test_finding_unkeyed_chain_the_activity_text_is_covered(worked):
    """Finding "the activity text is not hashed": changing only an entry's activity breaks the card there."""
    _drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET activity = %s WHERE application_id = %s AND seq = 2", ["Kegiatan lain", worked.pk]
        )
    report = card_check(worked.pk, head_hash=worked.card_head_hash)
    assert not report.ok and report.broken_at == 2


@pytest.mark.parametrize(
    "column,value",
    [("step_label", "9"), ("role", "kepala_dinas"), ("acting_for_name", "Plh. Palsu"), ("standard_seconds", 1)],
)
def test_every_fact_the_card_shows_is_hashed(worked, column, value):
    """Each fact the printed card shows (step label, role, Plh., times against the standard) is covered by the hash."""
    _drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET {column} = %s WHERE application_id = %s AND seq = 1", [value, worked.pk])
    assert card_check(worked.pk, head_hash=worked.card_head_hash).broken_at == 1


def test_unkeyed_entries_written_before_the_upgrade_still_verify_when_declared(worked, settings):
    """A deployment with unkeyed entries declares their last id; those, and only those, verify as version 1."""
    entries = list(ControlCardEntry.objects.filter(application=worked).order_by("seq"))
    head = _rewrite(worked, seq=1, changes={}, recompute=_sha256_v1, from_seq=1, version=None)
    settings.SATUPINTU_CARD_UNKEYED_MAX_ID = entries[-1].pk
    report = card_check(worked.pk, head_hash=head)
    assert report.ok and report.unkeyed == 3
    settings.SATUPINTU_CARD_UNKEYED_MAX_ID = entries[0].pk
    assert card_check(worked.pk, head_hash=head).broken_at == 2


def test_the_key_differs_per_office(worked):
    """The same facts hash differently in two offices: one office's key says nothing about another's."""
    entry = ControlCardEntry.objects.get(application=worked, seq=1)
    facts = {name: getattr(entry, name) for name in HASHED_FIELDS}
    assert entry_hash(facts, GENESIS, office_id=entry.office_id) == entry.hash
    assert entry_hash(facts, GENESIS, office_id=entry.office_id + 1) != entry.hash


# --- anchors -----------------------------------------------------------------------------------


def test_anchor_catches_a_rewrite_recomputed_with_the_key(worked, staff, clock):
    """
    Part 4, anchors: someone holding the card key and the database rewrites an anchored entry and
    recomputes the chain; the chain checks out, but the card no longer holds its anchored head,
    and the check names the first entry that may have been rewritten.
    """
    first = card_anchor_make(office=worked.office, at=clock.tick(hours=1))
    assert first is not None and first.heads == 1
    app = services.step_complete(
        application=worked, actor=staff["analis_madya"], step_number=4, outcome="approve", at=clock.tick(minutes=30)
    )
    second = card_anchor_make(office=worked.office, at=clock.tick(hours=24))
    assert second is not None and second.prev_digest == first.digest

    def with_the_key(entry, prev):
        return entry_hash({n: getattr(entry, n) for n in HASHED_FIELDS}, prev, office_id=entry.office_id)

    head = _rewrite(app, seq=3, changes={"note": "dibuat ulang"}, recompute=with_the_key)
    assert card_check(app.pk, head_hash=head).ok  # the key holder's chain is self-consistent

    report = office_cards_verify(worked.office)
    assert not report.ok and [c.number for c in report.broken] == [app.number]
    # Entry 1 to 3 was anchored on the first night, 4 on the second: the rewrite lies in 1..3.
    assert report.broken[0].broken_at == 1 and "1 sampai 3" in report.broken[0].reason


def test_anchor_file_is_signed_and_chained(worked, clock):
    """A changed anchor file, or an anchor row removed from the database, is reported."""
    anchor = card_anchor_make(office=worked.office, at=clock.tick(hours=1))
    assert office_cards_verify(worked.office).ok
    body = json.loads(default_storage.open(anchor.file_name).read())
    assert body["heads"] == [[worked.pk, worked.number, 3, worked.card_head_hash]]
    assert body["made_at"].startswith("2026-06-02T02:")

    body["heads"][0][3] = "f" * 64
    with default_storage.open(anchor.file_name, "wb") as fh:
        fh.write(json.dumps(body).encode())
    problems = office_cards_verify(worked.office).anchor_problems
    assert any("tanda tangan" in p for p in problems)

    CardAnchor.objects.filter(pk=anchor.pk)._raw_delete(connection.alias)
    problems = office_cards_verify(worked.office).anchor_problems
    assert any("tanpa catatan" in p for p in problems)


def test_an_anchor_holds_only_changed_cards(worked, clock):
    """Each night's anchor holds the cards that changed since the previous one; none changed, none made."""
    assert card_anchors_make_all(at=clock.tick(hours=1)) == 1
    assert card_anchor_make(office=worked.office, at=clock.tick(hours=24)) is None


def test_card_verify_command_reports_the_first_broken_entry_and_fails(worked, capsys):
    """``manage.py card_verify --office SLUG`` exits 0 on intact cards, 1 with each card's first broken entry."""
    call_command("card_verify", office=worked.office.slug, anchor=True)
    out = capsys.readouterr().out
    assert "1 cards, 3 entries" in out and "0 broken cards" in out

    _drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET activity = %s WHERE application_id = %s AND seq = 2", ["x", worked.pk])
    with pytest.raises(SystemExit) as exit_info:
        call_command("card_verify", office=worked.office.slug)
    assert exit_info.value.code == 1
    out = capsys.readouterr().out
    assert f"BROKEN {worked.number}: entry 2:" in out


def test_the_anchor_runs_on_the_schedule():
    """The nightly anchor is a ``@cron`` task the scheduler enqueues."""
    from crontask import scheduler

    import satupintu.control_card.tasks  # noqa: F401

    assert any(job.name.endswith("anchor_cards_daily") for job in scheduler.get_jobs())
