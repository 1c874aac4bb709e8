"""What a creator told us while getting started: the terms and 18+ confirmations they
gave (with version and time, for the record), and the profile the wizard fills in
(niche, preferred style) beside the caption voice."""

from core.onboarding.models import Consent, CreatorProfile
from core.onboarding.service import (
    ADULT,
    TERMS,
    TERMS_VERSION,
    Onboarding,
    Profile,
    legal_links,
)

__all__ = ["ADULT", "TERMS", "TERMS_VERSION", "Consent", "CreatorProfile", "Onboarding",
           "Profile", "legal_links"]
