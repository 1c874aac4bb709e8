"""What the age reasoner (`core.captions.age`) reads as "this person is under 18", as data.

Every entry is a regular expression over the gate's normalised text: lower case,
accents folded, punctuation turned into single spaces, apostrophes dropped ("i'm" ->
"im"). These cues are only refused next to sexual or body-focused words (or when the
request is NSFW): "my 15th birthday party" is an ordinary memory, "my 15th birthday
nudes" is not. Unambiguous claims ("almost 18", "menor de edad") live with the
always-refused terms in `safety_terms`.

Deliberate choices, so they are not "fixed" back by accident:
- 18 and 19 are adult ages. But "18th birthday" reads like "just turned 18", which the
  gate already refuses as a "barely legal" framing, so it is a cue here too;
  "turning 18" means the person is still 17.
- "prom" alone is a cue: it is overwhelmingly a high-school dance. "adult prom" and
  "prom themed/theme/style" are not.
- "freshman", "sophomore", "junior", "senior" alone are not cues (college students
  are adults, "senior citizen" is not a pupil); with "hs" or "high school" they are.
- "my parents don't know" is not a cue: adult creators say it about their OnlyFans.
  Being grounded, a curfew, or a learner's permit are.
- "year N" is a UK/AU school year (7-13 secondary) unless it is clearly a count
  ("year 2 of my onlyfans", "year 3 together").
"""

from __future__ import annotations

# -- numbers ------------------------------------------------------------------------
U18 = r"(?:1[0-7]|0?[1-9])"
U18_WORDS = (r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
             r"fourteen|fifteen|sixteen|seventeen)")
# In other languages, only next to an age unit ("quince anos", "seize ans").
FOREIGN_U18 = (r"(?:quince|dieciseis|diecisiete|catorce|trece|quinze|seize|dix sept|"
               r"quatorze|treize|funfzehn|fuenfzehn|sechzehn|siebzehn|vierzehn|dreizehn|"
               r"quindici|sedici|diciassette|quattordici|tredici|dezesseis|dezessete)")
ORDINAL_TO_18 = (r"(?:(?:1[0-8]|[1-9])\s?(?:st|nd|rd|th|e|eme|er|o|a)|first|second|third|"
                 r"fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|"
                 r"fourteenth|fifteenth|sixteenth|seventeenth|eighteenth)")
ORDINAL_TO_12 = (r"(?:(?:1[0-2]|[1-9])\s?(?:st|nd|rd|th)|first|second|third|fourth|fifth|"
                 r"sixth|seventh|eighth|ninth|tenth|eleventh|twelfth)")
BIRTHDAY = (r"(?:birthday|bday|b day|birth day|bd|cumpleanos|cumple|geburtstag|compleanno|"
            r"anniversaire|aniversario|verjaardag)s?")
# "15 yrs" without "old" (with "old" the gate refuses it anywhere).
AGE_UNITS = (r"(?:years|yrs|y|yo|y o|ans|anos|ano|anni|anno|jahre|jahren|jahrig|jaar|lat|"
             r"ar)")
# What makes "N years" a span of time, not an age: "10 years of lingerie", "for 5 years".
SPAN_AFTER = (r"(?:of|ago|experience|exp|in|into|on|since|together|married|anniversary|"
              r"later|clean|sober|strong|running|straight|back|before|after|with|as|at|"
              r"doing|making|creating|posting|modeling|modelling|and counting|til|until|"
              r"from|younger|older|now|long|worth|sub|membership|warranty)")
SPAN_BEFORE = (r"(?:for|after|over|in|last|past|next|these|those|every|celebrating|about|"
               r"within|than|of|the|spent|took|been|x)")
# Teen numbers in other languages, standing alone ("diecisiete"); "quince" (the fruit)
# and "seize" (the verb) only with an age unit (FOREIGN_U18).
FOREIGN_TEEN = (r"(?:diecisiete|dieciseis|catorce|quatorze|treize|quinze|dix sept|"
                r"funfzehn|fuenfzehn|sechzehn|siebzehn|vierzehn|dreizehn|quindici|sedici|"
                r"diciassette|quattordici|tredici|dezesseis|dezessete|dezassete|dezasseis)")
# A graduating class year: "class of 2028" still at school when the year is ahead.
# "college/uni class of ..." is a university year, not a school one.
CLASS_OF = (r"(?<!college )(?<!university )(?<!uni )(?<!grad )(?<!law )(?<!med )"
            r"(?<![a-z])class\s(?:of\s)?(?P<c>20\d\d)(?![0-9])")
# A count of things is not an age ("15 new pics", "16 min", "15 of my best").
# Only neutral words may stand between: "16 nude pics" and "16 bikini pics" read as ages.
COUNT_FILLER = (r"(?:new|more|exclusive|fresh|bonus|free|extra|hd|full|short|long|daily|"
                r"weekly|of my|of the|different|best|favorite|favourite)")
COUNT_NOUN = (r"(?:percent|pics?|photos?|pictures?|videos?|vids?|clips?|sets?|min|mins|"
              r"minutes?|sec|secs|seconds?|hours?|hrs?|days?|weeks?|months?|years?|times?|"
              r"dollars?|bucks|usd|eur|euros?|pounds?|quid|k|x|followers?|subs|subscribers?|"
              r"likes|views|upvotes|comments|posts?|items?|looks?|outfits?|shots?|selfies?|"
              r"ft|feet|foot|inch|inches|cm|mm|kg|kgs|lbs?|oz|stone|st|miles?|km|mph|"
              r"people|members|spots|slots|left|drinks?|off|pieces?|pcs|"
              r"colors?|colours?|styles?|poses?|angles?|frames?|gb|mb|fps|am|pm|h|hr)")
