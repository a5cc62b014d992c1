"""The one rule for tests that need the MobileStyleGAN runtime (openvino + random-face's model
files): skipped on a machine without it, never in CI, where the lock installs it and a missing
runtime must fail the run instead of hiding its tests."""

import os

import pytest

from identities.engines.stylegan.model import runtime_installed

MISSING = "openvino / random-face model files not installed"


def _skippable() -> bool:
    return not runtime_installed() and not os.environ.get("CI")


needs_stylegan = pytest.mark.skipif(_skippable(), reason=MISSING)


def require_stylegan() -> None:
    """For fixtures: skip (or, in CI, fail) when the runtime is missing."""
    if runtime_installed():
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI must have the MobileStyleGAN runtime: {MISSING}")
    pytest.skip(MISSING)
