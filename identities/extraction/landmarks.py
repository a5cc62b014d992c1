"""MediaPipe's face mesh and iris landmarks for one detected face, in image pixels.

MediaPipe runs the mesh on a square crop around the face, rotated so the eyes are level, and
the iris network on a crop around each eye; this module makes those crops with one affine warp
each and maps the networks' points back through the same transform.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from identities.extraction.models import iris_net, mesh_net
from identities.faces import DetectedFace

MESH_SIZE = 192
IRIS_SIZE = 64
# MediaPipe's own ROI factors: the detection box × 1.5 for the mesh, the eye corners × 2.3.
MESH_ROI_SCALE = 1.5
IRIS_ROI_SCALE = 2.3
# The mesh network's own "is this a face" output; MediaPipe drops a face below 0.5.
MESH_MIN_PRESENCE = 0.5

# Mesh indices (MediaPipe's canonical face mesh). "Image-left" is the subject's right.
EYE_CORNERS = {"image_left": (33, 133), "image_right": (362, 263)}
# The face's silhouette, clockwise from the top of the forehead.
FACE_OVAL = (
    10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377,
    152, 148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109,
)  # fmt: skip


@dataclass(frozen=True)
class Iris:
    centre: np.ndarray  # (x, y) pixels
    radius: float  # pixels
    eyelid: np.ndarray  # 16 x 2 pixels: the lower lid (0–8), then the upper lid (9–15)

    @property
    def opening(self) -> np.ndarray:
        """The visible eyeball as a simple polygon: along the lower lid, back along the upper."""
        return np.vstack([self.eyelid[:9], self.eyelid[9:][::-1]])


@dataclass(frozen=True)
class FaceLandmarks:
    mesh: np.ndarray  # 468 x 2 pixels
    presence: float
    irises: tuple[Iris, ...]  # image-left eye, image-right eye (empty when not run)

    def point(self, index: int) -> np.ndarray:
        return self.mesh[index]

    def centroid(self, indices: tuple[int, ...]) -> np.ndarray:
        return self.mesh[list(indices)].mean(axis=0)

    @property
    def face_width(self) -> float:
        # Tragus to tragus (234 ↔ 454): the face's width at the cheekbones.
        return float(np.linalg.norm(self.mesh[454] - self.mesh[234]))

    @property
    def up(self) -> np.ndarray:
        """Unit vector from chin (152) towards the top of the forehead (10)."""
        vector = self.mesh[10] - self.mesh[152]
        return vector / max(1e-6, float(np.linalg.norm(vector)))


def face_landmarks(rgb: np.ndarray, face: DetectedFace, *, with_iris: bool) -> FaceLandmarks:
    """Mesh (and, when asked, irises) for `face` in the RGB uint8 image `rgb`."""
    x1, y1, x2, y2 = face.bbox
    centre = np.array([(x1 + x2) / 2, (y1 + y2) / 2])
    side = max(x2 - x1, y2 - y1) * MESH_ROI_SCALE
    left_eye, right_eye = face.landmarks[0], face.landmarks[1]
    angle = math.atan2(right_eye[1] - left_eye[1], right_eye[0] - left_eye[0])
    crop, to_image = _crop(rgb, centre, side, angle, MESH_SIZE)
    outputs = mesh_net().run(crop.astype(np.float32) / 255.0)
    points = _pick(outputs, 1404).reshape(468, 3)[:, :2]
    presence = float(_sigmoid(_pick(outputs, 1)[0]))
    mesh = _apply(to_image, points)
    irises = tuple(_iris(rgb, mesh, eye) for eye in EYE_CORNERS) if with_iris else ()
    return FaceLandmarks(mesh=mesh, presence=presence, irises=irises)


def _iris(rgb: np.ndarray, mesh: np.ndarray, eye: str) -> Iris:
    start, end = (mesh[i] for i in EYE_CORNERS[eye])
    centre = (start + end) / 2
    side = float(max(abs(end[0] - start[0]), abs(end[1] - start[1]))) * IRIS_ROI_SCALE
    angle = math.atan2(end[1] - start[1], end[0] - start[0])
    crop, to_image = _crop(rgb, centre, side, angle, IRIS_SIZE)
    flip = eye == "image_right"
    # The network was trained on one eye; MediaPipe mirrors the other one into it.
    if flip:
        crop = crop[:, ::-1]
    outputs = iris_net().run(np.ascontiguousarray(crop, dtype=np.float32) / 255.0)
    iris = _pick(outputs, 15).reshape(5, 3)[:, :2].copy()
    contour = _pick(outputs, 213).reshape(71, 3)[:16, :2].copy()
    if flip:
        iris[:, 0] = IRIS_SIZE - iris[:, 0]
        contour[:, 0] = IRIS_SIZE - contour[:, 0]
    iris_px = _apply(to_image, iris)
    radius = (np.linalg.norm(iris_px[1] - iris_px[3]) + np.linalg.norm(iris_px[2] - iris_px[4])) / 4
    return Iris(centre=iris_px[0], radius=float(radius), eyelid=_apply(to_image, contour))


def _crop(
    rgb: np.ndarray, centre: np.ndarray, side: float, angle: float, size: int
) -> tuple[np.ndarray, np.ndarray]:
    """A `size`² crop of the rotated square (centre, side, angle) and the 2x3 matrix taking crop
    pixels back to image pixels."""
    scale = side / size
    cos, sin = math.cos(angle) * scale, math.sin(angle) * scale
    half = size / 2
    to_image = np.array(
        [
            [cos, -sin, centre[0] - cos * half + sin * half],
            [sin, cos, centre[1] - sin * half - cos * half],
        ]
    )
    source, offset, factor = _prefiltered(rgb, centre, side, scale)
    matrix = to_image.copy()
    matrix[:, :2] /= factor
    matrix[:, 2] = (to_image[:, 2] - offset) / factor
    crop = cv2.warpAffine(
        source,
        matrix,
        (size, size),
        flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=(0, 0, 0),
    )
    return crop, to_image


def _prefiltered(
    rgb: np.ndarray, centre: np.ndarray, side: float, scale: float
) -> tuple[np.ndarray, np.ndarray, float]:
    """The region around the crop, halved while the warp would still shrink it more than 2x:
    bilinear sampling alone aliases a large face into a 192 px crop."""
    if scale <= 2:
        return rgb, np.zeros(2), 1.0
    height, width = rgb.shape[:2]
    reach = side * 0.75  # half the diagonal of the rotated square, rounded up
    x0, y0 = (max(0, int(centre[i] - reach)) for i in (0, 1))
    x1, y1 = min(width, int(centre[0] + reach) + 1), min(height, int(centre[1] + reach) + 1)
    region = rgb[y0:y1, x0:x1]
    factor = 1.0
    while scale / factor > 2 and min(region.shape[:2]) > 8:
        region = cv2.pyrDown(region)
        factor *= 2
    return region, np.array([x0, y0], dtype=float), factor


def _apply(matrix: np.ndarray, points: np.ndarray) -> np.ndarray:
    return points @ matrix[:, :2].T + matrix[:, 2]


def _pick(outputs: dict[str, np.ndarray], size: int) -> np.ndarray:
    # Output layer names differ between model revisions; their sizes do not.
    for value in outputs.values():
        if value.size == size:
            return value
    raise RuntimeError(f"landmark network has no output of size {size}")


def _sigmoid(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-float(value)))
