"""The verify page's one field: any JPEG or PNG, up to the upload limit."""

from django import forms

from identities.imaging import MAX_UPLOAD_BYTES, MAX_UPLOAD_MEGABYTES


class VerifyForm(forms.Form):
    image = forms.FileField(
        label="Image to check",
        help_text=f"A JPEG or PNG, at most {MAX_UPLOAD_MEGABYTES} MB. It is read, never stored.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )

    def clean_image(self):
        image = self.cleaned_data["image"]
        if image.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"The image is larger than {MAX_UPLOAD_MEGABYTES} MB.")
        return image
