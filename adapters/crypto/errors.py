"""Errors raised by the crypto adapter.

Messages name files, ids and counts only: never key material, plaintext or personal data.
"""

from __future__ import annotations


class CryptoError(Exception):
    """Base class: something about keys or ciphertext is wrong."""


class KeyFileError(CryptoError):
    """A key file is missing, malformed, or readable by group/others: refuse to start."""


class UnknownMasterKeyError(CryptoError):
    """A data key is wrapped under a master key this process does not hold (rotated elsewhere?)."""


class OwnerShreddedError(CryptoError):
    """The owner's data key was destroyed: nothing can be encrypted for them any more."""


class SealedDataError(CryptoError):
    """A sealed field is malformed, was tampered with, or belongs to another owner or context."""


class UnknownDataKeyError(CryptoError):
    """No data key with this id exists: the ciphertext is corrupt or from another database."""
