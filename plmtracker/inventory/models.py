"""Inventory primitives shared by the collector and the dashboard (spec 4.2).

Table and column names follow the spec so people can query them with plain
SQL. Keys the spec gives as composite primary keys are surrogate ids plus a
unique constraint, which every backend and Django's admin handle alike.
"""

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now

from plmtracker.web.dates import day_in_range
from plmtracker.web.validators import FitsADouble

LOCATION_TYPES = [
    ("main", "Main store"),
    ("sat", "Satellite"),
    ("par", "PAR area"),
    ("bin", "Bin"),
    ("dept", "Department"),
]

# Decimal columns take what every database gives back: 15 significant digits with their decimals.
EA = [FitsADouble(18, 2)]  # quantities in eaches
PER_EA = [FitsADouble(18, 6)]  # burn per day, conversion factors
PRICE = [FitsADouble(18, 4)]

SIGNAL_SOURCES = [
    ("L10", "Last 10 days"),
    ("L60", "Last 60 days"),
    ("L90", "Last 90 days"),
    ("L365", "Last 365 days"),
    ("BLEND", "Blend"),
    ("OVERRIDE", "Override"),
    ("NONE", "None"),
]


def choices_check(field: str, choices: list[tuple[str, str]], name: str) -> models.CheckConstraint:
    """A CHECK constraint holding `field` to the codes of `choices`."""
    return models.CheckConstraint(condition=Q(**{f"{field}__in": [code for code, _ in choices]}), name=name)


class Uom(models.Model):
    uom_id = models.AutoField(primary_key=True)
    code = models.CharField(max_length=20, unique=True)
    description = models.CharField(max_length=120, null=True, blank=True)

    class Meta:
        db_table = "uom"
        ordering = ["code"]
        verbose_name = "unit of measure"
        verbose_name_plural = "units of measure"

    def __str__(self) -> str:
        return self.code


