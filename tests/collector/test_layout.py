"""The group picture's layout, without a database."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collector import layout
from collector.layout import NODE_HEIGHT, NODE_WIDTH, back_edges


def overlaps(a, b) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


def columns(result) -> dict[int, int]:
    return {n: box.layer for n, box in result.boxes.items()}


def test_a_chain_runs_left_to_right():
    result = layout.layout([1, 2, 3], [(1, 2), (2, 3)])
    assert columns(result) == {1: 0, 2: 1, 3: 2}
    assert result.boxes[1].x < result.boxes[2].x < result.boxes[3].x
    assert [a.back for a in result.arrows] == [False, False]
    # Each arrow leaves the right side of its item and ends on the left side of its replacement.
    first = result.arrows[0]
    assert first.path.startswith(f"M{result.boxes[1].right:.1f},")
    assert first.path.endswith(f"{result.boxes[2].x:.1f},{result.boxes[2].middle:.1f}")


def test_many_to_many_puts_originals_in_one_column_and_replacements_in_the_next():
    result = layout.layout([1, 2, 3, 4], [(1, 3), (1, 4), (2, 3), (2, 4)])
    assert columns(result) == {1: 0, 2: 0, 3: 1, 4: 1}
    assert not overlaps(result.boxes[1], result.boxes[2])


def test_a_cycle_is_drawn_with_one_arrow_bent_back():
    result = layout.layout([1, 2, 3], [(1, 2), (2, 3), (3, 1)])
    back = [(a.source, a.target) for a in result.arrows if a.back]
    assert back == [(3, 1)]
    assert columns(result) == {1: 0, 2: 1, 3: 2}
    # The bent arrow dips below the boxes, and the picture is tall enough to show it.
    assert result.height > max(box.bottom for box in result.boxes.values())


def test_a_source_stands_just_left_of_what_replaces_it():
    # 1 -> 2 -> 3 -> 4 and 9 -> 4: item 9 belongs next to 4, not in the first column.
    result = layout.layout([1, 2, 3, 4, 9], [(1, 2), (2, 3), (3, 4), (9, 4)])
    assert columns(result)[9] == 2


def test_pieces_that_are_not_connected_are_stacked():
    result = layout.layout([1, 2, 3, 4, 5], [(1, 2), (3, 4)])
    first = [result.boxes[1], result.boxes[2]]
    second = [result.boxes[3], result.boxes[4]]
    assert max(b.bottom for b in first) < min(b.y for b in second)
    assert result.boxes[5].y > max(b.bottom for b in second)  # a member without links stands alone


@pytest.mark.slow  # a chain of thousands of items
def test_a_long_chain_does_not_hit_the_recursion_limit():
    n = 3000
    result = layout.layout(list(range(n)), [(i, i + 1) for i in range(n - 1)])
    assert columns(result)[n - 1] == n - 1
    assert not any(a.back for a in result.arrows)


def test_the_same_group_is_drawn_the_same_way():
    nodes, edges = [5, 3, 8, 1], [(5, 3), (3, 8), (8, 5), (1, 3)]
    assert layout.layout(nodes, edges) == layout.layout(nodes, edges)


def test_an_empty_group_is_an_empty_picture():
    result = layout.layout([], [])
    assert (result.boxes, result.arrows, result.width, result.height) == ({}, [], 0, 0)


def is_acyclic(nodes, edges) -> bool:
    following = {n: [] for n in nodes}
    waiting = dict.fromkeys(nodes, 0)
    for a, b in edges:
        following[a].append(b)
        waiting[b] += 1
    ready = [n for n in nodes if not waiting[n]]
    seen = 0
    while ready:
        node = ready.pop()
        seen += 1
        for nxt in following[node]:
            waiting[nxt] -= 1
            if not waiting[nxt]:
                ready.append(nxt)
    return seen == len(nodes)


graphs = st.integers(1, 14).flatmap(
    lambda n: st.tuples(
        st.just(list(range(n))),
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda e: e[0] != e[1]), max_size=30),
    )
)


@settings(max_examples=200, deadline=None)
@given(graphs)
def test_any_graph_gets_a_clean_picture(graph):
    nodes, edges = graph
    edges = [e for e in dict.fromkeys(edges) if (e[1], e[0]) not in set(edges) or e < (e[1], e[0])]
    result = layout.layout(nodes, edges)
    assert set(result.boxes) == set(nodes)
    boxes = list(result.boxes.values())
    for i, a in enumerate(boxes):
        assert a.x >= 0 and a.right <= result.width and a.y >= 0 and a.bottom <= result.height
        for b in boxes[i + 1 :]:
            assert not overlaps(a, b), (a, b)
    assert len(result.arrows) == len(set(edges))
    back = back_edges(nodes, edges)
    turned = [(b, a) if (a, b) in back else (a, b) for a, b in set(edges)]
    assert is_acyclic(nodes, turned)
    for arrow in result.arrows:
        source, target = result.boxes[arrow.source], result.boxes[arrow.target]
        if arrow.back:
            assert source.layer > target.layer
        else:
            assert source.layer < target.layer
    assert (boxes[0].right - boxes[0].x, boxes[0].bottom - boxes[0].y) == (NODE_WIDTH, NODE_HEIGHT)
