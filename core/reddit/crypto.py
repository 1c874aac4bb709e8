"""Encryption at rest for Reddit credentials (refresh tokens, script passwords).

AES-256-GCM with a key derived from the installation secret for this purpose only.
The owning user id is bound in as associated data, so a ciphertext copied onto another
user's row does not decrypt.

`cryptography` is imported with the first encryption or decryption, not when the cipher
is built: `serve` builds one at start, and most starts never touch a stored token.
"""

from __future__ import annotations

import base64
import os
from typing import TYPE_CHECKING

from core.secrets import derive_key

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PURPOSE = "reddit-tokens"
VERSION = "v1"
_NONCE = 12


class TokenUnreadable(Exception):
    """The ciphertext was tampered with, moved, or the secret key changed."""


class TokenCipher:
    def __init__(self, master_key: bytes) -> None:
        self._key = derive_key(master_key, PURPOSE)
        self._cipher: AESGCM | None = None

    @property
    def _aead(self) -> AESGCM:
        if self._cipher is None:
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM

            self._cipher = AESGCM(self._key)
        return self._cipher

    def encrypt(self, plaintext: str, user_id: int) -> str:
        nonce = os.urandom(_NONCE)
        sealed = self._aead.encrypt(nonce, plaintext.encode(), _aad(user_id))
        return f"{VERSION}.{base64.urlsafe_b64encode(nonce + sealed).decode()}"

    def decrypt(self, token: str, user_id: int) -> str:
        version, _, body = token.partition(".")
        if version != VERSION:
            raise TokenUnreadable("unknown token format")
        aead = self._aead  # loads cryptography, so InvalidTag below is importable cheaply
        from cryptography.exceptions import InvalidTag

        try:
            raw = base64.urlsafe_b64decode(body.encode())
            return aead.decrypt(raw[:_NONCE], raw[_NONCE:], _aad(user_id)).decode()
        except (InvalidTag, ValueError) as exc:
            raise TokenUnreadable("cannot decrypt stored credentials") from exc


def _aad(user_id: int) -> bytes:
    return f"reddit-account:{user_id}".encode()
