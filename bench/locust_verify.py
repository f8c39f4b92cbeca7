"""Employers checking credentials: the public verification page under load (issue 5).

    PGPASSWORD=… psql … -tAc "select identifier from credentials_credential" > /tmp/ids.txt
    VERIFY_IDS=/tmp/ids.txt .venv/bin/locust -f bench/locust_verify.py --headless \
        -u 20 -r 20 -t 60s --host http://127.0.0.1:8001 --csv bench/results/verify

Each simulated visitor opens the page of a random identifier (the QR code's URL), and now
and then types one on the form, or an unknown one (a 404).
"""

from __future__ import annotations

import os
import random
from pathlib import Path

from locust import HttpUser, between, task

IDENTIFIERS = [
    line.strip() for line in Path(os.environ["VERIFY_IDS"]).read_text().splitlines() if line.strip()
]


class Employer(HttpUser):
    wait_time = between(0.5, 2)

    @task(8)
    def scan_the_qr_code(self) -> None:
        identifier = random.choice(IDENTIFIERS)
        self.client.get(f"/verifier/{identifier}/", name="/verifier/<id>/")

    @task(1)
    def type_the_identifier(self) -> None:
        identifier = random.choice(IDENTIFIERS).lower()
        typed = "-".join(identifier[i : i + 4] for i in range(0, 16, 4))
        self.client.get(
            "/verifier/",
            params={"identifier": typed},
            name="/verifier/?identifier=",
            allow_redirects=True,
        )

    @task(1)
    def unknown(self) -> None:
        with self.client.get(
            "/verifier/0000000000000000/", name="/verifier/<unknown>/", catch_response=True
        ) as response:
            if response.status_code == 404:
                response.success()