class Item(models.Model):
    item_id = models.AutoField(primary_key=True)
    erp_item_code = models.CharField("ERP item code", max_length=64, unique=True)
    description = models.CharField(max_length=500, null=True, blank=True)
    base_uom = models.ForeignKey(Uom, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    active_flag = models.BooleanField("active", default=True, db_default=True)
    created_at = models.DateTimeField(db_default=Now())
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "items"
        ordering = ["erp_item_code"]

    def __str__(self) -> str:
        if self.description:
            return f"{self.erp_item_code} — {self.description}"
        return self.erp_item_code


class Location(models.Model):
    """A stocking point: the site's numeric location number is the key."""

    location_id = models.IntegerField(primary_key=True)
    location_name = models.CharField(max_length=120)
    location_type = models.CharField(max_length=10, choices=LOCATION_TYPES)

    class Meta:
        db_table = "location"
        ordering = ["location_id"]
        constraints = [choices_check("location_type", LOCATION_TYPES, "location_type_valid")]

    def __str__(self) -> str:
        return f"{self.location_id} {self.location_name}"


class ItemLocation(models.Model):
    """Stocking setup and current state of one item at one location."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="locations")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="item_locations")
    stock_uom = models.ForeignKey(Uom, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reorder_point = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True, validators=EA)
    reorder_unit = models.ForeignKey(
        Uom,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The unit the reorder point and up-to quantity are counted in.",
    )
    reorder_upto_qty = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True, validators=EA)
    on_hand_ea = models.DecimalField("on hand (EA)", max_digits=18, decimal_places=2, default=0, validators=EA)
    on_order_ea = models.DecimalField(
        "on order (EA)", max_digits=18, decimal_places=2, null=True, blank=True, validators=EA
    )
    last_counted_at = models.DateTimeField(null=True, blank=True, validators=[day_in_range])
    created_at = models.DateTimeField(db_default=Now())
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "item_location"
        ordering = ["item_id", "location_id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "location"], name="item_location_key"),
            models.CheckConstraint(condition=Q(on_hand_ea__gte=0), name="item_location_on_hand_ge0"),
            models.CheckConstraint(
                condition=Q(on_order_ea__isnull=True) | Q(on_order_ea__gte=0),
                name="item_location_on_order_ge0",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} @ {self.location_id}"


class ItemUomConversion(models.Model):
    """How many `to_uom` one `from_uom` of an item holds (1 CS = 10 BX)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="uom_conversions")
    from_uom = models.ForeignKey(Uom, on_delete=models.PROTECT, related_name="+")
    to_uom = models.ForeignKey(Uom, on_delete=models.PROTECT, related_name="+")
    factor = models.DecimalField(max_digits=18, decimal_places=6, validators=PER_EA)

    class Meta:
        db_table = "item_uom_conversion"
        ordering = ["item_id", "from_uom_id", "to_uom_id"]
        verbose_name = "item UOM conversion"
        constraints = [
            models.UniqueConstraint(fields=["item", "from_uom", "to_uom"], name="item_uom_conversion_key"),
            models.CheckConstraint(condition=Q(factor__gt=0), name="item_uom_conversion_factor_gt0"),
            models.CheckConstraint(condition=~Q(from_uom=F("to_uom")), name="item_uom_conversion_distinct_uoms"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: 1 {self.from_uom} = {self.factor} {self.to_uom}"


class BurnRateDaily(models.Model):
    """The burn rate an upstream planner computed for an item at a location on a day."""

    id = models.BigAutoField(primary_key=True)
    as_of_date = models.DateField(validators=[day_in_range])
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    burnrate_ea_per_day = models.DecimalField("burn (EA/day)", max_digits=18, decimal_places=6, validators=PER_EA)
    signal_source = models.CharField(max_length=10, choices=SIGNAL_SOURCES)
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = "burnrate_daily"
        ordering = ["-as_of_date", "item_id", "location_id"]
        verbose_name = "daily burn rate"
        constraints = [
            # The spec's key (as_of_date, item_id, location_id), stored in the
            # order the dashboard reads it: latest row per (item, location) on
            # or before a date is one index seek.
            models.UniqueConstraint(fields=["item", "location", "as_of_date"], name="burnrate_daily_key"),
            choices_check("signal_source", SIGNAL_SOURCES, "burnrate_daily_signal_source_valid"),
            models.CheckConstraint(condition=Q(burnrate_ea_per_day__gte=0), name="burnrate_daily_rate_ge0"),
        ]
        indexes = [models.Index(fields=["as_of_date"], name="burnrate_daily_date_idx")]

    def __str__(self) -> str:
        return f"{self.as_of_date} {self.item_id}@{self.location_id}: {self.burnrate_ea_per_day}"


class PoLine(models.Model):
    """A purchase-order line from the ERP; PO lines carry no location."""

    po_line_id = models.BigIntegerField("PO line id", primary_key=True)
    po_date = models.DateField("PO date", validators=[day_in_range])
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="po_lines")
    vendor_id = models.IntegerField(null=True, blank=True)
    vendor_name = models.CharField(max_length=200, null=True, blank=True)
    qty_ea = models.DecimalField("quantity (EA)", max_digits=18, decimal_places=2, validators=EA)
    price = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True, validators=PRICE)

    class Meta:
        db_table = "po_line"
        ordering = ["-po_date", "po_line_id"]
        verbose_name = "PO line"
        constraints = [
            models.CheckConstraint(condition=Q(qty_ea__gte=0), name="po_line_qty_ge0"),
            models.CheckConstraint(condition=Q(price__isnull=True) | Q(price__gte=0), name="po_line_price_ge0"),
        ]
        indexes = [
            models.Index(F("po_date").desc(), "item", name="po_line_date_item_idx"),
            models.Index(fields=["item", "po_date"], name="po_line_item_date_idx"),
        ]

    def __str__(self) -> str:
        return f"PO line {self.po_line_id}"


class OnHandSnapshot(models.Model):
    """On-hand of an item at a location as it stood on a day (trend charts)."""

    id = models.BigAutoField(primary_key=True)
    snapshot_date = models.DateField(validators=[day_in_range])
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    on_hand_ea = models.DecimalField("on hand (EA)", max_digits=18, decimal_places=2, validators=EA)
    on_order_ea = models.DecimalField(
        "on order (EA)", max_digits=18, decimal_places=2, null=True, blank=True, validators=EA
    )
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = "on_hand_snapshot"
        ordering = ["-snapshot_date", "item_id", "location_id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "location", "snapshot_date"], name="on_hand_snapshot_key"),
            models.CheckConstraint(condition=Q(on_hand_ea__gte=0), name="on_hand_snapshot_ge0"),
        ]
        indexes = [models.Index(fields=["snapshot_date"], name="on_hand_snapshot_date_idx")]

    def __str__(self) -> str:
        return f"{self.snapshot_date} {self.item_id}@{self.location_id}: {self.on_hand_ea}"
