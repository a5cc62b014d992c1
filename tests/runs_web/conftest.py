import pytest

from tests.runs_web.helpers import ready_identity


@pytest.fixture
def maren(alice, django_capture_on_commit_callbacks):
    """Alice's identity Maren, ready to use."""
    return ready_identity(alice, "Maren", django_capture_on_commit_callbacks)
