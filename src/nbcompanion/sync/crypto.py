"""Every file in the shared folder is sealed with the family's passphrase.

AES-256-GCM from ``cryptography``; the key comes from the passphrase through scrypt with a
salt kept (unencrypted, it is not secret) in the folder's ``family.json``. Each file's
name inside the folder is bound in as associated data, so a renamed, truncated or altered
file fails to open instead of being read as something else.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass

MAGIC = b"NBCS1"
NONCE_BYTES = 12
KEY_BYTES = 32
#: scrypt cost: about 0.1 s and 32 MiB here, once per session (the key is then kept).
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
_CHECK_NAME = "family.json#check"
_CHECK_TEXT = b"nbcompanion shared record"


class SealError(Exception):
    """A file could not be opened: wrong passphrase, or a damaged, renamed or partial file."""


@dataclass(frozen=True)
class FamilyKey:
    """The derived key; never written to the shared folder."""

    key: bytes

    def hex(self) -> str:
        """The key as text, for the system keyring or a child process's environment."""
        return self.key.hex()

    @classmethod
    def from_hex(cls, text: str) -> FamilyKey:
        """The key back from :meth:`hex`."""
        key = bytes.fromhex(text)
        if len(key) != KEY_BYTES:
            raise ValueError("not a family key")
        return cls(key)


def derive_key(passphrase: str, salt: bytes, n: int | None = None) -> FamilyKey:
    """The family key for ``passphrase`` and the folder's salt."""
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    kdf = Scrypt(salt=salt, length=KEY_BYTES, n=n or SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    return FamilyKey(kdf.derive(passphrase.encode("utf-8")))


def seal(key: FamilyKey, name: str, data: bytes) -> bytes:
    """``data`` encrypted and authenticated for the file called ``name`` in the folder."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(NONCE_BYTES)
    return MAGIC + nonce + AESGCM(key.key).encrypt(nonce, data, name.encode("utf-8"))


def unseal(key: FamilyKey, name: str, sealed: bytes) -> bytes:
    """The data of a file sealed by :func:`seal` under the same ``name``; else SealError."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if not sealed.startswith(MAGIC) or len(sealed) < len(MAGIC) + NONCE_BYTES + 16:
        raise SealError(f"{name} is not a complete shared-record file")
    nonce = sealed[len(MAGIC):len(MAGIC) + NONCE_BYTES]
    try:
        return AESGCM(key.key).decrypt(nonce, sealed[len(MAGIC) + NONCE_BYTES:],
                                       name.encode("utf-8"))
    except InvalidTag as error:
        raise SealError(f"{name} could not be opened: the passphrase differs, or the file "
                        "is damaged or not yet fully copied") from error


#: What a new shared folder's ``family.json`` says it is. Format 2 keeps the rows a record
#: held when sharing started as one item each (document.FIRST), which format-1 apps would
#: misread: they refuse a format-2 folder instead.
FORMAT = "nbcompanion-sync-2"
#: Every format this app reads (a format-1 folder never holds such rows, and stays 1).
READABLE_FORMATS = frozenset({"nbcompanion-sync-1", FORMAT})


def new_family(passphrase: str, record_id: str) -> tuple[dict[str, str], FamilyKey]:
    """The contents of a new folder's ``family.json``, and the key it describes."""
    n = SCRYPT_N
    salt = os.urandom(16)
    key = derive_key(passphrase, salt, n)
    check = seal(key, _CHECK_NAME, _CHECK_TEXT)
    return ({"format": FORMAT, "record": record_id,
             "salt": base64.b64encode(salt).decode(), "scrypt_n": str(n),
             "check": base64.b64encode(check).decode()}, key)


def open_family(family: dict[str, str], passphrase: str) -> FamilyKey:
    """The key for an existing folder; SealError when the passphrase is not the family's."""
    key = derive_key(passphrase, base64.b64decode(family["salt"]), int(family["scrypt_n"]))
    check_key(family, key)
    return key


def check_key(family: dict[str, str], key: FamilyKey) -> None:
    """SealError unless ``key`` opens this folder."""
    try:
        unseal(key, _CHECK_NAME, base64.b64decode(family["check"]))
    except SealError as error:
        raise SealError("That passphrase does not open this shared record.") from error


def dumps(family: dict[str, str]) -> bytes:
    """``family.json`` as bytes."""
    return json.dumps(family, indent=1, sort_keys=True).encode("utf-8")
