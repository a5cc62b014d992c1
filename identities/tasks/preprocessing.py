from identities.services.preprocessing import identity_preprocess as _identity_preprocess


def identity_preprocess(job_id: int) -> None:
    _identity_preprocess(job_id=job_id)
