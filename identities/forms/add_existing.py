"""The two forms of "Add an existing model": the photos and details, then the review."""

from __future__ import annotations

from typing import Any

from django import forms

from identities.consent import STATEMENTS, VERSION
from identities.names import NAME_MAX_LENGTH
from identities.services.add_existing import GENDERS

ACCEPT = "image/jpeg,image/png,image/webp"
PHOTOS = (("close_up", "close-up"), ("full_body", "full-body shot"))


def _asset_choices(assets) -> list[tuple[str, str]]:
    return [("", "— choose one of your uploads —")] + [
        (str(asset.file_id), f"{asset.filename} ({asset.created_at:%Y-%m-%d %H:%M})")
        for asset in assets
    ]


class PhotosForm(forms.Form):
    """Step one: each photo is a new upload or one of the account's uploads (upload wins)."""

    close_up_upload = forms.FileField(
        required=False,
        label="Upload a close-up",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    close_up_asset = forms.ChoiceField(required=False, label="Or use an upload")
    full_body_upload = forms.FileField(
        required=False,
        label="Upload a full-body shot",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    full_body_asset = forms.ChoiceField(required=False, label="Or use an upload")
    name = forms.CharField(max_length=NAME_MAX_LENGTH, label="Model name")
    gender = forms.ChoiceField(choices=[("", "Choose…"), *GENDERS.items()], label="Gender")

    def __init__(self, *args, assets=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = _asset_choices(assets)
        self.fields["close_up_asset"].choices = choices
        self.fields["full_body_asset"].choices = choices

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for field, what in PHOTOS:
            if not cleaned.get(f"{field}_upload") and not cleaned.get(f"{field}_asset"):
                self.add_error(f"{field}_upload", f"Upload a {what} or choose one of your uploads.")
        return cleaned


class ReviewForm(forms.Form):
    """Step two: the photos and details carried over, and one required box per statement."""

    close_up = forms.UUIDField(widget=forms.HiddenInput)
    full_body = forms.UUIDField(widget=forms.HiddenInput)
    name = forms.CharField(max_length=NAME_MAX_LENGTH, widget=forms.HiddenInput)
    gender = forms.ChoiceField(choices=list(GENDERS.items()), widget=forms.HiddenInput)
    version = forms.CharField(widget=forms.HiddenInput, initial=VERSION)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for statement in STATEMENTS:
            self.fields[f"accept_{statement.key}"] = forms.BooleanField(
                required=True,
                label=statement.text,
                error_messages={"required": "Tick this statement to add the model."},
            )

    def statement_fields(self):
        return [self[f"accept_{statement.key}"] for statement in STATEMENTS]

    def accepted(self) -> list[str]:
        """The keys ticked (cleaned or not: the service names any that are missing)."""
        return [
            statement.key
            for statement in STATEMENTS
            if self.data.get(f"accept_{statement.key}") in ("on", "true", "1")
        ]
