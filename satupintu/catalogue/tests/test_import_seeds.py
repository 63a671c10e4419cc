"""
The two seeds import to the shipped standards, clause for clause.

How the comparison works (``seed_clauses``): both definitions are dumped to plain data and
reduced to what the seed document itself says, then compared for equality.

- Operating configuration is not a clause of a published standard and is left out on both sides:
  ``application_form``, ``uploads``, ``numbering``, ``permit``; so are ``short_code`` (an
  abbreviation the office chooses) and ``source.note`` (prose about the transcription).
- Requirement ``key``s are identifiers chosen by whoever wrote the file (the importer derives
  them from the label), not text of the seed: they are left out; every other requirement field
  (label, quantity, photocopy, legalised, original, renewal_only, new_only, note) is compared.
- A clause the shipped file marks ``provenance.from_seed: false`` is not in the seed. It is left
  out of the comparison, and the imported draft must not claim the seed said it either: the
  imported clause at the same place must be absent or marked ``from_seed: false`` too
  (``claims_from_seed``). In a list (requirements, channels, SOP steps) such items are dropped
  from both sides before the lists are compared, so an implied step the shipped file inserts
  (the radiographer's inspection, label ``2a``) and the one the importer inserts are both out,
  and the seed's own steps must still match one for one, numbers included. A field whose
  sibling ``<field>_provenance`` says ``from_seed: false`` (``introduction``, ``requirements``,
  ``procedure``, ``complaints.intro``) is treated the same way, and so are the heading of the
  complaint channels (``channels_label``, ``channels_text``) when every shipped channel is not
  from the seed (the truncated paramedik seed lost clause a. with its heading).

Everything else — all text, labels, flags, times, roles, kinds, outcomes, contacts, the SOP's
numbers and the completeness of the source — must be equal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from satupintu.catalogue.importing import import_standard
from satupintu.catalogue.loader import parse_standard

STANDARDS = Path(settings.SATUPINTU_STANDARDS_DIR)
SEEDS = ["izin-kerja-radiografer", "izin-praktik-paramedik-asisten-teknik-reproduksi"]
OPERATING = {"application_form", "uploads", "numbering", "permit", "short_code"}
_GONE = object()


def _not_from_seed(node: Any) -> bool:
    return isinstance(node, dict) and isinstance(node.get("provenance"), dict) and not node["provenance"]["from_seed"]


def _sibling_not_from_seed(parent: dict[str, Any], key: str) -> bool:
    for name in (f"{key}_provenance", f"{key.removesuffix('_note')}_provenance"):
        if isinstance(parent.get(name), dict) and not parent[name]["from_seed"]:
            return True
    return False


def _heading_of_lost_list(parent: dict[str, Any], key: str) -> bool:
    """``channels_label``/``channels_text`` head the channels: not from the seed when no channel is."""
    channels = parent.get("channels")
    return key in {"channels_label", "channels_text"} and bool(channels) and all(map(_not_from_seed, channels))


def seed_clauses(shipped: Any, imported: Any) -> tuple[Any, Any]:
    """Both values reduced to the clauses the seed holds (see the module docstring)."""
    if isinstance(shipped, dict) and isinstance(imported, dict):
        left: dict[str, Any] = {}
        right: dict[str, Any] = {}
        for key in sorted(set(shipped) | set(imported)):
            if key.endswith("_provenance"):
                continue
            if _sibling_not_from_seed(shipped, key) or _heading_of_lost_list(shipped, key):
                continue
            a, b = shipped.get(key, _GONE), imported.get(key, _GONE)
            if _not_from_seed(a):
                continue
            left[key], right[key] = seed_clauses(a, b)
        return left, right
    if isinstance(shipped, list) and isinstance(imported, list):
        a = [item for item in shipped if not _not_from_seed(item)]
        b = [item for item in imported if not _not_from_seed(item)]
        pairs = [seed_clauses(x, y) for x, y in zip(a, b, strict=False)]
        return [p[0] for p in pairs] + a[len(b) :], [p[1] for p in pairs] + b[len(a) :]
    return shipped, imported


def claims_from_seed(shipped: Any, imported: Any, path: str = "") -> list[str]:
    """Places where the shipped file says "not from the seed" but the import claims the seed said it."""
    found: list[str] = []
    if isinstance(shipped, dict) and isinstance(imported, dict):
        for key, value in shipped.items():
            other = imported.get(key)
            if key.endswith("_provenance") and isinstance(value, dict) and not value["from_seed"]:
                field = key.removesuffix("_provenance")
                own = imported.get(key)
                if imported.get(field) and not (isinstance(own, dict) and not own["from_seed"]):
                    found.append(f"{path}{field}")
                continue
            if _not_from_seed(value) and isinstance(other, dict) and not _not_from_seed(other):
                found.append(f"{path}{key}")
                continue
            found += claims_from_seed(value, other, f"{path}{key}.")
    return found


def _without_operating(data: dict[str, Any]) -> dict[str, Any]:
    data = {k: v for k, v in data.items() if k not in OPERATING}
    data["source"] = {k: v for k, v in data["source"].items() if k != "note"}
    for requirement in data["requirements"]:
        requirement.pop("key")
    return data


def _import(code: str):
    path = STANDARDS / "sources" / f"{code}.txt"
    return import_standard(path.read_bytes(), path.name)


def _shipped(code: str):
    return parse_standard((STANDARDS / f"{code}.yaml").read_text(encoding="utf-8"), path=f"{code}.yaml")


@pytest.mark.parametrize("code", SEEDS)
def test_a_seed_imports_equal_to_the_shipped_file_in_every_clause_the_seed_contains(code):
    """Issue 11: the seeds' own text, imported, gives the shipped definitions."""
    shipped = _without_operating(_shipped(code).model_dump(mode="json"))
    imported = _without_operating(_import(code).definition.model_dump(mode="json"))
    left, right = seed_clauses(shipped, imported)
    assert right == left


