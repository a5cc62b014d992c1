"""The Create wizard, included from identities/urls.py at `create/` (names prefixed wizard_)."""

from django.urls import path

from identities.wizard.views import configure, extract, presets, review

urlpatterns = [
    path("", configure.start, name="wizard_start"),
    path("new/", configure.restart, name="wizard_restart"),
    path("<str:brief_id>/", configure.configure, name="wizard_configure"),
    path(
        "<str:brief_id>/instructions/add/", configure.instruction_add, name="wizard_instruction_add"
    ),
    path(
        "<str:brief_id>/instructions/<str:key>/",
        configure.instruction_save,
        name="wizard_instruction_save",
    ),
    path(
        "<str:brief_id>/instructions/<str:key>/duplicate/",
        configure.instruction_duplicate,
        name="wizard_instruction_duplicate",
    ),
    path(
        "<str:brief_id>/instructions/<str:key>/remove/",
        configure.instruction_remove,
        name="wizard_instruction_remove",
    ),
    path("<str:brief_id>/instructions/<str:key>/expert/", configure.expert, name="wizard_expert"),
    path(
        "<str:brief_id>/instructions/<str:key>/from/<str:source>/",
        extract.extract,
        name="wizard_extract",
    ),
    path(
        "<str:brief_id>/instructions/<str:key>/from/text/keep/",
        extract.keep_paragraph,
        name="wizard_extract_keep",
    ),
    path("<str:brief_id>/presets/", presets.presets, name="wizard_presets"),
    path("<str:brief_id>/presets/load/", presets.preset_load, name="wizard_preset_load"),
    path("<str:brief_id>/presets/save/", presets.preset_save, name="wizard_preset_save"),
    path("<str:brief_id>/review/", review.review, name="wizard_review"),
    path("<str:brief_id>/generate/", review.generate, name="wizard_generate"),
]
