import pytest

from identities.consent import STATEMENTS, VERSION
from identities.models import Identity
from identities.services.add_existing import existing_model_add
from identities.services.uploads import asset_upload
from tests.add_existing import photos


@pytest.fixture
def upload():
    def _upload(user, image, filename="photo.jpg"):
        return asset_upload(
            account=user.membership.account, user=user, filename=filename, data=photos.jpeg(image)
        )

    return _upload


@pytest.fixture
def astronaut_pair(alice, upload):
    """Alice's uploads: a close-up and a full-body shot of one adult woman."""
    return (
        upload(alice, photos.astronaut_close_up(), "collins-close.jpg"),
        upload(alice, photos.astronaut_full_body(), "collins-full.jpg"),
    )


@pytest.fixture
def add_eileen(alice, astronaut_pair, django_capture_on_commit_callbacks):
    """Alice adds her astronaut pair as "Eileen", accepting every statement, from the given
    address and browser; preprocessing runs. Returns the identity as stored afterwards."""

    def _add(*, ip_address: str, user_agent: str):
        near, far = astronaut_pair
        with django_capture_on_commit_callbacks(execute=True):
            identity, _ = existing_model_add(
                account=alice.membership.account,
                user=alice,
                name="Eileen",
                gender="female",
                close_up=near,
                full_body=far,
                consent_version=VERSION,
                accepted=[item.key for item in STATEMENTS],
                ip_address=ip_address,
                user_agent=user_agent,
            )
        return Identity.objects.get(pk=identity.pk)

    return _add


@pytest.fixture
def all_keys():
    return [item.key for item in STATEMENTS]


@pytest.fixture
def body(astronaut_pair, all_keys):
    near, far = astronaut_pair
    return {
        "name": "Eileen",
        "gender": "female",
        "close_up": {"file_id": str(near.file_id)},
        "full_body": {"file_id": str(far.file_id)},
        "consent": {"version": VERSION, "accepted": all_keys},
    }
