"""Shared by the page tests and the browser tests of Create images."""

import io

from PIL import Image

from identities.models import Identity
from identities.services.promotion import identity_promote
from tests.pipeline import run_job


def ready_identity(user, name: str, capture) -> Identity:
    """`user`'s identity `name`, promoted from a painter draft and preprocessed (ready to use).
    `capture` is pytest-django's django_capture_on_commit_callbacks."""
    job = run_job(user.membership.account, capture=capture, variations=1)
    with capture(execute=True):
        identity, _ = identity_promote(draft=job.drafts.get(), user=user, name=name)
    identity.refresh_from_db()
    assert identity.preprocessing_status == Identity.COMPLETED
    return identity


def png_bytes(colour=(180, 40, 60), size=(64, 80)) -> bytes:
    """A small real PNG (a garment photo stand-in that the upload service accepts)."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()
