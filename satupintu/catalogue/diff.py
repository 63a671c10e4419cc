"""
The difference between two versions of a standard, clause by clause (a pure function over the
two definitions).

Each component of PermenPANRB 15/2014 (and the SOP and the operating configuration) is compared
on its own; inside a component, list items are matched by what names them (a requirement by its
key, an SOP step by its number, a clause by its label) so a reordered or inserted item shows as
that, not as every later item changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

#: The components in the order of the published standard: (field(s), label).
COMPONENTS: tuple[tuple[tuple[str, ...], Any], ...] = (
    (("code", "name", "short_code", "introduction"), _("Identitas layanan")),
    (("requirements", "requirements_note"), _("1. Persyaratan pelayanan")),
    (("procedure",), _("2. Sistem, mekanisme dan prosedur")),
    (("completion_time",), _("3. Jangka waktu penyelesaian")),
    (("fee",), _("4. Biaya/tarif")),
    (("product",), _("5. Produk pelayanan")),
    (("complaints",), _("6. Penanganan pengaduan, saran dan masukan")),
    (("legal_basis",), _("7. Dasar hukum")),
    (("facilities",), _("8. Sarana, prasarana dan/atau fasilitas")),
    (("competence",), _("9. Kompetensi pelaksana")),
    (("internal_supervision",), _("10. Pengawasan internal")),
    (("staff_count",), _("11. Jumlah pelaksana")),
    (("service_guarantees",), _("12. Jaminan pelayanan")),
    (("safety_guarantees",), _("13. Jaminan keamanan dan keselamatan pelayanan")),
    (("performance_evaluation",), _("14. Evaluasi kinerja pelaksana")),
    (("sop",), _("Standar Operasional Prosedur (SOP)")),
    (("application_form", "uploads", "numbering", "permit", "guarantees"), _("Pengaturan operasional")),
    (("source",), _("Naskah sumber")),
)

#: Keys that name a list item, in order of preference.
_ITEM_KEYS = ("key", "number", "label")


@dataclass(frozen=True)
class Change:
    path: str
    old: str | None  # None: the clause is new
    new: str | None  # None: the clause was removed

    @property
    def kind(self) -> str:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "changed"


@dataclass
class ComponentDiff:
    label: Any
    changes: list[Change] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def _item_name(item: Any, index: int) -> str:
    if isinstance(item, dict):
        for key in _ITEM_KEYS:
            if item.get(key) not in (None, ""):
                return f"{key}={item[key]}"
    return str(index + 1)


def _flatten(value: Any, prefix: str, out: dict[str, str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(item, f"{prefix}.{key}" if prefix else key, out)
    elif isinstance(value, list):
        if all(not isinstance(item, dict | list) for item in value):
            out[prefix] = ", ".join(str(item) for item in value)
            return
        seen: dict[str, int] = {}
        for index, item in enumerate(value):
            name = _item_name(item, index)
            seen[name] = seen.get(name, 0) + 1
            if seen[name] > 1:
                name = f"{name}#{seen[name]}"
            _flatten(item, f"{prefix}[{name}]", out)
    elif value is None:
        out[prefix] = "–"
    else:
        out[prefix] = str(value)


def standard_diff(old: dict[str, Any], new: dict[str, Any]) -> list[ComponentDiff]:
    """Compare two definitions component by component; every component is listed, changed or not."""
    result = []
    covered: set[str] = set()
    for fields, label in COMPONENTS:
        covered.update(fields)
        before: dict[str, str] = {}
        after: dict[str, str] = {}
        for name in fields:
            if name in old:
                _flatten(old[name], name, before)
            if name in new:
                _flatten(new[name], name, after)
        diff = ComponentDiff(label=label)
        for path in [*before, *[p for p in after if p not in before]]:
            a, b = before.get(path), after.get(path)
            if a != b:
                diff.changes.append(Change(path=path, old=a, new=b))
        result.append(diff)
    rest = sorted((set(old) | set(new)) - covered - {"schema_version"})
    if rest:
        before, after = {}, {}
        for name in rest:
            _flatten(old.get(name), name, before)
            _flatten(new.get(name), name, after)
        other = ComponentDiff(label=_("Lainnya"))
        for path in sorted(set(before) | set(after)):
            if before.get(path) != after.get(path):
                other.changes.append(Change(path=path, old=before.get(path), new=after.get(path)))
        result.append(other)
    return result
