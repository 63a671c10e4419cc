"""The organisation the on-behalf tests use (its fixtures are in the root conftest.py)."""

RSUD = {
    "name": "RSUD Arifin Achmad",
    "kind": "rumah_sakit",
    "nib": "9120001234567",
    "npwp": "01.234.567.8-216.000",
    "address": "Jalan Diponegoro No. 2, Pekanbaru",
}
