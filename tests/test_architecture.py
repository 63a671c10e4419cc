"""The allowed import directions of docs/architecture.md, enforced."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    [contract] = [c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "layers"]
    return contract["layers"]


def test_import_contracts_hold():
    """lint-imports finds no import that goes up a layer or across independent siblings."""
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_every_app_is_placed_in_a_layer():
    """A new app must be given its place in the layers (and in docs/architecture.md)."""
    placed = {name.strip() for layer in _layers() for name in re.split(r"[|:]", layer)}
    apps = {
        f"satupintu.{path.name}"
        for path in (ROOT / "satupintu").iterdir()
        if path.is_dir() and (path / "__init__.py").exists()
    }
    assert apps == placed
    doc = (ROOT / "docs" / "architecture.md").read_text()
    for app in apps:
        assert f"`{app.removeprefix('satupintu.')}`" in doc, app


def test_core_imports_no_other_app():
    """core is the bottom layer: a direct check in case the contract were weakened."""
    for path in (ROOT / "satupintu" / "core").rglob("*.py"):
        if "tests" in path.parts:
            continue
        text = path.read_text()
        others = re.findall(r"^\s*(?:from|import) satupintu\.(\w+)", text, re.M)
        assert set(others) <= {"core"}, (path, others)


#: The modules that may name a step kind or an outcome: the table itself and the engine reading it.
STEP_KIND_ROOMS = {
    "satupintu/catalogue/step_kinds.py",
    "satupintu/applications/workflow.py",
    "satupintu/applications/services.py",
}
#: Names compared against step kinds or outcomes.
KIND_OR_OUTCOME_NAMES = {"kind", "step_kind", "outcome", "outcomes"}


def _kind_and_outcome_codes() -> set[str]:
    from satupintu.catalogue.step_kinds import KINDS

    return set(KINDS) | {o.code for k in KINDS.values() for o in k.outcomes}


def _named(node) -> str:
    import ast

    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def _strings(node) -> list[str]:
    import ast

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Set | ast.Tuple | ast.List):
        return [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return []


def kind_branches(source: str) -> list[tuple[int, str]]:
    """Comparisons of a kind or outcome (``step.kind == "sign"``, ``outcome in {"pickup", …}``) in ``source``."""
    import ast

    codes = _kind_and_outcome_codes()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Compare):
            continue
        operands = [node.left, *node.comparators]
        if not any(_named(o) in KIND_OR_OUTCOME_NAMES for o in operands):
            continue
        hits = [s for o in operands for s in _strings(o) if s in codes]
        if hits:
            found.append((node.lineno, ", ".join(hits)))
    return found


def test_no_code_outside_the_table_and_the_engine_branches_on_a_kind_or_outcome():
    """Issue 10 / ADR 0007: what a step kind means lives in catalogue/step_kinds.py; nothing else names one."""
    offenders = []
    for path in sorted((ROOT / "satupintu").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/tests/" in relative or "/migrations/" in relative or relative in STEP_KIND_ROOMS:
            continue
        offenders += [f"{relative}:{line} ({codes})" for line, codes in kind_branches(path.read_text())]
    assert offenders == []


def test_the_kind_branch_check_can_fail():
    """The check above finds the shapes it is meant to find."""
    assert kind_branches('if step.kind == "sign":\n    pass\n') == [(1, "sign")]
    assert kind_branches('ok = outcome in {"pickup", "download"}\n') == [(1, "pickup, download")]
    assert kind_branches('if row.records == "draft":\n    pass\n') == []
