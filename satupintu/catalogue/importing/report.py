"""
What an import did with each part of the document, so nothing is dropped silently.

The report is plain data (dataclasses, JSON through ``as_json``): the command writes it next to
the draft, the browser upload shows it beside the editor. Every non-blank line of the document is
either placed (it fed a component, the SOP, or is a heading the reader recognised) or listed in
``unplaced_lines`` with the reason.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class UnmappedRole:
    """A Pelaksana name no role code was found for; where it appears and what was written instead."""

    name: str
    where: list[str] = field(default_factory=list)
    used_instead: list[str] = field(default_factory=list)


@dataclass
class GuessedKind:
    """A step kind suggested from the step's wording (always a suggestion: review it)."""

    step: int
    label: str
    kind: str
    because: str
    outcomes: list[str]
    roles: list[str]
    roles_note: str = ""


@dataclass
class UnplacedLine:
    """A line (or the part of one) that was not put into any component."""

    line: int
    text: str
    reason: str


@dataclass
class FilledClause:
    """A clause the schema needs but the document lacks: written with ``provenance.from_seed: false``."""

    field: str
    value: str
    reason: str


@dataclass
class ImportReport:
    source: str
    form: str
    container: str
    total_lines: int = 0
    placed_lines: list[int] = field(default_factory=list)
    components_found: list[str] = field(default_factory=list)
    components_missing: list[str] = field(default_factory=list)
    unmapped_roles: list[UnmappedRole] = field(default_factory=list)
    mapped_roles: dict[str, list[str]] = field(default_factory=dict)
    guessed_kinds: list[GuessedKind] = field(default_factory=list)
    unplaced_lines: list[UnplacedLine] = field(default_factory=list)
    filled: list[FilledClause] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def role_unmapped(self, name: str, *, where: str, used_instead: list[str]) -> None:
        for entry in self.unmapped_roles:
            if entry.name.lower() == name.lower():
                if where not in entry.where:
                    entry.where.append(where)
                return
        self.unmapped_roles.append(UnmappedRole(name=name, where=[where], used_instead=list(used_instead)))

    def unplaced(self, line: int, text: str, reason: str) -> None:
        text = " ".join(text.split())
        if text:
            self.unplaced_lines.append(UnplacedLine(line=line, text=text, reason=reason))

    def fill(self, field_name: str, value: str, reason: str) -> None:
        self.filled.append(FilledClause(field=field_name, value=value, reason=reason))

    @property
    def accounted_lines(self) -> set[int]:
        """Line numbers (1-based) that were placed or listed as unplaced."""
        return set(self.placed_lines) | {u.line for u in self.unplaced_lines}

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["placed_lines"] = len(self.placed_lines)
        return data

    def as_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)
