"""The Create wizard, included from identities/urls.py at `create/` (names prefixed wizard_).

Every view answers a write from a stale tab the same way (`refuses_stale`)."""

from django.urls import path

from identities.wizard.views import configure, extract, presets, references, review
from identities.wizard.views.common import refuses_stale

urlpatterns = [
    path("", refuses_stale(configure.start), name="wizard_start"),
    path("new/", refuses_stale(configure.restart), name="wizard_restart"),
    path("<str:brief_id>/", refuses_stale(configure.configure), name="wizard_configure"),
    path(
        "<str:brief_id>/instructions/add/",
        refuses_stale(configure.instruction_add),
        name="wizard_instruction_add",
    ),
    path(
        "<str:brief_id>/instructions/<str:key>/",
        refuses_stale(configure.instruction_save),
        name="wizard_instruction_save",
    ),
    path(
        "<str:brief_id>/instructions/<str:key>/duplicate/",
        refuses_stale(configure.instruction_duplicate),
        name="wizard_instruction_duplicate",
    ),
    path(
        "<str:brief_id>/instructions/<str:key>/remove/",
        refuses_stale(configure.instruction_remove),
        name="wizard_instruction_remove",
    ),
    path(
        "<str:brief_id>/instructions/<str:key>/expert/",
        refuses_stale(configure.expert),
        name="wizard_expert",
    ),
    path(
        "<str:brief_id>/instructions/<str:key>/from/<str:source>/",
        refuses_stale(extract.extract),
        name="wizard_extract",
    ),
    path(
        "<str:brief_id>/instructions/<str:key>/from/text/keep/",
        refuses_stale(extract.keep_paragraph),
        name="wizard_extract_keep",
    ),
    path(
        "<str:brief_id>/instructions/<str:key>/references/",
        refuses_stale(references.references),
        name="wizard_references",
    ),
    path("<str:brief_id>/presets/", refuses_stale(presets.presets), name="wizard_presets"),
    path(
        "<str:brief_id>/presets/load/",
        refuses_stale(presets.preset_load),
        name="wizard_preset_load",
    ),
    path(
        "<str:brief_id>/presets/save/",
        refuses_stale(presets.preset_save),
        name="wizard_preset_save",
    ),
    path("<str:brief_id>/review/", refuses_stale(review.review), name="wizard_review"),
    path("<str:brief_id>/generate/", refuses_stale(review.generate), name="wizard_generate"),
]
