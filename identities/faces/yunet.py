"""YuNet (OpenCV Zoo, MIT licence) face detection on onnxruntime, with its outputs decoded here.

The graph is fully convolutional; `prepare` makes its spatial input dims dynamic so an image runs
at its own aspect ratio (scaled to ``max_side`` and padded to a multiple of 32) instead of being
squeezed into the 640×640 the file declares.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from identities.faces.base import DetectedFace
from identities.faces.prepare import ort_session

STRIDES = (8, 16, 32)
# Real faces in t1.jpg and its crops (rotated, recompressed, tightly cropped) scored 0.70–0.94;
# blank and random-noise images peaked at 0.18. OpenCV's own default of 0.9 drops real faces.
DEFAULT_THRESHOLD = 0.6


class YuNetDetector:
    name = "yunet"

    def __init__(
        self,
        model: str | bytes,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        nms_threshold: float = 0.3,
        max_side: int = 640,
        threads: int = 1,
    ):
        self.threshold = threshold
        self.nms_threshold = nms_threshold
        self.max_side = max_side
        self._session = ort_session(model, threads=threads)
        self._input_name = self._session.get_inputs()[0].name
        self._output_names = [output.name for output in self._session.get_outputs()]

    def detect(self, bgr: np.ndarray) -> list[DetectedFace]:
        blob, scale = self._blob(bgr)
        results = self._session.run(self._output_names, {self._input_name: blob})
        outputs = dict(zip(self._output_names, results, strict=True))
        boxes, landmarks, scores = self._decode(outputs, width=blob.shape[3])
        if not len(scores):
            return []
        keep = cv2.dnn.NMSBoxes(
            [[x1, y1, x2 - x1, y2 - y1] for x1, y1, x2, y2 in boxes.tolist()],
            scores.tolist(),
            self.threshold,
            self.nms_threshold,
        )
        height, width = bgr.shape[:2]
        faces = []
        for index in np.asarray(keep, dtype=int).ravel():
            x1, y1, x2, y2 = (boxes[index] / scale).tolist()
            faces.append(
                DetectedFace(
                    bbox=(
                        max(0.0, x1),
                        max(0.0, y1),
                        min(float(width), x2),
                        min(float(height), y2),
                    ),
                    landmarks=(landmarks[index] / scale).astype(np.float32),
                    score=float(scores[index]),
                )
            )
        return faces

    def _blob(self, bgr: np.ndarray) -> tuple[np.ndarray, float]:
        height, width = bgr.shape[:2]
        scale = self.max_side / max(height, width)
        new_w, new_h = max(1, round(width * scale)), max(1, round(height * scale))
        interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
        resized = cv2.resize(bgr, (new_w, new_h), interpolation=interpolation)
        # The strides need dimensions divisible by 32; pad right/bottom so coordinates stay put.
        pad_w, pad_h = math.ceil(new_w / 32) * 32, math.ceil(new_h / 32) * 32
        canvas = np.zeros((pad_h, pad_w, 3), dtype=np.float32)
        canvas[:new_h, :new_w] = resized
        # YuNet takes BGR in 0–255, no mean or scale.
        return canvas.transpose(2, 0, 1)[None], scale

    def _decode(
        self, outputs: dict[str, np.ndarray], *, width: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        # Mirrors OpenCV's FaceDetectorYN post-processing for the 2023mar model: the score is the
        # geometric mean of class and objectness, box centres and landmarks are offsets in
        # stride units from their grid cell, box sizes are log-encoded.
        all_boxes, all_landmarks, all_scores = [], [], []
        for stride in STRIDES:
            cls = np.clip(outputs[f"cls_{stride}"][0, :, 0], 0.0, 1.0)
            obj = np.clip(outputs[f"obj_{stride}"][0, :, 0], 0.0, 1.0)
            scores = np.sqrt(cls * obj)
            index = np.nonzero(scores >= self.threshold)[0]
            if not len(index):
                continue
            cols = width // stride
            col, row = (index % cols).astype(np.float32), (index // cols).astype(np.float32)
            box = outputs[f"bbox_{stride}"][0, index]
            cx, cy = (col + box[:, 0]) * stride, (row + box[:, 1]) * stride
            w, h = np.exp(box[:, 2]) * stride, np.exp(box[:, 3]) * stride
            all_boxes.append(np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], axis=1))
            kps = outputs[f"kps_{stride}"][0, index].reshape(-1, 5, 2)
            kps = (kps + np.stack([col, row], axis=1)[:, None, :]) * stride
            all_landmarks.append(kps)
            all_scores.append(scores[index])
        if not all_scores:
            return np.empty((0, 4)), np.empty((0, 5, 2)), np.empty(0)
        return np.concatenate(all_boxes), np.concatenate(all_landmarks), np.concatenate(all_scores)