@pytest.mark.parametrize("code", SEEDS)
def test_the_import_never_claims_the_seed_says_what_it_does_not(code):
    """Where the shipped file fills a clause from elsewhere, the import marks its own as not from the seed."""
    shipped = _shipped(code).model_dump(mode="json")
    imported = _import(code).definition.model_dump(mode="json")
    assert claims_from_seed(shipped, imported) == []


def test_the_comparison_can_fail():
    """A changed time, a dropped step or a clause claimed from the seed are all caught."""
    shipped = _without_operating(_shipped(SEEDS[0]).model_dump(mode="json"))
    imported = _without_operating(_import(SEEDS[0]).definition.model_dump(mode="json"))
    imported["sop"]["steps"][1]["time"] = "36 menit"
    left, right = seed_clauses(shipped, imported)
    assert left != right
    imported = _without_operating(_import(SEEDS[0]).definition.model_dump(mode="json"))
    del imported["sop"]["steps"][-1]
    left, right = seed_clauses(shipped, imported)
    assert left != right
    paramedik = _shipped(SEEDS[1]).model_dump(mode="json")
    claimed = _import(SEEDS[1]).definition.model_dump(mode="json")
    claimed["fee"]["provenance"] = {"from_seed": True, "source": "", "verified": True, "note": ""}
    assert claims_from_seed(paramedik, claimed) == ["fee"]


def test_the_radiographer_import_adds_the_inspection_the_seed_implies():
    """Step 3 works "sesuai hasil BAP dari tim teknis": the draft adds step 2a, marked and reported."""
    result = _import(SEEDS[0])
    inspection = result.definition.sop.steps[2]
    assert (inspection.label, inspection.roles, inspection.implied_by, inspection.seed_number) == (
        "2a",
        ["tim_teknis"],
        3,
        None,
    )
    assert not inspection.provenance.from_seed and not inspection.provenance.verified
    assert any("2a" in note for note in result.report.notes)
    guessed = [(g.step, g.label, g.kind) for g in result.report.guessed_kinds]
    assert guessed[:4] == [
        (1, "1", "submit"),
        (2, "2", "completeness_check"),
        (3, "2a", "inspection"),
        (4, "3", "draft"),
    ]
    assert result.report.guessed_kinds[2].because == "tersirat dari langkah 3 (“hasil BAP”)"


def test_the_truncated_paramedik_seed_is_reported_as_such():
    """The cut top: components missing, the fragment before clause b. listed, the source incomplete."""
    result = _import(SEEDS[1])
    report = result.report
    assert not result.definition.source.complete
    assert "Persyaratan Pelayanan" in report.components_missing
    assert [(u.text, u.line) for u in report.unplaced_lines] == [("-- -- ---", 16), ("pada loket pengaduan.", 3)]
    assert {f.field for f in report.filled} >= {"requirements", "fee", "product", "completion_time"}
    assert result.definition.fee.amount is None
    assert result.definition.product.name == "Surat Izin Praktik Paramedik Asisten Teknik Reproduksi"


@pytest.mark.parametrize("code", SEEDS)
def test_every_line_of_a_seed_is_accounted_for(code):
    path = STANDARDS / "sources" / f"{code}.txt"
    lines = [n for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1) if line.strip()]
    report = _import(code).report
    assert report.total_lines == len(lines)
    assert report.accounted_lines == set(lines)
    assert report.unmapped_roles == []
