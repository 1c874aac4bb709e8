"""Getting started: the 4-step wizard behind /start (new creators) and /setup."""

from bot.flows.onboarding.flow import OnboardingFlow

__all__ = ["OnboardingFlow"]
