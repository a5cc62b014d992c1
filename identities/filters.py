"""The library's search and filter form (GET): the same rules as the API's list endpoint."""

from django import forms

from catalog.rules import TIER_CHOICES as CATALOG_TIER_CHOICES
from identities.ages import MAX_AGE, MIN_AGE
from identities.selectors import IdentityFilters

OWNERSHIP_CHOICES = [("all", "All"), ("mine", "My identities"), ("catalog", "Catalog")]
TIER_CHOICES = [("", "Any tier"), *CATALOG_TIER_CHOICES]
GENDER_CHOICES = [
    ("", "Any gender"),
    ("female", "Female"),
    ("male", "Male"),
    ("non-binary", "Non-binary"),
]


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=120)
    ownership = forms.ChoiceField(label="Show", choices=OWNERSHIP_CHOICES, required=False)
    gender = forms.ChoiceField(label="Gender", choices=GENDER_CHOICES, required=False)
    min_age = forms.IntegerField(
        label="Age from", required=False, min_value=MIN_AGE, max_value=MAX_AGE
    )
    max_age = forms.IntegerField(
        label="Age to", required=False, min_value=MIN_AGE, max_value=MAX_AGE
    )
    tier = forms.ChoiceField(label="Tier", choices=TIER_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "filter_%s")
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and low > high:
            self.add_error("max_age", "“Age to” must be at least “Age from”.")
        return data

    def filters(self) -> IdentityFilters:
        data = self.cleaned_data if self.is_valid() else {}
        ownership = data.get("ownership") or "all"
        return IdentityFilters(
            ownership={"all": "all", "mine": "mine", "catalog": None}[ownership],
            include_locked=True,
            search=(data.get("q") or "").strip(),
            gender=data.get("gender") or "",
            min_age=data.get("min_age"),
            max_age=data.get("max_age"),
            tier=data.get("tier") or "",
        )
