"""Defensive reading of model output. Models wrap JSON in code fences, add chatter,
truncate mid-object, return bare lists, or simply refuse; none of that may reach a
creator raw. What can be repaired is; what cannot yields no options.
"""

from __future__ import annotations

import json
import re
from typing import Any

from core.captions.types import DraftOption

_FENCE = re.compile(r"```(?:json|JSON)?\s*(.*?)```", re.DOTALL)
_NUMBERING = re.compile(r"^\s*(?:[-*•]|\d+[.)]|option\s*\d+\s*[:.-])\s*", re.IGNORECASE)
_REFUSAL = re.compile(
    r"\b(?:i\s*(?:can(?:no|')t|cannot|won't|will not|am (?:not able|unable)|'m (?:not able|"
    r"unable|sorry))|sorry,? (?:but )?i|as an ai|against (?:my|our|the) (?:guidelines|"
    r"policies|content policy)|content policy|not able to (?:help|assist|create|write))",
    re.IGNORECASE,
)
_CHATTER = re.compile(r"^(?:here (?:are|is)|sure|certainly|of course|okay|note:)", re.IGNORECASE)
_JSON_KEY = re.compile(r'^"?[\w ]+"?\s*:\s*["\[{\d]')
_MAX_RAW_TITLE = 600
_TITLE_KEYS = ("title", "caption", "text", "headline", "hook")
_BODY_KEYS = ("body", "caption_body", "description", "text_body")


def looks_like_refusal(text: str) -> bool:
    head = text.strip()[:400]
    return bool(head) and not head.lstrip().startswith(("{", "[")) and bool(_REFUSAL.search(head))


def _clean(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    text = _NUMBERING.sub("", value.strip())
    text = text.replace("**", "").replace("__", "").strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'“”":
        text = text[1:-1].strip()
    return " ".join(text.split())[:_MAX_RAW_TITLE]


def _tags(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = re.findall(r"#?([\w]+)", value)
    if not isinstance(value, list):
        return ()
    tags = [str(t).strip().lstrip("#").replace(" ", "") for t in value if isinstance(t, str | int)]
    return tuple(dict.fromkeys(t for t in tags if t))[:30]


def _option(item: Any) -> DraftOption | None:
    if isinstance(item, str):
        title = _clean(item)
        return DraftOption(title) if title else None
    if not isinstance(item, dict):
        return None
    title = next((_clean(item[k]) for k in _TITLE_KEYS if _clean(item.get(k))), "")
    if not title:
        return None
    body = next((_clean(item[k]) for k in _BODY_KEYS if _clean(item.get(k))), "")
    body = "" if body == title else body
    return DraftOption(title, body or None, _tags(item.get("hashtags") or item.get("tags")))


def _items(data: Any) -> list[Any]:
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key in ("options", "captions", "titles", "results", "items", "data"):
            if isinstance(data.get(key), list):
                return data[key]
        if any(k in data for k in _TITLE_KEYS):
            return [data]
    return []


def _json_candidates(text: str) -> list[Any]:
    found: list[Any] = []
    blocks = _FENCE.findall(text) or [text]
    decoder = json.JSONDecoder()
    for block in blocks:
        for start, ch in enumerate(block):
            if ch not in "[{":
                continue
            try:
                value, _ = decoder.raw_decode(block, start)
            except json.JSONDecodeError:
                continue
            found.append(value)
            break
    return found


def _salvage_objects(text: str) -> list[Any]:
    """Truncated JSON: keep every complete {...} object that has a title."""
    out = []
    for chunk in re.findall(r"\{[^{}]*\}", text):
        try:
            out.append(json.loads(chunk))
        except json.JSONDecodeError:
            continue
    return out


def _lines(text: str) -> list[Any]:
    lines = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("{", "}", "[", "]", "```", '"options"')):
            continue
        if _CHATTER.match(line) or line.endswith(":") or len(line) < 3 or _JSON_KEY.match(line):
            continue
        lines.append(line)
    return lines


def parse_options(text: str) -> list[DraftOption]:
    """Every usable option in `text`, in order, de-duplicated. Possibly empty."""
    items: list[Any] = []
    for candidate in _json_candidates(text):
        items = _items(candidate)
        if items:
            break
    if not items:
        items = _salvage_objects(text)
    if not items and not looks_like_refusal(text):
        items = _lines(text)
    seen: set[str] = set()
    options = []
    for item in items:
        option = _option(item)
        if option and option.title.lower() not in seen:
            seen.add(option.title.lower())
            options.append(option)
    return options
