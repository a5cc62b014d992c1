"""Why a request was refused, in domain terms: raised by services, mapped at the edges.

Services and libraries raise these; the JSON API turns each type into its status and body (one
table, in `config.api.refusals`) and the web pages turn it into the sentence shown next to the
field (`identities.forms.refusals`). A refusal therefore carries facts (a limit, a wait, the
identity that already exists), never a status code or an API key, so a new caller (a task, a
command, a page) can handle it without decoding HTTP.

Imports nothing from the project: every layer may use it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass
class FieldError:
    """One problem, on the dotted path of the input it is about ("instructions[1].face.eyes").

    `position` says where that input travels in a request (body, query, path or header).
    """

    field: str | None
    message: str
    position: str = "body"

    def as_dict(self) -> dict:
        return {"field": self.field, "message": self.message, "position": self.position}


class Refusal(Exception):
    """A request we will not carry out: `summary` says why in one sentence, `problems` point at
    the inputs responsible (empty when the refusal is about the account or the moment)."""

    def __init__(self, summary: str, problems: Iterable[FieldError] = ()):
        super().__init__(summary)
        self.summary = summary
        self.problems = list(problems)

    @property
    def message(self) -> str:
        """The most specific sentence: the first problem's, else the summary."""
        return self.problems[0].message if self.problems else self.summary

    def __str__(self) -> str:
        return self.summary


# --- about the input ------------------------------------------------------------------------


class InvalidInput(Refusal):
    """Inputs that break a rule; `summary` names the kind ("Invalid upload")."""

    def __init__(self, problems: Iterable[FieldError], summary: str = "Validation error"):
        super().__init__(summary, problems)


class NotFound(Refusal):
    """What the request points at does not exist, or is not the caller's to see."""

    def __init__(self, problems: Iterable[FieldError] = ()):
        super().__init__("Not found", problems)


class NameTaken(Refusal):
    """The name is already used by a live identity of the library."""

    def __init__(self, name: str, *, problems: Iterable[FieldError] = ()):
        super().__init__(f"An identity named “{name}” already exists.", problems)
        self.name = name


class LinkExpired(Refusal):
    """A signed link that is forged, or older than its lifetime."""

    def __init__(self):
        super().__init__("This upload URL is invalid or has expired.")


class AlreadyUploaded(Refusal):
    """The upload already has its bytes; an upload is written once."""

    def __init__(self, *, problems: Iterable[FieldError] = ()):
        super().__init__("This file_id already has its bytes.", problems)


# --- about promotion ------------------------------------------------------------------------


class AlreadyPromoted(Refusal):
    """The draft already became an identity: `identity_code` is that identity."""

    def __init__(self, identity_code: str, *, problems: Iterable[FieldError] = ()):
        super().__init__("This draft has already been promoted.", problems)
        self.identity_code = identity_code


class NotPromotable(Refusal):
    """The draft cannot become an identity (its job type, its status, its faces); `faces_found`
    is set when face detection decided."""

    def __init__(
        self, reason: str, *, problems: Iterable[FieldError] = (), faces_found: int | None = None
    ):
        super().__init__(reason, problems)
        self.faces_found = faces_found


# --- about the account and its plan ---------------------------------------------------------


class InsufficientCredits(Refusal):
    """The account cannot pay: `required` asked, `reserved` held by work in progress,
    `available` spendable now."""

    def __init__(self, *, required: int, available: int, reserved: int):
        super().__init__("Insufficient credits")
        self.required = required
        self.available = available
        self.reserved = reserved

    def __str__(self) -> str:
        return f"{self.required} credits required, {self.available} available"


class AbovePlan(Refusal):
    """The request asks for more than the account's plan allows (each problem says what)."""

    def __init__(self, problems: Iterable[FieldError]):
        super().__init__("Output size exceeds your plan", problems)


class SlotsFull(Refusal):
    """Every identity slot of the plan (`limit`) is taken."""

    def __init__(self, limit: int):
        super().__init__(f"All {limit} identity slots are in use; delete an identity to free one.")
        self.limit = limit


class TooManyJobs(Refusal):
    """The plan's cap of jobs in progress at once (`cap`) is reached."""

    def __init__(self, cap: int):
        super().__init__(f"You already have {cap} jobs in progress; wait for one to finish.")
        self.cap = cap


class RateLimited(Refusal):
    """`per_minute` `what` (e.g. "promotions") in the last minute; `retry_after` seconds until
    the oldest of them leaves the window."""

    def __init__(self, *, retry_after: int, what: str, per_minute: int):
        super().__init__(
            f"Too many {what}: at most {per_minute} a minute. Try again in {retry_after} s."
        )
        self.retry_after = retry_after
        self.what = what
        self.per_minute = per_minute


class TooManyStreams(Refusal):
    """The token already holds `cap` open event streams; one closes in about `retry_after` s."""

    def __init__(self, *, cap: int, retry_after: int):
        super().__init__(
            "Too many open event streams",
            [
                FieldError(
                    "Authorization",
                    f"This token already has {cap} event streams open; close one "
                    "(one stream per client is enough: every event reaches each).",
                    "header",
                )
            ],
        )
        self.cap = cap
        self.retry_after = retry_after


# --- about the service ----------------------------------------------------------------------


class CreationPaused(Refusal):
    """Identity creation is switched off by an operator; `summary` is their message."""

    def __init__(self, message: str):
        super().__init__(message)
