"""
Write a standard as YAML a person can read and ``load_standards`` reads back unchanged.

Fields equal to the schema's defaults are left out (the loader fills them in again), so the text
holds what the standard says and nothing else; the order is the schema's, which follows the
components' order in PermenPANRB 15/2014. Text with line breaks is written as a block.
"""

from __future__ import annotations

from typing import Any

import yaml

from satupintu.catalogue.schema import ServiceStandardSpec


class _Dumper(yaml.SafeDumper):
    pass


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _text)


def spec_data(spec: ServiceStandardSpec) -> dict[str, Any]:
    """The standard as plain data without default values, schema version first."""
    data = spec.model_dump(mode="json", exclude_defaults=True)
    return {"schema_version": spec.schema_version, **data}


def spec_yaml(spec: ServiceStandardSpec, *, header: list[str] | None = None) -> str:
    """The standard as YAML text, with ``header`` lines as a leading comment."""
    body = yaml.dump(spec_data(spec), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    comment = "".join(f"# {line}".rstrip() + "\n" for line in header or [])
    return comment + ("\n" if comment else "") + body
