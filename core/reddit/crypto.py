"""Encryption at rest for Reddit credentials (refresh tokens, script passwords).

AES-256-GCM with a key derived from the installation secret for this purpose only.
The owning user id is bound in as associated data, so a ciphertext copied onto another
user's row does not decrypt.
"""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from core.secrets import derive_key

PURPOSE = "reddit-tokens"
VERSION = "v1"
_NONCE = 12


class TokenUnreadable(Exception):
    """The ciphertext was tampered with, moved, or the secret key changed."""


class TokenCipher:
    def __init__(self, master_key: bytes) -> None:
        self._aead = AESGCM(derive_key(master_key, PURPOSE))

    def encrypt(self, plaintext: str, user_id: int) -> str:
        nonce = os.urandom(_NONCE)
        sealed = self._aead.encrypt(nonce, plaintext.encode(), _aad(user_id))
        return f"{VERSION}.{base64.urlsafe_b64encode(nonce + sealed).decode()}"

    def decrypt(self, token: str, user_id: int) -> str:
        version, _, body = token.partition(".")
        if version != VERSION:
            raise TokenUnreadable("unknown token format")
        try:
            raw = base64.urlsafe_b64decode(body.encode())
            return self._aead.decrypt(raw[:_NONCE], raw[_NONCE:], _aad(user_id)).decode()
        except (InvalidTag, ValueError) as exc:
            raise TokenUnreadable("cannot decrypt stored credentials") from exc


def _aad(user_id: int) -> bytes:
    return f"reddit-account:{user_id}".encode()
