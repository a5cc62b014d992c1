from django.db import models


class FeatureFlag(models.Model):
    """A switch admins flip in Django admin, without a deploy (e.g. identity creation)."""

    IDENTITY_CREATION = "identity_creation"

    name = models.SlugField(max_length=64, unique=True)
    enabled = models.BooleanField(default=True)
    message = models.CharField(
        max_length=200,
        blank=True,
        help_text="Shown to users while the feature is off (why, and until when).",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({'on' if self.enabled else 'off'})"
