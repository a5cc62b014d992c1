"""Sign a finished image: the one function the worker calls before an output is stored."""

from __future__ import annotations

import io
from collections.abc import Sequence

import c2pa

from identities.provenance.credentials import signer_open
from identities.provenance.errors import SigningFailed
from identities.provenance.formats import SUPPORTED, normalise_mime, sniff_mime
from identities.provenance.manifest import Ingredient, manifest_definition

# No thumbnails: the image is the thumbnail's only source, so it would double every output's
# size and say nothing new. No network: nothing fetched while signing (OCSP, remote manifests).
_SIGNING_SETTINGS = {
    "builder": {
        "thumbnail": {"enabled": False},
        "actions": {
            # Castless writes its own c2pa.created action; the automatic ones would be a
            # second, emptier account of the same event.
            "auto_created_action": {"enabled": False},
            "auto_opened_action": {"enabled": False},
            "auto_placed_action": {"enabled": False},
        },
    },
    "verify": {"verify_after_sign": True, "remote_manifest_fetch": False, "ocsp_fetch": False},
}


def sign_image(
    *,
    data: bytes,
    mime: str,
    engine: str,
    job_code: str | None = None,
    identity_code: str | None = None,
    ingredients: Sequence[Ingredient] | None = None,
) -> bytes:
    """The same image with a signed C2PA manifest embedded: Castless and its version as claim
    generator, a c2pa.created action with the trainedAlgorithmicMedia source type, a
    com.castless.generation assertion naming the engine, job and identity, and an inputTo
    ingredient for each reference image.

    Raises SigningFailed with a plain reason instead of ever returning unsigned bytes.
    """
    mime = normalise_mime(mime)
    if mime not in SUPPORTED:
        raise SigningFailed(f"{mime} images cannot carry content credentials here")
    if sniff_mime(data) != mime:
        raise SigningFailed(f"the image bytes are not {mime}")
    definition = manifest_definition(
        engine=engine,
        job_code=job_code,
        identity_code=identity_code,
        ingredients=list(ingredients or ()),
    )
    output = io.BytesIO()
    try:
        with (
            c2pa.Context.from_dict(_SIGNING_SETTINGS) as context,
            signer_open() as signer,
            c2pa.Builder(definition, context) as builder,
        ):
            builder.sign(signer, mime, io.BytesIO(data), output)
    except c2pa.C2paError as exc:
        raise SigningFailed(f"the C2PA library could not sign the image: {exc}") from exc
    signed = output.getvalue()
    if len(signed) <= len(data) or b"c2pa" not in signed:
        raise SigningFailed("the C2PA library returned an image without a manifest")
    return signed
