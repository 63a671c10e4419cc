"""
How many SOP steps one machine records per second (docs/scale.md, "10× the load generator").

The load test's step users complete about 6 steps a second among 200 users; this drives the same
steps with no think time and no HTTP, from ``--processes`` processes at once, to find the rate the
step path itself sustains and whether the card, the chains and the numbers still hold at that
rate. A fresh database (``--database-url``, its name must start with ``satupintu_``; dropped and
made again), migrated, the demo office and ``--files`` submitted radiographer files (the load
test's ``prepare``); each process walks its share of the files through the SOP with the domain
services (completeness with the checklist, the BAP, the draft, three paraf, the signature — PDF
and PAdES in the process —, the number, the handover), one step at a time, as the officer of the
step's role. Then the load test's integrity check: every step that succeeded is on the card once,
``card_verify`` passes, permit and registration numbers are gap-free.

    python bench/steprate.py --files 200 --processes 2
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from baseline import shared_cache_url  # noqa: E402
from loadtest import _admin, _django  # noqa: E402

LOADTEST = ROOT / "bench" / "loadtest.py"  # its "prepare" and "check" make and judge the run

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/satupintu_steprate"


def walk(url: str, pool_path: str, share: int, of: int, out: str, start_at: float) -> None:
    """One process: walk every ``of``-th file from ``share`` through the SOP; write its results."""
    # The production settings (DEBUG off), the signature in the step's process (no worker).
    os.environ.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="steprate-only-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        SATUPINTU_SIGNING_EAGER="1",
        DATABASE_CONN_MAX_AGE="600",
    )
    _django(url)
    from satupintu.accounts.models import User
    from satupintu.applications import services
    from satupintu.applications.models import Application

    pool = json.loads(Path(pool_path).read_text())
    officers = {step["role"]: User.objects.get(username=step["role"]) for step in pool["steps"]}
    files = pool["files"][share::of]
    results: list[tuple[str, int, str, int]] = []
    timings: dict[str, list[float]] = defaultdict(list)
    while time.time() < start_at:  # every process starts at the same moment
        time.sleep(0.01)
    began = time.perf_counter()
    for file in files:
        application = Application.objects.get(number=file["number"])
        for step in pool["steps"]:
            started = time.perf_counter()
            try:
                application = services.step_complete(
                    application=application,
                    actor=officers[step["role"]],
                    step_number=step["number"],
                    outcome=step["outcome"],
                    data=step["data"] or None,
                )
                status = 200
            except Exception as exc:  # a refusal is a finding, not a crash of the run
                status = getattr(exc, "http_status", 500)
                print(f"{file['number']} step {step['number']}: {status} {exc!r}", file=sys.stderr)
            timings[step["kind"]].append((time.perf_counter() - started) * 1000)
            results.append((file["number"], step["number"], step["outcome"], status))
            if status != 200:
                break
    elapsed = time.perf_counter() - began
    Path(out).write_text(json.dumps({"steps": results, "timings": timings, "elapsed": elapsed}))


def run(args: argparse.Namespace) -> dict[str, Any]:
    name = urllib.parse.urlsplit(args.database_url).path.lstrip("/")
    if not name.startswith("satupintu_"):
        raise SystemExit("the database's name must start with satupintu_ (it is dropped)")
    work = Path(tempfile.mkdtemp(prefix="satupintu-steprate-"))
    os.environ.update(
        {
            "DATABASE_URL": args.database_url,
            "SATUPINTU_VAR_DIR": str(work / "var"),
            "SATUPINTU_SMS_BACKEND": "file",
            "SATUPINTU_EMAIL_BACKEND": "file",
            "SATUPINTU_CACHE_PREFIX": name,
            "SATUPINTU_CARD_KEY": "5e" * 32,  # one chain key for the set-up, the walkers and the check
            "DJANGO_DEBUG": "1",
        }
    )
    os.environ.pop("SATUPINTU_TESTING", None)
    _admin(args.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(args.database_url, f'CREATE DATABASE "{name}"')
    python = sys.executable
    os.environ["SATUPINTU_CACHE_URL"] = shared_cache_url()
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True)
    subprocess.run([python, "manage.py", "createcachetable"], cwd=ROOT, check=True)
    pool = work / "pool.json"
    subprocess.run(
        [python, LOADTEST, "prepare", "--database-url", args.database_url, "--files", str(args.files), "--out", pool],
        cwd=ROOT,
        check=True,
    )
    start_at = time.time() + 5  # each process sets Django up first
    outs = [work / f"walk-{k}.json" for k in range(args.processes)]
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=walk, args=(args.database_url, str(pool), k, args.processes, str(outs[k]), start_at))
        for k in range(args.processes)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    walked = [json.loads(out.read_text()) for out in outs]
    results = work / "results.json"
    results.write_text(json.dumps({"steps": [row for w in walked for row in w["steps"]]}))
    found = subprocess.run(
        [python, LOADTEST, "check", "--database-url", args.database_url, "--pool", pool, "--results", results],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if found.returncode not in (0, 1):
        raise SystemExit(found.stderr)
    report = json.loads(found.stdout.strip().splitlines()[-1])
    timings: dict[str, list[float]] = defaultdict(list)
    for w in walked:
        for kind, values in w["timings"].items():
            timings[kind].extend(values)
    wall = max(w["elapsed"] for w in walked)
    succeeded = sum(1 for w in walked for *_rest, status in w["steps"] if status == 200)
    report.update(
        processes=args.processes,
        files=args.files,
        wall_s=round(wall, 1),
        steps_per_s=round(succeeded / wall, 1),
        kinds={
            kind: {
                "n": len(values),
                "p50_ms": round(statistics.median(values), 1),
                "p95_ms": round(sorted(values)[int(0.95 * (len(values) - 1))], 1),
            }
            for kind, values in timings.items()
        },
    )
    if not args.keep:
        _admin(args.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--database-url", default=os.environ.get("STEPRATE_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    report = run(args)
    print(f"\n{report['processes']} processes, {report['files']} files, {report['wall_s']} s")
    print(f"steps/s sustained: {report['steps_per_s']}")
    print(f"{'step kind':20s} {'n':>5s} {'p50 ms':>8s} {'p95 ms':>8s}")
    for kind, row in report["kinds"].items():
        print(f"{kind:20s} {row['n']:>5d} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f}")
    print(
        f"integrity: {'OK' if report['ok'] else 'FAILED'} — steps {report['steps_confirmed']}, missing "
        f"{len(report['missing_on_card'])}, doubled {len(report['doubled_on_card'])}, number gaps "
        f"{len(report['number_gaps'])}, chains {'ok' if all(c[1] for c in report['chains']) else 'BROKEN'}"
    )
    sys.exit(0 if report["ok"] else 1)


if __name__ == "__main__":
    main()
