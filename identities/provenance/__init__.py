"""Content credentials: C2PA manifests signed onto every image Castless makes, and read back.

Signing — `sign_image(data=..., mime=..., engine=..., job_code=..., identity_code=...,
ingredients=[Ingredient(...)])` returns the JPEG or PNG with an embedded, signed manifest that
says: made by Castless <version> (the claim generator); a `c2pa.created` action whose
digitalSourceType is IPTC's trainedAlgorithmicMedia (made by a generative model), with the time
and the engine as software agent; a `com.castless.generation` assertion with the engine, job
code and identity code; and an `inputTo` ingredient describing each reference image (title,
format, SHA-256), never embedding it. Any failure raises `SigningFailed(reason)`: an output is
signed or it is not produced.

Calling it from a worker (drafts, identity images, image runs) — sign the final bytes, then
store them or base64 them; never both an unsigned and a signed copy:

    from identities.provenance import Ingredient, SigningFailed, mime_for_format, sign_image

    try:
        image = sign_image(
            data=result.image,                      # the engine's final JPEG or PNG bytes
            mime=mime_for_format(result.format),    # "jpg" / "jpeg" / "png" or a MIME type
            engine=result.engine,                   # the engine that drew it
            job_code=run.public_id,                 # the job / run the image belongs to
            identity_code=identity.code,            # None when there is no identity
            ingredients=[Ingredient(data=ref_bytes, mime="image/jpeg", title="face reference")],
        )
    except SigningFailed as failed:
        ...  # fail the output with failed.reason and refund it: never ship the unsigned bytes
    data_uri = "data:image/png;base64," + base64.b64encode(image).decode()  # privacy mode

The bytes grow by the manifest (about 3 KB on a 1K JPEG); re-encoding or resizing
after signing breaks the signature (it then verifies as tampered), so sign last.

Keys — a configured certificate chain and private key, or a KMS-style signer hook, or (with
nothing configured) an untrusted development chain made on first use under the data directory;
see `credentials` and `devchain`.

Verifying — `verify_image(data=...)` returns a `Verification` of plain facts (product, time,
engine, job, identity, source type, signer, the raw status codes) and one of four states:

- `valid`: the image and its manifest are exactly what was signed, and the signing
  certificate chains to a configured trust anchor (`CASTLESS_C2PA_TRUST_ANCHORS`, a PEM
  bundle such as the C2PA trust list or a company's own root).
- `untrusted`: the signature is intact and matches the image, but the certificate does not
  chain to a trust anchor, or it has expired or been revoked. Images signed with the
  development chain are always this, unless its root-ca.pem is configured as an anchor.
  It says "someone signed this and nothing changed since", not who that someone is.
- `tampered`: the credentials are there but no longer match: a pixel changed after signing
  (data hash mismatch), the manifest was edited (claim signature mismatch), or the manifest
  is too damaged to parse.
- `none`: the image carries no content credentials at all (a screenshot, a re-encoded copy,
  or an image that was never signed). This is not evidence of anything: credentials are
  easy to strip, which is why their presence, not their absence, is what counts.

Reading never touches the network: remote manifests and OCSP are not fetched, so an upload
cannot make the server request an address of the uploader's choosing.
"""

from identities.provenance.errors import SigningFailed, UnsupportedImage
from identities.provenance.formats import mime_for_format
from identities.provenance.manifest import TRAINED_ALGORITHMIC_MEDIA, Ingredient
from identities.provenance.signing import sign_image
from identities.provenance.verify import (
    NONE,
    TAMPERED,
    UNTRUSTED,
    VALID,
    Verification,
    verify_image,
)

__all__ = [
    "NONE",
    "TAMPERED",
    "TRAINED_ALGORITHMIC_MEDIA",
    "UNTRUSTED",
    "VALID",
    "Ingredient",
    "SigningFailed",
    "UnsupportedImage",
    "Verification",
    "mime_for_format",
    "sign_image",
    "verify_image",
]
