"""Readers for the relation graph as tests compare it."""

from collector import graph
from collector.models import GroupAlert, ItemGroupMember, ItemLink


def links() -> set[tuple[int, int]]:
    return set(ItemLink.objects.values_list("item_id", "replace_item_id"))


def group_of() -> dict[int, int]:
    return dict(ItemGroupMember.objects.values_list("item_id", "group_id"))


def assert_invariant() -> None:
    """Both ends of every link are members of one group."""
    where = group_of()
    for a, b in links():
        assert a in where and b in where, f"link {a}->{b} has an end outside every group"
        assert where[a] == where[b], f"link {a}->{b} crosses groups {where[a]} and {where[b]}"


def partition() -> set[frozenset[int]]:
    groups: dict[int, set[int]] = {}
    for item_id, group_id in group_of().items():
        groups.setdefault(group_id, set()).add(item_id)
    return {frozenset(g) for g in groups.values()}


def link_components() -> set[frozenset[int]]:
    edges = links()
    nodes = {i for e in edges for i in e}
    return {frozenset(c) for c in graph.components(nodes, edges)}


def open_alerts() -> dict[int, tuple[str, int, int]]:
    return {
        item_id: (alert_type, out, in_)
        for item_id, alert_type, out, in_ in GroupAlert.objects.filter(resolved_at__isnull=True).values_list(
            "item_id", "alert_type", "degree_out", "degree_in"
        )
    }


def expected_alerts() -> dict[int, tuple[str, int, int]]:
    """What the degree rules say the open alerts must be (no alert kept as M:N)."""
    out: dict[int, int] = {}
    in_: dict[int, int] = {}
    for a, b in links():
        out[a] = out.get(a, 0) + 1
        in_[b] = in_.get(b, 0) + 1
    wanted = {}
    for item_id in set(out) | set(in_):
        kind = graph.alert_type_for(out.get(item_id, 0), in_.get(item_id, 0))
        if kind:
            wanted[item_id] = (kind, out.get(item_id, 0), in_.get(item_id, 0))
    return wanted


def shape() -> set[tuple[frozenset, frozenset]]:
    """Groups as sets of (item, role) plus the order of their members, free of group ids."""
    rows = ItemGroupMember.objects.order_by("group_id", "sequence", "item_id").values_list(
        "group_id", "item_id", "role"
    )
    groups: dict[int, list[tuple[int, str]]] = {}
    for group_id, item_id, role in rows:
        groups.setdefault(group_id, []).append((item_id, role))
    return {(frozenset(members), tuple(i for i, _ in members)) for members in groups.values()}
