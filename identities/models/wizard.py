from django.conf import settings
from django.db import models
from django.db.models import Q

from identities.models.codes import new_job_id


def new_wizard_id() -> str:
    # The name is kept: migration 0009 refers to this function by its dotted path.
    return new_job_id("brief")


class Brief(models.Model):
    """The Create wizard's working brief, kept on the server so that a reload, a second tab or
    a dropped connection loses nothing. (A *draft* is an image a job made; a brief is what the
    user asks for before Generate.)

    `instructions` holds what the user typed, unvalidated (validation runs on every render and at
    dispatch): a list of 1–5 objects {"key", "appearance", "face", "hair", "expert", "prompt",
    "num_variations", "options": {"ar", "size", "format"}} and, with an expert prompt,
    "input_assets" (file_ids of the account's uploads used as references). `key` is a stable opaque id, so a tab
    that still shows a removed instruction cannot edit its neighbour by index.
    """

    public_id = models.CharField(max_length=40, unique=True, default=new_wizard_id, editable=False)
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="briefs")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    instructions = models.JSONField(default=list)
    model = models.CharField(max_length=32, default="auto")
    add_ai_watermark = models.BooleanField(default=False)
    name = models.CharField(max_length=120, blank=True)
    # Bumped by every write; a write that carries an older version came from a tab that had not
    # seen the latest change and is refused instead of silently overwriting it.
    version = models.PositiveIntegerField(default=1)
    # Set by Generate; the user's next "Create" then starts from a fresh brief.
    last_job = models.ForeignKey(
        "identities.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            # One brief in progress per person: "Create" always reopens it.
            models.UniqueConstraint(
                fields=["user"], condition=Q(last_job__isnull=True), name="one_open_wizard_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.public_id} ({len(self.instructions)} instructions)"

    @property
    def is_dispatched(self) -> bool:
        return self.last_job_id is not None
