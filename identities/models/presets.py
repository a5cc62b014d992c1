from django.conf import settings
from django.db import models
from django.db.models import Q


class Preset(models.Model):
    """A saved brief (one instruction) that Load Preset fills in. Catalog presets have no
    account and are offered to everyone."""

    account = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.CASCADE, related_name="presets"
    )
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    instruction = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "name"],
                condition=Q(account__isnull=False),
                name="preset_name_unique_per_account",
            ),
            models.UniqueConstraint(
                fields=["name"], condition=Q(account__isnull=True), name="catalog_preset_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name
