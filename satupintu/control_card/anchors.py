"""
Daily anchors of the control cards: the file format, its signature, and checking cards against it.

An anchor is a JSON file in the storage (outside the database) holding, for one office, the head
(application id, registration number, seq, hash) of every card that changed since the previous
anchor, the time it was made, and the previous anchor's digest. Its HMAC-SHA256 under the office's
anchor key (a secret apart from the card key) is kept in the ``CardAnchor`` row and recomputed on
every check, so neither the row nor the file can be replaced without the anchor key.

What an anchor adds to the keyed chain: someone holding the card key and the database could
rewrite an entry and recompute every hash after it; the card's hash at an anchored position then
differs from the anchored one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass, field
from typing import Any

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from satupintu.core.hashchain import GENESIS, sign

FORMAT = "satupintu-card-anchor/1"


def anchor_dir(office_id: int) -> str:
    return f"card-anchors/{office_id}"


def anchor_payload(
    *,
    office_id: int,
    office_slug: str,
    seq: int,
    made_at: dt.datetime,
    day: dt.date,
    last_entry_id: int,
    prev_digest: str,
    heads: list[tuple[int, str, int, str]],
) -> bytes:
    """The anchor file's bytes (canonical JSON; heads sorted by application id)."""
    body = {
        "format": FORMAT,
        "office_id": office_id,
        "office": office_slug,
        "seq": seq,
        "made_at": made_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "day": day.isoformat(),
        "last_entry_id": last_entry_id,
        "prev_digest": prev_digest,
        "heads": [list(h) for h in sorted(heads)],
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def anchor_signature(payload: bytes, *, office_id: int) -> str:
    return sign(payload, office_id=office_id, purpose="anchor")


@dataclass
class AnchorCheck:
    """The anchors of one office: what they hold and what is wrong with them."""

    anchors: int = 0
    problems: list[str] = field(default_factory=list)
    #: application id → [(seq, hash, anchor day)], oldest first, from anchors whose signature holds.
    heads: dict[int, list[tuple[int, str, str]]] = field(default_factory=dict)
    numbers: dict[int, str] = field(default_factory=dict)


def anchors_read(office_id: int, rows: list[Any]) -> AnchorCheck:
    """
    Check an office's anchor rows (ordered by seq) against their files: the file exists, its
    digest and signature match, each names the previous anchor's digest, and no file in the
    storage lacks its row.
    """
    result = AnchorCheck(anchors=len(rows))
    prev = GENESIS
    named = set()
    for expected, row in enumerate(rows, start=1):
        named.add(row.file_name)
        label = _("jangkar %(seq)s (%(day)s)") % {"seq": row.seq, "day": row.day}
        if row.seq != expected:
            result.problems.append(_("%(label)s: urutan jangkar terputus (ada jangkar yang hilang)") % {"label": label})
        try:
            with default_storage.open(row.file_name, "rb") as fh:
                payload = fh.read()
        except OSError:
            result.problems.append(
                _("%(label)s: berkas jangkar %(name)s tidak ada") % {"label": label, "name": row.file_name}
            )
            prev = row.digest
            continue
        if hashlib.sha256(payload).hexdigest() != row.digest:
            result.problems.append(_("%(label)s: berkas jangkar tidak sama dengan catatannya") % {"label": label})
        if not hmac.compare_digest(anchor_signature(payload, office_id=office_id), row.signature):
            result.problems.append(_("%(label)s: tanda tangan jangkar tidak sah") % {"label": label})
            prev = row.digest
            continue
        body = json.loads(payload)
        if body.get("office_id") != office_id or body.get("seq") != row.seq:
            result.problems.append(_("%(label)s: jangkar milik kantor atau urutan lain") % {"label": label})
        if body.get("prev_digest") != prev:
            result.problems.append(_("%(label)s: tidak tersambung dengan jangkar sebelumnya") % {"label": label})
        for application_id, number, seq, head in body["heads"]:
            result.heads.setdefault(application_id, []).append((seq, head, body["day"]))
            result.numbers[application_id] = number
        prev = row.digest
    try:
        _dirs, files = default_storage.listdir(anchor_dir(office_id))
    except (OSError, NotImplementedError):
        files = []
    for name in files:
        if f"{anchor_dir(office_id)}/{name}" not in named:
            result.problems.append(
                _("berkas jangkar %(name)s tanpa catatan di basis data (catatan dihapus?)") % {"name": name}
            )
    return result
