"""View models of the wizard: what each step's templates show, computed from the brief and its
check (fields with chips and problems, review choices with why some are unavailable, a
reading's result). Plain dataclasses; no queries, no writes."""

from identities.wizard.display.configure import instruction_views, payload_json
from identities.wizard.display.problems import field_anchor, map_errors, problem_list
from identities.wizard.display.reading import reading_view
from identities.wizard.display.review import engine_views, review_views

__all__ = [
    "engine_views",
    "field_anchor",
    "instruction_views",
    "map_errors",
    "payload_json",
    "problem_list",
    "reading_view",
    "review_views",
]
