"""The installed conversation flows. A new feature adds its flow to `feature_flows`."""

from __future__ import annotations

from bot.conversation.flow import Flow
from bot.flows.besttime import BestTimeFlow
from bot.flows.billing import BillingFlow
from bot.flows.caption import CaptionFlow
from bot.flows.connect import ConnectFlow
from bot.flows.demo import DemoFlow
from bot.flows.health import HealthFlow
from bot.flows.help import HelpFlow
from bot.flows.ideas import IdeasFlow
from bot.flows.inbox import InboxFlow
from bot.flows.link import LinkFlow
from bot.flows.onboarding import OnboardingFlow
from bot.flows.post import PostFlow
from bot.flows.privacy import privacy_flows
from bot.flows.protect import ProtectFlow
from bot.flows.queue import QueueFlow
from bot.flows.referral import ReferralFlow
from bot.flows.settings import SettingsFlow
from bot.flows.stats import StatsFlow
from bot.flows.support import SupportDeskFlow, SupportFlow, TermsFlow
from bot.flows.tutorial import TutorialFlow
from bot.flows.voice import VoiceFlow
from bot.flows.web import WebFlow


def feature_flows() -> list[Flow]:
    """Feature flows in menu and /help order."""
    return [CaptionFlow(), VoiceFlow(), ProtectFlow(), PostFlow(), QueueFlow(), ConnectFlow(),
            LinkFlow(), SettingsFlow(), WebFlow()]


def build_flows() -> list[Flow]:
    features = feature_flows()
    start = OnboardingFlow(menu=features)
    guides: list[Flow] = [DemoFlow(start), TutorialFlow(), HealthFlow(),  # /help lists them
                          BestTimeFlow(), StatsFlow(), IdeasFlow()]
    help_flow = HelpFlow(start, [*features, *guides, *support_flows()])
    return [start, help_flow, InboxFlow(features), *features, BillingFlow(), ReferralFlow(),
            *guides, *support_flows(), SupportDeskFlow()]


def support_flows() -> list[Flow]:
    """/support and /terms: listed by /help, not in the menu (/reply is the team's);
    /export, /deleteaccount and /restore (data rights) with them."""
    return [SupportFlow(), TermsFlow(), *privacy_flows()]
