"""
Benchmark: the signed permit — render, sign and verify, each on its own — and the alternative engine.

    python bench/documents.py [--n 50] [--samples docs/samples]

One run, on a fresh SQLite database in a temporary directory: one radiographer application is
walked through its SOP (the permit is issued and signed), then, N times each:

- render: the final permit letter with Typst (template + data + QR, ADR 0006);
- render, alternative engine: the same letter with ReportLab (platypus), same data and font;
- QR: segno, the verification URL to SVG;
- sign: PAdES B-B with pyHanko and the key parsed once (``signing.LocalSigner``), and the
  stock path (PKCS#12 loaded and key parsed for every signature) for comparison;
- verify: pyHanko's validator against the trust roots.

Prints permits/s and ms per permit for each. ``--samples DIR`` also writes PNG renders of the
permit, the receipt, the control card, the letters, the Standar Pelayanan and the SOP diagram.
Nothing here is a test; numbers vary by machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def setup() -> Path:
    """Django on a fresh SQLite database, with the documents app installed even before it is wired."""
    tmp = Path(tempfile.mkdtemp(prefix="satupintu-bench-docs-"))
    (tmp / "bench_documents_settings.py").write_text(
        "from config.settings import *  # noqa\n"
        "if 'satupintu.documents' not in INSTALLED_APPS:\n"
        "    INSTALLED_APPS = [*INSTALLED_APPS]\n"
        "    INSTALLED_APPS.insert(INSTALLED_APPS.index('satupintu.applications') + 1, 'satupintu.documents')\n"
        f"SATUPINTU_SIGNING = {{'DIR': {str(tmp / 'signing')!r}, 'AUTO_DEV_CA': True, 'EAGER': True}}\n"
    )
    sys.path[:0] = [str(ROOT), str(tmp)]
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_documents_settings"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
    # Walked in one process without a worker: the signature is made in the approving step (ADR 0009).
    os.environ.setdefault("SATUPINTU_SIGNING_EAGER", "1")
    os.environ.setdefault("SATUPINTU_CARD_KEY", "bench-only-card-key-0123456789abcdef")
    os.environ["SATUPINTU_VAR_DIR"] = str(tmp)
    os.environ.pop("DATABASE_URL", None)
    import django
    from baseline import migrate_fresh  # bench/ is on sys.path when run as a script

    django.setup()
    migrate_fresh()
    return tmp


def issue_one() -> Any:
    """A radiographer application walked to the handover step: its permit is issued and signed."""
    from satupintu.accounts.models import RoleMembership, User
    from satupintu.accounts.roles import Role
    from satupintu.applications import services
    from satupintu.applications.tests.conftest import FORM_DATA, PDF, WIB
    from satupintu.catalogue.loader import standard_load_file
    from satupintu.core.models import Office

    office = Office.objects.create(
        slug="dpmptsp-kota-pekanbaru",
        name="Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kota Pekanbaru",
        region="Kota Pekanbaru",
        address="Jalan Jenderal Sudirman No. 464, Pekanbaru",
        head_name="Dr. H. Akmal Prasetyo, S.T., M.Si.",
        head_rank="Pembina Utama Muda (IV/c)",
        head_nip="197001011995031001",
        letterhead_lines=[
            "Pemerintah Kota Pekanbaru",
            "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
            "Jalan Jenderal Sudirman No. 464, Pekanbaru 28121, Telepon (0761) 28262",
            "Laman dpmptsp.pekanbaru.go.id · Surel dpmptsp@pekanbaru.go.id",
        ],
    )
    for path in sorted((ROOT / "standards").glob("*.yaml")):
        standard_load_file(office=office, path=path)
    from baseline import FORWARD_OUTCOME, RADIOGRAPHER_FORM, forward_data  # bench/ is on sys.path

    from satupintu.catalogue.models import Service
    from satupintu.catalogue.selectors import closed_reason, current_version_of, spec_of

    staff = {}
    for role in Role:
        user = User.objects.create(username=f"bench-{role.value}", full_name=f"Petugas {role.label}")
        if role is not Role.PEMOHON:
            RoleMembership.objects.create(office=office, user=user, role=role.value, valid_from=dt.date(2000, 1, 1))
        staff[role.value] = user
    # Online applications take the applicant's name and NIK from the account (issue 13).
    applicant = staff["pemohon"]
    applicant.nik, applicant.full_name = RADIOGRAPHER_FORM["nik"], RADIOGRAPHER_FORM["nama_lengkap"]
    applicant.save()
    team = [staff["tim_teknis"].username]
    bap = {"date": "2026-03-09", "team": team, "findings": "Sesuai.", "recommendation": "Layak."}
    apps = {}
    for service in Service.objects.filter(office=office):
        spec = spec_of(current_version_of(service))
        walkable = all(step.kind in FORWARD_OUTCOME for step in spec.sop.steps)  # not a payment step
        if service.code not in FORM_DATA or not walkable or closed_reason(service, spec):
            continue  # no answers for its form, a step it does not walk, or closed (its fee not set)
        now = dt.datetime(2026, 3, 9, 9, 0, tzinfo=WIB)
        app = services.application_create(
            office=office, service=service, actor=staff["pemohon"], data=FORM_DATA[service.code], at=now
        )
        spec = services.spec_for(app)
        for requirement in spec.requirements_for(renewal=False):
            services.document_attach(
                application=app,
                actor=staff["pemohon"],
                requirement_key=requirement.key,
                stream=io.BytesIO(PDF),
                filename="x.pdf",
            )
        while spec.step(app.current_step).kind != "handover":
            step = spec.step(app.current_step)
            now += dt.timedelta(minutes=7)
            actor = staff["pemohon"] if app.current_role == "pemohon" else staff[app.current_role]
            app = services.step_complete(
                application=app,
                actor=actor,
                step_number=step.number,
                outcome=FORWARD_OUTCOME[step.kind],
                data=forward_data(
                    step.kind, requirement_keys=[r.key for r in spec.requirements_for(renewal=False)], bap=bap
                ),
                at=now,
            )
        apps[service.code] = app
    return apps


def timed(label: str, n: int, fn: Callable[[], Any]) -> float:
    fn()  # warm
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    median = statistics.median(samples)
    print(f"  {label:<52} {1 / median:8.1f} permits/s   {median * 1000:7.1f} ms median")
    return median


def reportlab_permit(data: dict[str, Any]) -> bytes:
    """The same letter with ReportLab platypus (the alternative engine), same data and font."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table
    from reportlab.platypus.flowables import HRFlowable

    fonts = ROOT / "satupintu" / "documents" / "fonts"
    if "Liberation" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Liberation", str(fonts / "LiberationSans-Regular.ttf")))
        pdfmetrics.registerFont(TTFont("Liberation-Bold", str(fonts / "LiberationSans-Bold.ttf")))
    body = ParagraphStyle("body", fontName="Liberation", fontSize=10.5, leading=13)
    center = ParagraphStyle("center", parent=body, alignment=1)
    bold = ParagraphStyle("bold", parent=center, fontName="Liberation-Bold", fontSize=13, leading=16)
    story: list[Any] = [
        Paragraph(line, bold if i < 2 else center) for i, line in enumerate(data["office"]["letterhead"])
    ]
    story += [HRFlowable(width="100%", thickness=1.5), Spacer(1, 6)]
    story += [Paragraph(f"<u>{data['title']}</u>", bold), Paragraph(f"NOMOR : {data['number']}", center), Spacer(1, 8)]
    story += [Paragraph("Berdasarkan:", body)] + [
        Paragraph(f"{chr(97 + i)}. {text}", body) for i, text in enumerate(data["considerations"])
    ]
    story += [Paragraph("dengan ini memberikan izin kepada:", body)]
    story += [
        Table(
            [[k, ":", v] for k, v in data["identity"]],
            colWidths=[5.6 * cm, 0.4 * cm, 9 * cm],
            style=[("FONT", (0, 0), (-1, -1), "Liberation", 10.5)],
        )
    ]
    story += [Paragraph(data["grant_text"], body), Paragraph(f"Surat izin ini berlaku {data['validity_text']}.", body)]
    sig = data["signature"]
    story += [Spacer(1, 10)] + [
        Paragraph(line, body) for line in [*sig["title_lines"], "", sig["name"], sig["rank"], f"NIP. {sig['nip']}"]
    ]
    story += [Spacer(1, 10), Paragraph(data["esign_note"], body), Paragraph(data["verify_url"], body)]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, leftMargin=2.5 * cm, rightMargin=2 * cm, topMargin=1.2 * cm).build(story)
    return out.getvalue()


