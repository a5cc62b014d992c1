import numpy as np
import pytest

from identities.faces.similarity import (
    SAME_PERSON,
    as_embedding,
    cosine,
    same_person,
    similarity_words,
)


def unit(vector) -> np.ndarray:
    array = np.asarray(vector, dtype=np.float32)
    return array / np.linalg.norm(array)


def at_cosine(value: float) -> np.ndarray:
    """A unit vector whose cosine to the first axis is ``value``."""
    return np.array([value, np.sqrt(1 - value**2), 0, 0], dtype=np.float32)


def test_threshold_lies_between_sface_default_and_edits_of_one_face():
    # SFace's LFW threshold (0.363) calls different generated people the same; edits of one
    # latent scored 0.68 and up.
    assert 0.363 < SAME_PERSON < 0.68


def test_stored_bytes_and_arrays_give_the_same_cosine():
    a, b = unit([1, 2, 3, 4]), unit([4, 3, 2, 1])
    as_bytes = a.astype("<f4").tobytes()
    assert cosine(as_bytes, memoryview(b.astype("<f4").tobytes())) == pytest.approx(cosine(a, b))
    assert as_embedding(as_bytes).dtype == np.float32


def test_cosine_is_one_for_a_face_and_itself_and_zero_for_an_empty_vector():
    a = unit([0.3, -0.2, 0.9, 0.1])
    assert cosine(a, a) == pytest.approx(1.0)
    assert cosine(a, np.zeros(4, dtype=np.float32)) == 0.0


def test_embeddings_of_different_sizes_are_refused():
    with pytest.raises(ValueError, match="differ in size"):
        cosine(np.ones(128), np.ones(512))


def test_same_person_is_inclusive_at_the_threshold():
    base = np.array([1, 0, 0, 0], dtype=np.float32)
    assert same_person(base, at_cosine(SAME_PERSON + 1e-4))
    assert not same_person(base, at_cosine(SAME_PERSON - 0.01))
    assert same_person(base, at_cosine(0.5), threshold=0.5)


def test_words_follow_the_threshold():
    assert similarity_words(0.9) == "almost certainly the same person"
    assert similarity_words(SAME_PERSON) == "likely the same person"
    assert similarity_words(SAME_PERSON - 0.01).endswith("likely different people")
    assert similarity_words(0.1) == "different people"
