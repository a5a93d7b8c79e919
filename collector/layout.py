"""A group drawn as a directed graph: a layered layout in plain Python (no ORM).

Items are boxes in columns, links are arrows pointing right: an original
stands left of what replaces it. A cycle (A -> B -> C -> A) cannot point
right all the way round; the arrows that close it are drawn bent back under
the boxes. Pieces that are not connected (after a manual merge) are stacked.

The steps are the classic ones (Sugiyama): turn the back edges a depth-first
search finds, give each item the column of its longest path from a source,
order each column by the mean position of its neighbours, then place boxes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from collector.graph import components

NODE_WIDTH = 200
NODE_HEIGHT = 62
# What fits a box: characters of the monospace code line and of each description line
# (uppercase at 11px), and how many description lines; the full text is in the box's <title>.
CODE_CHARS = 16
LINE_CHARS = 26
DESCRIPTION_LINES = 2
COLUMN_GAP = 72
ROW_GAP = 16
PIECE_GAP = 28
MARGIN = 12
SWEEPS = 4
BEND = 26  # how far a back arrow dips under the boxes


def fit(text: str, width: int = CODE_CHARS) -> str:
    """`text`, cut to `width` characters with an ellipsis when longer."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def label_lines(text: str, width: int = LINE_CHARS, lines: int = DESCRIPTION_LINES) -> list[str]:
    """Word-wrap `text` into at most `lines` lines of `width` characters; the last ends in "…" when cut."""
    out: list[str] = []
    words = text.split()
    while words and len(out) < lines:
        line = ""
        while words and len(line) + len(words[0]) + (1 if line else 0) <= width:
            line = f"{line} {words.pop(0)}" if line else words.pop(0)
        if not line:  # a word longer than the line: cut it
            line, words[0] = words[0][:width], words[0][width:]
            if not words[0]:
                words.pop(0)
        out.append(line)
    if words and out:
        out[-1] = fit(out[-1] + " " + " ".join(words), width)
    return out


@dataclass(frozen=True)
class Box:
    node: int
    x: float
    y: float
    layer: int

    @property
    def right(self) -> float:
        return self.x + NODE_WIDTH

    @property
    def bottom(self) -> float:
        return self.y + NODE_HEIGHT

    @property
    def middle(self) -> float:
        return self.y + NODE_HEIGHT / 2


@dataclass(frozen=True)
class Arrow:
    source: int
    target: int
    path: str  # SVG path data
    back: bool  # drawn against the flow: it closes a cycle


@dataclass(frozen=True)
class Layout:
    boxes: dict[int, Box]
    arrows: list[Arrow]
    width: float
    height: float


