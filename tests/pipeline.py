"""Helpers for tests that drive the real job pipeline (tasks run in-process: Q sync)."""

from identities.briefs.validation import validate_creation_request
from identities.models import Job
from identities.services.jobs import job_create

# The body of seed 003's "Submitting a creation job" example.
SEED_003_BODY = {
    "instructions": [
        {
            "appearance": {
                "gender": "female",
                "age": 28,
                "ethnicity": "North European",
                "skin": "light",
                "build": "slim",
                "expression": "confident and relaxed",
            },
            "face": {"eyes": "pale blue", "eyebrows": "natural arched", "marks": "freckles"},
            "hair": {"color": "ash blonde", "length": "long", "style": "wavy"},
            "num_variations": 3,
            "options": {"ar": "3:4", "size": "2K", "format": "jpg"},
        }
    ],
    "options": {"model": "auto"},
    "name": "Spring catalog model",
}

BRIEF = {
    "appearance": {"gender": "female", "age": 28, "ethnicity": "North European", "skin": "light"},
    "face": {"eyes": "pale blue", "marks": "light freckles"},
    "hair": {"color": "ash blonde", "length": "long", "style": "wavy"},
}


def creation_request(
    *,
    variations=2,
    size="1K",
    ar="3:4",
    model="local",
    name="Spring model",
    instructions=1,
    **extra,
):
    payload = {
        "instructions": [
            {
                **BRIEF,
                "num_variations": variations,
                "options": {"ar": ar, "size": size, "format": "jpg"},
            }
            for _ in range(instructions)
        ],
        "options": {"model": model, **extra},
        "name": name,
    }
    return validate_creation_request(payload)


def run_job(account, user=None, *, capture, **kwargs) -> Job:
    """Create a job and run its drafts through the real task code, as the workers would."""
    with capture(execute=True):
        job = job_create(account=account, user=user, request=creation_request(**kwargs))
    job.refresh_from_db()
    return job
