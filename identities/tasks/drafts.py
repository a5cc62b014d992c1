from identities.services.jobs import draft_generate as _draft_generate
from identities.services.jobs import drafts_reap
from identities.services.preprocessing import preprocessing_reap


def draft_generate(draft_id: int) -> None:
    _draft_generate(draft_id=draft_id)


def reap_abandoned_work() -> dict:
    """Periodic: drafts and preprocessing jobs whose worker died or whose task was lost."""
    return {"drafts": drafts_reap(), "preprocessing": preprocessing_reap()}
