"""Imports every module that defines tables so `Base.metadata` is complete.

Alembic's env and the schema check read metadata through `all_metadata()`; a feature
that adds tables adds its models module here.
"""

from __future__ import annotations

import importlib

from sqlalchemy import MetaData

from core.db.base import Base

MODEL_MODULES: tuple[str, ...] = ("core.db.models", "core.reddit.models", "core.captions.models",
                                  "core.posting.models", "core.auth.models", "core.inbox.models",
                                  "core.communities", "core.billing.models",
                                  "core.analytics.models",
                                  "core.experiments.models", "core.onboarding.models",
                                  "core.support.models",
                                  "core.push.models",
                                  "core.referrals.models", "core.billing.payg.models",
                                  "core.outcomes.models", "core.privacy.models",)


def all_metadata() -> MetaData:
    for name in MODEL_MODULES:
        importlib.import_module(name)
    return Base.metadata
