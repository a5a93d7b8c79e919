"""Request and response bodies of the collector's JSON API.

Items are named by ERP code in bodies and query strings and by numeric id in
paths. Fields are checked here; the graph's own rules (self-links, reverses,
splits that leave nobody behind) are the services' to refuse.
"""

from decimal import Decimal

from django.contrib.auth import get_user_model
from rest_framework import serializers

from collector.models import ALERT_TYPES, GROUP_STATUSES, MEMBER_ROLES, USE_UP_POLICIES, ItemGroup
from plmtracker.web.api import ErrorSerializer
from plmtracker.web.converters import MAX_ID
from plmtracker.web.dates import day_in_range
from plmtracker.web.validators import refuse_control_characters

TEXT = [refuse_control_characters]


def error_responses(*statuses: int) -> dict[int, type[serializers.Serializer]]:
    """The error bodies an endpoint documents: every one is {"error": "..."}."""
    return {status: ErrorSerializer for status in (401, *statuses)}


# --------------------------------------------------------------------------
# Collect


class RatioField(serializers.DecimalField):
    """Replacement eaches per original each: more than 0, at most 12 digits and 6 decimals; default 1."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("help_text", "Replacement eaches that take the place of one original each (default 1).")
        kwargs.setdefault("default", Decimal(1))
        super().__init__(
            max_digits=15,
            decimal_places=6,
            min_value=Decimal("0.000001"),
            error_messages={"min_value": "The ratio must be more than 0."},
            **kwargs,
        )


class LinkRequestSerializer(serializers.Serializer):
    item = serializers.CharField(max_length=64, validators=TEXT, help_text="ERP code of the item being replaced.")
    replace = serializers.CharField(max_length=64, validators=TEXT, help_text="ERP code of the item that replaces it.")
    reason = serializers.CharField(
        max_length=200, validators=TEXT, required=False, allow_blank=True, allow_null=True, help_text="Why (optional)."
    )
    ratio = RatioField(required=False)
    confirm_merge = serializers.BooleanField(
        required=False,
        default=False,
        help_text="A link that would merge two groups is refused (409, with the preview) unless this is true.",
    )


class PreviewQuerySerializer(serializers.Serializer):
    item = serializers.CharField(max_length=64, validators=TEXT, help_text="ERP code of the item being replaced.")
    replace = serializers.CharField(max_length=64, validators=TEXT, help_text="ERP code of the item that replaces it.")
    ratio = RatioField(required=False)


class AlertSerializer(serializers.Serializer):
    alert_id = serializers.IntegerField(required=False)
    item_id = serializers.IntegerField()
    alert_type = serializers.ChoiceField(choices=ALERT_TYPES)
    degree_out = serializers.IntegerField(help_text="OutDeg: links leaving the item.")
    degree_in = serializers.IntegerField(help_text="InDeg: links arriving at the item.")


class LinkResultSerializer(serializers.Serializer):
    group_id = serializers.IntegerField(help_text="The group both items are in now.")
    created = serializers.BooleanField(help_text="False when the link was already recorded (nothing changed).")
    action = serializers.ChoiceField(choices=["create", "attach", "merge", "within", "existing"])
    merged_group_ids = serializers.ListField(
        child=serializers.IntegerField(), help_text="Groups merged into group_id (deleted)."
    )
    alerts = AlertSerializer(many=True, help_text="Open conflicts on the two items after the link.")
    ratio = serializers.DecimalField(
        max_digits=18, decimal_places=6, normalize_output=True, help_text='The link\'s ratio now ("0.5", "2").'
    )
    ratio_updated = serializers.BooleanField(
        help_text="True when the link existed with another ratio and now has this one."
    )


class NeighbourSerializer(serializers.Serializer):
    item_id = serializers.IntegerField()
    code = serializers.CharField()
    description = serializers.CharField()


class OpenAlertSerializer(AlertSerializer):
    label = serializers.CharField()


class ItemCardSerializer(serializers.Serializer):
    item_id = serializers.IntegerField()
    code = serializers.CharField()
    description = serializers.CharField()
    active = serializers.BooleanField()
    group_id = serializers.IntegerField(allow_null=True)
    role = serializers.CharField(allow_null=True)
    group_status = serializers.CharField(allow_null=True)
    group_title = serializers.CharField(allow_null=True, help_text="The group's name, else its derived title.")
    member_count = serializers.IntegerField()
    replaced_by = NeighbourSerializer(many=True, help_text="Items this one is replaced by (first 12).")
    replaces = NeighbourSerializer(many=True, help_text="Items this one replaces (first 12).")
    replaced_by_count = serializers.IntegerField()
    replaces_count = serializers.IntegerField()
    alert = OpenAlertSerializer(allow_null=True)


class PreviewMemberSerializer(serializers.Serializer):
    item_id = serializers.IntegerField()
    code = serializers.CharField()
    description = serializers.CharField()
    role = serializers.CharField(allow_null=True)
    sequence = serializers.IntegerField(allow_null=True)
    change = serializers.CharField(help_text='"", "joins" or "moves from group N".')


class WarningSerializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=["self_link", "reverse", "existing", "ratio_change", "conflict", "conflict_grows", "inactive"]
    )
    level = serializers.ChoiceField(choices=["danger", "warning", "info"], help_text="danger: the link is refused.")
    message = serializers.CharField()


class PreviewAlertSerializer(serializers.Serializer):
    item_id = serializers.IntegerField()
    item = serializers.CharField(help_text="ERP code.")
    alert_type = serializers.ChoiceField(choices=ALERT_TYPES)
    degree_out = serializers.IntegerField()
    degree_in = serializers.IntegerField()


class MergeGroupSerializer(serializers.Serializer):
    group_id = serializers.IntegerField()
    name = serializers.CharField(allow_null=True)
    title = serializers.CharField(help_text='The name, else "first original -> first replacement".')
    owner = serializers.EmailField(allow_null=True, help_text="The owner's email.")
    status = serializers.ChoiceField(choices=GROUP_STATUSES)
    start_date = serializers.DateField(allow_null=True, read_only=True)
    end_date = serializers.DateField(allow_null=True, read_only=True)
    last_order_date = serializers.DateField(allow_null=True, read_only=True)
    use_up_policy = serializers.ChoiceField(choices=USE_UP_POLICIES)
    reason = serializers.CharField(allow_null=True)
    member_count = serializers.IntegerField()
    location_plan_count = serializers.IntegerField()


class MergeRowSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    loser = serializers.CharField(help_text="The merged-away group's value, in words.")
    winner = serializers.CharField(help_text="The kept group's value, in words.")
    kept = serializers.CharField(help_text="The value after the merge.")
    differs = serializers.BooleanField()
    lost = serializers.BooleanField(help_text="True when the merged-away group's value is dropped.")


class PlanDifferenceSerializer(serializers.Serializer):
    location_id = serializers.IntegerField()
    location_name = serializers.CharField()
    loser_date = serializers.DateField(allow_null=True, read_only=True)
    winner_date = serializers.DateField(allow_null=True, read_only=True)
    kept_date = serializers.DateField(allow_null=True, read_only=True)


class MergePlansSerializer(serializers.Serializer):
    moved = serializers.IntegerField(help_text="Plans for locations the kept group has none for: they move over.")
    filled = serializers.IntegerField(help_text="Kept group's plans without a date that take the other's date.")
    dropped = serializers.IntegerField(help_text="Dates of the merged-away group where the kept group has its own.")
    difference_count = serializers.IntegerField(help_text="Locations both groups plan for, with different dates.")
    differences = PlanDifferenceSerializer(many=True, help_text="The first 10 of them.")


class MergeComparisonSerializer(serializers.Serializer):
    loser = MergeGroupSerializer(help_text="The group merged away (deleted).")
    winner = MergeGroupSerializer(help_text="The group kept, as it is now.")
    kept = MergeGroupSerializer(help_text="The kept group after the merge: its own settings, both groups' members.")
    lost = serializers.ListField(
        source="lost_fields", child=serializers.CharField(), help_text="Fields whose merged-away value is dropped."
    )
    rows = MergeRowSerializer(many=True, help_text="Both groups side by side, in words.")
    location_plans = MergePlansSerializer(source="plans")
    summary = serializers.CharField()


class PreviewSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["new", "existing", "reverse"])
    can_submit = serializers.BooleanField()
    action = serializers.ChoiceField(choices=["create", "attach", "merge", "within"], allow_null=True)
    group_id = serializers.IntegerField(allow_null=True, help_text="The resulting group; null for a new group.")
    merged_group_ids = serializers.ListField(child=serializers.IntegerField())
    merge = serializers.BooleanField(help_text="True when the link would merge two groups (pages ask to confirm).")
    member_count = serializers.IntegerField(help_text="Members of the resulting group.")
    members = PreviewMemberSerializer(many=True, help_text="The first 40 members, in sequence.")
    alerts = PreviewAlertSerializer(many=True, help_text="Conflicts the link would raise.")
    warnings = WarningSerializer(many=True)
    item = ItemCardSerializer()
    replace = ItemCardSerializer()
    ratio = serializers.DecimalField(
        max_digits=18, decimal_places=6, normalize_output=True, help_text="The ratio the link would have."
    )
    comparison = MergeComparisonSerializer(
        allow_null=True, help_text="For a merge: both groups side by side and which values survive; else null."
    )


# --------------------------------------------------------------------------
# Groups


class LinkRefusedSerializer(serializers.Serializer):
    error = serializers.CharField()
    preview = PreviewSerializer(
        required=False, help_text="For a merge not confirmed: what the link would do (groups, members, warnings)."
    )


class GroupSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="email", read_only=True, allow_null=True)
    title = serializers.CharField(read_only=True, help_text='The name, else "first original -> first replacement".')
    member_count = serializers.IntegerField(read_only=True)
    conflict_count = serializers.IntegerField(read_only=True, help_text="Open conflicts on its members.")

    class Meta:
        model = ItemGroup
        fields = [
            "group_id",
            "name",
            "title",
            "status",
            "reason",
            "owner",
            "start_date",
            "end_date",
            "use_up_policy",
            "last_order_date",
            "created_at",
            "updated_at",
            "member_count",
            "conflict_count",
        ]


class GroupPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = GroupSerializer(many=True)


class UserEmailField(serializers.SlugRelatedField):
    """A user named by e-mail; a value no e-mail can be (a NUL: PostgreSQL refuses it) is a 400."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value="(a NUL character)")
        return super().to_internal_value(data)


class GroupFieldsSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=GROUP_STATUSES, required=False)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, allow_null=True, validators=TEXT)
    owner = UserEmailField(
        slug_field="email",
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="Email of the user who owns the conversion.",
    )
    start_date = serializers.DateField(required=False, allow_null=True, validators=[day_in_range])
    end_date = serializers.DateField(required=False, allow_null=True, validators=[day_in_range])
    name = serializers.CharField(
        max_length=120, required=False, allow_blank=True, allow_null=True, help_text="Empty: the derived title."
    )
    use_up_policy = serializers.ChoiceField(choices=USE_UP_POLICIES, required=False)
    last_order_date = serializers.DateField(
        required=False,
        allow_null=True,
        validators=[day_in_range],
        help_text="Orders of originals after it are leakage (else start_date).",
    )

    NULLABLE = ("owner", "start_date", "end_date", "reason", "name", "last_order_date")

    def to_internal_value(self, data):
        # An empty form field means "none" for the optional ones.
        if hasattr(data, "getlist"):
            data = {k: (None if v == "" and k in self.NULLABLE else v) for k, v in data.items()}
        return super().to_internal_value(data)


class GroupUpdateSerializer(GroupFieldsSerializer):
    change_reason = serializers.CharField(
        max_length=200,
        validators=TEXT,
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="Why (kept in the history).",
    )


