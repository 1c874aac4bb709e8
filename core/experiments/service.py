"""`Experiments`: the variant a user sees, exposures and conversions, and the report.

An inactive (or unknown) experiment shows its control and records nothing. Exposure is
stored the first time a variant is shown; conversion (`convert`) is called from the
payment-granted path and marks every experiment the payer was exposed to, once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.db.upsert import insert_for
from core.experiments.assign import variant_for
from core.experiments.config import ExperimentSettings
from core.experiments.models import ExperimentExposure
from core.experiments.stats import Comparison, compare

CONTROL = "control"


@dataclass(frozen=True)
class VariantResult:
    name: str
    weight: float
    exposures: int
    conversions: int
    vs_control: Comparison | None  # None for the control itself, or while empty

    @property
    def rate(self) -> float | None:
        return self.conversions / self.exposures if self.exposures else None


@dataclass(frozen=True)
class Report:
    experiment: str
    description: str
    active: bool
    control: str
    variants: tuple[VariantResult, ...]


class Experiments:
    def __init__(self, config: Mapping[str, ExperimentSettings], clock: Clock) -> None:
        self.config = dict(config)
        self._clock = clock

    def variant(self, name: str, user_id: int) -> str:
        """The variant `user_id` sees in `name` now (control while inactive)."""
        spec = self.config.get(name)
        if spec is None:
            return CONTROL
        if not spec.active:
            return spec.control
        return variant_for(name, user_id, spec.variants)

    async def expose(self, session: AsyncSession, user_id: int, name: str) -> str:
        """Show `name` to `user_id`: its variant, with the exposure stored once.

        A user exposed before keeps the variant stored then (if the weights changed
        since, what they see still matches what the report counts)."""
        spec = self.config.get(name)
        if spec is None or not spec.active:
            return self.variant(name, user_id)
        insert = insert_for(session)
        shown = await session.scalar(insert(ExperimentExposure).values(
            experiment=name, user_id=user_id, variant=self.variant(name, user_id),
            exposed_at=self._clock.now(),
        ).on_conflict_do_nothing(index_elements=["experiment", "user_id"])
            .returning(ExperimentExposure.variant))
        if shown is None:
            shown = await session.scalar(select(ExperimentExposure.variant).where(
                ExperimentExposure.experiment == name, ExperimentExposure.user_id == user_id))
        return str(shown)

    async def report(self, session: AsyncSession, name: str) -> Report | None:
        spec = self.config.get(name)
        if spec is None:
            return None
        counted = {row.variant: (int(row.n), int(row.c)) for row in await session.execute(
            select(ExperimentExposure.variant, func.count().label("n"),
                   func.count(ExperimentExposure.converted_at).label("c"))
            .where(ExperimentExposure.experiment == name)
            .group_by(ExperimentExposure.variant))}
        names = list(spec.variants) + sorted(set(counted) - set(spec.variants))
        base_n, base_c = counted.get(spec.control, (0, 0))
        results = []
        for variant in names:
            n, c = counted.get(variant, (0, 0))
            versus = None if variant == spec.control else compare(base_c, base_n, c, n)
            results.append(VariantResult(variant, spec.variants.get(variant, 0.0), n, c,
                                         versus))
        return Report(name, spec.description, spec.active, spec.control, tuple(results))

    async def reports(self, session: AsyncSession) -> list[Report]:
        found = [await self.report(session, name) for name in self.config]
        return [r for r in found if r is not None]


async def convert(session: AsyncSession, now: datetime, user_id: int, ref: str) -> int:
    """The user paid: every exposure of theirs not yet converted converts now, once.

    Returns how many experiments counted the conversion (0 when never exposed, or when
    an earlier payment already converted them)."""
    result = await session.execute(
        update(ExperimentExposure)
        .where(ExperimentExposure.user_id == user_id,
               ExperimentExposure.converted_at.is_(None),
               ExperimentExposure.exposed_at <= now)
        .values(converted_at=now, conversion_ref=ref[:160])
        .execution_options(synchronize_session=False))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
