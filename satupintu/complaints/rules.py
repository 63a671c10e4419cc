"""
The complaint procedure's rules: channels and their reply methods, weights with their route and
deadline (``data/rules.yaml``), and the one transition table the services check every action
against.

Seed clause 6: b. sort by weight; c. *ringan* → the handling officer answers directly; d. *sedang*
→ coordinated with the Kepala Bidang concerned and the Kepala Dinas, the decision told to the
complainant; e. *berat* → the Kepala Dinas coordinates with the Walikota c.q. Asisten or the
Sekretaris Daerah; f–i. the answer goes back on the channel the complaint came in.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

from satupintu.complaints.models import ComplaintStatus as S

RULES_FILE = Path(__file__).parent / "data" / "rules.yaml"
CATEGORIES_FILE = Path(__file__).parent / "data" / "categories.yaml"


@dataclass(frozen=True)
class ChannelRule:
    code: str
    label: str
    group: str
    seed: str
    reply_methods: tuple[str, ...]


@dataclass(frozen=True)
class Coordination:
    role: str
    parties: tuple[str, ...] = ()


@dataclass(frozen=True)
class WeightRule:
    code: str
    label: str
    seed: str
    deadline_working_days: int
    coordination: tuple[Coordination, ...]
    decision_role: str | None
    reply_roles: tuple[str, ...]
    escalate_to: tuple[str, ...]
    #: The weight a complaint of this weight is reopened at when the complainant is not satisfied.
    reopen_to: str = ""

    @property
    def direct(self) -> bool:
        """Seed c: answered directly by the handling officer, without coordination."""
        return not self.coordination


@dataclass(frozen=True)
class Rules:
    channels: dict[str, ChannelRule]
    weights: dict[str, WeightRule]
    parties: dict[str, str]
    triage_roles: tuple[str, ...]
    register_roles: tuple[str, ...]


def _rules_path() -> Path:
    configured = getattr(settings, "SATUPINTU_COMPLAINTS", {}).get("RULES_FILE")
    return Path(configured) if configured else RULES_FILE


def rules_parse(raw: dict[str, Any]) -> Rules:
    """Build and check the rules; raise ValueError naming what is wrong."""
    from satupintu.complaints.models import ComplaintChannel, ReplyMethod, Weight

    channels = {
        code: ChannelRule(code, c["label"], c["group"], str(c.get("seed", "")), tuple(c["reply_methods"]))
        for code, c in raw["channels"].items()
    }
    if set(channels) != set(ComplaintChannel.values):
        raise ValueError(f"rules: channels must be exactly {sorted(ComplaintChannel.values)}")
    for channel in channels.values():
        unknown = set(channel.reply_methods) - set(ReplyMethod.values)
        if unknown or not channel.reply_methods:
            raise ValueError(f"rules: channel {channel.code} has bad reply methods {sorted(unknown)}")
    weights = {}
    for code, w in raw["weights"].items():
        coordination = tuple(
            Coordination(c["role"], tuple(c.get("parties") or ())) for c in w.get("coordination") or []
        )
        weights[code] = WeightRule(
            code=code,
            label=w["label"],
            seed=str(w.get("seed", "")),
            deadline_working_days=int(w["deadline_working_days"]),
            coordination=coordination,
            decision_role=w.get("decision_role"),
            reply_roles=tuple(w["reply_roles"]),
            escalate_to=tuple(w.get("escalate_to") or ()),
            reopen_to=str(w.get("reopen_to") or code),
        )
        if coordination and not weights[code].decision_role:
            raise ValueError(f"rules: weight {code} is coordinated but names no decision_role")
    if set(weights) != set(Weight.values):
        raise ValueError(f"rules: weights must be exactly {sorted(Weight.values)}")
    for weight in weights.values():
        if weight.reopen_to not in weights:
            raise ValueError(f"rules: weight {weight.code} reopens to an unknown weight {weight.reopen_to}")
    parties = {str(k): str(v) for k, v in (raw.get("parties") or {}).items()}
    for weight in weights.values():
        for step in weight.coordination:
            if set(step.parties) - set(parties):
                raise ValueError(f"rules: weight {weight.code} names an unknown party")
    return Rules(
        channels=channels,
        weights=weights,
        parties=parties,
        triage_roles=tuple(raw["triage_roles"]),
        register_roles=tuple(raw["register_roles"]),
    )


@cache
def _load(path: str) -> Rules:
    with open(path, encoding="utf-8") as handle:
        return rules_parse(yaml.safe_load(handle))


def rules() -> Rules:
    """The rules in force (cached per file)."""
    return _load(str(_rules_path()))


def default_categories() -> list[dict[str, Any]]:
    """The shipped categories (data/categories.yaml), in order."""
    with CATEGORIES_FILE.open(encoding="utf-8") as handle:
        rows = yaml.safe_load(handle)
    return [{**row, "order": index} for index, row in enumerate(rows, start=1)]


# --- the transition table ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    """An action: from which statuses it may run, and what it needs."""

    action: str
    label: str
    sources: frozenset[str]
    fields: tuple[str, ...] = ()


#: Every action on a complaint. Who may do it depends on the weight (``roles_for``); where it leads
#: is decided by ``services`` from the weight's route: triage → handling (direct) or coordination;
#: decide → decided; reply → answered.
TRANSITIONS: dict[str, Transition] = {
    "triage": Transition("triage", "Catat dan pilah", frozenset({S.RECEIVED}), ("weight", "kind", "category")),
    "coordinate": Transition("coordinate", "Catat koordinasi", frozenset({S.COORDINATION}), ("note",)),
    "decide": Transition("decide", "Catat keputusan", frozenset({S.COORDINATION}), ("decision",)),
    "reply": Transition("reply", "Sampaikan tanggapan", frozenset({S.HANDLING, S.DECIDED}), ("method", "text")),
    "note": Transition("note", "Tambah catatan", frozenset(S.values), ("note",)),
    # The complainant's own step, through the ticket and code (no role): "not satisfied" reopens
    # the complaint at the weight's ``reopen_to`` (one level up).
    "rate": Transition("rate", "Nilai tanggapan", frozenset({S.ANSWERED}), ("rating", "reason")),
}

#: Actions taken by the complainant, not by a complaint officer.
COMPLAINANT_ACTIONS = frozenset({"rate"})

#: Roles that handle complaints at all (accounts.permissions.Action.HANDLE_COMPLAINTS decides access).
ACTION_LABELS = {key: t.label for key, t in TRANSITIONS.items()}


def roles_for(action: str, weight: str) -> frozenset[str]:
    """Roles that may take ``action`` on a complaint of ``weight`` (empty weight: not yet sorted)."""
    r = rules()
    if action == "triage":
        return frozenset(r.triage_roles)
    if action == "note":
        from satupintu.accounts.permissions import POLICY, Action

        return POLICY[Action.HANDLE_COMPLAINTS]
    rule = r.weights.get(weight)
    if rule is None:
        return frozenset()
    if action == "coordinate":
        return frozenset(step.role for step in rule.coordination)
    if action == "decide":
        return frozenset({rule.decision_role}) if rule.decision_role else frozenset()
    if action == "reply":
        return frozenset(rule.reply_roles)
    return frozenset()


def reopen_weight(weight: str) -> str:
    """The weight a complaint of ``weight`` is reopened at (one level up; the highest stays)."""
    rule = rules().weights.get(weight)
    return rule.reopen_to if rule else weight
