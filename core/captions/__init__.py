"""Caption engine: titles and captions for Reddit, X, Instagram and promo bios.

Public API (import from here):
- `CaptionService` (on `Core.captions`): `generate`, `get_option`, `use_option`,
  `usage`, `get_voice`/`set_voice`/`update_voice`, `clean_link`, `example`, `check`.
- `get_option(session, option_id, user_id)` for other flows (posting).
- `fit_title(title, TitleRules)` to fit any title to a subreddit's rules.
- `CaptionBrief`, `CaptionOption`, `CaptionBatch`, `Platform`, `PromoMode`, `Length`,
  `Voice`, `CaptionRefused`.
"""

from core.captions.fitting import TitleRules, fit_title
from core.captions.service import CaptionRefused, CaptionService, Usage, get_option
from core.captions.types import (
    CaptionBatch,
    CaptionBrief,
    CaptionOption,
    Length,
    Platform,
    PromoMode,
    Voice,
)

__all__ = [
    "CaptionBatch",
    "CaptionBrief",
    "CaptionOption",
    "CaptionRefused",
    "CaptionService",
    "Length",
    "Platform",
    "PromoMode",
    "TitleRules",
    "Usage",
    "Voice",
    "fit_title",
    "get_option",
]
