"""A group is shown by its name, else "first original -> first replacement", in Python and in SQL alike."""

import pytest

from collector.models import ItemGroup
from collector.naming import annotate_group_title, group_title
from collector.services import group_create, link_add, member_set_role
from tests.factories import ItemFactory


@pytest.mark.parametrize(
    ("name", "original", "replacement", "expected"),
    [
        ("Nitrile gloves", "GLOVE A", "GLOVE B", "Nitrile gloves"),
        ("  ", "GLOVE A", "GLOVE B", "GLOVE A -> GLOVE B"),
        (None, "GLOVE A", None, "GLOVE A"),
        (None, None, "GLOVE B", "GLOVE B"),
        (None, None, None, "Group 7"),
    ],
)
def test_group_title(name, original, replacement, expected):
    assert group_title(7, name, original, replacement) == expected


def titles() -> dict[int, str]:
    return dict(annotate_group_title(ItemGroup.objects.all()).values_list("group_id", "title"))


def test_sql_title_follows_the_same_rule(db):
    a, b, c = (ItemFactory(description=d) for d in ("GLOVE A", "GLOVE B", "GLOVE C"))
    group_id = link_add(item_id=a.pk, replace_item_id=b.pk).group_id
    link_add(item_id=c.pk, replace_item_id=b.pk)  # a second original, after the first by sequence
    empty = group_create().pk
    assert titles() == {group_id: "GLOVE A -> GLOVE B", empty: f"Group {empty}"}

    member_set_role(item_id=b.pk, role=None)  # no replacement left: the first original alone
    assert titles()[group_id] == "GLOVE A"
    ItemGroup.objects.filter(pk=group_id).update(name="Exam gloves")
    assert titles()[group_id] == "Exam gloves"
    ItemGroup.objects.filter(pk=group_id).update(name="")
    assert titles()[group_id] == "GLOVE A"