def samples(apps: dict[str, Any], directory: Path) -> None:
    from satupintu.applications.models import Permit
    from satupintu.applications.services import spec_for
    from satupintu.documents import context as ctx
    from satupintu.documents.qr import qr_svg
    from satupintu.documents.rendering import render_png, template_source
    from satupintu.documents.signing import signer_for

    directory.mkdir(parents=True, exist_ok=True)
    app = apps["izin-kerja-radiografer"]
    permit = Permit.objects.get(application=app)
    issuer = signer_for(app.office).issuer_text
    office = app.office
    spec = spec_for(app)
    app.return_reasons = [{"label": "Foto copy STR yang dilegalisir basah", "reason": "STR belum dilegalisir basah."}]
    app.rejection_reason = "Tempat kerja tidak memiliki izin fasilitas radiologi."
    jobs = {
        "permit": ctx.permit_context(
            app, permit, draft=False, qr_svg=qr_svg(ctx.verification_url(permit)), issuer_text=issuer
        ),
        "permit-konsep": ctx.permit_context(app, None, draft=True),
        "receipt": ctx.receipt_context(app, documents=list(app.documents.filter(active=True))),
        "card": ctx.card_context(app),
        "refusal": ctx.letter_context(
            app,
            kind="refusal",
            subject="Penolakan Permohonan Izin Kerja Radiografer",
            paragraphs=["Contoh surat penolakan.", app.rejection_reason],
        ),
        "return": ctx.letter_context(
            app,
            kind="return",
            subject="Pengembalian Berkas Permohonan",
            paragraphs=["Berkas belum lengkap:", "Mohon dilengkapi."],
            items=["Foto copy STR: belum dilegalisir basah."],
        ),
        "standard": ctx.standard_context(spec, office),
        "sop": ctx.sop_context(spec, office),
    }
    for name, data in jobs.items():
        kind = "permit" if name.startswith("permit") else name
        pages = render_png(template_source(kind, office_id=office.pk), data, ppi=80)
        for i, page in enumerate(pages, 1):
            path = directory / (f"{name}.png" if len(pages) == 1 else f"{name}-{i}.png")
            path.write_bytes(page)
            print(f"  sample {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--samples", type=Path, default=None)
    args = parser.parse_args()
    tmp = setup()
    apps = issue_one()

    from pyhanko.sign import signers

    from satupintu.applications.models import Permit
    from satupintu.documents import context as ctx
    from satupintu.documents.models import IssuedDocument
    from satupintu.documents.qr import qr_svg
    from satupintu.documents.selectors import read_file
    from satupintu.documents.services import permit_pdf_render
    from satupintu.documents.signing import LocalSigner, office_passphrase, office_pkcs12_path, signer_for
    from satupintu.documents.verification import pdf_signature_check

    app = apps["izin-kerja-radiografer"]
    permit = Permit.objects.get(application=app)
    signer = signer_for(app.office)
    assert isinstance(signer, LocalSigner)
    issued = read_file(IssuedDocument.objects.get(application=app))
    pdf = permit_pdf_render(app, permit, draft=False, issuer_text=signer.issuer_text)
    url = ctx.verification_url(permit)
    data = ctx.permit_context(app, permit, draft=False, qr_svg=qr_svg(url), issuer_text=signer.issuer_text)
    print(
        f"satupintu documents benchmark (n={args.n}; permit PDF {len(pdf) // 1024} KB, signed {len(issued) // 1024} KB)"
    )
    timed(
        "render: Typst (template + data + QR)",
        args.n,
        lambda: permit_pdf_render(app, permit, draft=False, issuer_text="x"),
    )
    try:
        timed("render, alternative: ReportLab platypus (same data)", args.n, lambda: reportlab_permit(data))
    except ImportError:
        print("  render, alternative: ReportLab not installed (pip install reportlab) — skipped")
    timed("QR: segno SVG", args.n, lambda: qr_svg(url))
    timed("sign: pyHanko PAdES, key parsed once", args.n, lambda: signer.sign(pdf, reason="bench", location="bench"))
    p12, passphrase = office_pkcs12_path(app.office), office_passphrase(app.office)

    def stock() -> bytes:
        fresh = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=passphrase.encode() if passphrase else None)
        return LocalSigner(signer=fresh, issuer_text="").sign(pdf, reason="bench", location="bench")  # type: ignore[arg-type]

    timed("sign: pyHanko stock (PKCS#12 loaded per signature)", max(5, args.n // 5), stock)
    assert pdf_signature_check(issued).ok
    timed("verify: pyHanko validator (B-B, trust roots)", args.n, lambda: pdf_signature_check(issued))
    if args.samples:
        samples(apps, args.samples)
    print(f"  (work directory {tmp})")


if __name__ == "__main__":
    main()
