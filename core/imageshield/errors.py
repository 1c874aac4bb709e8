"""The one error type of the image shield.

Callers (chat, CLI, web) map ``code`` to friendly, translated text; ``params`` carries the
numbers that text needs (sizes, limits). The message is for developers and logs only.
"""

from __future__ import annotations

from typing import Any, Literal

RejectCode = Literal[
    "too_large", "not_image", "truncated", "too_many_pixels", "animated", "empty",
    "bad_level", "bad_format", "too_small", "too_thin", "bad_seed", "too_big_for_webp",
]


class ImageRejected(Exception):
    """Input the shield will not process, with a machine-readable reason."""

    def __init__(self, code: RejectCode, message: str, **params: Any) -> None:
        super().__init__(f"{code}: {message}")
        self.code: RejectCode = code
        self.params: dict[str, Any] = dict(params)
