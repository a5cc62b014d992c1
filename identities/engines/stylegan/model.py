"""MobileStyleGAN's two networks, read from the `random-face` wheel's OpenVINO files.

The wheel's own Python API imports a module OpenVINO removed years ago, so only its model files
are used. The synthesis network is rewired once at load so that each of its 23 style inputs
(one per modulated convolution, coarse to fine) takes its own row of a 23 x 512 array: per-layer
styles (W+), pixel-identical to the original network when every row is the same style.

Loaded on first use and kept for the process (about 2 s and 0.9 GB); OpenVINO is imported only
here, so nothing of it loads unless this engine renders.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

import numpy as np

STYLE_DIM = 512
LAYERS = 23
NATIVE_SIZE = 1024
PACKAGE = "random_face"
MAPPING_FILE = "MappingNetwork.xml"
SYNTHESIS_FILE = "SynthesisNetwork.xml"
# One inference thread per render: the job queue runs drafts in parallel workers, and a fixed
# thread count keeps the floating-point reduction order, hence the pixels, reproducible.
THREADS = 1

_lock = threading.Lock()
_loaded: dict[str, Generator] = {}


class ModelUnavailable(Exception):
    """The runtime or the model files are not installed."""


def model_dir() -> Path | None:
    """Where the wheel keeps its model files, found without importing it (its import fails)."""
    spec = find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    data = Path(next(iter(spec.submodule_search_locations))) / "data"
    files = (MAPPING_FILE, SYNTHESIS_FILE)
    ok = all(
        (data / name).is_file() and (data / name).with_suffix(".bin").is_file() for name in files
    )
    return data if ok else None


def runtime_installed() -> bool:
    return find_spec("openvino") is not None and model_dir() is not None


@dataclass
class Generator:
    mapping: object  # openvino.CompiledModel, z (n x 512) -> w (n x 512)
    synthesis: object  # openvino.CompiledModel, W+ (23 x 512) -> image (1 x 3 x 1024 x 1024)

    def map(self, z: np.ndarray) -> np.ndarray:
        """Mapped styles for a batch of normal latents (n x 512 → n x 512)."""
        z = np.ascontiguousarray(z, dtype=np.float32).reshape(-1, STYLE_DIM)
        request = self.mapping.create_infer_request()
        return np.array(request.infer([z])[0], dtype=np.float32)

    def synthesize(self, styles: np.ndarray) -> np.ndarray:
        """An RGB uint8 1024 x 1024 image from per-layer styles (23 x 512)."""
        styles = np.ascontiguousarray(styles, dtype=np.float32).reshape(LAYERS, STYLE_DIM)
        request = self.synthesis.create_infer_request()
        out = np.asarray(request.infer([styles])[0])[0]
        # The network draws RGB in [-1, 1].
        pixels = (np.clip(out, -1.0, 1.0) + 1.0) * 127.5 + 0.5
        return np.ascontiguousarray(pixels.transpose(1, 2, 0).astype(np.uint8))


def get_generator() -> Generator:
    """The process-wide generator (loaded once; concurrent first callers wait for one load)."""
    with _lock:
        if "default" not in _loaded:
            _loaded["default"] = _load()
        return _loaded["default"]


def _load() -> Generator:
    data = model_dir()
    if data is None or find_spec("openvino") is None:
        raise ModelUnavailable(
            "MobileStyleGAN needs the `openvino` runtime and the `random-face` wheel's model files."
        )
    import openvino as ov

    core = ov.Core()
    config = {"INFERENCE_NUM_THREADS": THREADS, "PERFORMANCE_HINT": "LATENCY"}
    mapping = core.read_model(str(data / MAPPING_FILE))
    # A dynamic batch: the candidate search maps thousands of latents in one call.
    mapping.reshape({mapping.inputs[0].get_any_name(): ov.PartialShape([-1, STYLE_DIM])})
    synthesis = _per_layer_styles(ov, core.read_model(str(data / SYNTHESIS_FILE)))
    return Generator(
        mapping=core.compile_model(mapping, "CPU", config),
        synthesis=core.compile_model(synthesis, "CPU", config),
    )


def _per_layer_styles(ov, model):
    """The synthesis network with its single style input split into 23 per-layer inputs."""
    from openvino import opset13 as ops

    (style,) = model.get_parameters()
    consumers = list(style.output(0).get_target_inputs())
    matmuls = [c for c in consumers if c.get_node().get_type_name() == "MatMul"]
    if len(matmuls) != LAYERS:
        raise ModelUnavailable(f"unexpected synthesis network: {len(matmuls)} style inputs")
    # The exporter numbered the style projections in forward order (4 px block first); their
    # modulated convolutions confirm it, from 4x4 up to the 512x512 RGB head.
    matmuls.sort(key=lambda c: int(c.get_node().get_friendly_name().split("_")[1].split("/")[0]))
    styles = ops.parameter([LAYERS, STYLE_DIM], ov.Type.f32, name="styles")
    rows = ops.split(styles, 0, LAYERS)
    for index, consumer in enumerate(matmuls):
        consumer.replace_source_output(rows.output(index))
    for consumer in consumers:
        if consumer.get_node().get_type_name() != "MatMul":
            # Shape queries (the batch size for noise and the constant input) need a [1, 512].
            consumer.replace_source_output(rows.output(0))
    return ov.Model(model.get_results(), [styles], "synthesis_wplus")
