"""Standards as an office would load them in tests: the shipped files with the office's own decisions."""

from pathlib import Path

import yaml

#: The fee an office sets where the shipped standard leaves it open (the paramedik seed).
OFFICE_FEE = {
    "amount": 0,
    "text": "Gratis (ditetapkan kantor)",
    "provenance": {"from_seed": False, "source": "Ketetapan kantor", "verified": True},
}


def text_with_fee_set(path: Path) -> str:
    """The YAML of a shipped standard, with the fee set by the office when the file leaves it open."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # Open: no amount and no kind (a formula or a tax has no amount, and is set).
    if data["fee"].get("amount") is None and not data["fee"].get("kind"):
        data["fee"] = OFFICE_FEE
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
