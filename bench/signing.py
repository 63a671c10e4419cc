"""
Benchmark: the approving signature in two phases (docs/adr/0009-signing-off-the-series-lock.md).

    python bench/signing.py [--n 20] [--database sqlite|postgres]

Walks N radiographer files to the Kepala Dinas's sign step, then measures, on one database in
one run: the sign step signed in its own transaction (ADR 0006's way: the permit series row
stays locked for the render and the signature), the short transaction of phase 1 alone (number +
request: what now holds the series lock), phase 2 per file (render + PAdES + store + the closing
transaction, no lock held while rendering and signing) and a batch of all N files in one signing
call. Queries are counted per call. Nothing here is a test; numbers vary by machine.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time

from baseline import (  # bench/ is on sys.path when run as a script
    RADIOGRAPHER_FORM,
    bare_insert_rate,
    fresh_django,
    radiographer_office,
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    fresh_django(args.database, pg_name="satupintu_bench_signing", prefix="satupintu-bench-signing-")
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from satupintu.applications import services
    from satupintu.applications.models import SignatureRequest
    from satupintu.applications.tests.conftest import PDF
    from satupintu.documents import services as documents

    office, service, staff, inspection = radiographer_office()
    applicant = staff["pemohon"]
    data = RADIOGRAPHER_FORM
    bap = {"bap": inspection}
    outcome_of = {"submit": "submitted", "completeness_check": "complete", "inspection": "recommend"}
    outcome_of |= {"draft": "drafted", "initial": "approve"}

    def at_sign():
        app = services.application_create(office=office, service=service, actor=applicant, data=data)
        spec = services.spec_for(app)
        for requirement in spec.requirements_for(renewal=False):
            services.document_attach(
                application=app,
                actor=applicant,
                requirement_key=requirement.key,
                stream=io.BytesIO(PDF),
                filename="a.pdf",
            )
        while spec.step(app.current_step).kind != "sign":
            step = spec.step(app.current_step)
            checklist = {"checklist": {r.key: {"judgement": "sesuai"} for r in spec.requirements_for(renewal=False)}}
            app = services.step_complete(
                application=app,
                actor=applicant if step.kind == "submit" else staff[step.roles[0]],
                step_number=step.number,
                outcome=outcome_of[step.kind],
                data={"inspection": bap, "completeness_check": checklist}.get(step.kind),
            )
        return app

    def approve(app, **data):
        return services.step_complete(
            application=app, actor=staff["kepala_dinas"], step_number=app.current_step, outcome="approve", data=data
        )

    def timed(fn):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            value = fn()
            ms = (time.perf_counter() - start) * 1000
        return value, ms, len(ctx.captured_queries)

    insert_rate = bare_insert_rate(500)
    n = args.n
    print(f"preparing {3 * n + 1} files at the sign step ({args.database}) …", file=sys.stderr)
    warm = at_sign()
    approve(warm)  # first render and key parse
    old_files = [at_sign() for _ in range(n)]
    new_files = [at_sign() for _ in range(n)]
    batch_files = [at_sign() for _ in range(n)]

    # ADR 0006's way: everything in the step's transaction (EAGER runs phase 2 inside it).
    old = [timed(lambda a=a: approve(a)) for a in old_files]
    settings.SATUPINTU_SIGNING = {**settings.SATUPINTU_SIGNING, "EAGER": False}
    phase1 = [timed(lambda a=a: approve(a)) for a in new_files]
    batches = [SignatureRequest.objects.get(application=a).batch for a in new_files]
    phase2 = [timed(lambda b=b: documents.signature_batch_run(batch=b)) for b in batches]
    _res, batch_ms, batch_queries = timed(
        lambda: documents.signature_batch_start(
            office=office, actor=staff["kepala_dinas"], numbers=[a.number for a in batch_files]
        )
    )
    batch = SignatureRequest.objects.filter(application=batch_files[0]).get().batch
    _docs, batch_run_ms, batch_run_queries = timed(lambda: documents.signature_batch_run(batch=batch))
    assert len(_docs) == n, "every file of the batch signed"

    insert_ms = 1000 / insert_rate
    print(f"\nsign step, {args.database}, n={n}; bare committed INSERT {insert_ms:.2f} ms (same run)")
    print(f"{'what':58s} {'queries':>7s} {'median ms':>10s} {'÷ insert':>9s}")

    def row(label, samples):
        ms = statistics.median(s[1] for s in samples)
        queries = max(s[2] for s in samples)
        print(f"{label:58s} {queries:7d} {ms:10.1f} {ms / insert_ms:8.0f}×")

    row("in one transaction (ADR 0006): series lock held for all", old)
    row("phase 1: number + request (series lock held only here)", phase1)
    row("phase 2, one file: render + sign + store + close (no lock)", phase2)
    print(
        f"{'batch of ' + str(n) + ': phase 1 for all (one action)':58s} {batch_queries:7d} {batch_ms:10.1f}"
        f" {batch_ms / n:8.1f} ms/file"
    )
    print(
        f"{'batch of ' + str(n) + ': phase 2, one signing call':58s} {batch_run_queries:7d} {batch_run_ms:10.1f}"
        f" {batch_run_ms / n:8.1f} ms/file"
    )


if __name__ == "__main__":
    main()