# Words before a number that make it a rank, size or label, not an age.
NOT_AGE_BEFORE = frozenset({
    "top", "size", "sz", "no", "nr", "number", "num", "part", "pt", "ep", "episode", "vol",
    "volume", "day", "week", "page", "pg", "level", "lvl", "round", "room", "chapter", "ch",
    "take", "ft", "feet", "foot", "x", "of", "iphone", "gen", "season", "model", "apt",
    "gate", "floor", "bus", "route", "table", "row", "seat", "track", "song", "tip", "step",
    "rule", "reason", "rank", "ranked", "us", "uk", "eu", "cup", "band", "waist", "shoe",
    "another", "remaining", "look", "outfit", "set",
    "photo", "pic", "video", "vid", "clip", "post", "scale", "rated", "rate", "score",
    "times",
})

# -- school: grades and years in several systems ------------------------------------
# Each cue is matched at the start of a word (the reasoner adds that once, for speed).
GRADES = (
    rf"{ORDINAL_TO_12}\s?(?:grade|grader|graders|gr)(?![a-z])",
    r"(?:grade|gr|klasse|klasa|classe|jahrgangsstufe)\s?(?:1[0-3]|[1-9])(?![0-9a-z])",
    r"grade\s?(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)(?![a-z])",
    r"(?:1[0-3]|[1-9])\s?(?:klasse|klasa|jahrgang)(?![a-z])",
    r"(?:year|yr)\s?(?:1[0-3]|[1-9])(?![0-9a-z])(?!\s(?:of|on|in|into|since|anniversary|"
    r"together|married|as|at|with|doing|posting|creating|making|running|straight)(?![a-z]))",
    r"y(?:1[0-3]|[7-9])(?![0-9a-z])",
    r"[3-6]\s?eme(?![a-z])",
    r"en\s(?:seconde|troisieme|quatrieme|cinquieme|sixieme|terminale)(?![a-z])",
)
SCHOOL = (
    r"middle schoolers?", r"high schoolers?", r"hs", r"secondary school(?:er|ers)?",
    r"sixth form(?:er|ers)?", r"gcses?", r"psat", r"homeroom", r"recess", r"hall pass",
    r"detention",
    r"school (?:bus|dance|trip|tomorrow|night out|photo|picture day|disco)",
    r"(?:after|before|skip|skipping|skipped|cutting) school", r"picture day", r"report card",
    r"permission slip", r"show and tell", r"lunch money", r"spelling bee", r"science fair",
    r"hoco", r"homecoming dance", r"(?<!adult )(?<!adults )prom(?!\s(?:theme|themed|style|"
    r"inspired)(?![a-z]))", r"junior varsity", r"u ?1[0-7]s?", r"u18s?", r"girl scouts?",
    r"boy scouts?", r"cub scouts?",
    # fr, de, it, es, pt, nl, pl, ja
    r"lycee", r"lyceens?", r"lyceennes?", r"collegiens?", r"collegiennes?",
    r"gymnasiast(?:in|en|innen)?", r"schuler(?:in|innen)?", r"schueler(?:in|innen)?",
    r"realschule", r"hauptschule", r"gesamtschule", r"grundschule", r"mittelstufe",
    r"oberstufe", r"liceo", r"liceale", r"liceali", r"scuola media", r"scuole medie",
    r"medie", r"secondaria", r"secundaria", r"preparatoria", r"prepa", r"bachillerato",
    r"colegio", r"ensino (?:medio|fundamental)", r"colegial", r"middelbare school",
    r"brugklas", r"havo", r"vwo", r"vmbo", r"gimnazjum", r"liceum", r"gimnazjalistka",
    r"joshi ?kou?sei", r"chuu?gakusei", r"kou?kou?sei", r"jk (?:uniform|girl|cosplay)",
    r"seifuku",
)
# -- life stages ---------------------------------------------------------------------
LIFE_STAGES = (
    r"learners? (?:permit|licen[cs]e)", r"learner driver", r"l plates?",
    r"(?:got|get|getting|passed|have|earned) my (?:learners |driving )?permit",
    r"permit test", r"drivers? ed", r"driving permit", r"provisional licen[cs]e",
    r"junior licen[cs]e", r"sweet (?:16|sixteen)", r"quinceaneras?", r"quinces?",
    r"ba[rt] mitzvah", r"first communion", r"confirmation class",
    r"old enough (?:\S+ )?babysit", r"babysitting", r"training bras?",
    r"(?:almost|nearly|not|not yet|soon to be) (?:18|eighteen)",
    r"(?:got|im|i am|was|been|being|still) grounded", r"curfew",
    r"still (?:in|at) school", r"still a (?:kid|child|schoolgirl|student in hs)",
    r"my (?:mom|mum|dad|parents) took my phone", r"adolescent[es]?", r"adolescence",
    r"jugendliche[rn]?", r"tieners?", r"tonaring", r"mineure?s?",
)
