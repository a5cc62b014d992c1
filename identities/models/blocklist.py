from django.core.exceptions import ValidationError
from django.db import models

from identities.briefs.terms import fold, term_problem


class BlockedTerm(models.Model):
    """A real person's name that briefs may not use; admins add and remove them."""

    class Category(models.TextChoices):
        MODEL = "model", "Model"
        ACTOR = "actor", "Actor"
        MUSICIAN = "musician", "Musician"
        ATHLETE = "athlete", "Athlete"
        POLITICIAN = "politician", "Politician"
        ROYAL = "royal", "Royal"
        OTHER = "other", "Other"

    term = models.CharField(max_length=120, help_text="As it is shown in error messages.")
    # The folded form is what the matcher compares, so uniqueness lives there: "Beyoncé" and
    # "beyonce" are the same term.
    normalized = models.CharField(max_length=120, unique=True, editable=False)
    category = models.CharField(max_length=16, choices=Category.choices, default=Category.OTHER)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Part of the matcher's cache fingerprint, so an edit reaches every process.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term

    def clean(self) -> None:
        self.term = " ".join(self.term.split())
        problem = term_problem(self.term)
        if problem:
            raise ValidationError({"term": problem})
        # `normalized` is not on the admin form, so Django's own unique check skips it.
        clash = BlockedTerm.objects.filter(normalized=fold(self.term)).exclude(pk=self.pk).first()
        if clash:
            raise ValidationError({"term": f'Already blocked as "{clash.term}".'})

    def save(self, *args, **kwargs) -> None:
        self.normalized = fold(self.term)
        super().save(*args, **kwargs)
