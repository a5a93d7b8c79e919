"""Every page the navigation reaches works under the Content-Security-Policy (issue 13, finding 1).

A planner and a steward walk every link from the start page (the steward also the
admin and the API docs) in a real browser; one page of each kind, ids aside. No page
may log a CSP violation, nor any other console error, and each one carries the policy.
"""

import re
from datetime import date
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = date(2026, 11, 20)
PAGE_LIMIT = 200

# Collects what the browser refuses; Playwright's init scripts are not subject to the page's CSP.
LISTEN_FOR_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${where}`);
});
"""
SKIP = re.compile(r"\.(csv|xlsx)$|^/static/|/logout|^/api/(?!docs/)|/delete/$")


@pytest.fixture
def demo(planner, steward):
    call_command("seed_demo", scale="small", seed=7, today=TODAY, verbosity=0)


def kind_of(path: str) -> str:
    """One page per kind: /dashboard/groups/12 and /dashboard/groups/40 are the same page."""
    return re.sub(r"\d+", "N", path)


def crawl(page, live_server, start: list[str]) -> list[str]:
    page.context.add_init_script(LISTEN_FOR_VIOLATIONS)
    page.console_messages = []
    page.on("console", lambda msg: page.console_messages.append(msg.text))
    queue, seen, visited = list(start), set(), []
    while queue and len(visited) < PAGE_LIMIT:
        url = queue.pop(0)
        if kind_of(urlsplit(url).path) in seen:
            continue
        seen.add(kind_of(urlsplit(url).path))
        page.console_messages.clear()
        page.console_errors.clear()
        response = page.goto(url)
        page.wait_for_load_state("networkidle")
        # 403: a steward may list users but not change an admin's account; that page is checked too.
        assert response.ok or response.status == 403, f"{url} answered {response.status}"
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy, f"{url}: CSP is {policy!r}"
        violations = page.evaluate("window.__cspViolations")
        refused = [text for text in page.console_messages if "Content Security Policy" in text]
        errors = [text for text in page.console_errors if f"status of {response.status}" not in text]
        assert not violations and not refused and not errors, f"{url}: {violations} {refused} {errors}"
        visited.append(url)
        for href in page.eval_on_selector_all("a[href]", "links => links.map((a) => a.href)"):
            parts = urlsplit(href)
            if parts.netloc != urlsplit(live_server.url).netloc or SKIP.search(parts.path):
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return visited


def test_planner_pages_log_no_csp_violation(page, log_in, planner, demo, live_server):
    log_in(planner)
    visited = crawl(page, live_server, ["/", f"/dashboard?as_of={TODAY.isoformat()}"])
    kinds = {kind_of(urlsplit(url).path) for url in visited}
    assert {"/dashboard", "/dashboard/groups/N", "/dashboard/items/N", "/collect", "/groups", "/account"} <= kinds


def test_steward_pages_admin_and_api_docs_log_no_csp_violation(page, log_in, steward, demo, live_server):
    log_in(steward)
    visited = crawl(page, live_server, ["/", "/api/docs/", "/admin/", "/admin/collector/itemgroup/"])
    kinds = {kind_of(urlsplit(url).path) for url in visited}
    assert {"/api/docs/", "/admin/", "/admin/collector/itemgroup/N/change/", "/conflicts"} <= kinds
    assert any(kind.endswith("/import/") for kind in kinds) and any(kind.endswith("/export/") for kind in kinds)
    # Swagger UI drew the operations from the schema.
    page.goto("/api/docs/")
    page.wait_for_selector(".opblock", timeout=15_000)
    assert not page.evaluate("window.__cspViolations")
