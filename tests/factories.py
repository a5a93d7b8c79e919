"""factory_boy factories for hand-built test data."""

from datetime import date

import factory
from django.contrib.auth import get_user_model

from plmtracker.inventory.models import BurnRateDaily, Item, ItemLocation, Location, OnHandSnapshot, PoLine, Uom


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    name = factory.Faker("name")
    password = factory.django.Password("correct-horse-battery")


class UomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Uom
        django_get_or_create = ("code",)

    code = "EA"
    description = "Each"


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    erp_item_code = factory.Sequence(lambda n: f"{1000000 + n}")
    description = factory.Sequence(lambda n: f"GLOVE EXAM NITRILE PF MD BLUE LOT {n}")
    base_uom = factory.SubFactory(UomFactory)


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location
        django_get_or_create = ("location_id",)

    location_id = factory.Sequence(lambda n: 1000 + n)
    location_name = factory.Sequence(lambda n: f"PAR {n} MED/SURG")
    location_type = "par"


class ItemLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ItemLocation

    item = factory.SubFactory(ItemFactory)
    location = factory.SubFactory(LocationFactory)
    on_hand_ea = 0


class BurnRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BurnRateDaily

    as_of_date = date(2026, 11, 1)
    item = factory.SubFactory(ItemFactory)
    location = factory.SubFactory(LocationFactory)
    burnrate_ea_per_day = 1
    signal_source = "L90"


class PoLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PoLine

    po_line_id = factory.Sequence(lambda n: 9000000 + n)
    po_date = date(2026, 11, 1)
    item = factory.SubFactory(ItemFactory)
    vendor_id = 501
    vendor_name = "MEDLINE INDUSTRIES LP"
    qty_ea = 100
    price = "0.1200"


class SnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OnHandSnapshot

    snapshot_date = date(2026, 11, 1)
    item = factory.SubFactory(ItemFactory)
    location = factory.SubFactory(LocationFactory)
    on_hand_ea = 0
