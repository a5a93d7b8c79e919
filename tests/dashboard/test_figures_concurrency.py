"""Two hosts refreshing the same day at once (cron on one, the first read of the day on another) both succeed."""

import threading

import pytest
from django.db import connection

from dashboard.figures import services
from dashboard.figures.check import check_figures
from dashboard.models import DailyFigures
from tests.dashboard.conftest import AS_OF

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"),
]


@pytest.mark.parametrize("second", ["every group", "one group"])
def test_two_refreshes_at_once_both_commit_one_row_per_group(conversion, monkeypatch, second):
    computed = threading.Barrier(2)
    compute = services.group_figures

    def both_computed_before_either_writes(day, group_ids):
        figures = compute(day, group_ids)
        computed.wait(timeout=30)
        return figures

    monkeypatch.setattr(services, "group_figures", both_computed_before_either_writes)
    monkeypatch.setattr(services, "ALL_AT_ONCE", 1.0)  # "one group" stays a refresh of one group
    errors: list[BaseException] = []

    def refresh(group_ids) -> None:
        try:
            services.refresh_figures(day=AS_OF, group_ids=group_ids)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    other = None if second == "every group" else [conversion.group_id]
    threads = [threading.Thread(target=refresh, args=(ids,)) for ids in (None, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert DailyFigures.objects.filter(day=AS_OF).count() == 4
    assert check_figures(AS_OF).differences == []