def back_edges(nodes: Sequence[int], edges: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    """Edges whose reversal leaves no cycle: those a depth-first search meets going back up its path.

    The search starts from items nothing replaces, in the given order, so
    chains keep their direction and only the link closing a cycle turns.
    """
    following: dict[int, list[int]] = defaultdict(list)
    has_incoming: set[int] = set()
    for a, b in edges:
        following[a].append(b)
        has_incoming.add(b)
    roots = [n for n in nodes if n not in has_incoming] + [n for n in nodes if n in has_incoming]
    on_path, done = set(), set()
    back: set[tuple[int, int]] = set()
    for root in roots:
        if root in done:
            continue
        on_path.add(root)
        stack = [(root, iter(following[root]))]
        while stack:  # iterative: a chain of thousands of items must not hit the recursion limit
            node, todo = stack[-1]
            for nxt in todo:
                if nxt in on_path:
                    back.add((node, nxt))
                elif nxt not in done:
                    on_path.add(nxt)
                    stack.append((nxt, iter(following[nxt])))
                    break
            else:
                stack.pop()
                on_path.discard(node)
                done.add(node)
    return back


def assign_layers(nodes: Sequence[int], forward: Sequence[tuple[int, int]]) -> dict[int, int]:
    """Column of each item: its longest path from a source; a source sits just left of its nearest target."""
    following: dict[int, list[int]] = defaultdict(list)
    waiting = dict.fromkeys(nodes, 0)
    for a, b in forward:
        following[a].append(b)
        waiting[b] += 1
    layer = dict.fromkeys(nodes, 0)
    ready = [n for n in nodes if waiting[n] == 0]
    sources = list(ready)
    while ready:
        node = ready.pop()
        for nxt in following[node]:
            layer[nxt] = max(layer[nxt], layer[node] + 1)
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                ready.append(nxt)
    for source in sources:
        if following[source]:
            layer[source] = min(layer[n] for n in following[source]) - 1
    return layer


def order_columns(nodes: Sequence[int], layer: dict[int, int], edges: Sequence[tuple[int, int]]) -> list[list[int]]:
    """Items of each column, ordered to cut down crossings (barycentre sweeps down and up)."""
    columns: list[list[int]] = [[] for _ in range(max(layer.values()) + 1)]
    for node in nodes:
        columns[layer[node]].append(node)
    neighbours: dict[int, list[int]] = defaultdict(list)
    for a, b in edges:
        neighbours[a].append(b)
        neighbours[b].append(a)
    for sweep in range(SWEEPS):
        downward = sweep % 2 == 0
        indices = range(1, len(columns)) if downward else range(len(columns) - 2, -1, -1)
        for i in indices:
            position = {n: p for col in columns for p, n in enumerate(col)}

            def key(node: int, i=i, downward=downward, position=position) -> float:
                near = [m for m in neighbours[node] if (layer[m] < i if downward else layer[m] > i)]
                if not near:
                    return position[node]
                return sum(position[m] for m in near) / len(near)

            columns[i].sort(key=key)
    return columns


def _piece(nodes: Sequence[int], edges: Sequence[tuple[int, int]], top: float) -> tuple[list[Box], list[Arrow], float]:
    back = back_edges(nodes, edges)
    forward = [(b, a) if (a, b) in back else (a, b) for a, b in edges]
    layer = assign_layers(nodes, forward)
    columns = order_columns(nodes, layer, forward)
    tallest = max(len(col) for col in columns)
    step = NODE_HEIGHT + ROW_GAP
    boxes: dict[int, Box] = {}
    for i, col in enumerate(columns):
        offset = (tallest - len(col)) * step / 2
        for row, node in enumerate(col):
            boxes[node] = Box(node, MARGIN + i * (NODE_WIDTH + COLUMN_GAP), top + offset + row * step, i)
    height = tallest * step - ROW_GAP
    arrows = []
    for a, b in edges:
        source, target = boxes[a], boxes[b]
        if (a, b) in back:
            dip = max(source.bottom, target.bottom) + BEND
            path = (
                f"M{source.x + NODE_WIDTH / 2:.1f},{source.bottom:.1f} "
                f"C{source.x + NODE_WIDTH / 2:.1f},{dip:.1f} {target.x + NODE_WIDTH / 2:.1f},{dip:.1f} "
                f"{target.x + NODE_WIDTH / 2:.1f},{target.bottom:.1f}"
            )
            height = max(height, dip - top)
        else:
            bend = (target.x - source.right) / 2
            path = (
                f"M{source.right:.1f},{source.middle:.1f} "
                f"C{source.right + bend:.1f},{source.middle:.1f} {target.x - bend:.1f},{target.middle:.1f} "
                f"{target.x:.1f},{target.middle:.1f}"
            )
        arrows.append(Arrow(a, b, path, (a, b) in back))
    return list(boxes.values()), arrows, height


def layout(nodes: Sequence[int], edges: Iterable[tuple[int, int]]) -> Layout:
    """Place `nodes` (in the order given: it breaks ties) and route `edges` between them."""
    edges = sorted(set(edges))
    order = {n: i for i, n in enumerate(nodes)}
    boxes: dict[int, Box] = {}
    arrows: list[Arrow] = []
    top = float(MARGIN)
    for piece in components(nodes, edges):
        piece_nodes = sorted(piece, key=order.__getitem__)
        piece_edges = [(a, b) for a, b in edges if a in piece]
        placed, routed, height = _piece(piece_nodes, piece_edges, top)
        boxes.update((box.node, box) for box in placed)
        arrows.extend(routed)
        top += height + PIECE_GAP
    if not boxes:
        return Layout({}, [], 0, 0)
    width = max(box.right for box in boxes.values()) + MARGIN
    return Layout(boxes, arrows, width, top - PIECE_GAP + MARGIN)
