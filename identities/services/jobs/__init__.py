"""Creation jobs: accept a validated brief, fan it out into drafts, settle each draft's credits.

- `acceptance`: the checks, the quote, the one transaction that reserves credits and inserts
  the job and its drafts, and queueing the draft tasks;
- `generation`: one draft's task body (claim by lease, render under a heartbeat, complete or
  fail, hand the draft straight back when settling it fails, finalize the job once every
  draft is final);
- `reaping`: the sweep (every few seconds in each `manage.py worker`, every minute by a
  schedule) that retries or fails drafts whose worker died and re-queues drafts whose task
  was lost.

Callers import from here; the modules import each other directly (acceptance ← generation,
acceptance ← reaping → generation), never this package.
"""

from identities.selectors import creation_enabled  # a read; pages import it from here
from identities.services.jobs.acceptance import (
    DRAFT_TASK,
    draft_tasks_enqueue,
    drafts_enqueue,
    job_create,
    job_quote,
)
from identities.services.jobs.generation import (
    DRAFT_WORK,
    draft_claim,
    draft_complete,
    draft_fail,
    draft_generate,
    image_face_count,
    job_finalize_if_done,
)
from identities.services.jobs.reaping import drafts_reap

__all__ = [
    "DRAFT_TASK",
    "DRAFT_WORK",
    "creation_enabled",
    "draft_claim",
    "draft_complete",
    "draft_fail",
    "draft_generate",
    "draft_tasks_enqueue",
    "drafts_enqueue",
    "drafts_reap",
    "image_face_count",
    "job_create",
    "job_finalize_if_done",
    "job_quote",
]