class MemberSerializer(serializers.Serializer):
    item_id = serializers.IntegerField()
    code = serializers.CharField()
    description = serializers.CharField()
    active = serializers.BooleanField()
    role = serializers.CharField(allow_null=True)
    sequence = serializers.IntegerField(allow_null=True)
    alert_type = serializers.CharField(allow_null=True, help_text="Its open conflict, if any.")
    degree_out = serializers.IntegerField(allow_null=True)
    degree_in = serializers.IntegerField(allow_null=True)


class LinkSerializer(serializers.Serializer):
    item_id = serializers.IntegerField()
    replace_item_id = serializers.IntegerField()
    item = serializers.CharField(source="item_code")
    replace = serializers.CharField(source="replace_code")
    reason = serializers.CharField(allow_null=True)
    created_by = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()


class GroupDetailSerializer(GroupSerializer):
    link_count = serializers.IntegerField(help_text="Links between its members.")
    page = serializers.IntegerField(help_text="The page of members and links in this body (from 1).")
    pages = serializers.IntegerField(help_text="Pages of members and links: enough for the longer of the two lists.")
    page_size = serializers.IntegerField(help_text="Members and links per page (at most that many of each).")
    members = MemberSerializer(many=True, help_text="This page's members, in sequence.")
    links = LinkSerializer(many=True, help_text="This page's links, by item and replacement code.")
    pieces = serializers.IntegerField(help_text="Connected pieces of its links; more than 1 suggests a split.")

    class Meta(GroupSerializer.Meta):
        fields = [
            *GroupSerializer.Meta.fields,
            "link_count",
            "page",
            "pages",
            "page_size",
            "members",
            "links",
            "pieces",
        ]


