"""What the posting service hands out: a job and its targets as plain frozen values
(no ORM rows leave the service's session), what a caller asks per subreddit, and the
snapshot of a claimed target that the engine runs (`Claimed`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.reddit.types import PostRequest


@dataclass(frozen=True)
class TargetSpec:
    """One subreddit of a job, with what may differ per subreddit."""

    subreddit: str
    title: str
    flair_id: str | None = None
    flair_text: str | None = None


@dataclass(frozen=True)
class TargetView:
    id: int
    subreddit: str
    title: str
    due_at: datetime
    state: str
    permalink: str | None
    error: str | None


@dataclass(frozen=True)
class JobView:
    id: int
    user_id: int
    account_id: int
    kind: str
    created_at: datetime
    targets: tuple[TargetView, ...]
    spaced: bool = False  # the same photo was spread out over several days

    @property
    def due_at(self) -> datetime:
        return min(t.due_at for t in self.targets)


@dataclass(frozen=True)
class Claimed:
    """A snapshot of a claimed target and its job (read in the claim's transaction)."""

    target_id: int
    token: str
    job_id: int
    user_id: int
    account_id: int
    request: PostRequest  # without image bytes (those are read from the store)
    media: tuple[tuple[str, str, str], ...]  # (sha256, filename, caption)
    content_key: str | None
    attempts: int
    attempted_at: datetime | None
    first_attempted_at: datetime | None
    due_at: datetime
