"""Words each tone and persona writes with, slotted into the style templates.

Phrases may use {subject}, {outfit_np}, {setting}, {where}, {when} and {adj}; a phrase is
only picked when the scene has every part it names, so "in {outfit_np}" never appears
when the creator did not mention an outfit.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Lexicon:
    adj: tuple[str, ...] = ()
    feel: tuple[str, ...] = ()
    opener: tuple[str, ...] = ()
    ask: tuple[str, ...] = ()
    tease: tuple[str, ...] = ()
    turn: tuple[str, ...] = ()
    close: tuple[str, ...] = ()
    body: tuple[str, ...] = ()
    emoji: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    def merged(self, other: Lexicon) -> Lexicon:
        return Lexicon(
            **{name: getattr(self, name) + getattr(other, name) for name in _FIELDS}
        )


_FIELDS = ("adj", "feel", "opener", "ask", "tease", "turn", "close", "body", "emoji", "tags")

TONES = MappingProxyType({
    "flirty": Lexicon(
        adj=("distracting", "dangerous", "irresistible", "a little too cute", "kissable",
             "tempting", "hard to ignore", "date-night ready"),
        feel=("feeling flirty", "feeling a little dangerous", "feeling cute, might wink later",
              "in a flirty mood", "feeling like trouble"),
        opener=("Psst", "Hey you", "Caught you looking", "Don't stare too long",
                "Okay, be honest", "Hi, it's me again"),
        ask=("Would you ask me out if you saw me in {outfit_np}",
             "Do I look {adj} in {outfit_np}", "Would you save me a seat {setting}",
             "Be honest, is {subject} too {adj}", "Could {subject} get me a second date",
             "Would you stop scrolling for {subject}", "Think I could steal your attention"),
        tease=("I might let you see a little more", "there's a wink coming, I promise",
               "you'd want to be here for this", "I saved my best smile for you",
               "my best angle is the one you haven't seen yet"),
        turn=("I caught someone staring and honestly, fair",
              "the sky wasn't the only thing turning heads",
              "I ended up blushing at my own camera roll",
              "I forgot what I came for the second I saw the mirror"),
        close=("Your move 😉", "Say hi, I don't bite.", "Tell me I'm wrong.",
               "Come say hello.", "Wink if you like it.", "Would you?"),
        body=("I almost didn't post this one, but you deserve a treat.",
              "Tell me your favourite detail and I'll tell you mine.",
              "Consider this your sign to slide into my comments."),
        emoji=("😉", "😘", "💋", "🔥", "😏"),
        tags=("flirty", "datenight"),
    ),
    "playful": Lexicon(
        adj=("cute", "fun", "cheeky", "sunny", "bouncy", "adorable", "silly", "sparkly"),
        feel=("feeling cute", "in a silly mood", "feeling extra cheeky",
              "buzzing with good vibes", "feeling like a snack"),
        opener=("Guess what", "Plot twist", "Hehe", "Surprise", "Okay hear me out",
                "Fun fact"),
        ask=("Rate {subject} from 1 to 10", "Is {subject} cute or am I biased",
             "Guess how many tries this took", "Would you twirl with me {setting}",
             "Cute or too much", "Do I pass the vibe check {setting}"),
        tease=("spoiler: I did a little spin", "the bloopers were even better",
               "I couldn't stop giggling", "there's a happy dance you didn't see"),
        turn=("I did a twirl and almost fell over", "someone's dog photobombed take two",
              "I giggled through the whole shoot", "a stranger gave me a thumbs up"),
        close=("Be nice, it's my first time posting this!", "Hehe, hi!",
               "Vibe check passed?", "Smile if you made it this far.", "Okay bye 🙈"),
        body=("Took about forty tries and one tiny dance break.",
              "Comment your favourite emoji and I'll guess your mood.",
              "Today's forecast: 100% chance of cute."),
        emoji=("✨", "🙈", "💖", "🌸", "😜", "🎀"),
        tags=("cute", "goodvibes"),
    ),
    "mysterious": Lexicon(
        adj=("quiet", "dark", "hard to read", "secretive", "intriguing", "moody",
             "unreadable", "haunting"),
        feel=("feeling like a secret", "keeping a few secrets",
              "somewhere between here and elsewhere", "lost in thought"),
        opener=("No caption needed", "Some things are better unsaid", "Shh",
                "Only the lucky ones notice", "Between you and me"),
        ask=("Can you guess what I'm thinking {setting}", "Would you follow me {setting}",
             "Do you want to know the secret behind {subject}", "Can you keep a secret",
             "What would you whisper to me {setting}"),
        tease=("the rest stays between us", "some stories are told in the dark",
               "you'll have to earn the next chapter", "I never show everything at once"),
        turn=("nobody saw me leave", "I kept the best part to myself",
              "the light did most of the talking", "I left before anyone asked my name"),
        close=("Read between the lines.", "You'll see.", "Ask me later.",
               "Maybe I'll tell you.", "Guess."),
        body=("I'll let the picture do the talking this time.",
              "Some details are only for the ones who look twice.",
              "The story behind this one is a secret, for now."),
        emoji=("🖤", "🌙", "🕯️", "🥀", "🌑"),
        tags=("moody", "darkaesthetic"),
    ),
    "confident": Lexicon(
        adj=("unstoppable", "iconic", "effortless", "bold", "main-character",
             "untouchable", "radiant", "fearless"),
        feel=("feeling like the main character", "feeling myself today",
              "in my element", "owning every second", "feeling unstoppable"),
        opener=("No notes", "Obviously", "Main character energy", "Let's be clear",
                "Not sorry", "Told you"),
        ask=("Who else owns {subject} like this", "Did you really think I'd play it safe",
             "Who wore it better {setting}", "Need I say more"),
        tease=("this is just the warm-up", "I only get better from here",
               "the best is still coming", "you haven't seen my best look yet"),
        turn=("I walked in like I owned the place, and I did",
              "every head turned and I didn't mind",
              "I didn't need a second take", "the camera simply agreed with me"),
        close=("You're welcome.", "Take notes.", "That's the post.", "Period.",
               "Confidence looks good on me."),
        body=("Reminder: you're allowed to take up space.",
              "Wear what makes you feel unstoppable.",
              "I'm not here to blend in."),
        emoji=("💅", "👑", "🔥", "💫", "😎"),
        tags=("confidence", "selflove"),
    ),
    "wholesome": Lexicon(
        adj=("happy", "cozy", "sweet", "grateful", "soft", "sunny", "peaceful", "comfy"),
        feel=("feeling grateful", "happy and a little sleepy", "soaking it all in",
              "feeling soft today", "feeling at home"),
        opener=("Just a little moment", "Small joys", "Good day today", "Hi friends",
                "Simple things"),
        ask=("What made you smile today", "Isn't {subject} the sweetest",
             "Would you share a coffee with me {setting}",
             "What's your favourite little moment this week"),
        tease=("more sunshine coming soon", "I have a few more happy ones saved",
               "the next one has even better light"),
        turn=("I couldn't stop smiling the whole time", "it turned into the best day",
              "a stranger complimented me and made my week",
              "I remembered to slow down for once"),
        close=("Hope your day is lovely!", "Sending good vibes.", "Thanks for being here.",
               "Have a cozy day.", "Be kind to yourself today."),
        body=("Thank you for all the sweet comments lately, they mean so much.",
              "Tiny reminder to drink water and be gentle with yourself.",
              "Taking a second to enjoy the little things."),
        emoji=("🌻", "☀️", "💛", "🍵", "🌷"),
        tags=("happy", "grateful"),
    ),
    "bratty": Lexicon(
        adj=("spoiled", "impossible", "sassy", "high-maintenance", "a handful",
             "too cute to behave", "bratty"),
        feel=("feeling spoiled", "in a mood", "feeling bratty", "not in the mood to behave",
              "feeling a little entitled"),
        opener=("Ugh, fine", "Excuse me", "Rude", "Don't even", "Whatever", "Hmph"),
        ask=("Are you going to compliment {subject} or not",
             "Why aren't you spoiling me {setting}", "Did I say you could stop looking",
             "You're going to make me ask twice", "Can we agree {subject} is perfect"),
        tease=("maybe I'll post another if you behave", "part two is for the ones who ask nicely",
               "I'll share more when I feel like it", "good behaviour gets you part two"),
        turn=("I made them reshoot it five times and I'd do it again",
              "I demanded a better angle and got it",
              "I refused to smile until the light was perfect"),
        close=("Compliments only.", "I'll wait.", "Don't keep me waiting.",
               "Say something nice.", "Now spoil me."),
        body=("I expect at least three compliments in the comments.",
              "Yes I'm a handful. No I'm not sorry.", "Be good and I might post more."),
        emoji=("😤", "💅", "🙄", "😈", "🎀"),
        tags=("brat", "spoiled"),
    ),
    "sultry": Lexicon(
        adj=("smouldering", "velvet-soft", "slow-burning", "heated", "alluring", "sultry",
             "magnetic"),
        feel=("feeling warm", "taking it slow tonight", "in a slow-burn mood",
              "feeling magnetic", "all soft light and bad ideas"),
        opener=("Come closer", "Slowly", "Lights low", "Just us", "Stay a while"),
        ask=("Do you like {subject} {setting}", "Would you stay a little longer",
             "Can you handle {subject}", "Should I turn the lights down"),
        tease=("the rest is for later", "I like taking my time", "it only gets warmer from here",
               "you'll want to see the next one slowly"),
        turn=("the room got warmer with every shot", "I didn't want the night to end",
              "the candles burned down before I noticed"),
        close=("Stay.", "Don't rush.", "Closer.", "Later, maybe.", "Take your time."),
        body=("Some nights call for slow music and soft light.",
              "I like it when the evening takes its time.",
              "This one is for the patient ones."),
        emoji=("🕯️", "🌹", "🍷", "🖤", "💋"),
        tags=("sultry", "nightvibes"),
    ),
})

# Spicier phrases added only when the creator enabled NSFW: suggestive, never graphic.
NSFW_EXTRA = Lexicon(
    adj=("naughty", "sinful", "wicked"),
    tease=("it didn't stay on for long", "nothing underneath, by the way",
           "the next picture is a lot less dressed", "you should see what's under it",
           "guess what came off right after"),
    close=("Want to see what's underneath?", "Ask nicely for the uncensored one.",
           "The rest is on my page."),
    body=("The uncensored set is waiting for the brave ones.",
          "Full set on my page, if you can handle it."),
    tags=("nsfw", "adultcontent"),
)

PERSONAS = MappingProxyType({
    "girl_next_door": Lexicon(feel=("just your friendly neighbour",), tags=("girlnextdoor",),
                              close=("Say hi if you see me around!",)),
    "fitness": Lexicon(feel=("post-workout glow", "sore but happy"),
                       tags=("fitness", "gymlife", "fitfam"), close=("Leg day was worth it.",)),
    "gamer": Lexicon(feel=("ready for player two", "AFK for a photo"),
                     tags=("gamergirl", "gaming"), close=("GG?", "Player two wanted.")),
    "cosplayer": Lexicon(feel=("fully in character",), tags=("cosplay", "cosplayer"),
                         close=("Guess the character!",)),
    "alt": Lexicon(feel=("too alt for the algorithm",), tags=("altgirl", "alternative", "goth"),
                   close=("Stay weird.",)),
    "glam": Lexicon(feel=("full glam, no regrets",), tags=("glam", "makeup"),
                    close=("Glam is a lifestyle.",)),
    "domme": Lexicon(opener=("On your knees", "Eyes up here"), close=("Good pets say thank you.",),
                     tags=("domme", "femdom")),
    "seductress": Lexicon(feel=("in a seductive mood",), close=("Come find out.",),
                          tags=("seductive",)),
    "exhibitionist": Lexicon(feel=("feeling a little daring",),
                             close=("Should I have been more careful?",), tags=("daring",)),
})