class MergeRequestSerializer(serializers.Serializer):
    target_group_id = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="The group that receives every member."
    )
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, allow_null=True, validators=TEXT)


class MergeResultSerializer(serializers.Serializer):
    group_id = serializers.IntegerField(help_text="The target group, which now holds every member.")
    merged_group_ids = serializers.ListField(child=serializers.IntegerField())
    members_moved = serializers.IntegerField()


class SplitRequestSerializer(serializers.Serializer):
    item_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        help_text="Ids of the members that move to a new group.",
    )
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, allow_null=True, validators=TEXT)
    allow_alone = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Allow a member to be left alone in a group of one (refused otherwise).",
    )


class LinkEndsSerializer(serializers.Serializer):
    item_id = serializers.IntegerField()
    replace_item_id = serializers.IntegerField()


class SplitPreviewSerializer(serializers.Serializer):
    group_id = serializers.IntegerField()
    item_ids = serializers.ListField(child=serializers.IntegerField())
    cut_links = LinkEndsSerializer(many=True, help_text="The links the split would remove.")
    staying_item_ids = serializers.ListField(child=serializers.IntegerField(), required=False)
    alone_item_ids = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="Members the split would leave in a group of one."
    )


class SplitResultSerializer(serializers.Serializer):
    group_id = serializers.IntegerField()
    new_group_id = serializers.IntegerField()
    moved_item_ids = serializers.ListField(child=serializers.IntegerField())
    cut_links = LinkEndsSerializer(many=True)


class LinkRemovalSerializer(serializers.Serializer):
    group_id = serializers.IntegerField(allow_null=True)
    components = serializers.IntegerField(help_text="Connected pieces the group's links now make.")
    split_suggested = serializers.BooleanField(help_text="True when the group fell apart: consider a split.")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, allow_null=True, validators=TEXT)


