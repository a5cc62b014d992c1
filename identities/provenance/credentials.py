"""Where the signing key comes from, in order of precedence:

1. `CASTLESS_C2PA_SIGNER`: a dotted path to a callable `sign(data: bytes) -> bytes` that returns
   the signature of `data` made with the key of the configured certificate, for keys that never
   leave a KMS or HSM. ECDSA signatures may be DER or raw r||s. The certificate chain still
   comes from `CASTLESS_C2PA_CERT_CHAIN`.
2. `CASTLESS_C2PA_CERT_CHAIN` + `CASTLESS_C2PA_PRIVATE_KEY`: PEM files on disk.
3. Neither: the untrusted development chain under `CASTLESS_C2PA_DEV_DIR` (see devchain).

`CASTLESS_C2PA_ALG` names the algorithm of a configured key; the development chain is always
ES256. `CASTLESS_C2PA_TSA_URL`, when set, adds an RFC 3161 timestamp to every signature.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import c2pa
from django.conf import settings
from django.utils.module_loading import import_string

from identities.provenance.devchain import dev_chain_ensure
from identities.provenance.errors import SigningFailed

logger = logging.getLogger(__name__)
_warned_dev_chain = False


class _Hook:
    """Wraps the configured signer hook so its exception is kept: the native library only
    learns that the callback failed, and the draft should say why."""

    def __init__(self, sign: Callable[[bytes], bytes]):
        self._sign = sign
        self.error: BaseException | None = None

    def __call__(self, data: bytes) -> bytes:
        try:
            return bytes(self._sign(data))
        except Exception as exc:
            self.error = exc
            raise


@contextmanager
def signer_open() -> Iterator[c2pa.Signer]:
    """A c2pa Signer for the configured credentials, closed afterwards. A C2paError raised
    inside the block because the hook failed becomes SigningFailed naming the hook's error."""
    hook: _Hook | None = None
    if settings.CASTLESS_C2PA_SIGNER:
        hook = _Hook(_import_hook(settings.CASTLESS_C2PA_SIGNER))
        signer = _from_hook(hook)
    elif settings.CASTLESS_C2PA_CERT_CHAIN:
        signer = _from_files()
    else:
        signer = _from_dev_chain()
    try:
        yield signer
    except c2pa.C2paError:
        if hook is not None and hook.error is not None:
            raise SigningFailed(f"the signer hook failed: {hook.error}") from hook.error
        raise
    finally:
        signer.close()


def _algorithm() -> c2pa.C2paSigningAlg:
    return c2pa.C2paSigningAlg[settings.CASTLESS_C2PA_ALG.upper()]


def _tsa_url() -> str | None:
    return settings.CASTLESS_C2PA_TSA_URL or None


def _read(path: str, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise SigningFailed(f"the {what} {path} cannot be read ({exc.strerror})") from exc


def _import_hook(dotted: str) -> Callable[[bytes], bytes]:
    try:
        hook = import_string(dotted)
    except ImportError as exc:
        raise SigningFailed(f"the signer hook {dotted} cannot be imported ({exc})") from exc
    if not callable(hook):
        raise SigningFailed(f"the signer hook {dotted} is not callable")
    return hook


def _from_hook(hook: _Hook) -> c2pa.Signer:
    chain = _read(settings.CASTLESS_C2PA_CERT_CHAIN, "certificate chain")
    try:
        return c2pa.Signer.from_callback(hook, _algorithm(), chain.decode(), _tsa_url())
    except (c2pa.C2paError, UnicodeDecodeError) as exc:
        raise SigningFailed(f"the signer hook cannot be set up: {exc}") from exc


def _from_files() -> c2pa.Signer:
    chain = _read(settings.CASTLESS_C2PA_CERT_CHAIN, "certificate chain")
    key = _read(settings.CASTLESS_C2PA_PRIVATE_KEY, "private key")
    return _from_pem(chain, key, _algorithm())


def _from_dev_chain() -> c2pa.Signer:
    global _warned_dev_chain
    if not settings.DEBUG and not _warned_dev_chain:
        # Production still signs (an output must never go out unsigned), but every image
        # will verify as untrusted until a real certificate is configured.
        logger.warning(
            "Signing content credentials with the untrusted development chain: set "
            "CASTLESS_C2PA_CERT_CHAIN and CASTLESS_C2PA_PRIVATE_KEY (or CASTLESS_C2PA_SIGNER)"
        )
        _warned_dev_chain = True
    try:
        chain = dev_chain_ensure(directory=Path(settings.CASTLESS_C2PA_DEV_DIR))
    except OSError as exc:
        raise SigningFailed(
            f"the development signing chain cannot be created in "
            f"{settings.CASTLESS_C2PA_DEV_DIR} ({exc.strerror or exc})"
        ) from exc
    return _from_pem(chain.chain_pem, chain.key_pem, c2pa.C2paSigningAlg.ES256)


def _from_pem(chain: bytes, key: bytes, alg: c2pa.C2paSigningAlg) -> c2pa.Signer:
    try:
        return c2pa.Signer.from_info(c2pa.C2paSignerInfo(alg, chain, key, _tsa_url()))
    except (c2pa.C2paError, ValueError) as exc:
        raise SigningFailed(f"the signing certificate or key was refused: {exc}") from exc
