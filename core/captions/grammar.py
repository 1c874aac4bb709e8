"""Style skeletons for the offline generator.

Each style is a list of title templates. Tone slots ({opener}, {ask}, {tease}, {turn},
{close}, {feel}, {adj}) are filled from the tone lexicon; scene slots ({subject},
{outfit_np}, {setting}, {where}, {when}) from the creator's description. A template is
only used when the scene has every scene part it names.
"""

from __future__ import annotations

from types import MappingProxyType

STYLES = MappingProxyType({
    "question": (
        "{ask}?",
        "{ask} {setting}?",
        "{opener}… {ask}?",
        "{ask}? {close}",
        "{Subject} {setting}: {adj} or just {adj2}?",
        "Quick question: {ask}?",
        "Honest opinion: is {subject} {adj} enough?",
        "If you saw me {setting}, would you say hi?",
        "{Feel} {setting}. {Ask}?",
        "Would you notice me {where} {when}?",
    ),
    "teaser": (
        "{opener}… {subject} {setting}, and {tease}",
        "{Subject} {setting}. {Tease}.",
        "You're not ready for {subject} {setting}",
        "{Feel} in {outfit_np}, and {tease}",
        "Saving this one just for you: {subject} {setting}",
        "First look at {subject}. {Tease}…",
        "{Subject}, {setting}, {adj} energy only",
        "Only posting {subject} once, so look closely",
    ),
    "story": (
        "Put on {outfit_np} for no reason and ended up {setting}. {Turn}",
        "Told myself one quick photo {setting}. Forty shots later, {turn}",
        "Went out {setting} in {outfit_np} and {turn}",
        "The plan was a quiet day. Then {subject} happened and {turn}",
        "Found the perfect light {setting}, so of course {subject} had to come along",
        "Last time I wore {outfit_np}, {turn}",
        "I wasn't going to post this, but {turn}",
        "{Setting}, {feel}, and {turn}",
        "Spent the whole afternoon {feel}. {Turn}.",
    ),
    "one_liner": (
        "{Subject} {setting}, {adj} as ever",
        "{Feel} {setting}",
        "{Adj} {setting}",
        "{Subject} > everything else",
        "Me, {subject} and {when_bare}",
        "{Subject}. {close}",
        "{Adj}, {adj2} and {where}",
        "Just {subject} and good light",
        "{opener}. {Subject}.",
        "{Subject} hits different {when}",
    ),
    "pov": (
        "POV: you found me {setting} in {outfit_np}",
        "POV: you're my date {setting}",
        "POV: I saved {subject} just for you",
        "POV: you walked in {when} and I'm {feel}",
        "POV: you can't stop looking at {subject}",
        "POV: we're alone {where} and {tease}",
        "POV: it's {when_bare} and I'm {feel}",
        "POV: you get the first look at {subject}",
    ),
})

# Extra lines that make a caption longer (Instagram bodies, "longer" button).
BODY_BRIDGES = (
    "{Setting} is my favourite kind of moment.",
    "{Subject} has been waiting for the right day, and this was it.",
    "Still thinking about this light.",
    "Some days just deserve to be remembered.",
    "Saved this one for you.",
)

PROMO_SUBTLE = MappingProxyType({
    "reddit": ("More on my profile.", "There's more where this came from, check my profile."),
    "x": ("More on my page 🔗", "Link in bio if you want more."),
    "instagram": ("Link in bio ✨", "More in my bio link."),
    "onlyfans": ("Subscribe for the full story.", "The rest is on my page."),
    "fansly": ("Follow for the full story.", "The rest is on my page."),
})
PROMO_EXPLICIT = MappingProxyType({
    "reddit": ("Full set here: {link}", "See the rest: {link}"),
    "x": ("Full set 👉 {link}", "More here: {link}"),
    "instagram": ("Everything else is at {link} (link in bio)", "More at {link}"),
    "onlyfans": ("Join me: {link}", "Subscribe now: {link}"),
    "fansly": ("Join me: {link}", "Follow now: {link}"),
})

# Generic hashtags per platform, appended after the scene- and tone-specific ones.
PLATFORM_TAGS = MappingProxyType({
    "instagram": ("instagood", "photooftheday", "ootd", "aesthetic", "instadaily", "style",
                  "picoftheday", "mood", "vibes", "photography"),
    "x": ("selfie",),
    "onlyfans": ("onlyfans", "newcontent"),
    "fansly": ("fansly", "newcontent"),
    "reddit": (),
})
