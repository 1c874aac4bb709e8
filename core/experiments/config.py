"""The `[experiments.<name>]` settings: variants with weights, and whether it runs.

Lives beside the experiment code (core/settings.py only mounts it). The first variant
is the control: it is what everyone sees while an experiment is inactive, and what the
report compares every other variant with.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field, field_validator

UPGRADE_PROMPT = "upgrade_prompt"


class ExperimentSettings(BaseModel):
    model_config = {"extra": "forbid"}

    active: bool = True
    # variant name -> weight (relative; they need not sum to anything). First = control.
    variants: dict[str, float] = Field(min_length=1)
    description: str = ""

    @field_validator("variants")
    @classmethod
    def _positive_weights(cls, value: dict[str, float]) -> dict[str, float]:
        for name, weight in value.items():
            if not name or not name.replace("_", "").isalnum():
                raise ValueError(f"variant name {name!r} must be letters, digits or _")
            if weight <= 0:
                raise ValueError(f"variant {name!r} needs a weight above 0")
        return value

    @property
    def control(self) -> str:
        return next(iter(self.variants))


DEFAULT_EXPERIMENTS: dict[str, dict[str, Any]] = {
    UPGRADE_PROMPT: {
        "active": True,
        "variants": {"control": 1.0, "gain": 1.0, "momentum": 1.0},
        "description": "Wording of the prompt shown when a creator hits a plan limit.",
    },
}


def default_experiments() -> dict[str, ExperimentSettings]:
    return {k: ExperimentSettings(**v) for k, v in DEFAULT_EXPERIMENTS.items()}


def _merge_defaults(value: Any) -> Any:
    """A known experiment given partly (e.g. only `active = false`) keeps its defaults."""
    if not isinstance(value, dict):
        return value
    merged = dict(value)
    for name, default in DEFAULT_EXPERIMENTS.items():
        given = merged.get(name, {})
        if isinstance(given, ExperimentSettings):
            given = given.model_dump(exclude_unset=True)
        merged[name] = {**default, **dict(given)}
    return merged


# How core/settings.py mounts the section: `experiments: ExperimentsConfig`.
ExperimentsConfig = Annotated[dict[str, ExperimentSettings], BeforeValidator(_merge_defaults)]
