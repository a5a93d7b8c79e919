"""The group page's go-live table takes its stages from the dashboard's rule, registered at start-up."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from collector import stage_source
from dashboard.queries.stages import stages_by_location


def test_the_dashboard_registers_its_stage_rule_and_no_second_one_is_taken():
    assert stage_source.registered == [stages_by_location]
    stage_source.register_stage_source(stages_by_location)  # the same one again (ready() run twice): kept
    with pytest.raises(ImproperlyConfigured):
        stage_source.register_stage_source(lambda group_id, as_of: {})
    assert stage_source.registered == [stages_by_location]
