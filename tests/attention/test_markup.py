"""The attention rows' markup (attention/markup.py): what a row shows, who gets buttons, and escaping."""

import re
from datetime import date

from attention.markup import RowMarkup
from attention.views import REASON_OPTIONS
from collector.services import group_update

HOSTILE = '<script>alert("x")</script>'


def markup(actionable=True, steward=False, user_id=7, filters="kind=leakage&owner=all") -> RowMarkup:
    return RowMarkup.for_page(
        actionable=actionable,
        steward=steward,
        user_id=user_id,
        act_url="/attention/actions",
        fold_url="/attention/fold",
        filters=filters,
        tomorrow="2026-12-08",
        reasons=REASON_OPTIONS,
    )


def record(**fields) -> dict:
    return {
        "kind": "leakage",
        "label": "Original still bought",
        "group_id": 5,
        "group_title": "Gloves to nitrile",
        "group_status": "active",
        "owner_id": 7,
        "owner": "Olga Owner",
        "location_id": None,
        "location_name": None,
        "detail": "6 EA bought in the last 7 days",
        "date": date(2026, 12, 5),
        "dollars": 1234.5,
        "severity": 2,
        "severity_label": "Money",
        "severity_reason": "money leaves every day",
        "key": "leakage:5:",
        "keys_text": "leakage:5:",
        "folded": 0,
        "url": "/dashboard/groups/5?as_of=2026-12-07",
        "first_seen": date(2026, 12, 1),
        "new": False,
        "open_days": 7,
        "state": "open",
        "snooze_until": None,
        "reason_label": None,
        "note": None,
    } | fields


def buttons(html: str) -> list[str]:
    return re.findall(r'name="action" value="(\w+)"', html)


def test_a_row_shows_its_figures_and_the_buttons_its_state_allows():
    row = markup().table_row(record(), 0)
    assert row.startswith('<tr id="row-5-leakage" class="even">')
    assert '<span class="badge text-bg-warning" title="money leaves every day">Money</span>' in row
    assert "$1,234.50</span>" in row and ">2026-12-05</td>" in row
    assert "Open 7 days" in row and "since 2026-12-01" in row
    assert "Active · Olga Owner" in row
    assert 'name="key" value="leakage:5:"' in row  # the bulk bar's checkbox
    assert buttons(row) == ["acknowledge", "snooze", "dismiss"]
    assert 'min="2026-12-08"' in row and '<option value="data_wrong">' in row
    assert """hx-vals='{"key": "leakage:5:"}'""" in row

    acknowledged = markup().table_row(record(state="acknowledged", new=True, dollars=None, date=None, owner=None), 1)
    assert acknowledged.startswith('<tr id="row-5-leakage" class="odd">')
    assert buttons(acknowledged) == ["reopen", "snooze", "dismiss"]
    assert "New today" in acknowledged and "Open 7 days" not in acknowledged and ">Acknowledged</span>" in acknowledged
    assert "$" not in acknowledged and ">—</td>" in acknowledged and "No owner" in acknowledged

    snoozed = markup().table_row(record(state="snoozed", snooze_until=date(2026, 12, 10), note="Friday"), 0)
    assert buttons(snoozed) == ["acknowledge", "reopen", "snooze", "dismiss"]
    assert "Snoozed until 2026-12-10</span>" in snoozed and ">Friday</div>" in snoozed
    dismissed = markup().table_row(record(state="dismissed", reason_label="The data is wrong"), 0)
    assert "Dismissed: The data is wrong</span>" in dismissed


def test_buttons_only_for_whoever_may_act_on_todays_list():
    others = record(owner_id=8)
    assert buttons(markup().table_row(others, 0)) == [] and 'name="key"' not in markup().table_row(others, 0)
    assert buttons(markup(steward=True).table_row(others, 0)) == ["acknowledge", "snooze", "dismiss"]
    another_day = markup(actionable=False).table_row(record(), 0)
    assert buttons(another_day) == [] and ">Open</a>" in another_day
    assert buttons(markup().table_row(record(first_seen=None), 0)) == []  # not recorded: nothing to act on


def test_a_folded_row_posts_every_key_and_opens_its_locations_with_the_pages_filters():
    keys = "late_go_live:5:1 late_go_live:5:2 late_go_live:5:3"
    row = markup().table_row(
        record(kind="late_go_live", keys_text=keys, folded=3, location_name="3 locations", state="mixed"), 0
    )
    assert f"""hx-vals='{{"key": "{keys}"}}'""" in row and f'name="key" value="{keys}"' in row
    assert 'hx-get="/attention/fold?kind=leakage&amp;owner=all&amp;group=5&amp;kind=late_go_live"' in row
    assert 'hx-target="#fold-5-late_go_live"' in row and '<div id="fold-5-late_go_live"' in row
    assert "Show the 3 locations</button>" in row and "Mixed states" in row
    assert " · 3 locations" not in row  # a folded row's places are in its detail
    one = markup(filters="").table_row(record(folded=1), 0)
    assert 'hx-get="/attention/fold?group=5&amp;kind=leakage"' in one and "Show the 1 location</button>" in one


def test_a_location_of_a_fold_has_its_own_buttons():
    item = record(kind="late_go_live", key="late_go_live:5:2003", keys_text=None, location_name="PAR 2003")
    html = markup().fold_row(item)
    assert html.startswith('<li class="py-1 border-bottom attention-fold-row" id="fold-row-late_go_live52003">')
    assert "<strong>PAR 2003</strong>: 6 EA bought" in html
    assert """hx-vals='{"key": "late_go_live:5:2003"}'""" in html
    assert "<strong>All locations</strong>" in markup().fold_row(record(keys_text=None))


def test_every_text_of_a_row_is_escaped():
    hostile = {
        "group_title": HOSTILE,
        "owner": HOSTILE,
        "detail": HOSTILE,
        "location_name": HOSTILE,
        "note": HOSTILE,
        "state": "dismissed",
        "reason_label": HOSTILE,
        "url": '/x"><script>',
        "keys_text": HOSTILE,
    }
    page = markup(filters='kind="><script>').table_row(record(**hostile), 0) + markup().fold_row(record(**hostile))
    assert "<script" not in page
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
    assert page.count(escaped) == 13  # eight in the row, five in the fold's location
    assert 'href="/x&quot;&gt;&lt;script&gt;"' in page
    folded = markup(filters='kind="><script>').table_row(record(**hostile, folded=2), 0)
    assert "<script" not in folded and 'hx-get="/attention/fold?kind=&quot;&gt;&lt;script&gt;&amp;group=5' in folded


def test_the_page_and_the_fold_escape_a_group_title(world, client):
    group_update(group_id=world.g2, name=HOSTILE)
    client.force_login(world.steward)
    page = client.get("/attention").content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert page.count(f'<tr id="row-{world.g2}-') == 3  # at risk, late, conflicts: the rows are all there
    fold = client.get("/attention/fold", {"group": world.g2}).content.decode()
    assert fold.count('class="py-1 border-bottom attention-fold-row"') == 3 and "<script" not in fold
