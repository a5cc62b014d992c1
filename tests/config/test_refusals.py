"""Every domain refusal has one API answer, and carries its facts rather than HTTP."""

import inspect

import pytest

import config.refusals
from config.api.refusals import ANSWERS, refusal_api_error
from config.refusals import FieldError, InsufficientCredits, RateLimited, Refusal
from identities.briefs.request import BriefError
from identities.extraction.result import ExtractionError


def _refusal_types():
    defined = [
        kind
        for _, kind in inspect.getmembers(config.refusals, inspect.isclass)
        if issubclass(kind, Refusal) and kind is not Refusal
    ]
    return [*defined, BriefError, ExtractionError]


@pytest.mark.parametrize("kind", _refusal_types(), ids=lambda kind: kind.__name__)
def test_every_refusal_type_has_an_api_answer(kind):
    assert any(ancestor in ANSWERS for ancestor in kind.__mro__)


def test_a_refusal_without_an_answer_is_a_loud_error_not_a_guess():
    with pytest.raises(TypeError):
        refusal_api_error(Refusal("Something new"))


def test_the_429_names_the_wait_in_the_body_and_the_header():
    error = refusal_api_error(RateLimited(retry_after=12, what="promotions", per_minute=3))

    assert error.status == 429
    assert error.body() == {
        "error": "Too many promotions: at most 3 a minute. Try again in 12 s.",
        "detail": [],
        "retry_after": 12,
    }
    assert error.headers == {"Retry-After": "12"}


def test_the_402_lists_the_credits_in_the_seeds_order():
    error = refusal_api_error(InsufficientCredits(required=6, available=2, reserved=3))

    assert error.status == 402
    assert list(error.body()) == [
        "error",
        "detail",
        "required_credits",
        "in_progress_credits",
        "user_credits",
    ]
    assert error.body()["in_progress_credits"] == 3


def test_the_message_is_the_first_problem_else_the_summary():
    assert Refusal("Summary", [FieldError("name", "Too long.")]).message == "Too long."
    assert Refusal("Summary").message == "Summary"
