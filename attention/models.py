"""The digest's memory: who asked not to get it, and which items each person was sent on which day."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Now

from plmtracker.web.dates import day_in_range


class DigestOptOut(models.Model):
    """A person who turned the daily attention digest off on their account page."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="digest_opt_out"
    )
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = "digest_opt_out"
        verbose_name = "digest opt-out"

    def __str__(self) -> str:
        return f"{self.user} gets no digest"


class DigestSent(models.Model):
    """One attention item sent to one person for one day: the digest never sends it to them again that day."""

    sent_id = models.BigAutoField(primary_key=True)
    as_of = models.DateField(validators=[day_in_range])
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    item_key = models.CharField(max_length=80)
    sent_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = "digest_sent"
        ordering = ["-sent_at", "-sent_id"]
        verbose_name = "digest item sent"
        verbose_name_plural = "digest items sent"
        constraints = [models.UniqueConstraint(fields=["as_of", "user", "item_key"], name="digest_sent_key")]

    def __str__(self) -> str:
        return f"{self.item_key} to {self.user_id} for {self.as_of}"
