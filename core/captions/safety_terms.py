"""What the safety gate refuses, as data.

Terms are plain words matched on normalised text: each letter may repeat ("teeeen"),
spaces may vanish ("underage" / "under age"), and simple suffixes are allowed. A
trailing `*` lets a term start a compound ("teenporn"). `re:` entries are raw regular
expressions. `ALWAYS` terms are refused anywhere; `IN_SEXUAL_CONTEXT` terms only when
the request is NSFW or the text also contains a sexual term (so "walking my dog" and
"my sister's wedding" pass, but not next to "nude").
"""

from __future__ import annotations

from types import MappingProxyType

MINORS_ALWAYS = (
    "underage*", "under age", "under aged", "under 18", "under eighteen", "preteen*",
    "pre teen*", "tween", "tweens", r"re:(?<![a-z])t+e+e+n+(?!y|ie|sy)", "jailbait*",
    "jail bait", r"re:(?<![a-z])l+o+l+i+(?!p|t|e)",
    "lolicon", "shota", "shotacon", "child porn", "kiddie porn", "kiddy porn",
    r"re:(?<![a-z])p+a?e+d+o+(?!m)", "barely legal", "barely 18", "barely eighteen",
    "just turned 18", "just turned eighteen", "fresh 18", "schoolgirl*", "school girl*",
    "schoolboy*", "school boy*", "school uniform", "high school", "highschool", "middle school",
    "junior high", "elementary school", "grade school", "kindergarten", "ageplay", "age play",
    "ddlg", "little girl", "little boy", "young girl", "young boy",
    "prepubescent", "pubescent", "daddy's little girl", "daddys little girl",
    # claims of being under 18, in several languages
    "almost 18", "almost eighteen", "nearly 18", "nearly eighteen", "not 18 yet",
    "not yet 18", "not eighteen yet", "soon to be 18", "almost legal", "nearly legal",
    "not legal yet", "legal next year", "when i turn 18", "till i turn 18", "until i turn 18",
    "still a minor", "minderjahrig", "minderjaehrig", "minorenne", "menor de edad",
    "menores de edad", "menor de idade", "minderjarig", "nastolatka", "colegiala",
    "younger than 18", "younger than eighteen", "below 18", "below eighteen",
    "not quite legal", "not quite 18", "lil girl", "lil boy", "yung girl", "yung boy",
    # "schoolkid", "skoolgirl", "schoolgurl" ("sk00lgirl" reads "skoolgirl")
    r"re:s+(?:c+h+|c+k+|k+|c+)o+l+\s*(?:g+[iue]+r+l+|b+o+y+|k+i+d+)",
    "jovencit*", "schulmadchen*", "schulmaedchen*", "ecoliere*", "ragazzin*",
)
# Minors in scripts the Latin folding leaves alone; matched on the case-folded text
# ("ロリ" but not "カロリー" calorie or "フロリダ" Florida).
MINORS_NON_LATIN = (
    "школьниц", "школьник", "малолетк", "несовершеннолет", "女子高生", "女子中学生",
    "小学生", "中学生", "未成年", "幼女", "ロリコン", "(?<![カフグ])ロリ(?!ダ)",
)
MINORS_IN_CONTEXT = (
    "child", "children", "kid", "kids", "kiddo", "daughter", "classroom",
    r"re:(?<![a-z])s+on+s?(?![a-z])",  # one "o": "coming soon" is not "son"
    # a student, unless clearly an adult one ("college student", "grad student")
    r"re:(?<!college )(?<!uni )(?<!university )(?<!grad )(?<!graduate )(?<!nursing )"
    r"(?<!law )(?<!med )(?<!medical )(?<!phd )(?<!mature )(?<![a-z])s+t+u+d+e+n+t+s?(?![a-z])",
    "homeroom", "lolita", "babysitter", "minor", "minors", "infant", "toddler", "puberty",
    "very young", "so young", "too young for this", "too young for you",
    "petite young", "young looking", "looks young", "looks younger",
)
NON_CONSENT_ALWAYS = (
    # "rapping" (music) is not "raping"
    r"re:(?<![a-z])r+a+(?:p+(?:e+|e+d|e+s|i+s+t)|pi+n+g)(?![a-z])", "non con", "noncon",
    "non consent", "nonconsent", "non consensual", "nonconsensual", "without consent",
    "without her consent", "without his consent", "against her will", "against his will",
    "against their will", "against my will", "date rape", "roofie", "roofied", "drugged",
    "hidden camera", "hidden cam", "spy cam", "spycam", "upskirt", "creepshot", "creep shot",
    "revenge porn", "sleep sex", "secretly filmed", "secretly filming", "secretly recorded",
    "secretly recording", "being filmed without", "unaware shes being filmed",
    "unaware hes being filmed", "doesnt know shes being filmed", "without her knowledge",
    "without his knowledge", "without their knowledge", "without my knowledge",
    "hid a camera", "hide a camera", "hidden a camera", "hiding a camera", "somnophilia",
    "chloroform*", "vergewaltig*",
)
NON_CONSENT_IN_CONTEXT = (
    "forced", "force her", "force him", "forcing", "passed out", "unconscious", "asleep",
    "sleeping", "blackmail", "blackmailed", "coerced", "coerce", "too drunk", "blackout drunk",
    "drunk", "intoxicated",
    "leaked", "leak", "she said no", "he said no", "can't say no", "cant say no", "helpless",
    "while she sleeps", "while he sleeps", "while shes asleep", "while hes asleep",
    "while she was asleep", "while she was sleeping", "voyeur*", "sedated", "begged me to stop",
    "begging me to stop", "begged him to stop", "begged her to stop", "violacion", "violada",
    "violar",
)
INCEST_ALWAYS = ("incest*", "incestuous", "family sex", "family fun time", "taboo family")
INCEST_IN_CONTEXT = (
    r"re:(?<![a-z])s+t+e+p+\s*(?:bro|brother|sis|sister|son|daughter|dad|father|mom|mother|mum|"
    r"fam|family|cousin)",
    "brother", "sister", "sis",
    # ... but "mom of 2" and "dad of three" describe the creator, not a partner
    r"re:(?<![a-z])m+o+m+s?(?![a-z])(?!\s*(?:bod|jeans|of\s*(?:[1-9]|one|two|three|four|five)"
    r"(?![0-9a-z])))",
    r"re:(?<![a-z])d+a+d+s?(?![a-z])(?!\s*(?:bods?|of\s*(?:[1-9]|one|two|three|four|five)"
    r"(?![0-9a-z])))", "mother", "mum", "father", "cousin", "aunt",
    "uncle", "niece", "nephew", "grandpa", "grandma", "grandfather", "grandmother", "sibling",
    "siblings", "twin sister", "twin brother", "in law",
)
BESTIALITY_ALWAYS = (
    "bestiality", "beastiality", "zoophilia", "zoophile", "zoophilic", "zoo sex", "zoosex",
    "animal sex", "sex with animals", "sex with a dog", "sex with my dog", "k9 sex",
)
BESTIALITY_IN_CONTEXT = (
    r"re:(?<!hot )(?<![a-z])d+o+g+s?(?![a-z])", "horse", "horses", "goat", "sheep", "donkey",
    "canine", "k9", r"re:(?<!party )(?<![a-z])a+n+i+m+a+l+s?(?![a-z])", "stallion", "livestock",
)
REAL_PEOPLE_ALWAYS = (
    "deepfake", "deep fake", "faceswap", "face swap", "celebrity nude", "celebrity nudes",
    "celeb nude", "celeb nudes", "fake nudes", "leaked celebrity", "celebrity sex tape",
)
REAL_PEOPLE_IN_CONTEXT = (
    "celebrity", "celebrities", "celeb", "celebs", "famous", "lookalike", "look alike",
    "my ex", "my boss", "my coworker", "my co worker", "my teacher", "my professor",
    "my neighbor", "my neighbour", "my classmate", "my friend's", "my best friend's",
    "my roommate", "my landlord", "politician", "pop star", "popstar", "doppelganger",
    "my colleague", "my colleagues",
    # someone the creator knows, not a consenting partner ("a girl from my gym")
    r"re:(?<![a-z])(?:girl|guy|woman|man|lady|chick|dude|wife|husband|mom|dad)s?\s*(?:from|at)"
    r"\s*(?:my\s*)?(?:gym|work|office|job|church|building|class)(?![a-z])",
    "taylor swift", "billie eilish", "ariana grande", "emma watson", "scarlet johanson",
    "scarlett johansen", "mia khalifa", "olivia dunne", "livvy dunne", "aoc", "kardashian",
    "kim kardashian", "kylie jenner", "kendall jenner", "selena gomez", "margot robbie",
    "zendaya", "sydney sweeney", "megan fox", "jennifer lawrence", "gal gadot", "beyonce",
    "rihanna", "dua lipa", "olivia rodrigo", "jenna ortega", "millie bobby brown",
    "natalie portman", "angelina jolie", "emma stone", "anne hathaway", "addison rae",
    "charli damelio", "pokimane", "belle delphine", "elon musk", "donald trump", "trump",
    "joe biden", "kamala harris", "barack obama", "justin bieber", "hailey bieber",
    "harry styles", "timothee chalamet", "tom holland", "chris hemsworth", "ryan gosling",
    "brad pitt", "keanu reeves", "lady gaga", "miley cyrus", "nicki minaj", "cardi b",
    "doja cat", "sabrina carpenter", "anya taylor joy", "florence pugh", "jennifer aniston",
    "gigi hadid", "bella hadid", "emily ratajkowski", "shakira", "jennifer lopez",
    "katy perry", "ana de armas", "alexandra daddario", "elizabeth olsen", "salma hayek",
    "kate middleton", "meghan markle", "ocasio cortez", "greta thunberg", "pedro pascal",
    "henry cavill", "jason momoa", "zac efron", "dwayne johnson", "mrbeast",
    "kai cenat", "ice spice", "megan thee stallion", "madison beer", "lana del rey",
    "kim jong", "putin", "princess diana", "emma myers", "jojo siwa", "lizzo", "adele",
)
SEXUAL = (
    "nude*", "naked", "nsfw", "sex", "sexy", "sexual*", "lewd*", "horny", "topless",
    "bottomless", "boob*", "tits", "titties", "nipple*", "pussy", "cock", "cocks", "dick",
    "dicks", "cum", "cumming", "cumshot", "orgasm*", "fuck*", "blowjob*", "bj", "anal",
    "porn*", "xxx", "stripper", "stripping", "striptease", "undress*", "lingerie", "seduc*",
    "kink*", "fetish*", "bdsm", "erotic*", "explicit", "onlyfans", "fansly", "uncensored",
    "booty", "thong", "panties", "squirt*", "masturbat*", "dildo", "vibrator", "threesome",
    "hookup", "hook up", "desnud*", "nackt*",
)
# Body-focused words: next to an under-18 cue (`core.captions.age`) they are refused like
# sexual words are ("10th grade, bikini pics"); on their own they are ordinary.
BODY_FOCUS = (
    "bikini*", "swimsuit*", "swimwear", "swim suit", "bathing suit", "bra", "bralette*",
    "underwear", "undies", "panty", "knickers", "body", "bod", "bodies", "curves", "curvy",
    "cleavage", "legs", "thigh*", "feet", r"re:(?<![a-z])butt(?:s|ocks)?(?![a-z])", "ass",
    "bum", "hips", "chest", "abs", "thirst trap*", "thirsty", "hot", "hottie*", "spicy",
    "naughty", "flirty", "tease", "teasing", "crop top*", "mini skirt*", "miniskirt*",
    "short shorts", "tight", "see through", "sheer", "wet", "shower*", "bath", "bathtub",
    "in bed", "bedroom", "rate me", "rate my", "smash or pass", "dm me", "dms open",
    "snap me", "send pics", "tan lines", "skimpy", "revealing", "low cut", "bend over",
    "kiss*", "make out", "making out",
    # what the flirty, sultry and bratty tones write ("feeling like trouble", "slide into
    # my DMs"): next to an age cue they read as flirting with a minor
    "slide into", "my dms", "feeling like trouble", "gets warmer", "wink", "kissable",
    "date night", "second date", "ask me out", "irresistible", "tempting", "smoulder*",
    "sultry", "alluring", "bad ideas", "lights down", "lights low", "come closer",
    "spoil me", "spoiling me", "behave", "good behaviour", "good behavior", "flirt*",
)
# Words that make a caption explicit; SFW output must not contain them.
EXPLICIT = (
    "nude*", "naked", "nsfw", "sex", "sexual*", "lewd*", "horny", "topless", "bottomless",
    "tits", "titties", "nipple*", "pussy", "cock", "cocks", "dick", "dicks", "cum", "cumming",
    "orgasm*", "fuck*", "blowjob*", "anal", "porn*", "xxx", "masturbat*", "dildo",
    "uncensored", "squirt*", "adultcontent",
)

