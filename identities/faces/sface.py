"""SFace (OpenCV Zoo, Apache-2.0) face recognition on onnxruntime.

SFace takes a 112×112 RGB crop aligned with ArcFace's five-point template, as raw 0–255 values
(no mean, no scale; the 127.5 normalisation insightface assumes for ArcFace models gives wrong
embeddings here), and returns a 128-D feature.
"""

from __future__ import annotations

import numpy as np

from identities.faces.prepare import ort_session


class SFaceRecognizer:
    name = "sface"
    input_size = 112

    def __init__(self, model: str | bytes, *, threads: int = 1):
        self._session = ort_session(model, threads=threads)
        self._input_name = self._session.get_inputs()[0].name

    def features(self, aligned_bgr: np.ndarray) -> np.ndarray:
        rgb = aligned_bgr[:, :, ::-1].astype(np.float32)
        blob = np.ascontiguousarray(rgb.transpose(2, 0, 1)[None])
        return self._session.run(None, {self._input_name: blob})[0][0]
