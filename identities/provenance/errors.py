"""The two ways content credentials can fail, as domain errors callers can catch."""


class SigningFailed(Exception):
    """An image could not be signed. `reason` is plain words, safe to store on a failed draft;
    it names configuration paths but never key material."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class UnsupportedImage(ValueError):
    """Bytes given to verification that are not a JPEG or PNG; the message is safe to show."""