# Words a masked word ("r*pe", "t*en") may stand for besides the listed terms: the
# words behind the `re:` entries.
MASKABLE = ("rape", "raped", "rapes", "raping", "rapist", "teen", "teens", "loli", "pedo",
            "paedo", "pedophile", "student", "step", "mom", "dad", "dog", "animal", "butt",
            "schoolkid", "skoolgirl")

# Tones and personas that flirt: an under-18 cue in a request written in one of them is
# refused as if it stood next to a sexual word ("sweet sixteen dress", tone sultry).
SUGGESTIVE_TONES = frozenset({"flirty", "sultry", "bratty"})
SUGGESTIVE_PERSONAS = frozenset({"domme", "seductress", "exhibitionist"})

# Hashtag-style compounds ("sexyteen", "#naughtyschoolgirl", "mystepsis"): these terms
# are also looked for inside words, once the words below that contain them innocently
# are set aside ("canteen", "thirteen", "grape", "therapist", "trumpet").
COMPOUND_ALWAYS = MappingProxyType({
    "minors": (
        r"t+e+e+n+(?!y|ie|sy)", r"l+o+l+i+(?!p|t|e|n|v|u)", "underage", "preteen", "jailbait",
        "lolicon", "shotacon", "childporn", "kiddieporn", "barelylegal", "barely18",
        "justturned18", "schoolgirl", "schoolboy", "littlegirl", "littleboy", "lilgirl",
        "younggirl", "younggirls", "yunggirl", "ageplay", "ddlg", "notquitelegal",
        "almostlegal", "jovencit", "colegiala", r"s+(?:c+h+|c+k+|k+)o+l+(?:g+[iue]+r+l+|k+i+d+)",
    ),
    "non_consent": (
        # one "p" inside a word: "trapped", "wrapped", "frappe"
        r"r+a+p(?:e+|e+d|i+n+g|i+s+t)", "noncon", "nonconsent", "roofie",
        "hiddencam", "spycam", "upskirt", "creepshot", "revengeporn", "somnophilia",
        "chloroform",
    ),
    "incest": (r"incest",),
    "bestiality": ("bestiality", "beastiality", "zoophil"),
})
# Only in a sexual context, like their plain forms.
COMPOUND_IN_CONTEXT = MappingProxyType({
    "non_consent": ("drunk", "passedout", "unconscious", "asleep", "voyeur"),
    "incest": (r"s+t+e+p+(?:bro|brother|sis|sister|son|daughter|dad|father|mom|mother|mum)",),
    "real_people": (
        "taylorswift", "billieeilish", "arianagrande", "emmawatson", "scarlet+johans",
        "kardashian", "kyliejenner", "kendalljenner", "selenagomez", "margotrobbie",
        "zendaya", "sydneysweeney", "meganfox", "jenniferlawrence", "galgadot", "beyonce",
        "rihanna", "dualipa", "oliviarodrigo", "jennaortega", "milliebobbybrown",
        "emmastone", "addisonrae", "charlidamelio", "pokimane", "belledelphine",
        "sabrinacarpenter", "bellahadid", "gigihadid", "emrata",
        "emilyratajkowski", "miakhalifa", "oliviadunne", "livvydunne", "icespice",
        "madisonbeer", "kateupton", "jojosiwa", "nickiminaj", "mileycyrus", "ladygaga",
    ),
})
# Sexual words inside a compound next to a celebrity's name ("#taylorswiftnudes").
COMPOUND_SEXUAL = ("nude", "naked", "nsfw", "sex", "porn", "lewd", "topless", "boob", "tits",
                   "onlyfans", "leak", "xxx", "lingerie", "thong", "booty", "bikini")
