"""Content credentials: C2PA manifests signed onto every image Castless makes, and read back.

Signing — `sign_image(data=..., mime=..., engine=..., job_code=..., identity_code=...,
ingredients=[Ingredient(...)])` returns the JPEG or PNG with an embedded, signed manifest that
says: made by Castless <version> (the claim generator); a `c2pa.created` action whose
digitalSourceType is IPTC's trainedAlgorithmicMedia (made by a generative model), with the time
and the engine as software agent; a `com.castless.generation` assertion with the engine, job
code and identity code; and an `inputTo` ingredient describing each reference image (title,
format, SHA-256), never embedding it. Any failure raises `SigningFailed(reason)`: an output is
signed or it is not produced.

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
    "sign_image",
    "verify_image",
]
