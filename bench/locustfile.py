"""
The load test's users (issue 12 part 6): 70 % public, 20 % officers reading, 10 % completing steps.

Run by ``bench/loadtest.py`` (``make loadtest``), which prepares the data and writes the pool file
this reads (``LOADTEST_POOL``): the office, an API token per role and the submitted files to walk.

- **Public** (weight 7): the catalogue, a service's page, the published satisfaction index (IKM)
  and public tracking of a real file with its receipt code.
- **Officer reading** (weight 2): an officer's queue (``GET /api/v1/queue``, first page) and a
  file's page in the API.
- **Step completing** (weight 1): takes a submitted file no other user has and walks it through
  the radiographer SOP over the API (completeness with the checklist, the BAP, the draft, three
  paraf, the signature, the number and the handover), one step per task; after the signature it
  reads the file until the worker has signed and the file moved on. Every answer is recorded
  (``LOADTEST_RESULTS``) so the integrity check can match each 200 to its card entry.

The users are locust's ``FastHttpUser`` (geventhttpclient): the load generator shares the machine
with the server, and it needs several times less CPU per request than ``HttpUser`` (requests).
"""

from __future__ import annotations

import json
import os
import random
import threading
from pathlib import Path

from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

POOL = json.loads(Path(os.environ["LOADTEST_POOL"]).read_text(encoding="utf-8"))
RESULTS_FILE = os.environ.get("LOADTEST_RESULTS", "")
_files = iter(POOL["files"])
_lock = threading.Lock()
#: (number, step, outcome, HTTP status) of every step request, in the order they were answered.
RESULTS: list[tuple[str, int, str, int]] = []


def _next_file() -> dict | None:
    with _lock:
        return next(_files, None)


@events.quitting.add_listener
def _write_results(environment, **_kwargs) -> None:
    if RESULTS_FILE:
        with open(RESULTS_FILE, "w", encoding="utf-8") as handle:
            json.dump({"steps": RESULTS}, handle)


class Public(FastHttpUser):
    weight = 7
    wait_time = between(0.5, 1.5)

    @task(3)
    def catalogue(self) -> None:
        self.client.get("/", name="public catalogue /")

    @task(2)
    def service(self) -> None:
        self.client.get(f"/layanan/{POOL['service']}/", name="public service page")

    @task(1)
    def ikm(self) -> None:
        self.client.get("/survei/hasil/", name="public IKM page")

    @task(3)
    def track(self) -> None:
        file = random.choice(POOL["files"])
        self.client.get("/lacak/", params={"nomor": file["number"], "kode": file["code"]}, name="public tracking")


class OfficerReading(FastHttpUser):
    weight = 2
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.role = random.choice(POOL["reading_roles"])
        self.auth = {"Authorization": f"Bearer {POOL['tokens'][self.role]}"}

    @task(2)
    def queue(self) -> None:
        self.client.get(
            "/api/v1/queue",
            params={"office": POOL["office"], "role": self.role},
            headers=self.auth,
            name="officer queue API",
        )

    @task(1)
    def application(self) -> None:
        file = random.choice(POOL["files"])
        self.client.get(f"/api/v1/applications/{file['number']}", headers=self.auth, name="officer application API")


class StepCompleting(FastHttpUser):
    weight = 1
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.file: dict | None = None
        self.at = 0
        self.signing: dict | None = None  # the sign step just approved, while the worker signs

    @task
    def step(self) -> None:
        if self.signing is not None and self.file is not None:
            # The approval answered at once; the worker signs (ADR 0009). Look again, as the
            # Kepala Dinas's page does, until the file has moved on from the sign step.
            response = self.client.get(
                f"/api/v1/applications/{self.file['number']}",
                headers={"Authorization": f"Bearer {POOL['tokens'][self.signing['role']]}"},
                name="wait for the signature",
            )
            current = (response.json() or {}).get("current_step") if response.status_code == 200 else None
            if current is not None and current.get("number") == self.signing["number"]:
                return
            self.signing = None
        if self.file is None or self.at >= len(POOL["steps"]):
            self.file, self.at = _next_file(), 0
            if self.file is None:  # every prepared file taken: read instead
                self.client.get("/", name="public catalogue /")
                return
        step = POOL["steps"][self.at]
        body = {"step": step["number"], "outcome": step["outcome"], "data": step["data"]}
        headers = {"Authorization": f"Bearer {POOL['tokens'][step['role']]}"}
        with self.client.post(
            f"/api/v1/applications/{self.file['number']}/actions",
            json=body,
            headers=headers,
            name=f"step {step['kind']}",
            catch_response=True,
        ) as response:
            RESULTS.append((self.file["number"], step["number"], step["outcome"], response.status_code))
            if response.status_code == 200:
                self.at += 1
                if step["kind"] == "sign":
                    self.signing = step
            else:
                response.failure(f"{response.status_code}: {response.text[:200]}")
                self.file = None  # a refused step: leave this file, take the next
