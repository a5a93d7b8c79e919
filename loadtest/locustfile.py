"""16 planners on the tracker at once: dashboard, group KPIs, typeahead and new links.

Run by scripts/loadtest.sh, which seeds the database, starts gunicorn and
checks afterwards that no link was lost. Every link the server reports as
created (201) is written to PLM_LOAD_CREATED when the run stops.
"""

import os
import random
import re
import threading
from pathlib import Path

from locust import HttpUser, between, events, task

CODES = Path(os.environ["PLM_LOAD_CODES"]).read_text().split()
GROUPS = [int(g) for g in Path(os.environ["PLM_LOAD_GROUPS"]).read_text().split()]
WORDS = ["GLOVE", "SYRINGE", "CATHETER", "SUTURE", "GAUZE", "MASK", "TUBING", "ELECTRODE", "NITRILE", "FOAM"]
EMAIL = os.environ.get("PLM_LOAD_EMAIL", "planner@example.org")
PASSWORD = os.environ.get("PLM_LOAD_PASSWORD", "plm-demo-2026")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

created: list[tuple[str, str]] = []
merged_away = [0]  # KPI requests for a group merged away during the run (404, expected)
created_lock = threading.Lock()


class Planner(HttpUser):
    wait_time = between(0.05, 0.4)

    def on_start(self) -> None:
        page = self.client.get("/login", name="/login")
        token = TOKEN.search(page.text).group(1)
        with self.client.post(
            "/login",
            data={"username": EMAIL, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/login"},
            allow_redirects=False,
            name="/login [POST]",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login answered {response.status_code}")
        self.csrf = self.client.cookies.get("csrftoken")

    @task(3)
    def overview(self) -> None:
        self.client.get("/dashboard", name="/dashboard")

    @task(3)
    def group_kpis(self) -> None:
        with self.client.get(
            f"/api/groups/{random.choice(GROUPS)}/kpis", name="/api/groups/[id]/kpis", catch_response=True
        ) as response:
            if response.status_code == 404:
                # The group was merged into another by a link added during the run: a right answer.
                with created_lock:
                    merged_away[0] += 1
                response.success()
            elif response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:200]}")

    @task(3)
    def typeahead(self) -> None:
        query = random.choice(CODES)[:3] if random.random() < 0.5 else random.choice(WORDS)
        self.client.get("/collect/items", params={"q": query}, name="/collect/items?q=")

    @task(1)
    def add_link(self) -> None:
        item, replace = random.sample(CODES, 2)
        with self.client.post(
            "/api/collect/link",
            json={"item": item, "replace": replace, "reason": "load test", "confirm_merge": True},
            headers={"X-CSRFToken": self.csrf, "Referer": self.host + "/collect"},
            name="/api/collect/link",
            catch_response=True,
        ) as response:
            if response.status_code == 201:
                with created_lock:
                    created.append((item, replace))
                response.success()
            elif response.status_code in (200, 409):
                response.success()  # already there, or the exact reverse of a link: refused by design
            else:
                response.failure(f"{response.status_code}: {response.text[:200]}")


@events.test_stop.add_listener
def write_created(**_kwargs) -> None:
    print(f"KPI requests for groups merged away during the run (404 by design): {merged_away[0]}")
    Path(os.environ["PLM_LOAD_CREATED"]).write_text("".join(f"{item},{replace}\n" for item, replace in created))
