"""/tutorial: a guided first post (caption, protect, rule check, schedule)."""

from bot.flows.tutorial.flow import TutorialFlow

__all__ = ["TutorialFlow"]
