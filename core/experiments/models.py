"""Experiment exposures: who saw which variant, and whether they converted since.

One row per (experiment, user), inserted the first time the variant is shown (ON
CONFLICT DO NOTHING: showing it again records nothing). A conversion fills
`converted_at` once, on the user's first payment after exposure.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base


class ExperimentExposure(Base):
    __tablename__ = "experiment_exposures"
    __table_args__ = (Index("ix_experiment_exposures_user", "user_id"),)

    experiment: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    variant: Mapped[str] = mapped_column(String(64))
    exposed_at: Mapped[datetime]
    converted_at: Mapped[datetime | None]
    conversion_ref: Mapped[str | None] = mapped_column(String(160))  # the payment's ref
