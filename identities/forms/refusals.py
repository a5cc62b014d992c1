"""Refusals (config.refusals) in the words the pages show, next to what caused them.

The API answers a refusal with a status and a JSON body; the pages answer it with a sentence
beside the field, on the Generate button, or in the promote panel. Both read the refusal's own
facts (credits, limits, the identity that exists), so neither has to decode the other.
"""

from __future__ import annotations

from dataclasses import dataclass

from config.refusals import (
    AbovePlan,
    AlreadyPromoted,
    CreationPaused,
    InsufficientCredits,
    RateLimited,
    Refusal,
    TooManyJobs,
)
from identities.briefs.request import BriefError


def refusal_messages(refusal: Refusal) -> list[str]:
    """What to show on the form field the refused input came from: each problem, or the
    summary when the refusal names no input."""
    return [problem.message for problem in refusal.problems] or [refusal.summary]


def credits_message(short: InsufficientCredits, what: str) -> str:
    """`what` ("Reading a photo") cannot be paid for: the price, the balance, a way out."""
    unit = "credit" if short.required == 1 else "credits"
    return (
        f"{what} needs {short.required} {unit}; you have {short.available}. "
        "Top up your credits, or fill the fields yourself."
    )


@dataclass(frozen=True)
class DispatchFailure:
    """Why Generate did not start a job, in plain words.

    `status` is what the API answers for the same refusal; the page shows it as `data-status`
    so a user of the wizard and a user of the API describe one failure with one number.
    """

    status: int
    title: str
    message: str
    blocked_term: str = ""


def dispatch_failure(refusal: Refusal) -> DispatchFailure:
    match refusal:
        case BriefError(blocked_term=str(term)) if term:
            return DispatchFailure(
                400,
                "Names of real people are not allowed",
                f"“{term}” is the name of a real person. Describe the look you want instead "
                "of naming someone.",
                blocked_term=term,
            )
        case BriefError():
            return DispatchFailure(
                400,
                "Some fields need attention",
                "Fix the problems marked above, then Generate again.",
            )
        case InsufficientCredits():
            message = (
                f"This job needs {refusal.required} credits. You have {refusal.available} "
                f"available and {refusal.reserved} reserved for jobs in progress."
            )
            return DispatchFailure(402, "Not enough credits", message)
        case AbovePlan():
            message = " ".join(dict.fromkeys(p.message for p in refusal.problems))
            return DispatchFailure(403, "Output size exceeds your plan", message or refusal.summary)
        case RateLimited() | TooManyJobs():
            return DispatchFailure(429, "Too many jobs in progress", refusal.summary)
        case CreationPaused():
            return DispatchFailure(503, "Identity creation is paused", refusal.summary)
    # The rest is about the brief as sent (a missing reference, no engine for it).
    detail = refusal.problems[0].message if refusal.problems else ""
    return DispatchFailure(400, refusal.summary, detail)


@dataclass(frozen=True)
class PromoteFailure:
    """Why a draft was not promoted, for the promote panel."""

    message: str
    short: InsufficientCredits | None = None  # to say what it needs and what there is
    existing_code: str | None = None  # the identity it already became, to link to


def promote_failure(refusal: Refusal) -> PromoteFailure:
    return PromoteFailure(
        message=refusal.summary,
        short=refusal if isinstance(refusal, InsufficientCredits) else None,
        existing_code=refusal.identity_code if isinstance(refusal, AlreadyPromoted) else None,
    )
