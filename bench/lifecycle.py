"""
Benchmark: applications through every step of the radiographer SOP via the domain services.

    python bench/lifecycle.py [--n 200] [--database sqlite|postgres|both]

For each database, in one run: (1) the rate of a bare single-row committed INSERT on that
database (the physical floor of "one step = one transaction"), (2) N applications created,
uploaded and walked through all ten steps of the radiographer SOP by the domain services
(`application_create`, `document_attach`, `application_submit`, `step_complete`). Prints
applications/s, steps/s, inserts/s and the ratio step cost ÷ insert cost (target ≤ 2).
A fresh database is made for each run (SQLite: a temporary file with the project's settings;
PostgreSQL: the database `satupintu_bench` on $BENCH_POSTGRES_URL, default
postgres://postgres@127.0.0.1:5432/). Nothing here is a test; numbers vary by machine.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import time

from baseline import (  # bench/ is on sys.path when run as a script
    FORWARD_OUTCOME,
    RADIOGRAPHER_FORM,
    bare_insert_rate,
    forward_data,
    fresh_django,
    radiographer_office,
)


def run_one(database: str, n: int, inserts: int) -> None:
    """Run in a child process so each database gets its own Django setup."""
    fresh_django(database, pg_name="satupintu_bench", prefix="satupintu-bench-")
    from satupintu.applications import services
    from satupintu.applications.tests.conftest import PDF as pdf  # a real one-page PDF: uploads are parsed

    office, service, staff, bap = radiographer_office()
    applicant = staff["pemohon"]
    data = RADIOGRAPHER_FORM
    handover = {"relation": "self", "name": "Rina Marlina", "id_number": "1471015503900002"}

    # (1) The floor: one single-row INSERT per committed transaction, same connection settings.
    insert_rate = bare_insert_rate(inserts)

    # (2) The lifecycle, with intake (create + uploads) timed apart from the SOP steps.
    spec_steps = None
    intake_seconds = step_seconds = sign_seconds = 0.0
    steps = 0
    for _ in range(n):
        t0 = time.perf_counter()
        app = services.application_create(office=office, service=service, actor=applicant, data=data)
        spec = services.spec_for(app)
        spec_steps = spec_steps or spec.sop.steps
        for requirement in spec.requirements_for(renewal=False):
            services.document_attach(
                application=app,
                actor=applicant,
                requirement_key=requirement.key,
                stream=io.BytesIO(pdf),
                filename="a.pdf",
            )
        t1 = time.perf_counter()
        intake_seconds += t1 - t0
        for step in spec.sop.steps:
            actor = applicant if step.kind == "submit" else staff[step.roles[0]]
            t_step = time.perf_counter()
            app = services.step_complete(
                application=app,
                actor=actor,
                step_number=step.number,
                outcome=FORWARD_OUTCOME[step.kind],
                data=forward_data(
                    step.kind,
                    requirement_keys=[r.key for r in spec.requirements_for(renewal=False)],
                    bap=bap,
                    handover=handover,
                ),
            )
            if step.kind == "sign":
                sign_seconds += time.perf_counter() - t_step
            steps += 1
        step_seconds += time.perf_counter() - t1
    step_rate = steps / step_seconds
    sign_share = sign_seconds / step_seconds
    app_rate = n / (intake_seconds + step_seconds)
    other_steps = steps - n  # every step but the Kadis's signature
    other_rate = other_steps / (step_seconds - sign_seconds)
    print(
        f"{database:8s}  applications/s {app_rate:7.1f}   steps/s {step_rate:7.1f}   "
        f"bare inserts/s {insert_rate:7.1f}   step cost / insert cost {insert_rate / step_rate:5.2f}x"
    )
    print(
        f"{'':8s}  without the sign step (PDF render + PAdES signature, {sign_share:.0%} of step time): "
        f"steps/s {other_rate:7.1f}, {insert_rate / other_rate:5.2f}x a bare insert; "
        f"sign step {sign_seconds / n * 1000:.1f} ms; intake {intake_seconds / n * 1000:.1f} ms/application "
        f"(n={n}, {len(spec_steps or [])} steps each)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--n", type=int, default=200, help="applications per database")
    parser.add_argument("--inserts", type=int, default=2000, help="bare inserts for the baseline")
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_one(args.child, args.n, args.inserts)
        return
    targets = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    for target in targets:
        cmd = [sys.executable, __file__, "--child", target, "--n", str(args.n), "--inserts", str(args.inserts)]
        result = subprocess.run(cmd, check=False)
        if result.returncode:
            print(f"{target}: benchmark failed (exit {result.returncode})", file=sys.stderr)
            sys.exit(result.returncode)


if __name__ == "__main__":
    main()
