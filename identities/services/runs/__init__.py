"""Image runs (issue 13): new on-model images of an identity or a face reference.

- `inputs` — the run's inputs checked and defaulted (the API and the web form alike);
- `acceptance` — quote, plan, the transaction that reserves and inserts, queueing, events;
- `generation` — the task body: claim, render (`identities.engines.onmodel`), sign, measure;
- `settlement` — storing outputs and completing or failing a run (credits settle once);
- `references` — reading reference images (data-URIs, guarded URL fetches);
- `reaping` — dead workers, lost tasks, deadlines, the privacy-mode purge.
"""

from identities.services.runs.acceptance import (
    run_cost_breakdown,
    run_plan,
    run_quote,
    run_start,
)
from identities.services.runs.generation import image_run_generate
from identities.services.runs.inputs import normalize_inputs
from identities.services.runs.reaping import runs_reap

__all__ = [
    "image_run_generate",
    "normalize_inputs",
    "run_cost_breakdown",
    "run_plan",
    "run_quote",
    "run_start",
    "runs_reap",
]
