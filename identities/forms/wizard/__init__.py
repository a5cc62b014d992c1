"""The Create wizard's forms and what its templates show, split by step."""

from identities.forms.wizard.configure import instruction_views, payload_json
from identities.forms.wizard.forms import (
    ExpertForm,
    InstructionEditForm,
    PresetLoadForm,
    PresetSaveForm,
    ReviewForm,
)
from identities.forms.wizard.problems import (
    DispatchFailure,
    field_anchor,
    map_errors,
    problem_list,
)
from identities.forms.wizard.review import engine_views, review_views

__all__ = [
    "DispatchFailure",
    "ExpertForm",
    "InstructionEditForm",
    "PresetLoadForm",
    "PresetSaveForm",
    "ReviewForm",
    "engine_views",
    "field_anchor",
    "instruction_views",
    "map_errors",
    "payload_json",
    "problem_list",
    "review_views",
]
