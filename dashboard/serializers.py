"""The JSON API's response shapes: plain numbers (null where undefined) and ISO dates.

They render the dicts `dashboard.queries` builds, so the OpenAPI schema is the
shape the endpoints really send.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from collector.models import USE_UP_POLICIES
from dashboard.stages import STAGES


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string", "enum": ["ALL"]}]})
class LocationParamField(serializers.Field):
    """The location the figures are for: a location number, or "ALL"."""

    def to_representation(self, value):
        return value


def number(**kwargs) -> serializers.FloatField:
    return serializers.FloatField(**kwargs)


def undefined_or_number(help_text: str) -> serializers.FloatField:
    return serializers.FloatField(allow_null=True, help_text=help_text)


RUN_OUT = (
    "as_of + floor(on_hand / burn) days; null when burn is 0 or when that day is more than 10 years (3,652 days) "
    "away (then run_out_beyond_horizon is true)."
)
BEYOND = "True when the stock outlasts the 10-year horizon at the current burn (run_out_date is then null)."


def run_out_field(**kwargs) -> serializers.DateField:
    return serializers.DateField(read_only=True, allow_null=True, help_text=RUN_OUT, **kwargs)


def beyond_field() -> serializers.BooleanField:
    return serializers.BooleanField(help_text=BEYOND)


class KpiBlockSerializer(serializers.Serializer):
    on_hand_ea = number(
        help_text="Sum of on-hand: item_location.on_hand_ea, or for an as_of before today the latest snapshot "
        "on or before it per item and location (0 without one)."
    )
    burn_ea_per_day = number(help_text="Sum of the latest burn rate on or before as_of per stocked item and location.")
    coverage_days = undefined_or_number("on_hand_ea / burn_ea_per_day; null when burn is 0.")
    po_qty_90d = number(help_text="PO quantity (EA) with as_of - 90 days <= po_date <= as_of; all locations.")
    po_spend_90d = number(help_text="Sum of qty_ea * price over the same lines; lines without a price add 0.")


class MemberKpiSerializer(KpiBlockSerializer):
    item_id = serializers.IntegerField()
    erp_item_code = serializers.CharField()
    role = serializers.ChoiceField(choices=["original", "replacement"], allow_null=True)
    factor = undefined_or_number(
        "f(i): replacement eaches one each of this item stands for (an original's links' average ratio, else 1; "
        "1 for a replacement; null without a role)."
    )
    supply_equiv = undefined_or_number("on_hand_ea x factor.")
    demand_equiv_per_day = undefined_or_number("burn_ea_per_day x factor.")


class GroupLocationSerializer(serializers.Serializer):
    location_id = serializers.IntegerField()
    location_name = serializers.CharField()
    location_type = serializers.CharField()
    original_on_hand_ea = number()
    original_burn_ea_per_day = number()
    original_coverage_days = undefined_or_number("null when the originals have no burn here.")
    original_run_out_date = run_out_field()
    original_run_out_beyond_horizon = beyond_field()
    replacement_on_hand_ea = number()
    original_stocked = serializers.BooleanField()
    replacement_stocked = serializers.BooleanField(help_text="A replacement has an item_location row here.")
    par_set = serializers.BooleanField(help_text="A replacement row here has reorder_point or reorder_upto_qty > 0.")
    go_live_date = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="Effective go-live: the location plan's date, else the group's start_date.",
    )
    stage = serializers.ChoiceField(
        choices=list(STAGES),
        help_text='The first rule that holds of the stage list in docs/DESIGN.md, "Location stages".',
    )
    late = serializers.BooleanField(help_text="go_live_date <= as_of and stage not_set_up or set_up.")
    at_risk = serializers.BooleanField(
        help_text="as_of < go_live_date <= as_of + 14 days and stage not_set_up or set_up."
    )


class StageCountsSerializer(serializers.Serializer):
    not_set_up = serializers.IntegerField()
    set_up = serializers.IntegerField()
    ready = serializers.IntegerField()
    live = serializers.IntegerField()
    converted = serializers.IntegerField()
    late = serializers.IntegerField()
    at_risk = serializers.IntegerField()


class OnHandSourceSerializer(serializers.Serializer):
    from_snapshots = serializers.BooleanField(help_text="as_of is before today: on-hand comes from on_hand_snapshot.")
    snapshot_date = serializers.DateField(
        read_only=True, allow_null=True, help_text="The latest snapshot read; null if none or today."
    )
    label = serializers.CharField()


class StrandedSerializer(serializers.Serializer):
    policy = serializers.ChoiceField(choices=USE_UP_POLICIES)
    end_date = serializers.DateField(read_only=True, allow_null=True)
    days_left = serializers.IntegerField(allow_null=True, help_text="max(0, end_date - as_of); null without end date.")
    horizon_days = serializers.IntegerField(
        allow_null=True, help_text="use_up only: H, PLM_USE_UP_HORIZON_DAYS (default 365); null for the others."
    )
    on_hand_ea = undefined_or_number(
        "Original on-hand left, per original item and location max(0, on_hand - burn x days): use_up after "
        "horizon_days (no burn there: all of it); use_until_end at end_date (null without end_date); "
        "immediate at the go-live of the row's location (rows without one left out; null when no row has "
        "one). In the originals' own eaches."
    )
    value = undefined_or_number("The stranded EA at each item's latest priced PO line on or before as_of.")


class LeakageSerializer(serializers.Serializer):
    since = serializers.DateField(
        read_only=True, allow_null=True, help_text="The cut-off: last_order_date, else start_date."
    )
    po_qty = undefined_or_number("PO quantity on originals with cut-off < po_date <= as_of; null without a cut-off.")
    po_spend = undefined_or_number("PO spend on the same lines.")


class OutcomeSerializer(serializers.Serializer):
    """docs/DESIGN.md, "Conversion outcome"; originals count f(i) replacement eaches each."""

    demand_equiv_per_day = number(help_text="Replacement burn + sum over originals of burn x f(i) (equivalent EA/day).")
    supply_equiv = number(help_text="Replacement on-hand + sum over originals of on-hand x f(i) (equivalent EA).")
    combined_coverage_days = undefined_or_number("supply_equiv / demand_equiv_per_day; null when demand is 0.")
    cutover_coverage_days = undefined_or_number(
        "Replacement on-hand / demand_equiv_per_day: how long the replacements last carrying all the demand."
    )
    compliance_pct = undefined_or_number(
        "100 x replacement qty / (replacement qty + originals' qty x f(i)) over PO lines with "
        "max(start_date, as_of - 90) <= po_date <= as_of; null before start_date or when nothing was bought."
    )
    p_o = undefined_or_number(
        "Baseline price per equivalent each: originals' spend / qty x f(i), priced lines with "
        "B - 365 days <= po_date < B (B = start_date once it has come, else as_of). Null on the overview."
    )
    p_r = undefined_or_number(
        "Replacement price: spend / qty over the last 90 days, else the latest priced line on or before as_of. "
        "Null on the overview."
    )
    projected_annual_savings = undefined_or_number("(p_o - p_r) x demand_equiv_per_day x 365; negative: costs money.")
    realised_savings = undefined_or_number(
        "Sum over priced replacement lines with start_date < po_date <= as_of of qty x (p_o - price); "
        "null without start_date, 0 when no line qualifies."
    )


class GroupKpisSerializer(serializers.Serializer):
    group_id = serializers.IntegerField()
    name = serializers.CharField(allow_null=True)
    title = serializers.CharField(help_text='The name, else "first original -> first replacement".')
    as_of = serializers.DateField(read_only=True)
    location_id = LocationParamField()
    status = serializers.CharField()
    reason = serializers.CharField(allow_null=True)
    start_date = serializers.DateField(read_only=True, allow_null=True)
    end_date = serializers.DateField(read_only=True, allow_null=True)
    use_up_policy = serializers.ChoiceField(choices=USE_UP_POLICIES)
    last_order_date = serializers.DateField(read_only=True, allow_null=True)
    on_hand_source = OnHandSourceSerializer()
    original = KpiBlockSerializer()
    replacement = KpiBlockSerializer()
    readiness_pct = undefined_or_number(
        "Share (0-100) of the originals' locations whose stage is ready, live or converted (replacements "
        "on hand there with par set, or converted)."
    )
    setup_pct = undefined_or_number("Share (0-100) of the originals' locations where a replacement has a row.")
    original_locations = serializers.IntegerField()
    ready_locations = serializers.IntegerField()
    setup_locations = serializers.IntegerField()
    stage_counts = StageCountsSerializer(help_text="Locations per stage, and how many are late or at risk.")
    items = MemberKpiSerializer(many=True)
    locations = GroupLocationSerializer(many=True)
    run_out_date = run_out_field()
    run_out_beyond_horizon = beyond_field()
    stranded = StrandedSerializer()
    leakage = LeakageSerializer()
    outcome = OutcomeSerializer()


class ItemLocationSerializer(serializers.Serializer):
    location_id = serializers.IntegerField()
    location_name = serializers.CharField()
    location_type = serializers.CharField()
    on_hand_ea = number()
    burn_ea_per_day = number()
    coverage_days = undefined_or_number("null when burn is 0.")
    run_out_date = run_out_field()
    run_out_beyond_horizon = beyond_field()


class ItemKpisSerializer(KpiBlockSerializer):
    item_id = serializers.IntegerField()
    erp_item_code = serializers.CharField()
    description = serializers.CharField(allow_null=True)
    group_id = serializers.IntegerField(allow_null=True)
    role = serializers.ChoiceField(choices=["original", "replacement"], allow_null=True)
    as_of = serializers.DateField(read_only=True)
    location_id = LocationParamField()
    on_hand_source = OnHandSourceSerializer()
    run_out_date = run_out_field()
    run_out_beyond_horizon = beyond_field()
    locations = ItemLocationSerializer(many=True)


class GroupOnHandPoint(serializers.Serializer):
    date = serializers.DateField(read_only=True)
    original_on_hand_ea = number()
    replacement_on_hand_ea = number()


class GroupBurnPoint(serializers.Serializer):
    date = serializers.DateField(read_only=True)
    original_burn_ea_per_day = number()
    replacement_burn_ea_per_day = number()


class GroupPoWeek(serializers.Serializer):
    date = serializers.DateField(read_only=True, help_text="The Monday the week starts on.")
    original_po_qty = number()
    original_po_spend = number()
    replacement_po_qty = number()
    replacement_po_spend = number()


class SeriesWindow(serializers.Serializer):
    location_id = LocationParamField()
    start = serializers.DateField(read_only=True)
    end = serializers.DateField(read_only=True)
    days = serializers.IntegerField()


class GroupTimeseriesSerializer(SeriesWindow):
    group_id = serializers.IntegerField()
    on_hand = GroupOnHandPoint(many=True, help_text="On-hand per day from the snapshots.")
    burn = GroupBurnPoint(many=True, help_text="Burn rate rows summed per day.")
    po_weekly = GroupPoWeek(many=True, help_text="PO quantity and spend per week (all locations).")


class ItemOnHandPoint(serializers.Serializer):
    date = serializers.DateField(read_only=True)
    on_hand_ea = number()


class ItemBurnPoint(serializers.Serializer):
    date = serializers.DateField(read_only=True)
    burn_ea_per_day = number()


class ItemPoWeek(serializers.Serializer):
    date = serializers.DateField(read_only=True, help_text="The Monday the week starts on.")
    po_qty = number()
    po_spend = number()


class ItemTimeseriesSerializer(SeriesWindow):
    item_id = serializers.IntegerField()
    on_hand = ItemOnHandPoint(many=True)
    burn = ItemBurnPoint(many=True)
    po_weekly = ItemPoWeek(many=True)


class OverviewStrandedSerializer(serializers.Serializer):
    on_hand_ea = undefined_or_number("The group's stranded EA by its policy, as its KPIs' `stranded.on_hand_ea`.")
    value = undefined_or_number("Their value, as its KPIs' `stranded.value`.")


class OverviewGroupSerializer(serializers.Serializer):
    group_id = serializers.IntegerField()
    status = serializers.CharField()
    reason = serializers.CharField(allow_null=True)
    start_date = serializers.DateField(read_only=True, allow_null=True)
    end_date = serializers.DateField(read_only=True, allow_null=True)
    member_count = serializers.IntegerField()
    original = KpiBlockSerializer()
    replacement = KpiBlockSerializer()
    readiness_pct = undefined_or_number(
        "Share (0-100) of the originals' locations whose stage is ready, live or converted."
    )
    stranded = OverviewStrandedSerializer()
    outcome = OutcomeSerializer()


class OverviewSerializer(serializers.Serializer):
    as_of = serializers.DateField(read_only=True)
    location_id = LocationParamField()
    active_groups = serializers.IntegerField()
    items_impacted = serializers.IntegerField(help_text="Members of active groups.")
    original = KpiBlockSerializer(help_text="Summed over active groups.")
    replacement = KpiBlockSerializer(help_text="Summed over active groups.")
    readiness_pct = undefined_or_number("Pooled over every active group's original locations.")
    original_locations = serializers.IntegerField()
    ready_locations = serializers.IntegerField()
    outcome = OutcomeSerializer(
        help_text="Over active groups: equivalent units summed, compliance pooled over the groups that have "
        "started, savings summed over the groups that have a figure; p_o and p_r are per group (null here)."
    )
    top_groups = OverviewGroupSerializer(many=True, help_text="The top active groups by the originals' PO spend.")