class ResolveResultSerializer(serializers.Serializer):
    item_id = serializers.IntegerField()
    alert_type = serializers.ChoiceField(choices=ALERT_TYPES)
    degree_out = serializers.IntegerField()
    degree_in = serializers.IntegerField()
    resolution = serializers.CharField()
    resolved_at = serializers.DateTimeField()
    resolved_by = serializers.EmailField(source="resolved_by.email", read_only=True, allow_null=True)


class RoleRequestSerializer(serializers.Serializer):
    role = serializers.ChoiceField(
        choices=MEMBER_ROLES, allow_null=True, allow_blank=True, help_text="original, replacement, or empty for none."
    )
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, allow_null=True, validators=TEXT)


class MoveRequestSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=[("up", "Promote"), ("down", "Demote")])


class MemberResultSerializer(serializers.Serializer):
    item_id = serializers.IntegerField()
    group_id = serializers.IntegerField()
    role = serializers.CharField(allow_null=True)
    sequence = serializers.IntegerField(allow_null=True)


# --------------------------------------------------------------------------
# Plans


class PlanUpdateSerializer(serializers.Serializer):
    """The plan panel: name, policy and dates; fields left out stay as they are."""

    name = serializers.CharField(max_length=120, required=False, allow_blank=True, allow_null=True)
    use_up_policy = serializers.ChoiceField(choices=USE_UP_POLICIES, required=False)
    start_date = serializers.DateField(required=False, allow_null=True, validators=[day_in_range])
    last_order_date = serializers.DateField(required=False, allow_null=True, validators=[day_in_range])
    end_date = serializers.DateField(required=False, allow_null=True, validators=[day_in_range])
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, allow_null=True)

    NULLABLE = ("name", "start_date", "last_order_date", "end_date", "reason")

    def to_internal_value(self, data):
        if hasattr(data, "getlist"):
            data = {k: (None if v == "" and k in self.NULLABLE else v) for k, v in data.items()}
        return super().to_internal_value(data)


class LocationPlanSerializer(serializers.Serializer):
    location_id = serializers.IntegerField(min_value=0, max_value=MAX_ID)
    go_live_date = serializers.DateField(allow_null=True, required=False, default=None, validators=[day_in_range])
    note = serializers.CharField(max_length=400, allow_blank=True, allow_null=True, required=False, default=None)


class LocationPlanFormSerializer(serializers.Serializer):
    """One row of the go-live table, as its inline form posts it."""

    go_live_date = serializers.DateField(allow_null=True, required=False, default=None, validators=[day_in_range])
    note = serializers.CharField(max_length=400, allow_blank=True, allow_null=True, required=False, default=None)

    def to_internal_value(self, data):
        if hasattr(data, "getlist"):
            data = {k: (None if v == "" else v) for k, v in data.items()}
        return super().to_internal_value(data)


class FillEmptySerializer(serializers.Serializer):
    go_live_date = serializers.DateField(
        validators=[day_in_range], help_text="Given to every stocked location without a go-live date."
    )


class LocationPlansRequestSerializer(serializers.Serializer):
    locations = LocationPlanSerializer(many=True, help_text="The group's plans become exactly these.")
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, allow_null=True)


class LocationRowSerializer(serializers.Serializer):
    location_id = serializers.IntegerField()
    location_name = serializers.CharField()
    stocked = serializers.BooleanField(help_text="A member has an item_location row there.")
    go_live_date = serializers.DateField(allow_null=True, read_only=True, help_text="The plan's date (null: none).")
    effective_go_live_date = serializers.DateField(
        allow_null=True, read_only=True, help_text="The plan's date, else the group's start date."
    )
    note = serializers.CharField(allow_null=True)


class LocationPlansSerializer(serializers.Serializer):
    group_id = serializers.IntegerField()
    start_date = serializers.DateField(allow_null=True, read_only=True)
    locations = LocationRowSerializer(many=True)
