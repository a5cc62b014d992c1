import pytest


@pytest.fixture
def account(alice):
    return alice.membership.account
