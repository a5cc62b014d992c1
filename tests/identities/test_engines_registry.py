import pytest

from identities.engines import registry
from identities.engines.base import ASPECT_RATIOS, SIZES, Capabilities
from identities.engines.registry import (
    ENGINE_NAMES,
    capabilities_for,
    configured_engines,
    engine_is_external,
    get_engine,
    resolve_engine,
)

KEYS = {
    "nano_banana_pro": "CASTLESS_GEMINI_API_KEY",
    "seedream": "CASTLESS_SEEDREAM_API_KEY",
    "model_create": "CASTLESS_MODELCREATE_API_KEY",
}


@pytest.fixture
def keys(settings):
    """Start with every external engine off; `keys(...)` switches the named ones on."""
    for setting in KEYS.values():
        setattr(settings, setting, "")

    def switch_on(*names: str) -> None:
        for name in names:
            setattr(settings, KEYS[name], f"key-for-{name}")

    return switch_on


def _resolve(size="1K", ar="1:1", input_assets=0, model="auto"):
    engine = resolve_engine(model, size=size, ar=ar, input_assets=input_assets)
    return engine.name if engine else None


def test_engine_names_are_the_apis_model_values_plus_model_create():
    assert set(ENGINE_NAMES) == {
        "auto",
        "nano_banana_pro",
        "seedream",
        "orbita",
        "local",
        "model_create",
    }


@pytest.mark.parametrize("name", ENGINE_NAMES)
def test_every_name_declares_capabilities(name, keys):
    assert isinstance(capabilities_for(name), Capabilities)


@pytest.mark.parametrize("name", [name for name in ENGINE_NAMES if name != "auto"])
def test_every_concrete_name_builds_its_engine(name):
    engine = get_engine(name)

    assert engine.name == name
    assert engine.capabilities == capabilities_for(name)


@pytest.mark.parametrize("name", ["auto", "dalle", ""])
def test_get_engine_refuses_what_is_not_an_engine(name):
    with pytest.raises(KeyError):
        get_engine(name)


def test_orbita_keeps_the_seeds_limits():
    orbita = capabilities_for("orbita")

    assert orbita.sizes == {"1K"}
    assert not {"4:5", "5:4", "21:9"} & orbita.aspect_ratios
    assert orbita.max_input_assets == 0 and not orbita.external


def test_local_serves_every_size_and_ratio_but_no_references():
    local = capabilities_for("local")

    assert local.sizes == set(SIZES) and local.aspect_ratios == set(ASPECT_RATIOS)
    assert local.max_input_assets == 0


def test_in_house_capabilities_fall_back_to_the_spec_until_the_module_exists(monkeypatch):
    monkeypatch.setattr(registry, "find_spec", lambda name: None)

    assert capabilities_for("orbita").sizes == {"1K"}
    assert capabilities_for("local").aspect_ratios == set(ASPECT_RATIOS)


def test_external_engines_are_priced_as_external():
    assert [name for name in ENGINE_NAMES[1:] if engine_is_external(name)] == [
        "nano_banana_pro",
        "seedream",
        "model_create",
    ]
    with pytest.raises(KeyError):
        engine_is_external("auto")


def test_auto_falls_back_to_local_with_no_keys(keys):
    assert _resolve() == "local"
    assert _resolve(size="4K", ar="21:9") == "local"


@pytest.mark.parametrize(
    ("configured", "expected"),
    [
        (["nano_banana_pro", "seedream", "model_create"], "nano_banana_pro"),
        (["seedream", "model_create"], "seedream"),
        (["model_create"], "model_create"),
    ],
)
def test_auto_prefers_external_engines_in_order(keys, configured, expected):
    keys(*configured)

    assert _resolve(size="2K", ar="4:5") == expected


def test_auto_with_references_needs_an_external_engine_that_takes_them(keys):
    assert _resolve(input_assets=1) is None

    keys("model_create")
    assert _resolve(input_assets=1) == "model_create"
    assert _resolve(input_assets=2) is None

    keys("seedream")
    assert _resolve(input_assets=3) == "seedream"


@pytest.mark.parametrize("configured", [[], ["nano_banana_pro"], ["seedream", "model_create"]])
@pytest.mark.parametrize("size", SIZES)
def test_a_4_5_request_never_resolves_to_orbita(keys, configured, size):
    keys(*configured)

    assert _resolve(size=size, ar="4:5") not in ("orbita", None)


def test_a_concrete_name_resolves_to_that_engine_even_when_unconfigured(keys):
    assert _resolve(model="seedream") == "seedream"
    assert _resolve(model="orbita", ar="4:5") == "orbita"  # the caller reports the refusal
    with pytest.raises(KeyError):
        _resolve(model="midjourney")


def test_configured_engines_list_external_ones_first_and_in_house_always(keys):
    assert [engine.name for engine in configured_engines()] == ["local", "orbita"]

    keys("seedream", "nano_banana_pro")
    assert [engine.name for engine in configured_engines()] == [
        "nano_banana_pro",
        "seedream",
        "local",
        "orbita",
    ]


def test_auto_capabilities_grow_with_configured_engines(keys):
    assert capabilities_for("auto").max_input_assets == 0
    assert capabilities_for("auto").sizes == set(SIZES)

    keys("nano_banana_pro")
    assert capabilities_for("auto").max_input_assets == 3
