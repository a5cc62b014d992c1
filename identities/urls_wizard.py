"""The Create wizard, included from identities/urls.py at `create/` (names prefixed wizard_)."""

from django.urls import path

from identities.views import wizard

urlpatterns = [
    path("", wizard.start, name="wizard_start"),
    path("new/", wizard.restart, name="wizard_restart"),
    path("<str:draft_id>/", wizard.configure, name="wizard_configure"),
    path("<str:draft_id>/instructions/add/", wizard.instruction_add, name="wizard_instruction_add"),
    path(
        "<str:draft_id>/instructions/<str:key>/",
        wizard.instruction_save,
        name="wizard_instruction_save",
    ),
    path(
        "<str:draft_id>/instructions/<str:key>/duplicate/",
        wizard.instruction_duplicate,
        name="wizard_instruction_duplicate",
    ),
    path(
        "<str:draft_id>/instructions/<str:key>/remove/",
        wizard.instruction_remove,
        name="wizard_instruction_remove",
    ),
    path("<str:draft_id>/instructions/<str:key>/expert/", wizard.expert, name="wizard_expert"),
    path(
        "<str:draft_id>/instructions/<str:key>/from/<str:source>/",
        wizard.extract,
        name="wizard_extract",
    ),
    path("<str:draft_id>/presets/", wizard.presets, name="wizard_presets"),
    path("<str:draft_id>/presets/load/", wizard.preset_load, name="wizard_preset_load"),
    path("<str:draft_id>/presets/save/", wizard.preset_save, name="wizard_preset_save"),
    path("<str:draft_id>/review/", wizard.review, name="wizard_review"),
    path("<str:draft_id>/generate/", wizard.generate, name="wizard_generate"),
]
