"""
Letters the applicant signs themselves, generated from the service standard: the *Surat
Permohonan* and the *Surat Pernyataan* a requirement names (issue 14: "no template to download").

``LETTERS`` is the one table of which requirements get a letter: a requirement whose label
begins with the letter's words (``Surat Permohonan``, ``Surat pernyataan …``). The letter is filled
in with the applicant's data from the application form, the service and the office, rendered by
the documents renderer from ``typst/requirement_letter.typ`` (an office may override the kind
``requirement_letter`` with its own template), and left unsigned: the applicant prints, signs (on a
duty stamp where the standard asks for one) and uploads it as that requirement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from satupintu.applications.models import Application
from satupintu.applications.services import spec_for
from satupintu.catalogue.schema import Requirement, ServiceStandardSpec
from satupintu.documents.context import identity_rows, tanggal
from satupintu.documents.rendering import render_pdf

KIND = "requirement_letter"


@dataclass(frozen=True)
class LetterKind:
    code: str
    #: The words a requirement's label begins with (case-insensitive).
    prefix: str
    title: str


LETTERS: tuple[LetterKind, ...] = (
    LetterKind("permohonan", "surat permohonan", "SURAT PERMOHONAN"),
    LetterKind("pernyataan", "surat pernyataan", "SURAT PERNYATAAN"),
)


def letter_kind_for(requirement: Requirement) -> LetterKind | None:
    """The letter the applicant can download for this requirement, if it names one."""
    label = requirement.label.strip().lower()
    return next((kind for kind in LETTERS if label.startswith(kind.prefix)), None)


def letter_requirements(spec: ServiceStandardSpec, *, renewal: bool) -> list[Requirement]:
    """The requirements of the application (new or renewal) that come with a letter to download."""
    return [r for r in spec.requirements_for(renewal=renewal) if letter_kind_for(r) is not None]


def _statement(requirement: Requirement) -> str:
    """``Surat pernyataan memiliki tempat kerja …`` → ``memiliki tempat kerja …``."""
    words = requirement.label.strip()
    rest = words[len("surat pernyataan") :].strip(" :,-")
    return rest or words


def letter_data(application: Application, requirement: Requirement) -> dict[str, Any]:
    """Everything the template prints, from the standard, the application and the office."""
    kind = letter_kind_for(requirement)
    if kind is None:
        raise ValueError(f"requirement {requirement.key} has no letter")
    spec = spec_for(application)
    office = application.office
    attachments = [r.label for r in spec.requirements_for(renewal=application.renewal) if letter_kind_for(r) is None]
    return {
        "kind": kind.code,
        "title": kind.title,
        "service": spec.name,
        "product": spec.product.name,
        "renewal": application.renewal,
        "number": application.number,
        "applicant": application.applicant_name,
        "identity": identity_rows(spec, application),
        "statement": _statement(requirement) if kind.code == "pernyataan" else "",
        "attachments": attachments,
        "office": office.name,
        "region": office.region,
        "addressee": f"Kepala {office.name}",
        "place_date": f"{office.region or '…'}, {tanggal(timezone.now(), tz=office.time_zone)}",
        "stamp": kind.code == "pernyataan",
    }


def letter_pdf(application: Application, requirement: Requirement) -> bytes:
    """The letter for ``requirement`` filled in for ``application``, as PDF (not signed)."""
    return render_pdf(KIND, letter_data(application, requirement), office_id=application.office_id)
