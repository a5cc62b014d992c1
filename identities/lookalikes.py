"""Look-alikes: which of an account's identities a face is, to the recogniser, the same person as.

A brand pays for a face of its own; two identities a face tool cannot tell apart are one face
sold twice. Compared are the embeddings preprocessing stored (`Identity.embedding`), against
`SAME_PERSON` (calibrated by bench/face_thresholds.py). Reads only: nothing here writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.core.files.storage import default_storage

from identities.faces import get_face_analyzer
from identities.faces.similarity import SAME_PERSON, as_embedding, similarity_words
from identities.imaging import ImageError, load_image
from identities.models import Draft, Identity
from identities.models.identity import LIVE

__all__ = [
    "CODES_FIELD",
    "CONFIRM_FIELD",
    "DraftFace",
    "Lookalike",
    "account_lookalikes",
    "draft_lookalikes",
    "lookalikes_confirmed",
]


@dataclass(frozen=True)
class Lookalike:
    identity: Identity
    similarity: float

    @property
    def words(self) -> str:
        return similarity_words(self.similarity)

    @property
    def percent(self) -> int:
        return round(100 * max(0.0, self.similarity))


@dataclass(frozen=True)
class DraftFace:
    embedding: np.ndarray
    model: str


def account_lookalikes(
    account,
    embedding,
    *,
    exclude: Identity | int | Iterable[Identity | int] | None = None,
    model: str | None = None,
    threshold: float = SAME_PERSON,
) -> list[tuple[Identity, float]]:
    """The account's live identities whose face is at or above `threshold` to `embedding`,
    most similar first, as (identity, similarity).

    Identities without an embedding (still preprocessing, or failed) are skipped, and so are
    embeddings of another size; with `model`, only embeddings that recogniser made count.
    """
    vector = as_embedding(embedding)
    norm = float(np.linalg.norm(vector))
    if norm == 0:
        return []
    vector = vector / norm
    rows = Identity.objects.filter(LIVE, account=account, embedding__isnull=False)
    if model:
        rows = rows.filter(embedding_model=model)
    excluded = _pks(exclude)
    if excluded:
        rows = rows.exclude(pk__in=excluded)
    found = []
    for identity in rows.defer("brief", "prompt", "render_details"):
        other = as_embedding(identity.embedding)
        if other.shape != vector.shape:
            continue
        other_norm = float(np.linalg.norm(other))
        similarity = float(vector @ other) / other_norm if other_norm else 0.0
        if similarity >= threshold:
            found.append((identity, similarity))
    found.sort(key=lambda pair: (-pair[1], pair[0].pk))
    return found


def draft_face(*, draft: Draft) -> DraftFace | None:
    """The embedding of the largest face in the draft's image (None without a face or a
    recognition model)."""
    if not draft.image:
        return None
    try:
        with default_storage.open(draft.image.name, "rb") as handle:
            image = load_image(handle.read())
    except (ImageError, OSError):
        return None
    analyzer = get_face_analyzer()
    faces = analyzer.detect(image)
    embedding = analyzer.embed(image, faces[0]) if faces else None
    return None if embedding is None else DraftFace(embedding=embedding, model=analyzer.name)


def draft_lookalikes(*, draft: Draft) -> list[Lookalike]:
    """Identities of the draft's account that its face would duplicate, most similar first.
    Identities promoted from this very draft (an earlier, failed preprocessing) do not count."""
    own = list(Identity.objects.filter(source_draft=draft).values_list("pk", flat=True))
    others = Identity.objects.filter(LIVE, account=draft.job.account, embedding__isnull=False)
    if not others.exclude(pk__in=own).exists():
        return []  # nothing to compare with: no detector run on the web request
    face = draft_face(draft=draft)
    if face is None:
        return []
    pairs = account_lookalikes(draft.job.account, face.embedding, exclude=own, model=face.model)
    return [Lookalike(identity=identity, similarity=similarity) for identity, similarity in pairs]


def _pks(exclude) -> set[int]:
    if exclude is None:
        return set()
    if isinstance(exclude, Identity | int):
        exclude = [exclude]
    return {item.pk if isinstance(item, Identity) else int(item) for item in exclude}


CONFIRM_FIELD = "lookalikes_confirmed"
CODES_FIELD = "lookalike_codes"


def lookalikes_confirmed(lookalikes: list[Lookalike], data) -> bool:
    """Whether a promotion form confirmed every look-alike the check finds now.

    The form carries the codes it showed: an identity that became a look-alike after the panel
    was drawn (another promotion finished meanwhile) has not been seen, so it asks again.
    """
    if not lookalikes:
        return True
    if data.get(CONFIRM_FIELD) != "yes":
        return False
    shown = set(data.getlist(CODES_FIELD))
    return all(item.identity.code in shown for item in lookalikes)
