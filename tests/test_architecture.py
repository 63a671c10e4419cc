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