COMPOUND_SAFE = (
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    "canteen", "sateen", "velveteen", "umpteen", "poteen", "lateen", "steenbok",
    "grape", "drape", "scrape", "crape", "trapez", "parapet", "rapeseed", "serape", "sarape",
    "therapist", "therapeut", "nonconform",
)

RULES = MappingProxyType({
    "minors": (MINORS_ALWAYS, MINORS_IN_CONTEXT),
    "non_consent": (NON_CONSENT_ALWAYS, NON_CONSENT_IN_CONTEXT),
    "incest": (INCEST_ALWAYS, INCEST_IN_CONTEXT),
    "bestiality": (BESTIALITY_ALWAYS, BESTIALITY_IN_CONTEXT),
    "real_people": (REAL_PEOPLE_ALWAYS, REAL_PEOPLE_IN_CONTEXT),
})

# Unicode look-alikes folded to Latin before matching (after NFKC and case folding).
CONFUSABLES = MappingProxyType({
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
    "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j",
    "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ɡ": "g", "ո": "n", "ս": "u", "ց": "g",
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
    "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ς": "s", "σ": "o", "γ": "y",
    "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ħ": "h",
    "ɑ": "a", "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ɢ": "g", "ʜ": "h",
    "ɪ": "i", "ᴊ": "j", "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p",
    "ʀ": "r", "ꜱ": "s", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ʏ": "y", "ᴢ": "z",
    # more Armenian, Cyrillic and Greek look-alikes ("schօօlgirl" with Armenian օ)
    "օ": "o", "հ": "h", "զ": "q", "ք": "p", "ա": "w", "ռ": "n", "һ": "h", "ӏ": "l",
    "ԍ": "g", "ԗ": "r", "ѡ": "w", "ѵ": "v", "ϲ": "c", "ϳ": "j", "ɩ": "i",
    "ʋ": "u", "ɵ": "o", "ɾ": "r",
})
LEET = MappingProxyType({
    "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
    "@": "a", "$": "s", "!": "i", "|": "l", "+": "t", "€": "e", "£": "l", "¡": "i",
})
