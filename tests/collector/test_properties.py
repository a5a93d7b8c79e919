"""Property tests: random sequences of graph actions keep the rules."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from collector import services
from collector.models import ItemGroupMember
from plmtracker.inventory.models import Item
from tests.collector.helpers import assert_invariant, expected_alerts, link_components, open_alerts, partition

N_ITEMS = 7
pairs = st.tuples(st.integers(0, N_ITEMS - 1), st.integers(0, N_ITEMS - 1)).filter(lambda p: p[0] != p[1])
actions = st.one_of(
    st.tuples(st.just("add"), pairs),
    st.tuples(st.just("remove"), pairs),
    st.tuples(st.just("merge"), pairs),
    st.tuples(st.just("split"), st.tuples(st.integers(0, N_ITEMS - 1), st.sets(st.integers(0, N_ITEMS - 1)))),
)
hypothesis_settings = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)


class GraphProperties(TestCase):
    def items(self) -> list[int]:
        return [Item.objects.create(erp_item_code=f"P{n}").pk for n in range(N_ITEMS)]

    def run_action(self, ids, action) -> None:
        kind, arg = action
        group = dict(ItemGroupMember.objects.values_list("item_id", "group_id"))
        try:
            if kind == "add":
                services.link_add(item_id=ids[arg[0]], replace_item_id=ids[arg[1]])
            elif kind == "remove":
                services.link_remove(item_id=ids[arg[0]], replace_item_id=ids[arg[1]])
            elif kind == "merge":
                a, b = group.get(ids[arg[0]]), group.get(ids[arg[1]])
                if a and b:
                    services.group_merge(group_id=a, target_group_id=b)
            elif kind == "split":
                g = group.get(ids[arg[0]])
                if g:
                    services.group_split(group_id=g, item_ids=[ids[i] for i in arg[1] if group.get(ids[i]) == g])
        except services.GraphError:
            pass  # refused actions write nothing; the checks below still hold

    @hypothesis_settings
    @given(st.lists(actions, max_size=25))
    def test_any_sequence_keeps_the_invariant_and_the_alert_rules(self, sequence):
        ids = self.items()
        for action in sequence:
            self.run_action(ids, action)
            assert_invariant()
            assert open_alerts() == expected_alerts()

    @hypothesis_settings
    @given(st.lists(pairs, max_size=20))
    def test_without_manual_merges_groups_are_the_connected_components(self, links):
        ids = self.items()
        for a, b in links:
            self.run_action(ids, ("add", (a, b)))
        assert partition() == link_components()
        assert open_alerts() == expected_alerts()

    @hypothesis_settings
    @given(st.lists(pairs, max_size=20))
    def test_bulk_and_one_by_one_agree(self, links):
        ids = self.items()
        batch = [(ids[a], ids[b], None) for a, b in links]
        result = services.links_add_bulk(pairs=batch, dry_run=True)
        for a, b in links:
            self.run_action(ids, ("add", (a, b)))
        assert partition() == {frozenset(g) for g in _groups_from_outcomes(result)}
        assert set(result.alerts_raised) == set(open_alerts())


def _groups_from_outcomes(result) -> list[set[int]]:
    groups: dict[int, set[int]] = {}
    for o in result.outcomes:
        if o.status != "reverse":
            groups.setdefault(o.group_id, set()).update((o.item_id, o.replace_id))
    return list(groups.values())
