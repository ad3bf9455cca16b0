"""Default moderation rules and the vocabulary they are built from.

The rules target accusations aimed at participants: a person reference ("you", "some of you",
"people here", a participant's name, an @mention) joined to a label, an insult or a motive
attack. Talking about pimps and traffickers as a subject, attacking an argument, a statistic,
a policy or a published study is the point of the forum and must stay untouched, so every
default rule needs the person reference to be grammatically tied to the accusation.

Rules are plain dicts here so that they go through the same validation as a rule a moderator
writes on the site (see ``rules.rule_from_dict``). Patterns run on the normalised text
(casefolded, look-alikes folded, ASCII apostrophes and quotes) and may use the macros listed
in ``MACROS``; ``{participant}`` is filled per call from the thread's display names.
"""

from __future__ import annotations

# Criminal and role labels: the accusation that one is (or profits from) the harm the forum
# discusses, or is paid to argue. Aimed at a participant, these are held for a moderator.
ROLE_LABELS: tuple[str, ...] = (
    "pimp", "trafficker", "human trafficker", "sex trafficker", "slaver", "slave driver",
    "exploiter", "abuser", "predator", "rapist", "pedophile", "paedophile", "groomer",
    "shill", "paid shill", "industry shill", "lackey", "corporate lackey", "stooge",
    "sock puppet", "sockpuppet", "sock", "paid troll", "plant", "mouthpiece", "propagandist",
    "pimp apologist", "apologist", "procurer", "pimp lobbyist", "lobbyist for pimps",
    "pedo", "pedofile",
)  # fmt: skip

# Insults: name-calling aimed at a person. Flagged for a moderator to look at.
INSULT_NOUNS: tuple[str, ...] = (
    "idiot", "moron", "imbecile", "cretin", "fool", "clown", "troll", "liar", "hypocrite",
    "bigot", "racist", "sexist", "misogynist", "coward", "loser", "jerk", "asshole", "arsehole",
    "dumbass", "douche", "douchebag", "tool", "retard", "scumbag", "scum", "garbage", "trash",
    "piece of shit", "piece of garbage", "piece of work", "narcissist", "sociopath",
    "psychopath", "creep", "bully", "fraud", "charlatan", "sellout", "sheep", "nutjob",
    "lunatic", "fanatic", "zealot", "crank", "dimwit", "halfwit", "nitwit", "simpleton",
    "ignoramus", "buffoon", "twat", "prick", "dick", "tosser", "wanker", "bellend",
    "snowflake", "nazi", "fascist", "extremist", "joke", "disgrace", "embarrassment",
    "cunt", "fuckface", "fuckhead", "dipshit", "shithead", "dickhead", "manbaby",
    "keyboard warrior", "prat", "bore", "know-it-all", "know it all", "twit", "plonker",
    "muppet", "numpty", "pillock", "windbag", "blowhard", "crybaby", "parasite", "leech",
    "grifter", "bloodsucker", "ghoul",
)  # fmt: skip

# Slurs so crude that on this forum they are hostile wherever they appear outside a quote.
SLURS: tuple[str, ...] = (
    "cunt", "fuckface", "fuckhead", "dipshit", "shithead", "dickhead", "motherfucker",
)  # fmt: skip

# Character attacks: adjectives about a person's mind or honesty.
CHARACTER_ADJECTIVES: tuple[str, ...] = (
    "ignorant", "willfully ignorant", "wilfully ignorant", "dishonest", "intellectually dishonest",
    "disingenuous", "stupid", "dumb", "dense", "obtuse", "idiotic", "moronic", "delusional",
    "deluded", "clueless", "brainwashed", "pathetic", "arrogant", "hypocritical", "bigoted",
    "racist", "sexist", "insane", "crazy", "childish", "immature", "uneducated", "illiterate",
    "trolling", "lying", "narcissistic", "retarded", "pig headed", "pigheaded", "thick",
    "a waste of time", "full of shit", "full of it", "full of crap", "out of your mind",
    "beyond help", "hopeless", "unhinged", "paranoid", "shameless", "evil", "disgusting",
    "despicable", "vile", "contemptible", "nuts", "incompetent", "toxic", "gullible",
    "obnoxious", "spiteful", "insufferable", "tiresome", "callous", "heartless", "cruel",
    "cold-hearted", "cold hearted", "inhumane", "soulless", "sadistic", "monstrous", "depraved",
)  # fmt: skip

# A person's supposed failings, as in "your ignorance", "speaks to your dishonesty".
FAILINGS = (
    r"ignorance|stupidity|idiocy|dishonesty|hypocrisy|bigotry|arrogance|cowardice|delusions?|"
    r"incompetence|illiteracy|small mind|tiny brain|pea brain|lack of (?:intelligence|"
    r"understanding|comprehension|knowledge|education|integrity|honesty|basic|critical thinking"
    r"|reading)|reading comprehension|(?:inability|failure) to (?:read|think|understand|comprehend|"
    r"grasp|follow)|misogyny|racism|sexism|narcissism|bias|biases|prejudice|prejudices|"
    r"cognitive dissonance|hatred|hate|paranoia"
)

# Words that obfuscation most often hides. The normaliser only rewrites a token that is
# obfuscated ("p1mp", "l i a r", "liaaar") into one of these.
EXTRA_WATCH_WORDS: tuple[str, ...] = (
    "you", "your", "youre", "agenda", "motivation", "motive", "paid", "puppet", "fuck",
    "pimps", "ignorance", "stupidity", "people",
)  # fmt: skip


def watch_words() -> tuple[str, ...]:
    """Single words the normaliser may de-obfuscate."""
    words: set[str] = set(EXTRA_WATCH_WORDS)
    for phrase in ROLE_LABELS + INSULT_NOUNS + CHARACTER_ADJECTIVES:
        for word in phrase.split():
            if len(word) >= 3:
                words.add(word)
    return tuple(sorted(words))


# What may stand between a copula and a label without moving the label off the subject.
# Never negation, prepositions, pronouns, reporting verbs or clause openers ("you are not a",
# "you are talking about pimps", "you sound like you have met traffickers").
_OFF_SUBJECT = (
    r"not|never|no|nor|neither|calling|call|called|saying|said|talking|about|of|for|with|"
    r"against|from|by|to|on|onto|at|in|into|after|behind|over|under|among|around|near|past|"
    r"through|towards?|without|beyond|before|since|despite|unlike|including|regarding|versus|"
    r"vs|that|who|which|if|when|because|than|like|and|or|but|helping|fighting|protecting|"
    r"defending|saving|rescuing|supporting|victims?|survivors?|ones|i|you|u|he|she|we|they|it|"
    r"me|him|her|us|them"
)
# Words that finish a predicate, so a label after them begins a new clause: "you're right, the
# pimps lie", "you're sure traffickers read this", "Jody's correct, most pimps never ...".
VERDICTS: tuple[str, ...] = (
    "right", "wrong", "correct", "incorrect", "mistaken", "welcome", "sure", "unsure", "aware",
    "unaware", "fine", "ok", "okay", "alright", "entitled", "free", "allowed", "able", "certain",
    "convinced", "confident", "positive", "worried", "afraid", "scared", "glad", "happy", "upset",
    "angry", "surprised", "shocked", "new", "both", "spot", "kidding", "joking",
)  # fmt: skip
_VERDICTS = "|".join(VERDICTS)
# Determiners begin a new noun phrase: after anything but an article's place they mean the
# predicate ended ("you're overthinking it, most predators ...").
DETERMINERS: tuple[str, ...] = (
    "the", "this", "that", "these", "those", "most", "many", "some", "every", "each", "any",
    "few", "several", "his", "her", "their", "our", "my", "your", "its",
)  # fmt: skip
_DETERMINERS = "|".join(DETERMINERS)
# "-ing" words that describe the person ("you lying pimps", "you are becoming a shill", "you're
# acting pretty thick"); any other straight after the copula is a verb ("you're ignoring
# traffickers", "are you saying pimps ...") whose object is the label.
PERSON_ING: tuple[str, ...] = (
    "lying", "cheating", "scheming", "conniving", "thieving", "fucking", "freaking", "stinking",
    "disgusting", "grasping", "money-grubbing", "self-serving", "backstabbing", "bloodsucking",
    "blood-sucking", "whining", "blithering", "raving", "drooling", "bumbling", "fawning",
    "gibbering", "whinging", "sniveling", "snivelling", "groveling", "grovelling", "becoming",
    "being", "acting", "sounding", "seeming",
)  # fmt: skip
_PERSON_ING = "|".join(PERSON_ING)
# A word after an article ("a lying pimp"), and one with no article before it: no verdict, no
# determiner, no -ing verb.
ARTICLE_WORD = rf"(?!(?:{_OFF_SUBJECT})\b)[a-z][a-z'-]*"
MODIFIER = (
    rf"(?!(?:{_OFF_SUBJECT}|{_VERDICTS}|{_DETERMINERS})\b)"
    rf"(?!(?!(?:{_PERSON_ING})\b)[a-z'-]*ing\b)[a-z][a-z'-]*"
)
# Two words joined by a comma count as one, so a list of adjectives ("a lying, greedy pimp")
# passes but a comma never ends the gap: "you're the expert, traffickers use debt".
GAP = (
    rf"(?:(?:{MODIFIER} ){{0,2}}one of (?:the|those|these) (?:{ARTICLE_WORD} ){{0,2}}"
    rf"|(?:{MODIFIER} ){{0,2}}(?:a|an|the|another) (?:{ARTICLE_WORD}(?:, (?!(?:{_DETERMINERS})\b)"
    rf"{ARTICLE_WORD})? ){{0,2}}"
    rf"|(?:{MODIFIER}(?:, {MODIFIER})? ){{0,3}})"
)
# Verbs of someone's account or expectation: "traffickers like you'd expect", "pimps like you
# would see in films" describe what anyone would meet, not the person addressed.
_EXPECTING = (
    r"expect|think|imagine|guess|find|see|notice|know|assume|suppose|predict|hope|want|call|"
    r"say|agree|read|hear|meet|get|have|need|like|remember|recogni[sz]e|describe|picture|"
    r"encounter|come|run|spot|believe|be|also|probably|ever|normally|usually"
)
# What follows "pimps like you" when it names the person ("... are the problem", "... .")
# rather than someone's account ("pimps like you describe", "like you'd expect"): the end of the
# phrase, a verb that can't have "you" as its subject ("a know-it-all like you thinks"), or
# "like you're one".
LIKE_YOU_END = (
    r"(?=[.!?,;:)\]\"]|\s*$|\s*\n| (?:and your|who|are|were)\b(?! (?:describing|talking|"
    r"saying|suggesting|mentioning|thinking|referring|imagining|picturing|quoting|citing|"
    r"discussing|pointing|proposing|asking)\b)| (?:should|shouldn't|will|won't|always|never|"
    r"deserve|belong|need|ought|make me|keep|ruin|have no|don't care|only care|get away|thinks|"
    r"says|does|is|has|wants|knows|cares)\b|(?:'ve been|'re| are| were|'d be) one\b"
    rf"|(?:'d| would| could| might| wouldn't| couldn't) (?!(?:{_EXPECTING})\b)[a-z])"
)
# After "the same person": a relative clause says which person one is ("are you the same
# person who ran the workshop?", "... I spoke to"), not that two accounts are one.
NOT_IDENTIFIED = (
    r"(?! (?:who|that|which|whom|whose|i|we|you|from|at|in|behind|i've|i'd|we've|we met|"
    r"i met)\b)"
)

# An account said to arrive, up to its verb: "this new account was created", "kemi_o only
# joined" (``accuse.new_account``, in its two shapes).
ACCOUNT_ARRIVES = (
    r"(?:(?:this|that|the|your|her|his|their) (?:brand )?(?:new )?(?:account|profile|username|"
    r"handle|user|poster)|{participant}|{mention}|\x1a)(?: (?:only|just|first))? (?:(?:was|has "
    r"been|had been|has|had) (?:only )?)?"
)

# Building blocks for patterns. Kept as regex fragments so moderators can reuse them by name.
MACROS: dict[str, str] = {
    # Second person, as the subject of a sentence.
    "you": r"(?:you|u|ya|y'all|yall|you all|you guys|you lot|you people|you folks)",
    # Groups of participants: "some of you", "people here", "half the commenters here".
    "people": (
        r"(?:(?:some|many|most|all|half|a few|several|one|any|each|none) of (?:you|y'all|the "
        r"(?:people|commenters|posters|folks) (?:here|in this thread|on this (?:forum|site|blog)|"
        r"commenting here|posting here))"
        r"|(?:some|many|most|certain|these|the|those|a few) (?:people|commenters|posters|folks|"
        r"members|regulars|users) (?:here|in this thread|on this (?:forum|site|blog)|commenting"
        r" here|posting here)"
        r"|(?:people|everyone|everybody|folks) (?:here|in this thread|on this (?:forum|site|blog))"
        r"|you people|you guys|you lot|you folks)"
    ),
    # @mentions, Reddit-style /u/names, and "OP" (the person who started the thread).
    "mention": r"(?:@[\w.-]{2,40}|/?u/[\w-]{2,40}|(?<![\w'])(?:the )?op(?![\w']))",
    "failings": FAILINGS,
    # Copulas and verbs of seeming that tie the subject to a label.
    "be": (
        r"(?:are|'re|re|r|is|'s|was|were|be|been|being|must be|might be|may be|could be|"
        r"seem to be|seems to be|appear to be|appears to be|are being|'re being|is being|"
        r"have been|has been|have become|has become|sound like|sounds like|look like|looks like|"
        r"act like|acts like|seem like|seems like|come off as|come across as|comes off as|"
        r"comes across as|are acting like|'re acting like|are behaving like|'re behaving like"
        r"|are nothing but|'re nothing but|are no better than|'re no better than)"
    ),
    # Up to three words between copula and label ("such a", "just another paid", "a lying,
    # greedy"): see ``GAP``.
    "gap": GAP,
    # One word before a label with no article before it, and one after an article: see
    # ``MODIFIER``.
    "modifier": MODIFIER,
    "article_word": ARTICLE_WORD,
    # Where "pimps like you" ends by naming the person: see ``LIKE_YOU_END``.
    "like_you_end": LIKE_YOU_END,
    # "sounds a lot like", "writes exactly like": a comparison of styles, with an intensifier.
    "sounds_like": (
        r"(?:sounds?|writes?|types?|reads?|posts?|argues?) (?:\w+ ){0,3}?(?:a lot |an awful lot "
        r"|suspiciously |exactly |remarkably |just |oddly |eerily )like "
    ),
    # A name after "sounds a lot like": any word but a pronoun, a determiner or a question word,
    # and not the start of a longer phrase ("like Jody from the clinic").
    "any_name": (
        r"(?!(?:a|an|the|someone|somebody|every|some|any|my|your|his|her|their|our|this|that|"
        r"these|those|you|me|him|them|us|it|what|how|when|who|people|everyone|anyone|i)\b)"
        r"[a-z][\w.-]{2,30}\b(?! (?:who|that|which|from|in|on|at|of|for|with|and|or)\b)"
    ),
    # What a motive attack says someone stands to gain or protect ("your funding", "your own
    # service") and the clause that ties a view to it ("because it made your service look
    # bad", "so that your charity gets the contract").
    "stake": (
        r"(?:organisation|organization|group|employer|shelter|friends|side|firm|charity|outfit|"
        r"funding|funders|grant|grants|contract|contracts|business|clinic|department|union|"
        r"agency|job|salary|income|donors|invoice|budget|headcount|colleagues|boss|career|centre|"
        r"center|programme|program|foundation|company|industry|consultancy|service|services|"
        r"project|projects|failures|failure|record|reputation|book|brand|pension|bosses)s?"
    ),
    "their_stake": (
        r"(?:your|his|her|their) (?:own |old |whole |former )?(?:[\w'-]+ ){0,2}?{stake}"
    ),
    "for_your_stake": (
        r"(?:because|so(?: that)?) (?:\w+ ){0,3}?(?:your|you(?:'re| are| were| used to)|his|her|"
        r"their) (?:own |old |whole |former )?(?:[\w'-]+ ){0,2}?(?:{stake}|work for|paid|pays)"
    ),
    # After "the same person": see ``NOT_IDENTIFIED``.
    "not_identified": NOT_IDENTIFIED,
    # Where a sentence begins: the lookbehinds an imperative ("learn some logic", "cope
    # harder") must follow to be one. A rule puts them in a group beside its own lead words
    # ("go ", "just "), after a lookahead for the verb so they don't run at every position.
    "sentence_start": r"(?<=^)|(?<=[.!?] )|(?<=\n)",
    # Where a sentence ends: after a phrase that is a put-down only said whole ("let me use
    # smaller words.", not "... smaller words in the leaflet").
    "sentence_end": r"(?=\s*(?:[.!?]|$))",
    # Not followed, within the sentence, by thanks or praise: "Kemi and her lot did a brilliant
    # job" is warm, in the words of a put-down.
    "not_thanks": (
        r"(?!(?:(?![.!?\n]).){0,50}?\b(?:brilliant|wonderful|great|amazing|fantastic|excellent|"
        r"superb|heroes|legends|thank|thanks|grateful|appreciated?|proud|kind|generous|lovely|"
        r"good (?:job|work)|well done|nice work)\b)"
    ),
    # Not the object of a preposition: "the comment about Jody was vile" says nothing of Jody.
    "not_after_preposition": "".join(
        rf"(?<!\b{word} )" for word in ("about", "at", "against", "towards", "regarding")
    ),
}

# A label (the ``{terms}`` slot) tied to a person reference. ``{subject}`` is any way to
# point at a person in the thread.
PERSON_TEMPLATE = (
    # "you are a pimp", "some of you are traffickers", "Jody is a shill",
    # "@willow sounds like a troll"
    # (not a name the sentence is about: "that comment about Rhys was vile")
    r"(?<![\w@/']){not_after_preposition}{subject}(?:(?=')| (?:on the other hand |clearly |"
    r"obviously |really |just |also |"
    r"yourself |yourselves |simply |actually |certainly |definitely |honestly |truly |"
    r"probably |themselves |here |today |again )?){be} {gap}(?P<term>{terms})(?:s|es)?\b"
    # "are you a pimp?", "are some of you traffickers?", "is Jody a shill?"
    r"|\b(?:are|aren't|is|isn't|r) {subject} (?:just |really |actually |even |all |also |being )?"
    r"(?:(?:a |an |the |one of the |one of those |some kind of |some sort of )(?:{article_word} )?"
    r"|(?:(?:this|that|so|too) )?(?:{modifier} )?)(?P<term2>{terms})(?:s|es)?\b"
    # "ur a liar", "youre a troll" (contractions without apostrophe)
    r"|\b(?:ur|youre|your) (?:such |just |really |clearly |obviously |a |an |the |such a |"
    r"just a |just an )+(?:{modifier} )?(?P<term3>{terms})\b(?! (?:of|for|to|about|argument|point|"
    r"claim|comment|post|logic|reasoning|view|position|stance|statement|idea|source|study))"
    # "pimps like you", "trolls like Jody"
    r"|\b(?P<term4>{terms})s? like (?:you|{participant})\b{like_you_end}"
    # "are you being marxist, disingenuous, naive": a list of words ending at the label
    r"|(?<![\w@/']){not_after_preposition}{subject}(?:(?=')| ){be} (?:{modifier},? ){1,3}"
    r"(?P<term6>{terms})(?:s|es)?"
    r"(?=,| and\b| or\b|[.!?]|$)"
    # "you and your fellow pimps", "you and the other shills"
    r"|\byou and (?:your|the|all|other|fellow|the rest of|the other) (?:\w+ )?"
    r"(?P<term5>{terms})(?:s|es)?\b"
)

VOCATIVE_TEMPLATE = (
    # "you idiot", "you stupid troll", "you liars"; addressing someone by an insult.
    r"\b(?:you|ya) (?:(?:absolute|complete|total|utter|fucking|stupid|ignorant|dumb|lying|"
    r"little|pathetic|bloody|damn|damned|sad|silly|sanctimonious|smug|arrogant) )*"
    r"(?P<term>{terms})s?\b(?! (?:who|that|can|can't|could|would|should|will|might|must|may|"
    r"have|had|do|did|are|were|out|in|on|up)\b)"
)


def _rule(
    rule_id: str,
    kind: str,
    action: str,
    message: str,
    *,
    pattern: str = "",
    terms: tuple[str, ...] = (),
    target: str = "any",
    tags: tuple[str, ...] = (),
) -> dict[str, object]:
    return {
        "id": rule_id,
        "kind": kind,
        "action": action,
        "message": message,
        "pattern": pattern,
        "terms": list(terms),
        "target": target,
        "enabled": True,
        "tags": list(tags),
    }


DEFAULT_RULES: tuple[dict[str, object], ...] = (
    _rule(
        "accuse.role",
        "lexicon",
        "hold",
        "calls another participant a {term}",
        terms=ROLE_LABELS,
        target="person",
    ),
    _rule(
        "insult.name",
        "lexicon",
        "flag",
        "calls another participant a {term}",
        terms=INSULT_NOUNS,
        target="person",
    ),
    _rule(
        "insult.vocative",
        "pattern",
        "flag",
        "addresses another participant as '{term}'",
        pattern=VOCATIVE_TEMPLATE.replace("{terms}", "{insult_nouns}"),
    ),
    _rule(
        "insult.character",
        "lexicon",
        "flag",
        "calls another participant {term}",
        terms=CHARACTER_ADJECTIVES,
        target="person",
    ),
    _rule(
        "insult.your_failing",
        "pattern",
        "flag",
        "attacks another participant's mind or character ('your {term}')",
        pattern=(
            r"\b(?:your|ur) (?:own |willful |wilful |sheer |utter |complete |total |obvious |"
            r"blatant |staggering |astounding |breathtaking |profound |intellectual |"
            r"abject |usual |typical |apparent |evident )*(?P<term>{failings})\b"
            r"|\b(?:speaks?|speaking|testament|attests?) to (?:your|ur) (?:own )?"
            r"(?P<term2>{failings}|character|intelligence|education|bias|biases|prejudice)\b"
            r"|\b(?:use|using) your (?P<term3>brain|head)\b"
            # "that speaks only to a weak moral fibre on your part"
            r"|\b(?:a |an )?(?:weak|poor|feeble|shaky|deficient|(?:complete |total |utter )?lack "
            r"of) (?P<term4>moral fib(?:re|er)|morals|character|integrity|decency|intellect|"
            r"intelligence|reading comprehension|comprehension) on (?:your|ur) part\b"
            # "could you possibly lie any harder?", "could you be any more wrong?"
            r"|\bcould (?:you|u) (?:possibly |honestly |seriously )?(?P<term5>lie any (?:harder|"
            r"more)|be (?:any )?more (?:wrong|dishonest|clueless|ignorant|dense|obtuse|stupid|"
            r"arrogant|smug|condescending|full of yourself))(?=\s*[?!.,]|$)"
            # "you have no decency", "I don't think you have an ounce of human feeling left"
            # (the "don't think" denies the ounce, not the charge)
            r"|\b(?:i (?:don't|do not) think (?:you|u|{participant}) (?:have|has|'ve got|have got|"
            r"has got) (?:an?|one|a single) (?:ounce|shred|scrap|grain|drop|trace|speck) of|(?:you|"
            r"u|{participant}) (?:have|has|'ve got|have got|has got|'s got) (?:no|zero|not (?:an?|"
            r"one|a single) (?:ounce|shred|scrap|grain|drop|trace|speck) of)) (?:basic |common "
            r"|moral )?(?P<term6>decency|empathy|compassion|human (?:feeling|feelings|decency|"
            r"empathy|kindness)|conscience|humanity|integrity|morals|self-awareness|kindness)\b"
            r"(?! (?:problems?|issues?|deficits?|concerns?|questions?|gaps?|complaints?|cases?)\b)"
        ),
    ),
    _rule(
        "insult.cant_read",
        "pattern",
        "flag",
        "mocks another participant's ability to read or think",
        pattern=(
            r"\b(?:learn (?:how )?to read|(?:you|u) (?:clearly |obviously |simply |just )?"
            r"(?:can't|cannot|can not|don't know how to|didn't) (?:even )?(?:read|think|"
            r"comprehend)\b(?! (?:the|my|this|that|it|what|past|about|through|beyond|a|an|any|"
            r"into|too|much|more|between|in|from|them|those|these|every|each|his|her|their|our|"
            r"your|anything|straight|properly)\b)"
            # nor what is read off a chart ("you cannot read prevalence off that line")
            r"(?! (?:[\w%-]+ ){1,3}?(?:off|from|into)\b)"
            r"|reading comprehension|(?:you|u) (?:clearly |obviously |really )?(?:have|got) no "
            r"(?:idea|clue) what (?:you're|you are|ur|youre) talking about"
            r"|(?:you|u) (?:clearly |obviously |really )?(?:don't|do not) know what (?:you're|"
            r"you are|ur|youre) talking about"
            r"|(?:you|u) (?:clearly |obviously |really )?(?:don't|do not|didn't|did not) "
            r"(?:even )?(?:understand|know) (?:the )?(?:basic|basics|simple|the first thing)"
            r"|(?:do|can|did) (?:you|u) (?:even|actually) (?:read|think|understand)\b"
            r"|(?:you|u) (?:clearly |obviously )?(?:lack|lacks) (?:the )?(?:basic |most basic )?"
            r"(?:intelligence|understanding|comprehension|capacity|ability|critical thinking)"
            r"|(?:you|u) (?:have|has|got) the (?:iq|brain|brains|intelligence|mind|attention "
            r"span|reading level|maturity|logic) of an? "
            r"|(?:could|can) (?:you|u) (?:possibly )?lie (?:any )?(?:more|harder|better))"
        ),
    ),
    _rule(
        "motive.agenda",
        "pattern",
        "hold",
        "questions another participant's motives instead of their argument",
        pattern=(
            r"\b(?:what(?:'s| is| are) your (?:real |true |actual |hidden |secret )?"
            r"(?:agenda|motivation|motivations|motive|motives|angle|game|stake)"
            # "your real interest is housing" is no charge: a plain interest, goal or reason
            # is hidden only when the writer says so.
            r"|your (?:real|true|actual|hidden|secret|ulterior) (?:agenda|motivation|motivations|"
            r"motive|motives)|your (?:hidden|secret|ulterior) (?:reason|reasons|interest|"
            r"interests|goal|aim)"
            r"|(?:you|u) (?:clearly |obviously |just |really )?(?:have|has|got|are pushing|'re "
            r"pushing|are trying to push|'re trying to push) (?:an?|your|some) (?:\w+ )?agenda"
            r"\b(?! (?:item|point|slot|page)s?\b)"
            # Outreach workers are paid by councils and for shifts: pay is a charge only for
            # what is said here, or from the trade and its lobbies.
            r"|(?:you are|you're|youre|are you|you get|you got|you're getting|you are getting|"
            r"are you being|you are being|you were|you must be|you're being) paid (?:off\b|to "
            r"(?:say|post|write|argue|defend|push|comment|troll|shill|spin|attack|disagree|be here"
            r"|do this|do that)\b|by (?:the |those |these |your )?(?:pimps|traffickers|industry|"
            r"sex industry|lobby|clubs|parlou?rs|brothels|madams|agency|agencies|abolitionists|"
            r"rescue industry|them|someone|somebody)\b|for (?:this|these|that|those|your|saying|"
            r"posting|writing|it)\b)"
            r"|who(?:'s| is| are) paying (?:you|u)|who pays (?:you|u)|how much (?:are|do) (?:you|u)"
            r" (?:get )?paid|(?:you|u)(?:'re| are| were|'ve been| have been| must be| might be| "
            r"seem to be)? (?:\w+ )?on (?:(?:their|its|someone's|somebody's) |(?:the|a) "
            r"[\w-]+(?:'s|s') )payroll\b(?! "
            r"(?:records?|data|figures|numbers|analysis|files|tax|system|costs?))|(?:you|u)"
            r"(?:'re| are| were) (?:\w+ )?on the payroll of\b|your "
            r"(?:paymasters|handlers)"
            r"|(?:you|u) (?:work|works|are working|'re working) for (?:the )?(?:pimps|traffickers|"
            r"industry|sex industry|lobby|abolitionists)(?![\w'-])"
            r"|(?:you|u) (?:profit|profits|are profiting|'re profiting|benefit|make money) from "
            r"(?:the )?(?:victims|trafficking|exploitation|this))"
        ),
    ),
    _rule(
        "accuse.sock_puppet",
        "pattern",
        "hold",
        "suggests another participant is a sock puppet or someone else's account",
        pattern=(
            # "you are Jody's sock puppet", "this new account is an alt", "are you two the same
            # person": the account words only count tied to a person or an account here.
            r"(?<![\w@/'])(?:{subject}|you two|you both|(?:this|that|the|your|his|her|their) "
            r"(?:brand )?(?:new )?(?:account|poster|commenter|user|username|handle))"
            r"(?:(?=')| (?:just |clearly |obviously |probably |really |surely |both )?){be} "
            r"(?:just |only |obviously |clearly |probably |really |secretly )?"
            r"(?:an? |the |another |one of )?(?:[\w.-]+'s )?"
            r"(?:other |second |alt |backup |spare |latest |new )?"
            r"(?P<term>sock ?puppets?|sockpuppets?|sock accounts?|alts?|alt accounts?|"
            r"alternate accounts?|second accounts?|burner accounts?|the same person|one and the "
            r"same|the same (?:guy|woman|man|poster|account))\b{not_identified}"
            r"|(?<![\w@/'])(?:{participant}|{mention}) and (?:her|his|their) (?:\w+ )?"
            r"(?P<term12>sock ?puppets|sockpuppets|sock accounts|alts|alt accounts)\b"
            r"|(?<![\w@/'])(?:{participant}|{mention})'s (?:other |second |alt |backup |spare |"
            r"latest |new )?(?P<term9>sock ?puppets?|sockpuppets?|alts|alt accounts?|"
            r"second accounts?)\b"
            r"|\b(?:are|is) (?:{subject}|you two|you both|the two of you) (?:\w+ ){0,2}?"
            r"(?:just |really |actually |secretly )?(?:an? |the )?(?:\w+'s )?"
            r"(?P<term2>sock ?puppets?|sockpuppets?|alts?|alt accounts?|the same person|"
            r"one and the same|(?<='s )(?:new|second|other|alt|backup|spare|burner|latest) "
            r"(?:account|login|handle))\b{not_identified}"
            r"|\b(?:you|u|{participant}|{mention}) (?:\w+ ){0,3}?(?:post|posted|posting|write|"
            r"wrote|writing|comment|commented) (?:\w+ ){0,4}?(?P<term10>under (?:a|another|a "
            r"different|someone else's) (?:name|account|handle))\b"
            r"|\b(?:(?:is this|this is|that's|that is|is that|(?:is|isn't|was) [\w.@-]+|forgot to "
            r"switch to|switch(?:ed|ing)?"
            r" (?:to|back to|from)|log(?:ged)? (?:into|in to|out of|in with)|posting (?:from|on|"
            r"with|under)) (?:your|ur) (?:second|other|backup|spare) |(?:your|ur) (?:alt|alternate"
            r"|burner) )(?P<term3>login|account|handle|username|profile)s?\b"
            r"|\b(?:you(?:'re| are)?|{participant}|{mention}) (?:\w+ )?posting under "
            r"(?P<term4>(?:another|a different|a new|someone else's) (?:name|account|handle))"
            # "Willow sounds a lot like Jody", "you write exactly like the banned account": a
            # comparison of a participant's style with anyone's, or of the reader's with
            # someone in the thread's (with any other name: accuse.sounds_like).
            r"|(?<![\w@/'])(?:{participant}|{mention}) {sounds_like}"
            r"(?P<term7>{participant}|{mention}|{any_name})"
            r"|(?<![\w@/'])(?:you|u) {sounds_like}(?P<term11>(?:the|that) (?:banned |old |"
            r"suspended )?(?:account|user|poster)\b|{participant}|{mention})\b"
            r"|(?<![\w@/'])(?:{participant}|{mention}) (?:sounds?|writes?|types?|reads?|posts?) "
            r"like (?P<term8>{participant}|{mention})\b"
            # "say hi to your other account for me", "new_voice isn't just Mira with a fresh
            # email address", "you and Kate even make the same spelling mistakes"
            r"|\b(?:say (?:hi|hello)|give my (?:regards|love)|tell) to (?P<term5>(?:your|his|her|"
            r"their) (?:other|second|alt|alternate|backup|sock|main|real) (?:account|login|handle|"
            r"profile|username|self))\b"
            r"|\b(?:isn't|is not|is|are|you're|(?:he|she|it)'s) (?:just |"
            r"really |obviously |clearly |only )?"
            r"(?P<term6>(?:{participant}|{mention}) (?:with|under|using|behind) (?:a |an )?(?:new|"
            r"fresh|different|second|other|another|spare) (?:email|e-mail|email address|account|"
            r"name|handle|login|username))\b"
            r"|(?<![\w@/'])(?:you|{participant}|{mention}) and (?:you|{participant}|{mention}) "
            r"(?:even |both |also )?(?:make|have|use|share|write with) the (?:exact |very )?same "
            r"(?P<term13>(?:spelling|typing|grammar) (?:mistakes|errors)|typos|writing tics|tics|"
            r"quirks|turns of phrase|writing style)\b"
        ),
    ),
    _rule(
        "accuse.sounds_like",
        "pattern",
        "flag",
        "compares another participant's writing to {term}'s, as if one account were another's",
        pattern=(
            # "you write exactly like Marisol": a name after an intensifier, who may be a writer
            # the reader is praised for echoing as well as an account the comment suspects, so
            # a moderator reads it.
            r"(?<![\w@/'])(?:you|u) {sounds_like}(?!{participant})(?P<term>{any_name})"
            # "aroha and kiri use the same odd phrasing", "... log in within minutes of each
            # other": two people here said to write or post as one (not "the same phrasing as
            # the ministry's leaflet", "the same mistakes about displacement")
            r"|(?<![\w@/'])(?:{participant}|you) and (?P<term2>{participant}) (?:both |always |"
            r"somehow )?(?:use|share|have|write with|post with|make) the (?:same|exact same|very "
            r"same|identical) (?:[\w'-]+ ){0,2}?(?:phrasing|wording|typos?|spelling|turns? of "
            r"phrase|writing style|style|punctuation|quirks|tics|mistakes|ip address(?:es)?)\b"
            r"(?! (?:as|about|in|on|over|with|when|regarding)\b)"
            r"|(?<![\w@/'])(?:{participant}|you) and (?P<term3>{participant}) (?:both |always |"
            r"somehow )?log (?:in|on) within (?:a few |two |three |\w+ )?(?:minutes|seconds) of "
            r"each other"
        ),
    ),
    _rule(
        "accuse.brought_in",
        "pattern",
        "hold",
        "suggests another participant was brought in or made up to agree",
        pattern=(
            # "funny how this account showed up the day Jody was banned"
            r"\b(?:(?:this|that|your) (?:brand )?new|your) (?:account|user|poster|handle) "
            r"(?:\w+ ){0,2}?(?P<term>(?:showed|turned|popped) up|appeared|was (?:made|created|"
            r"opened)|joined) (?:right |just |only )?(?:when|after|the (?:day|week|minute|"
            r"moment)|as soon as)"
            # "interesting that this account was created the week the old one got banned"
            r"|\b(?:this|that|your) (?:account|user|poster|handle|profile|username) (?:\w+ )"
            r"{0,2}?(?P<term4>(?:showed|turned|popped) up|appeared|was (?:made|created|opened|"
            r"registered)|joined) (?:right |just |only )?(?:when|after|the (?:day|week|minute|"
            r"moment|hour)|as soon as)(?:(?![.!?\n]).){0,60}?\b(?:banned|suspended|blocked|"
            r"kicked out|booted|removed)\b"
            # "you brought your friends in to agree with you"
            r"|\b(?:you|{participant}|{mention}) (?:\w+ )?(?:brought|called|dragged|rounded "
            r"up|recruited) (?:in )?(?:your|his|her|their|some) (?:\w+ )?(?P<term2>friends|"
            r"buddies|mates|colleagues|followers|reinforcements|allies)(?: in)? to "
            r"(?:agree with|back (?:you|him|her|them|up)|support (?:you|him|her|them)|upvote|"
            r"pile on|defend (?:you|him|her|them))\b"
            # "were you brought in to agree with the foundation?"
            r"|\b(?:(?:were|was|are|is) (?:you|u|{participant}|{mention})|(?:you|u|{participant}|"
            r"{mention})(?:'re| are| were| was| is|'s) (?:just |only |obviously |clearly )?)"
            r"(?: \w+)? (?P<term3>(?:brought|called|drafted|recruited|invited|dragged|sent|"
            r"wheeled|paid) (?:in|here|along|over) (?:\w+ )?to (?:agree with|back (?:up |him|"
            r"her|them|you)|(?:support|defend) (?:him|her|them|you|his|their)|echo|parrot))\b"
            # "zero posts until today, and already agrees with Mira on everything"
            r"|\b(?P<term5>(?:zero|no|0) posts? (?:until|before|till) (?:today|yesterday|this "
            r"(?:week|morning|thread))(?:(?![.!?\n]).){0,40}?\b(?:already |suddenly |instantly )?"
            r"(?:agrees|agreeing|backs|backing|defends|defending|sides|siding))\b"
            # "did you ask your staff to sign up and back you?"
            r"|\b(?P<term6>(?:did|have|has) (?:you|{participant}) (?:ask|asked|get|got|tell|told|"
            r"bring|brought) (?:your|his|her|their) (?:own )?(?:staff|friends|colleagues|mates|"
            r"members|volunteers|team|employees|workers|family|followers) to (?:sign up|join|"
            r"register|log on|come (?:on|here)|post)(?: here)? (?:and|to) (?:back|support|defend|"
            r"agree with|vouch for|praise|pile on))\b"
        ),
    ),
    # A reply's arrival told as a summons: "the cavalry was called in", "that's being
    # summoned", "she's been shipping in her NGO colleagues all week ..., and you're the
    # third", "you registered the day Fenwick shared the thread". Less sure than the held
    # shapes of ``accuse.brought_in``, so a nudge; "the inspectors were called in" is not one.
    _rule(
        "accuse.summoned",
        "pattern",
        "nudge",
        "suggests another participant was called in to take a side ('{term}')",
        pattern=(
            r"\b(?P<term>the cavalry (?:was|were|has been|have been|got|is being) (?:called|sent|"
            r"brought|wheeled) in|(?:that's|that is|this is|you're|you are|you were) (?:just )?"
            r"(?:being )?summoned\b|summoned (?:here )?by (?:{participant}|her|him|them)"
            r"|(?:shipping|bussing|busing|bringing|ferrying|wheeling) in (?:her|his|their|your) "
            r"(?:own )?(?:[\w-]+ ){0,2}?(?:colleagues|friends|mates|staff|members|recruits|"
            r"followers|allies|people)\b(?:(?![.!?\n]).){0,80}?(?:[.;,] |\band )(?:you're|you "
            r"are) the (?:second|third|fourth|fifth|latest|next)"
            r"|you (?:registered|signed up|joined) (?:here )?(?:on )?(?:the (?:same )?(?:day|hour|"
            r"morning|evening)|an hour|minutes|hours|right|just) (?:after|that|when|before) "
            r"(?:[\w.'-]+ ){1,3}?(?:shared|posted|linked|tweeted|mentioned|announced|flagged) "
            r"(?:the|this|a) (?:thread|post|discussion|link))\b"
        ),
    ),
    # A new account read as another participant's: how recently it arrived beside how it writes,
    # whom it agrees with or when it posts ("this account was created three weeks ago ... writes
    # exactly like he does", "joined last Tuesday ... the same fingers on a second keyboard").
    _rule(
        "accuse.new_account",
        "pattern",
        "flag",
        "reads another participant's new account as someone else's ('{term}')",
        pattern=(
            r"(?<![\w@/'])(?P<term>" + ACCOUNT_ARRIVES + r"(?:created|"
            r"made|opened|registered|set up|existed|joined|signed up|appeared|(?:showed|turned|"
            r"popped) up)(?: (?:this|the) (?:forum|site|board|thread)| here| on (?:this|the) "
            r"(?:forum|site|board))? (?:on |at |in |about |around |only |just |barely |all of |"
            r"exactly )?(?:(?:an?|one|two|three|four|five|six|\w+) (?:hours?|days?|weeks?|months?|"
            r"minutes?) (?:ago|after|before)|since (?:last )?\w+|last \w+|yesterday|today|this "
            r"(?:week|morning|month|afternoon))\b(?:(?![.!?\n]).){0,200}?(?:(?:writes?|posts?|"
            r"argues?|types?|sounds?|reads?|talks?|phrases? (?:things|it)|"
            r"punctuates?)\b(?:(?![.!?\n]).){0,60}?(?:(?:exactly|just|remarkably|suspiciously|"
            r"oddly|eerily) like|the (?:exact |very )?same (?:[\w'-]+ ){0,2}?as) (?:{participant}|"
            r"{mention}|he|she|him|her|they|them|[\w.-]{3,30})\b|(?:has |have )?(?:agreed|sided|"
            r"agrees|sides) with (?:{participant}|{mention}|him|her|them) (?:\w+ ){0,2}?(?:times|"
            r"every time|on everything|on every)|(?:only|just) (?:ever )?(?:posts?|posted|"
            r"comments?|commented) (?:in threads )?(?:where|when|after) (?:{participant}|{mention}|"
            r"he|she)))|\b(?P<term2>(?:the )?same (?:pair of )?(?:fingers|hands|person|typist) "
            r"(?:on|at|behind) (?:a second|another|two|both|a different|a new) (?:keyboards?|"
            r"accounts?|logins?|handles?|names?)|(?:two|both) (?:accounts?|names?|handles?),? one "
            r"(?:person|author|keyboard|pair of hands|typist)|(?:your|his|her|their) (?:recruits|"
            r"reinforcements|sock ?puppets|cheerleaders|extra accounts|new accounts|alts) "
            r"(?:aren't|are not|isn't|is not) (?:very |exactly |that |terribly |at all )?(?:subtle|"
            r"hard to spot|fooling anyone|convincing)|(?:but |please |just )(?:come|post|argue|"
            r"join) (?:in )?under one (?:name|account|login|handle))\b"
            # An account that arrived as someone was warned or banned, or that posts in step with
            # them: "this account only appeared once ivy_rowan was warned", "signs off within
            # minutes of her", "I think it's their press officer under another name".
            r"|(?<![\w@/'])(?P<term3>" + ACCOUNT_ARRIVES + r"(?:created|"
            r"opened|registered|existed|joined|signed up|appeared|arrived|(?:showed|turned|popped) "
            r"up) (?:once|as soon as|right after|just after|straight after|the (?:day|hour|week|"
            r"moment|minute)(?: after)?) (?:{participant}|{mention}|(?!i\b)[\w.-]+) (?:was|got|had "
            r"been|had) (?:warned|banned|suspended|blocked|muted|challenged|called out|outvoted|"
            r"told off))\b|(?<![\w@/'])(?P<term4>(?:signs? (?:off|on|in)|logs? (?:in|on)|replies|"
            r"posts|comments) within (?:minutes|seconds|an hour|the hour|the same minute) of "
            r"(?:{participant}|{mention}|her|him))(?=\s*(?:[.,;:!?]|$| and\b))|\b(?P<term5>(?:i "
            r"(?:think|suspect|reckon|bet|guess)|i'm (?:pretty |fairly )?sure|surely|clearly|"
            r"obviously|probably)(?: that)? (?:it's|it is|this is|that's|that is|they're|they are|"
            r"he's|she's|you're|you are) (?:just |really |simply )?(?!(?:[\w'-]+ "
            r"){0,3}?(?:traffickers?|recruiters?|pimps?|scammers?|spammers?|bots?|controllers?|"
            r"gangs?|agents?)\b)(?:[\w'-]+ ){0,6}?under (?:another|a different|a second|a new|a "
            r"fake|an assumed|someone else's) (?:name|account|handle|login|username))\b"
        ),
    ),
    # People in the thread cast as one group arriving or posting together: "half of these names
    # turned up together the day the vote was announced", "one group who joined together and
    # post as a unit", "every such post comes from accounts opened the same week" (not "we
    # joined together to campaign", "recruiters run accounts opened the same week").
    _rule(
        "accuse.coordinated",
        "pattern",
        "nudge",
        "casts people in this thread as one group posting together ('{term}')",
        pattern=(
            r"\b(?:(?:these|those|their|new) (?:names|accounts|profiles|posters|usernames|handles)|"
            r"everyone (?:here|arguing|posting|in this thread|on this thread)|(?:half|most|all|"
            r"several|many|a dozen|a few|some|two|three|four|five|six|ten|twenty) of (?:these|"
            r"those|the) (?:names|accounts|posters|profiles|people here|replies|posts)|(?:members|"
            r"posters|accounts|people|staff|employees) (?:of|from) (?:one|the same|a single) "
            r"(?:[\w-]+ ){0,2}?(?:collective|group|team|ngo|network|organisation|organization|chat|"
            r"office|lobby|charity|campaign|union|firm|company)|(?:belongs?|belonging) to (?:one|"
            r"the same|a single) (?:[\w-]+ ){0,2}?(?:collective|group|team|ngo|network|"
            r"organisation|organization|office|lobby|charity|campaign|firm)|one (?:[\w-]+ "
            r")?(?:team|group|collective|network|lobby|lobbyist|office|"
            r"ngo))\b(?:(?![.!?\n]).){0,120}?\b(?P<term>(?:turned up|turn up|showed up|show up|"
            r"arrived|arrive|joined|signed up|logged? (?:in|on)|registered|appeared|posting|post|"
            r"posts|voting|vote|working (?:this|the) thread|piling in|pile in)(?: here| in)? "
            r"(?:together|as a (?:group|unit|bloc|block|team|pack)|at the same (?:time|hour|"
            r"minute)|(?:on )?the same (?:day|week|hour|night|morning|evening)|within (?:minutes|"
            r"an hour|seconds) of each other|up each other's|out of (?:the same|one) (?:[\w-]+ "
            r"){0,2}?(?:group chat|chat|whatsapp|mailing list|slack|channel|office)))\b|\b(?:every|"
            r"each|all (?:the|these|those)|most|half (?:of )?(?:the|these)) (?!(?:\S+ "
            r"){0,2}?(?:spam|bot|scam|fake|advert|recruitment|phishing|ad)\b)(?:\S+ "
            r"){0,5}?(?:posts?|comments?|replies|votes)\b(?:(?![.!?\n]).){0,60}?\b(?P<term2>account"
            r"s (?:opened|created|registered|made|set up) (?:in |on |during )?the same (?:day|week|"
            r"hour|night|month))\b"
        ),
    ),
    _rule(
        "accuse.hidden_ties",
        "pattern",
        "hold",
        "suggests another participant secretly works for or profits from someone",
        pattern=(
            r"\bhow much (?:does|do|did|is|are) (?:the |your |that |this |their )?(?:\w+ ){0,2}?"
            r"(?:massage parlou?rs?|parlou?rs?|brothels?|clubs?|industry|lobby|trade|pimps?|"
            r"traffickers?|madams?|funders?|foundations?|rescue industry|abolitionists?|"
            r"prohibitionists?|decrim \w+|sex work \w+|\w+ lobby) "
            r"(?P<term>pay(?:ing)? (?:you|u|{participant}|{mention}))\b"
            r"|\b(?:you|u|{participant}|{mention}) (?:\w+ )?(?:are|is|'re|must be|might be|"
            r"could be|seem to be|seems to be)? ?(?:secretly |clearly |obviously |probably |"
            r"really |just |still )?(?P<term2>on (?:their|its|his|her|someone's|somebody's|the "
            r"[\w-]+(?:'s|s')) payroll|on the payroll of|in (?:the|their|its|his|her) pocket(?! "
            r"of (?:nobody|no one|none|anyone|anybody)\b)|in bed with(?! (?:the flu|flu|covid|a "
            r"(?:bad )?(?:cold|fever|migraine|bug|virus|back))\b)|in on it|one of them|"
            r"bought and paid for|on the take)\b"
            r"|\b(?:spoken|said|written|argued) like (?:a|an|someone|somebody|one) (?:\w+ )?"
            r"(?P<term3>on (?:the|their|a) (?:\w+ )?payroll|(?:who|that) (?:works?|is paid|gets "
            r"paid|profits?|makes? (?:money|a living)) (?:for|from|off))"
            r"|\b(?:you|u|{participant}|{mention}) (?:\w+ ){0,2}?(?:secretly|obviously|clearly|"
            r"must|probably) (?P<term4>(?:work|works|worked|working) for|"
            r"(?:profit|profits|profited|profiting) (?:from|off)|(?:own|owns|run|runs) (?:a|an|"
            r"the)|(?:are|is|were|was) (?:paid|funded|employed|sponsored) by)"
            r"|\b(?:you|u|{participant}|{mention}) (?:\w+ )?(?P<term5>(?:profit|profits|"
            r"profiting|make money|makes money|making money|earn|earns|earning|get paid|gets paid"
            r"|getting paid) (?:from|off|out of) (?:the |their |these |this |other )?(?:\w+ )?"
            r"(?:women|girls|victims|survivors|workers|misery|suffering|exploitation|trade|raids"
            r"|rescues|trafficking))\b(?![ -](?:agreements?|deals?|unions?|fairs?|shows?|routes?|"
            r"polic(?:y|ies)|figures|data|budgets?|statistics|numbers)\b)"
        ),
    ),
    _rule(
        "motive.because",
        "pattern",
        "flag",
        "explains another participant's view by their motives instead of answering it",
        pattern=(
            # "you just said the raids happen because ..." reports their argument.
            r"\b(?:you|u|{participant}|{mention}) (?:only|just) (?!(?<=just )said\b)"
            r"(?P<term>(?:say|says|said|post|"
            r"posts|argue|argues|defend|defends|write|writes|push|pushes|believe|believes|care|"
            r"cares) (?:\w+ ){0,4}?because)\b"
            r"|\bthe only reason (?:you|u|{participant}|{mention}) (?P<term2>(?:say|says|post|"
            r"posts|argue|argues|defend|defends|care|cares|push|pushes|are|is|'re)\b)"
            r"|\b(?:who|what|which \w+) (?P<term3>(?:pays|paid|is paying|funds|sponsors) for "
            r"(?:your|these|those|all your|his|her) (?:\w+ )?(?:posts|comments|opinions|talking"
            r" points|views|replies|time|takes))\b"
            r"|\b(?:you|u|{participant}|{mention}) (?P<term4>(?:care|cares|cared) (?:more )?about"
            r" (?:your|his|her|their|the) (?:own )?(?:\w+ )?(?:budget|grant|grants|funding|"
            r"salary|salaries|paycheck|pay cheque|job|jobs|career|numbers|donors|image|brand|"
            r"reputation|clicks|book sales)),? (?:not|more than|rather than|than|over|instead "
            r"of)\b"
            r"|\byour (?P<term5>(?:budget|grant|funding|salary|paycheck|pay cheque|job|career|"
            r"income|livelihood|book deal)) (?:\w+ )?(?:depends|relies|rides) on\b"
            r"|\b(?:you|u|{participant}|{mention}) (?:only |just |really |clearly |obviously )?"
            r"(?:want|wants|oppose|opposes|object|objects|defend|defends|attack|attacks|dislike|"
            r"dislikes|pick|picks|say|says|miss|misses|support|supports|agree|agrees|argue|"
            r"argues|push|pushes|like|likes|hate|hates|tell|tells|quote|quotes|ignore|ignores|"
            r"think|thinks|believe|believes|"
            r"blame|blames|question|questions|do it|do this|are upset|'re upset|are angry|"
            r"'re angry|are tired|'re tired)\b(?:(?![.!?\n]).){0,60}?\b(?P<term7>{for_your_stake})"
            # "you're only against the helpline because it made your service look pointless"
            r"|\b(?:you(?:'re| are)|{participant}(?:'s| is)) (?:only |just |really |clearly |"
            r"obviously )?(?:against|for|defending|attacking|opposing|pushing|backing|saying|"
            r"writing|posting|arguing|doing|angry|upset)\b(?:(?![.!?\n]).){0,60}?\b"
            r"(?P<term10>{for_your_stake})"
            # "you're saying this to cover for your organisation", "the reason you want the data
            # buried is that it shows your project failed"
            r"|\b(?:you|u|{participant}|{mention})(?:'re| are| is)? (?:only |just )?(?:saying|"
            r"writing|posting|arguing|doing|say|write|post|argue) (?:this|that|it|all this) "
            r"(?:only |just )?(?P<term11>(?:to|so you can|so they can) (?:cover|protect|defend|"
            r"save|justify|excuse|hide|shield|promote|sell|plug|prop up) (?:for |up )?"
            r"{their_stake})\b"
            r"|\bthe (?:only |real |actual |true )?reason (?:you|u|{participant}|{mention}) "
            r"(?:\w+ ){1,6}?(?P<term12>(?:is|was) (?:that |because |simply |just )?(?:\w+ ){0,3}?"
            r"{their_stake})\b"
            # "your concern for 'choice' is just cover for ...": care named as a front
            r"|\b(?:your|his|her|their) (?:concern|outrage|compassion|sympathy|care|caring|worry|"
            r"activism|advocacy|feminism|solidarity|interest in \w+)(?: (?:\w+|\x1a)){0,4}? "
            r"(?:is|was|'s) (?:just |only |merely |really |nothing but |all |clearly "
            r")?(?:a |an )?(?P<term13>cover|smokescreen|front|pretext|fig leaf|act|performance|"
            r"show|pose|costume)\b"
            # "of course someone who sells audit certificates thinks audits are enough"
            r"|\bof course (?P<term9>(?:someone|somebody|anyone|a person|a man|a woman|the "
            r"(?:guy|man|woman|person)) (?:who|whose|that) (?:\w+ )?(?:sells|sold|runs|owns|works "
            r"for|worked for|is paid by|gets paid|makes money|profits|earns|lives off|consults "
            r"for|is funded by|salary|job|grant|contract|income))\b(?:(?![.!?\n]).){0,60}?"
            r"\b(?:thinks|would think|says|would say|believes|defends|would defend|argues|"
            r"wants|would want|claims|opposes|supports|is against|is for)\b"
            r"|\bof course (?P<term6>(?:you|u|{participant}|{mention})(?:'d| would| will| do|"
            r"'re)) (?:say|think|defend|believe|argue|claim)\b"
            # "I'd take felix's view more seriously if he weren't on the agency's board": the
            # view weighed by a tie pinned on its writer ("if it weren't funded by" is a source's)
            r"|\b(?:take|believe|trust|listen to|respect) (?:you|u|{participant}|{mention})(?:'s|"
            r"s')? (?:[\w'-]+ ){0,4}?(?P<term17>if (?:you|u|he|she|they|{participant}) (?:weren't|"
            r"wasn't|were not|was not|didn't|did not|hadn't|had not) (?:[\w'-]+ ){0,2}?(?:on|in|"
            r"sitting on|paid by|funded by|working for|employed by|taking money from|on the "
            r"payroll of) (?:the|their|its|his|her|your|a|an|that|this) )"
            # "Jody and Willow will both tell you it's fine, because they draw salaries from it"
            r"|\b(?:{participant}|{mention}) (?:(?:and|or) (?:{participant}|{mention}) )?(?:will|"
            r"would|'ll|'d) (?:\w+ )?(?:tell|say|defend|argue|claim|insist)\b(?:(?![.!?\n]).)"
            r"{0,80}?\b(?P<term16>because (?:they|he|she) (?:both |all |each )?(?:draw|get|take|"
            r"earn|make|receive|collect) (?:\w+ ){0,2}?(?:salar(?:y|ies)|wages?|pay|income|fees?|"
            r"grants?|living|money) (?:from|off|out of))"
            # "rich coming from someone who cashes cheques from the industry", "someone who
            # profits from the trade defending the trade": the stake named instead of an answer
            r"|\b(?:pretty |a bit |rather |quite )?rich coming from (?P<term14>(?:someone|"
            r"somebody|a person|a man|a woman|a guy|the (?:guy|man|woman|person)) (?:who|that) "
            r"(?:\w+ )?(?:profits?|cashes|banks|takes|makes (?:money|a living)|earns|gets paid|"
            r"is paid|works for|lives off|is funded))\b"
            r"|\b(?:{sentence_start})(?P<term15>(?:someone|somebody|a person|a man|a woman|a guy) "
            r"(?:who|that) (?:profits?|makes (?:money|a living)|earns|gets paid|lives) (?:from|off|"
            r"by) (?:the )?(?P<stake>[\w-]+) (?:\w+ )?(?:defending|praising|excusing|arguing for|"
            r"whitewashing) (?:the )?(?P=stake)){sentence_end}"
        ),
    ),
    _rule(
        "motive.stake",
        "pattern",
        "flag",
        "says the people who hold a view only hold it for a stake in it ('{term}')",
        pattern=(
            # "nobody without a stake in the agencies argues this hard for them", "only someone
            # with a financial interest in the clubs would defend that": a stake pinned on the
            # view's writers ("nobody without a stake was consulted" says who was asked)
            r"\b(?P<term>(?:nobody|no one|no-one) (?:without|with no|who (?:doesn't|does not|"
            r"didn't|did not) (?:have|hold|own)|who hasn't got|who has no) (?:a |some |any )?"
            r"(?:[\w-]+ )?(?:stake|interest|investment|skin in the game|money riding) "
            r"(?:in (?:[\w'-]+ ){1,4}?)?(?:argues|defends|fights|pushes|campaigns|lobbies|cares|"
            r"posts) (?:for |"
            r"about )?(?:this|that|so) (?:hard|much|loudly|relentlessly|fiercely|often))\b"
            r"|\b(?P<term2>only (?:someone|somebody|a person|people|those|one) with (?:a |an |some "
            r")?(?:[\w-]+ )?(?:stake|interest|investment) in (?:[\w'-]+ ){1,4}?(?:would|could) "
            r"(?:\w+ )?(?:argue|defend|fight for|push|write|post|say|care about|excuse|whitewash))"
            r"\b"
            # "you're not here to discuss outreach, you're here to protect a budget line"
            r"|\b(?:you(?:'re| are)|{participant}(?:'s| is)|(?:he|she)(?:'s| is)) (?:only |just |"
            r"really |clearly |obviously )?here (?:only |just )?to (?P<term3>(?:protect|defend|"
            r"guard|save|push|sell|promote|plug|prop up) (?:your|his|her|their|a) (?:own )?"
            r"(?:[\w'-]+ ){0,2}?{stake})\b"
            # "spoken like a man who owns three farms": the view put down to what its writer owns
            r"|\b(?P<term4>(?:spoken|said|written|argued) like (?:a|an|someone|somebody|one) "
            r"(?:[\w-]+ )?(?:who|that) (?:owns|runs|manages|employs|rents out|sells|invests in|has "
            r"shares in|consults for|lives off))\b"
            # "is there a single policy you've backed that didn't benefit your employer?"
            r"|\b(?P<term5>(?:is there|name|show me) (?:a|one|any) (?:single )?(?:policy|position|"
            r"view|cause|law|bill|rule|idea|thing) (?:you've|you have|you|he's|he has|she's|she "
            r"has|{participant} has|{participant}'s) (?:ever )?(?:backed|supported|defended|"
            r"pushed|argued for|opposed|voted for) that (?:didn't|did not|doesn't|does not|"
            r"wouldn't|won't) (?:benefit|help|pay|enrich|serve|suit) {their_stake})\b"
            # "I've stopped believing you're asking in good faith", "you're arguing in bad faith"
            r"|\b(?P<term6>(?:(?:i've |i have )?(?:stopped|no longer|don't|do not|can't|cannot) "
            r"believ(?:e|ing) (?:that )?(?:you're|you are|{participant}(?:'s| is)) (?:\w+ing|here) "
            r"in good faith|(?:you're|you are|{participant}(?:'s| is)) (?:clearly |obviously |just "
            r"|simply )?(?:asking|arguing|posting|engaging|debating|commenting|here) in bad faith|"
            r"(?:you're|you are|{participant}(?:'s| is)) (?:clearly |obviously )?not (?:asking|"
            r"arguing|posting|engaging|debating|commenting|here) in good faith))\b"
            # "you personally don't care what happens to those men", "I don't think you'd care
            # if they were paid nothing" (the people the thread is about, not a figure or a law)
            r"|\b(?P<term7>(?:you|{participant}) (?:personally |really |clearly |obviously |simply "
            r"|just )?(?:don't|do not|doesn't|does not|never) (?:really |actually |even )?"
            r"(?:cared?|gave a (?:damn|toss|fig)|give a (?:damn|toss|fig)|gives a "
            r"(?:damn|toss|fig)) "
            r"(?:about|what happens to|whether|if|one bit about|a jot about) "
            r"(?:(?:the |those |these |any of the |any )(?:men|women|workers|victims|survivors|"
            r"crew|crews|girls|people|carers|pickers|kids|children|migrants)\b(?!')"
            r"|them\b(?! (?:as|being|when)\b))"
            r"|i (?:don't|do not) think (?:you|{participant})(?:'d| would) (?:even )?care (?:if|"
            r"whether|what happens|about (?:them|the|those|these)\b))"
            # "that's what this is about for you", "you're not worried about the beds, you're
            # worried about your seat on that board", "she'd be saying it whatever the data
            # showed" (not "you're worried about your clients": the stake must be the writer's)
            r"|\b(?P<term8>that's (?:what|all) (?:this|it) (?:is|'s) (?:really |actually )?about "
            r"for (?:you|u|{participant})(?! and\b)"
            r"|you(?:'re| are) not (?:really )?(?:worried|concerned|bothered|upset|thinking) about "
            r"[^.;!?\n]{1,50}?,? (?:[\w.'-]+, )?you(?:'re| are) (?:worried|concerned|bothered|"
            r"upset|thinking) about (?:your|you) (?:own |precious )?(?:[\w'-]+ ){0,2}?(?:{stake}|"
            r"seat|promotion|status|position|title|image|ego|platform|invitations?|pay ?check)"
            r"|(?:you|u|he|she|{participant})(?:'d| would) (?:be )?(?:say|saying|argue|arguing|"
            r"claim|claiming|write|writing) (?:that|this|it|the same(?: thing)?) (?:whatever|no "
            r"matter what|regardless of what) the (?:data|evidence|numbers|figures|facts|research|"
            r"studies|study) (?:showed|show|shows|said|says|found|finds)"
            # "so every extra T visa quietly ends up as income for you"
            r"|(?:ends? up|goes|go|lands?) (?:\w+ ){0,2}?(?:as|in|into) (?:\w+ )?(?:income|revenue|"
            r"profit|fees|money|a payday) for (?:you|u|her|him|{participant}))\b"
        ),
    ),
    # What the person answered would say whatever the truth: "you'd say that either way", "you'd
    # be quoting that number whether it protected anyone or not", "I'm not saying that's why you
    # argue as you do", "she's here on their expenses to sell their model".
    _rule(
        "motive.either_way",
        "pattern",
        "nudge",
        "says the person answered would argue it whatever the facts ('{term}')",
        pattern=(
            r"(?<![\w@/'])(?P<term>(?:you|u|{participant}|he|she|they)(?:'d| would) (?:have |still "
            r"|always |happily )?(?:be )?(?:say|said|saying|argue|argued|arguing|quote|quoted|"
            r"quoting|claim|claimed|claiming|defend|defending|write|writing|post|posting|pushing|"
            r"citing) (?:that|this|it|the same|exactly that|so)(?: [\w'-]+){0,4}? (?:either way|"
            r"regardless|whatever the (?:facts|data|evidence|numbers|truth|figures)|no matter what|"
            r"whether (?:or not )?(?:it|they|anyone|the [\w-]+) (?:[\w'-]+ ){0,5}?or not)|well,? "
            r"(?:you|he|she|they) would(?: say that)?,? wouldn't (?:you|he|she|they)|i'm not "
            r"(?:saying|suggesting|claiming) (?:that's|that is|it's|it is|this is) (?:why|the "
            r"reason|what makes) (?:you|{participant}|he|she|they) (?:argue|argues|say|says|think|"
            r"thinks|post|posts|write|writes|oppose|opposes|support|supports|defend|defends|push|"
            r"pushes|believe|believes|take|takes)|(?:you're|you are|she's|she is|he's|he is|"
            r"{participant}(?:'s| is)|they're|they are) (?:only |just )?here on (?:their|its|his|"
            r"her|someone's|somebody's|(?:the )?[\w' -]{1,40}?(?:'s|s')) (?:expenses|expense|dime|"
            r"money|ticket|tab|payroll|budget)(?:,? (?:to|so (?:as )?to) (?:sell|push|promote|"
            r"pitch|plug|peddle|spin|lobby for|market))|(?:this|that|all this|coming|says|said) "
            r"from (?:someone|somebody|a (?:man|woman|person|guy)) (?:who(?:'s| is) )?(?:angling|"
            r"gunning|hoping|auditioning|lobbying|pitching|campaigning|positioning (?:himself|"
            r"herself|themselves)) for (?:an? |the |their |his |her )?(?:[\w-]+ ){0,2}?(?:post|job|"
            r"seat|grant|contract|promotion|career|book deal|chair|position|role|consultancy|"
            r"column|tenure|fellowship)|(?:you|{participant}|she|he) (?:didn't|did not|never|"
            r"failed to) (?:declared?|disclosed?) (?:it|that|this|(?:your|her|his|their) "
            r"(?:interest|role|seat|tie|ties|link|links|connection|position|job|funding|employer|"
            r"board seat|directorship|stake))(?= at| to| in| when|\s*[.,;!]|$))"
            # "your outfit shared the foundation's grant, so it's hardly surprising your reading
            # of every report ends at closure" (not "it's hardly surprising your figures differ")
            r"|\b(?:grants?|funding|funded|paid|payroll|contracts?|fees?|donors?|sponsors?|"
            r"sponsored|board)\b(?:(?!\n).){0,200}?\b(?P<term2>(?:it's|it is|it was) (?:hardly|"
            r"little|no|not) (?:surprising|a surprise|a wonder|a coincidence|wonder)(?: that)? "
            r"(?:your|{participant}'s|her|his|their) (?:reading|take|view|position|conclusion|"
            r"verdict|line|stance|answer|analysis)s?)\b"
            # "You'd back the model whatever the Irish data said", "you'd want a second hearing
            # whatever the first had shown".
            r"|(?<![\w@/'])(?P<term3>(?:you|u|{participant}|he|she|they)(?:'d| would) (?:have |"
            r"still |always |happily )?(?:back|support|oppose|want|favour|favor|push|defend|choose|"
            r"pick|vote for|argue for|call for|demand|fight for) (?:[\w'-]+ ){1,5}?(?:whatever "
            r"(?:the |any )?(?:[\w'-]+ ){0,3}?(?:said|showed|shown|found|says|shows|finds|had "
            r"shown|had said|had found)|regardless of (?:the |what )?(?:[\w'-]+ ){0,3}?(?:data|"
            r"evidence|facts|figures|numbers|findings|results|research|said|showed)|no matter what "
            r"(?:the )?(?:[\w'-]+ ){0,3}?(?:said|showed|found|says|shows)))\b"
        ),
    ),
    # The person's own stake stated as what explains their view: "your company sells the course
    # you want made compulsory", "your centre is paid per case, so a longer visa means more
    # billable casework for you", "your employer pays for the hosting, which rather explains
    # wanting things left as they are" (not "my centre is paid per case", "the operator is paid
    # per case, so longer visas mean more casework").
    _rule(
        "motive.interest",
        "pattern",
        "nudge",
        "explains the person's view by what they stand to gain ('{term}')",
        pattern=(
            r"\b(?P<term>(?:your|{participant}'s) (?:own )?(?:[\w-]+ )?(?:company|firm|start-?up|"
            r"business|consultancy|centre|center|charity|organisation|organization|employer|agency|"
            r"practice|outfit|platform|group|network|foundation|union|clinic|funder|"
            r"funders)\b(?:(?![.!?\n]).){0,150}?(?:good for (?:your )?business|(?:more|extra) "
            r"(?:\w+ )?(?:billable|paid|fee-paying) (?:\w+ )?(?:for you|work|casework|hours|cases)|"
            r"more (?:billable |paid )?(?:casework|business|contracts|clients|fees|income|bookings|"
            r"money) (?:for (?:you|your)|in your)|which (?:rather |neatly |nicely |conveniently |"
            r"probably |surely |perhaps |might |may |would |goes some way to )?(?:explains?|"
            r"colou?rs?|accounts? for|shapes?) (?:why you|your (?:[\w-]+ )?(?:view|position|stance|"
            r"enthusiasm|support|opposition|take|reading|conclusion|objection|keenness|line|"
            r"argument|vote)|wanting|what you|how you))|(?:you (?:launched|run|own|founded|set up|"
            r"started|co-founded|chair|direct|sell|sold)|you (?:want|propose|are proposing|'re "
            r"proposing|are pushing|'re pushing|recommend|suggest|back) (?:[\w-]+ ){0,4}?is (?:one|"
            r"the one|something|what) (?:your|you))(?:(?![.!?\n]).){0,150}?(?:good for (?:your "
            r")?business|(?:sells?|sold|runs?|provides?|supplies|delivers?|licenses?|charges? for|"
            r"invoices? for|bills? for) (?:it |them |this |that )?(?:to [\w-]+ )?(?:at|for) "
            r"(?:[£$€]\s?\d+|(?:\w+ )?(?:pounds|dollars|euros|quid)) (?:a|per) (?:head|seat|person|"
            r"worker|hotel|place|licence|license)|(?:sells?|sold|runs?|provides?|supplies|"
            r"delivers?|charges? for) (?:it|them|this|that)?(?:\s*[.,;]|$)))|"
            r"\b(?P<term2>(?:(?:{sentence_start})(?:says|said)|this (?:comes )?from|that from|"
            r"interesting,? (?:coming )?from|an? (?:accusation|lecture|verdict|complaint) from) "
            r"(?:the|a|an|someone|somebody) (?:[\w-]+ ){0,2}?(?:paid|funded|employed|bankrolled|"
            r"sponsored) (?:by|to)\b|(?:this (?:comes )?from|(?:{sentence_start})(?:says|said)|"
            r"interesting,? (?:coming )?from|an? (?:accusation|lecture|verdict|complaint) from) "
            r"(?:an?|the) (?:[\w-]+ ){0,2}?(?:owner|director|employer|boss|consultant|operator|"
            r"lobbyist|landlord|supplier|contractor|trustee|founder|investor) with (?:a|an) "
            r"(?:[\w-]+ )?(?:stake|vested interest|financial interest|interest in))"
        ),
    ),
    _rule(
        "insult.character_phrase",
        "pattern",
        "flag",
        "attacks another participant's character or experience instead of their argument",
        pattern=(
            r"\b(?P<term>what(?:'s| is) (?:wrong|the matter) with (?:you|u|{participant}|"
            r"{mention}|people like you|you people))\b"
            r"|\b(?P<term2>no (?:decent|sane|reasonable|honest|normal|rational|caring|"
            r"self-respecting|thinking|serious|moral|compassionate|good) (?:person|human|human "
            r"being|one|adult|advocate|activist|man|woman|people)) (?:(?:would|could|can|ever) "
            r"(?:\w+ )?(?:write|say|post|type|argue|comment|respond|reply|answer)|(?:writes|posts|"
            r"responds|replies|answers)(?: like)? (?:that|this|to))\b"
            # "nobody with a shred of decency would post this"
            r"|\b(?P<term13>(?:nobody|no one|no-one|not one person|no person) with (?:(?:a shred|"
            r"an ounce|a scrap|a grain|a trace|a speck) of|any) (?:decency|integrity|honesty|"
            r"shame|compassion|humanity|self-respect|empathy)) (?:would|could|can|ever) (?:\w+ )?"
            r"(?:write|say|post|type|argue|comment|respond|reply|answer)(?: (?:that|this|"
            r"something like (?:that|this)|such (?:a thing|things)))?{sentence_end}"
            # "spoken like a true friend of the brothel owners"
            r"|\b(?P<term16>spoken like a (?:true |real |loyal |good |faithful )?(?:friend|ally|"
            r"fan|servant|employee|mouthpiece|defender|champion|lawyer) of (?:the |every |all )?"
            r"(?:[\w'-]+ )?(?:brothels?|pimps?|traffickers?|industry|lobby|punters?|johns?|trade|"
            r"owners|clubs?|agency|agencies|growers?|recruiters?|sex buyers?))\b"
            # "with friends like Okonkwo, the workers hardly need enemies"
            r"|\b(?P<term17>with friends like (?:you|u|{participant}|{mention}),? (?:[\w'-]+ )"
            r"{0,4}?(?:needs?|need) (?:any )?enem(?:y|ies))\b"
            # "don't listen to her, she has never worked a shift": the readers told to dismiss a
            # participant ("don't listen to him, listen to the data" points at the data)
            r"|\b(?P<term18>(?:don't|do not|never) (?:listen to|believe|trust) (?:her|him|"
            r"{participant}|{mention}))(?:{sentence_end}|[,;:]? (?:she|he)(?:'s|'d| is| has| was|"
            r" never| doesn't| does not| hasn't| knows| only| just| wouldn't| can't| cannot)\b)"
            # "a serious adult would be embarrassed to post that"
            r"|\b(?P<term14>(?:a|any) (?:decent|sane|reasonable|honest|normal|rational|serious|"
            r"self-respecting|thinking|grown|functioning) (?:person|human|human being|adult|man|"
            r"woman|grown-up) would be (?:embarrassed|ashamed|mortified) to (?:write|say|post|"
            r"type|argue) (?:that|this|something like (?:that|this))){sentence_end}"
            # "there's something deeply off about a person who writes like this"
            r"|\b(?P<term15>something (?:deeply |seriously |very |really |profoundly )?(?:off|"
            r"wrong|twisted|sick|broken|creepy) (?:about|with) (?:a person|someone|somebody|anyone|"
            r"anybody|people|a man|a woman) (?:who|that) (?:writes|posts|thinks|says|argues|"
            r"types|talks)) (?:like (?:this|that)|this|that|stuff like)\b"
            # "a decent human being wouldn't say that"
            r"|\b(?P<term10>(?:a|any) (?:decent|sane|reasonable|honest|normal|rational|caring|"
            r"self-respecting|thinking|moral|compassionate|good) (?:person|human|human being|"
            r"adult|man|woman)) (?:would|could)(?:n't| not| never) (?:ever )?(?:write|say|post|"
            r"type|argue|comment|respond|reply|answer) (?:that|this|something like that)\b"
            # "you enjoy other people's suffering": malice laid at someone's door
            r"|\b(?:you|u|{participant}|{mention}) (?:\w+ ){0,2}?(?P<term11>(?:enjoy|enjoys|relish|"
            r"relishes|get off on|gets off on|revel in|revels in|feed on|feeds on|thrive on|"
            r"thrives on|like|likes|love|loves) (?:[\w']+ ){0,2}?(?:suffering|pain|misery|"
            r"humiliation))\b"
            r"|\b(?P<term3>says the (?:\w+ ){0,2}?(?:expert|genius|person|one|guy|woman|man|"
            r"lady|activist|advocate|authority|professor|scholar|hero|saint)) (?:who|whose|that|"
            r"with)\b"
            # "spoken like someone who has never done a night shift": the same sarcasm
            r"|\b(?P<term12>spoken like (?:someone|somebody|a person|a man|a woman|a guy|an? "
            r"(?:\w+ )?(?:expert|academic|activist|advocate|bureaucrat|manager|lawyer|researcher|"
            r"tourist|politician)) (?:who|that) (?:has |had |'s )?(?:never|not once|hasn't|"
            r"has not|doesn't|does not|didn't|did not))\b"
            r"|\b(?:you|u|{participant}|{mention}) (?:\w+ )?(?P<term4>(?:have|has|had)n?'?t? "
            r"(?:never|not even|not once|never once|never even) (?:met|helped|spoken to|talked to"
            r"|worked with|sat with|listened to|seen) (?:a|one|an|any) (?:single |actual |real )?"
            r"(?:victim|survivor|sex worker|trafficked person|migrant|worker))"
            r"|\b(?:your|his|her|their) (?P<term5>(?:supposed|alleged|so-called|so called|"
            r"claimed|convenient|invented|made up|made-up) (?:lived )?(?:experience|story|"
            r"stories|past|trauma|history|expertise|credentials|survivor story))\b"
            r"|\b(?P<term9>the (?:confidence|arrogance|certainty) of the (?:uninformed|ignorant|"
            r"clueless))\b"
            # "The smug certainty of someone who has never missed a meal.": the writer's view
            # put down to a life they are said never to have lived, said as a verdict on them
            r"|\b(?:{sentence_start})(?P<term19>the (?:smug |easy |breezy |blithe |serene |"
            r"sheer |total |quiet |unearned |comfortable )?(?:confidence|arrogance|certainty|"
            r"self-assurance|self-righteousness|moral clarity) of (?:someone|somebody|a person|"
            r"people|one) (?:who|that)(?: has| have|'s|'ve)? (?:never|not once))\b"
            r"|\bconvenient (?:how|that) (?P<term6>(?:your|his|her|their) (?:\w+ )?(?:story|"
            r"experience|past|trauma|history))\b"
            r"|\b(?:if|assuming) (?:you|u|{participant}|{mention}) (?:even |really |actually |"
            r"ever )(?P<term7>(?:are|is|were|was) (?:a |an )?(?:survivor|victim|sex worker|"
            r"trafficked|social worker|researcher|nurse|lawyer|advocate))"
            r"|\b(?:you|u|{participant}|{mention}) (?:were|was|are|is|'re)n?'?t? (?:never |not "
            r"(?:really |even |actually ))(?P<term8>(?:a |an )?(?:survivor|victim|sex worker|"
            r"trafficked))\b(?! (?:of|to|in|by|for|under)\b)"
        ),
    ),
    # Too green to speak, said of the person answered rather than argued: "a great many confident
    # paragraphs for someone whose only experience of a budget is a seminar", "to be lectured on
    # caring by someone who never read it", "how little you understand the people you help".
    _rule(
        "insult.inexperience",
        "pattern",
        "nudge",
        "belittles the person answered as knowing nothing of it ('{term}')",
        pattern=(
            r"\b(?P<term>(?:confident|certain|sure|a lot to say|opinions?|lectur\w*|paragraphs|"
            r"strong views|pronouncements|holding forth|so much to say|sweeping "
            r"claims)(?:(?![.!?\n]).){0,80}?\bfor (?:someone|somebody|a (?:man|woman|person)) "
            r"whose (?:only|entire|whole|sole) (?:experience|knowledge|contact|acquaintance|"
            r"exposure|understanding) (?:of|with)|(?:to be|being|get|getting|got|was|were) "
            r"(?:lectured|told|taught|schooled|corrected|preached at)(?: (?:on|about) [\w' "
            r"-]{1,40}?| how [\w' -]{1,60}?)? (?:by|from) (?:someone|somebody|a (?:[\w-]+ "
            r"){0,3}?(?:student|graduate|volunteer|academic|campaigner|intern|activist|tourist|man|"
            r"woman|person|lawyer|consultant)) (?:who(?:'s| has| have| had)? (?:never|not once|"
            r"barely|only ever|been making|spent)|whose only)|how little (?:you|{participant}|she|"
            r"he) (?:really |actually |truly |even )?(?:understands?|knows?|grasps?|cares? "
            r"(?:about|for)|(?:has|have) learned|(?:has|have) learnt) (?:about )?(?:the|what|how|"
            r"this|these|those|people|women|workers|survivors|victims|anyone|anything)|(?:comes?|"
            r"coming) from (?:someone|somebody) who(?:'s| has| had)? never (?:[\w'-]+ ){1,4}?in "
            r"(?:her|his|their|your) (?:whole |entire )?(?:life|lives|career))\b"
            # A verdict set against who gives it: "a bold verdict from a student who has spent a
            # single term on this", "easy to pronounce on when you've never had to staff a house",
            # "why a person whose whole experience of agriculture is an allotment feels equipped"
            # (not "advice from someone who has never been wrong about the budget").
            r"|\b(?P<term2>(?:hearing|to hear|being (?:told|handed|given|lectured)|to be (?:told|"
            r"handed|given|lectured)|verdict|plan|strategy|advice|lecture|lesson|pronouncements?|"
            r"opinions?|certainty|proposal)\b(?:(?![.!?\n]).){0,80}?\b(?:from|by) (?:someone|"
            r"somebody|a person|a (?:[\w-]+ ){0,2}?(?:student|newcomer|graduate|activist|volunteer|"
            r"campaigner|academic|consultant|tourist|man|woman|person)) (?:who(?:'s| has| had| "
            r"is)?|whose)\b(?:(?![.!?\n]).){0,100}?\b(?:never (?!(?:been wrong|once been wrong|"
            r"failed|missed|let))|not once|(?:hasn't|has not|haven't) (?:yet |even |once )?(?:sat|"
            r"been|met|worked|spoken|set foot|done|seen|read|visited|had)|(?:a|one) single (?:term|"
            r"week|month|meeting|shift|visit)|(?:only|whole|entire|sole) experience|through a "
            r"podcast)|(?:easy|easier|simple|nice|convenient|lovely|comfortable) to (?:pronounce|"
            r"judge|opine|lecture|preach|theori[sz]e|moralis[ez]|sneer|scoff|pontificate|be "
            r"certain|be sure|sound sure|talk) (?:on |about )?(?:it |this |that )?when you(?:'ve| "
            r"have)? never\b|(?:someone|somebody|a (?:man|woman|person)) whose (?:only|entire|"
            r"whole|sole) (?:experience|knowledge|contact|acquaintance|exposure|understanding) "
            r"(?:of|with) (?:(?![.!?\n]).){1,100}?\b(?:feels?|is|seems?) (?:equipped|qualified|"
            r"entitled|fit|in a position|placed))\b"
        ),
    ),
    # A failing read as who the person answered is: "I don't think that's an oversight, I think
    # it's who you are".
    _rule(
        "insult.who_you_are",
        "pattern",
        "nudge",
        "reads a failing as who the person answered is ('{term}')",
        pattern=(
            r"\b(?P<term>(?:not|isn't|wasn't|no|(?:don't|do not|didn't) think (?:that's|that is|"
            r"that was|it's|it is|it was)) (?:an? |just an? )?(?:oversight|accident|mistake|"
            r"coincidence|slip|lapse|blind spot)\b(?:(?![.!?\n]).){0,40}?(?:it's|that's|it is|that "
            r"is|this is) (?:just |simply |exactly )?(?:who|what) (?:you are|you're|{participant} "
            r"is|she is|he is|she's|he's)|(?:that's|that is|it's|it is) (?:just |simply |exactly "
            r")?the (?:kind|sort|type) of (?:person|man|woman) (?:you are|you're|{participant} is|"
            r"she is|he is|she's|he's))\b(?!(?:(?![.!?\n]).){0,50}?\b(?:brilliant|wonderful|great|"
            r"amazing|kind|generous|lovely|thank|thanks|grateful|proud|love|admire)\b)"
        ),
    ),
    # A failing read as a habit of the person answered rather than an error in the argument:
    # "misreading tables in your own favour is a pattern with you", "you do that whenever a
    # thread turns against you", "that isn't forgetfulness any more, it's how you operate".
    _rule(
        "insult.habit",
        "pattern",
        "nudge",
        "reads an error as a habit of the person answered ('{term}')",
        pattern=(
            r"\b(?P<term>(?:is|that's|it's|he's|she's|was|has become|becomes|seems|remains) (?:a |"
            r"the |your |just |simply |really )*(?:[\w-]+ )?(?:pattern|habit|tactic|trick|routine|"
            r"default(?: move)?|speciality|specialty|signature move|modus operandi|m\.o\.) (?:with "
            r"you|of yours|for you|with (?:{participant}|her|him)|of (?:{participant}'s|hers|"
            r"his))\b|(?:has become|is|that's|it's) your (?:default|go-to|usual|standard|favourite|"
            r"favorite|signature) (?:move|tactic|trick|response|setting|mode|play)|(?:simply|just|"
            r"exactly|only|precisely|it's|it is) how (?:you|{participant}|she|he) (?:operate|"
            r"operates|work|works|argue|argues|roll|rolls|play it|plays it)(?=\s*(?:[.,;:!?]|$| "
            r"and\b| now\b| here\b))|(?:you|{participant}|she|he) (?:do|does|did|pull|pulls|try|"
            r"tries) (?:that|this|it|the same thing) (?:whenever|every time|each time)|(?:you|"
            r"{participant}|she|he) (?:always |reliably |routinely )?(?:inflates?|round(?:s)? up|"
            r"exaggerates?|overstates?|twists?|spins?|misquotes?|misreads?|stretch(?:es)?|shrinks?|"
            r"cherry-?picks?) (?:every|each|any|all (?:the|your)) (?:number|figure|statistic|stat|"
            r"claim|quote|source|table|study|report)s?\b|(?:you|{participant}|she|he) (?:round|"
            r"rounds|blow|blows|talk|talks|puff|puffs) (?:everything|every (?:number|figure)|it "
            r"all) (?:up|down),? (?:every time|always|without fail)|(?:says|tells (?:us|me|you)|"
            r"shows) (?:something|plenty|everything) about (?:you|{participant}|her|"
            r"him)(?=\s*(?:[.;:!?]|$))|(?:says|tells (?:us|me|you)|shows) a (?:lot|great deal) "
            r"about (?:you|{participant}|her|him)(?=\s*(?:[.;:!?]|"
            r"$)))(?!(?:(?![.!?\n]).){0,50}?\b(?:brilliant|wonderful|great|amazing|kind|generous|"
            r"lovely|thank|thanks|grateful|proud|love|admire|care|dedication|commitment)\b)"
        ),
    ),
    _rule(
        "accuse.group_label",
        "pattern",
        "flag",
        "labels the people in the thread as a group ('{term}')",
        pattern=(
            r"\b(?:everyone|everybody|anyone|anybody|all of you|those of you|any of you|people|"
            r"whoever|each of you|every one of you)(?: here| in this thread| on this (?:forum|"
            r"site))? (?:who|that) (?:defends?|supports?|argues?|wants?|backs?|pushes?|agrees?|"
            r"thinks?|believes?|says?|posts?|disagrees?|likes?|votes?|is for|are for|is against|"
            r"are against|defended|supported|argued|agreed|posted) (?:\w+ ){0,4}?(?:is|are|'re) "
            r"(?:\w+ ){0,2}?"
            r"(?P<term>{role_labels}|{insult_nouns}|johns?|punters?|pimps?)s?\b"
            # "anyone who believes that is either naive or on the payroll": the same label as an
            # adjective of character or a hint of being paid, pinned on whoever agrees.
            r"|\b(?:everyone|everybody|anyone|anybody|whoever) (?:here |in this thread )?(?:who|"
            r"that) (?:defends?|supports?|argues?|believes?|thinks?|says?|agrees? with|buys?|"
            r"falls? for|writes?|posts?|backs?|votes? for) (?:this|that|it)(?: (?:law|bill|"
            r"policy|model|report|study|idea|argument))?,? (?:is|are|must be|has to be)"
            r" (?:either |just |simply |clearly |obviously )?"
            r"(?P<term6>{character}|naive|on (?:the|someone's|somebody's|their|a) payroll|"
            r"paid (?:to|by|off)|in (?:the|their) pocket|(?:an? )?(?:cop|narc|prude|puritan|"
            r"zealot|fanatic|pimp|john|punter)s?)\b"
            r"|\b(?P<term2>(?:apologists|enablers|cheerleaders|shills|prohibitionists|radfems|"
            r"swerfs|johns|punters|pimps|lobbyists|do-gooders|rescuers|white knights|"
            r"savio(?:u)?rs) like (?:you|u|{participant}|{mention}))\b{like_you_end}"
            # "you decrim people always", "you NGO types all": a label for the people present
            # (a bare "you people" only talks down, see condescension.people).
            r"|\b(?P<term4>(?:all )?you (?:(?!(?:saying|said|say|think|mean|know|and|that|who|"
            r"want|see|are|were|as|if|the|of|to|can|do)\b)[\w-]+ ){1,2}?(?:people|lot|crowd|"
            r"folks)|(?:all )?you (?:(?!(?:saying|said|say|think|mean|know|and|that|who|want|see|"
            r"are|were|as|if|the|of|to|can|do)\b)[\w-]+ ){0,2}?(?:types|activists|advocates|"
            r"wonks|crusaders|regulars|abolitionists|prohibitionists|cops|lawyers|academics|"
            r"writers|defenders|liberals|feminists|conservatives|progressives|christians|"
            r"secularists|moralists|zealots|ideologues|rescuers|lobbyists|"
            r"bureaucrats|moderators|mods)),? (?:(?:[\w-]+ )?(?:all|always|never|only|just)|"
            r"are all|will (?:use|say|do|defend|attack)|can't stand|discover|line up|cry|close "
            r"ranks|hide behind|treat|think every|want to)\b"
            # "people like Jody are the problem", "grant-chasers like you are part of the
            # problem": the trouble laid at a participant's door. "... are the reason" and
            # "... are why" are left to the models: as often praise ("people like you are why
            # that shelter stays open") as blame.
            r"|\b(?P<term10>(?:people|folks|activists|advocates|campaigners|researchers|"
            r"academics|lobbyists|bureaucrats|managers|officials|consultants|volunteers|"
            r"do-gooders|grant-chasers|rescuers|apologists|enablers|moralists|zealots|ideologues|"
            r"types) like (?:you|u|{participant}|{mention})) "
            r"(?:are|is) (?:exactly |precisely |just |really |all )?(?:the problem|part of the "
            r"problem|what(?:'s| is) wrong)\b"
            r"|\b(?<!\breason )(?<!\bwhy )(?P<term5>(?:cops|lawyers|academics|activists|advocates|"
            r"people|bureaucrats|"
            r"officers|researchers|volunteers|mods|moderators) like (?:you|u|{participant}|"
            r"{mention})),? (?:always|never|all|just|only|are all|will always|can't|don't)\b"
            # "the growers' cheerleaders on this forum are at it again": the people present
            # named as someone's paid or blind supporters ("the cheerleaders in parliament" are not)
            r"|\b(?P<term11>(?:apologists|cheerleaders|shills|enablers|mouthpieces|fan club|"
            r"foot soldiers|groupies|propagandists|lackeys|bootlickers) (?:here|on this (?:forum|"
            r"site|board|thread)|in this (?:thread|discussion|forum)))\b(?! (?:in|at|is|are|was|"
            r"were) (?:the|a|an|parliament|westminster|congress|brussels|court)\b)"
            r"|\byou (?P<term3>(?:abolitionists|prohibitionists|radfems|swerfs|decrim (?:people|"
            r"crowd|lobby|types)|rescue (?:industry|people|types|crowd)|sex work lobby|"
            r"do-gooders|rescuers|white knights|apologists|johns|punters|academics|activists|"
            r"bureaucrats)) (?:always|never|all|just|only|can't|cannot|don't|won't|are|will|"
            r"would|love|think|care)\b"
            # "the decriminalisation side here is punters and brothel owners"
            r"|\b(?P<term9>(?:side|camp|crowd|contingent|brigade|lobby) (?:here|in this thread|on "
            r"this (?:forum|board|site|thread)) (?:is|are) (?:just |mostly |all |really |basically "
            r"|nothing but |only |simply )?(?:a bunch of |a load of |a pack of )?(?:{role_labels}|"
            r"punters|johns|brothel owners|pimps|cops|profiteers|zealots|prudes|fanatics)s?)\b"
        ),
    ),
    _rule(
        "accuse.who_for",
        "pattern",
        "flag",
        "asks whom another participant secretly speaks for instead of answering them",
        pattern=(
            # "who sent you the report?" asks about a thing sent, not a sender behind someone.
            r"\b(?P<term>who (?:sent|recruited|planted) (?:you|u|{participant}|{mention}))\b"
            r"(?! (?:to|into|for|onto|as|the|a|an|this|that|these|those|it|them|his|her|their|my|"
            r"our|your|some|any|copies|links?|details|info|documents?|papers?|files?|emails?|"
            r"messages?|letters?|reports?)\b)"
            # "who are you writing for?" asks about a journal, unless "really" makes it a charge.
            r"|\bwho (?:are|is) (?:you|u|{participant}|{mention}) (?:(?:really|actually|secretly) "
            r"(?P<term2>(?:posting|working|writing|speaking|shilling|commenting) for)|(?P<term12>"
            r"(?:posting|speaking|shilling|commenting) for))\b"
            r"|\b(?P<term3>are (?:you|u) (?:posting|commenting|writing|here) (?:for|on behalf of))"
            r" (?:them|that|the|those|these|a|an|one|some|your|his|her)\b"
            r"|\b(?:does|do|did) (?:[\w'-]+ ){1,4}?(?P<term4>(?:run|write|pay for|fund|manage) "
            r"(?:your|his|her|their) (?:account|posts|comments|replies))\b"
            r"|\bsomeone (?:else )?(?:is |'s )?(?P<term5>(?:writing|running|managing|paying for) "
            r"(?:your|his|her|their) (?:posts|account|comments))\b"
            r"|\b(?:are|were|is) (?:they|the [\w-]+) (?:already |secretly )?(?P<term6>paying "
            r"(?:you|u|{participant}|{mention}))\b"
            # "how much is the lobby paying per post these days?": posting for pay, asked about
            # the thread's people ("she was paid per post", from a court filing, is a report)
            r"|\b(?P<term10>(?:how much|what) (?:are|is|do|does|did) (?:[\w'-]+ ){1,3}?(?:paying|"
            r"pay) (?:you |u |{participant} )?(?:per|for each|for every|by the) (?:post|comment|"
            r"reply)|(?:paying|pays|paid|pay) (?:you|u|{participant}) (?:per|for each|for every|"
            r"by the) (?:post|comment|reply))\b"
            r"|\b(?P<term7>(?:how many|which ones?) (?:do|does) (?:you|u|{participant}) own)\b"
            r"|\b(?P<term8>(?:same|one) person,? (?:with |on |behind |using )?(?:two|three|four|"
            r"multiple|several|2|3) (?:accounts|logins|tabs|names|handles|usernames)|(?:two|three)"
            r" (?:hands|accounts|names|logins),? one (?:puppet|person|voice|brain|typist|keyboard|"
            r"laptop|login|set of hands|operator))\b"
            r"|\b(?:on|from|under|using) (?:a|an|her|his|their|your|another|the other) "
            r"(?P<term9>(?:second|other|alt|backup|spare|new|burner|different) (?:login|account|"
            r"handle|username))\b"
            # "nice to see the sex-buyer lobby has sent its best": the reader as someone's envoy
            r"|\b(?:lobby|industry|agency|agencies|brothels?|pimps|clubs|growers|foundation|"
            r"think tank) (?:has |have |finally |just )*"
            r"(?P<term14>sent (?:its|their|us its|us their|in its|in their|over its|over their) "
            r"(?:very )?(?:best|finest|a-team))"
            r"{sentence_end}"
            # "I can smell the agency money from here", "is this what they teach you at the
            # growers' association?": a paymaster or a camp hinted at, not named
            r"|\b(?P<term11>(?:i can |you can )?smell (?:the |their )?(?:[\w'-]+ ){0,2}?(?:money|"
            r"cash|payroll|pay ?cheques?|pay ?checks?|funding|grant money) (?:from here|on (?:you|"
            r"this|that|every)|in (?:this|that|every)))"
            # "which of your clients told you to say that?", "who paid you to write this?"
            r"|\b(?P<term15>(?:which of (?:your|his|her|their) (?:[\w'-]+ )?(?:clients|bosses|"
            r"funders|paymasters|handlers|employers|sponsors|donors|backers|masters|managers) "
            r"(?:told|paid|asked|got)|who paid) (?:you|u|{participant}|{mention}) (?:to )?(?:say|"
            r"post|write|type) (?:that|this|it)){sentence_end}"
            # "interesting how every defender of the van has the same three talking points": the
            # people on one side cast as reading from one script
            r"|\b(?P<term17>(?:every|each|all the|all of the) (?:single )?(?:defenders?|"
            r"supporters?|critics?|fans?|cheerleaders?|opponents?|champions?) (?:of (?:[\w'-]+ )"
            r"{1,3}?)?(?:here |in this thread |on this forum )?(?:has|have|uses?|posts?|repeats?|"
            r"copies|copy|parrots?|recites?) the (?:exact |very )?same (?:\w+ )?(?:talking "
            r"points|script|lines|wording|phrases|sentences))\b"
            # "somebody is paying for this level of polish": the writing said to be bought
            r"|\b(?P<term16>(?:someone|somebody)(?:'s| is) (?:paying|paying good money|footing the "
            r"bill) for (?:this|these|that|all this|all these) (?:level of |kind of |much |many )?"
            r"(?:polish|posts?|comments?|replies|messaging|talking points|spin))\b"
            r"|\b(?P<term13>(?:is|was) (?:this|that) what (?:they|the [\w'-]+) (?:teach|taught|"
            r"train|trained|pay|paid) (?:you|u|{participant}) (?:to (?:say|write|post) )?(?:at|in|"
            r"over at) (?:the|your|their) (?:[\w'-]+ )?(?:lobby|think tank|industry|(?:trade|"
            r"growers'?|industry|employers'?|landlords'?|farmers'?|owners'?) association|pr "
            r"(?:firm|agency|office)|party office|troll farm))\b"
        ),
    ),
    _rule(
        "condescension.sarcasm",
        "pattern",
        "nudge",
        "answers the person, not the point ('{term}')",
        pattern=(
            r"\b(?P<term>(?:it )?must be (?:nice|restful|easy|lovely|great|comfortable|"
            r"convenient) (?:to|being|having|never))\b"
            r"|\b(?P<term2>from (?:your|his|her|their) armchair)\b"
            r"|\b(?P<term3>says (?:a lot |more |everything |plenty )?about (?:you|u|your|his|her|"
            r"{participant}))\b"
            r"|\b(?P<term4>(?:you|u|{participant}) (?:can't|cannot|couldn't) even)\b"
            r"|\b(?P<term5>what (?:passes|counts) for (?:research|argument|expertise|analysis|"
            r"evidence|thinking|debate))\b"
            r"|\b(?P<term6>such (?:expertise|insight|wisdom|brilliance|genius|authority))\b"
            r"|\b(?P<term7>(?:the|your|his|her) only (?:move|trick|argument|card) (?:you|u|"
            r"{participant}) (?:have|has|know|play))\b"
            r"|\b(?P<term8>of course (?:you|u|{participant}|{mention})(?:'d|'re| would| will| do"
            r"| did| are)? ?(?:want|say|think|defend|believe|argue|claim|found|like|prefer|"
            r"oppose|support|object|miss|did))\b"
            r"|\b(?P<term9>do (?:you|u) work for (?:one of )?(?:the|them|that|those|these|a|an))\b"
            r"|\b(?P<term10>who funds (?:your|his|her|their|{participant}'s) (?:own )?[\w-]+)"
            r"|\b(?P<term12>(?:isn't|is not|was never|never was) (?:your|his|her|their) strong "
            r"(?:point|suit))\b"
            r"|\b(?P<term13>(?:be honest|be upfront|come clean) about what (?:you're|you are|"
            r"you were|he's|she's|they're) (?:really |actually )?after)\b"
            r"|\b(?P<term14>tells? (?:you |us )?(?:everything|all you need to know|a lot) about "
            r"(?:his|her|your|their) (?:priorities|judgement|judgment|character|motives|agenda|"
            r"values))\b"
            # "big talk from a guy who lectures about demand from a university office"
            r"|\b(?P<term17>(?:big|tough|brave|bold|strong|fine|easy) (?:talk|words) (?:from|"
            r"coming from) (?:someone|somebody|a person|a guy|a man|a woman|the (?:person|guy|man|"
            r"woman|one)) (?:who|whose|that))\b"
            # "I'd argue with Okonjo but there's no point arguing with a slogan"
            r"|\b(?P<term16>(?:argue|arguing|debate|debating|reason|reasoning) with (?:you|u|"
            r"{participant}|{mention})\b(?:(?![.!?\n]).){0,40}?\b(?:no point|pointless|no use|a "
            r"waste of time) (?:in )?(?:arguing|debating|talking|reasoning) with (?:a|an) "
            r"(?:[\w-]+ )?(?:slogan|wall|brick wall|bot|script|press release|parrot|tape "
            r"recorder|broken record|fortune cookie))\b"
            # "I'd ask whether you've been to Auckland, but we both know the answer"
            r"|\b(?P<term15>(?:i'd|i would|i was going to|i could) ask (?:whether|if) (?:you|u|"
            r"{participant}|{mention})(?:'ve|'d|'re)? (?:[\w'-]+,? ){0,8}?but we (?:both|all) know "
            r"the answer)\b"
            r"|\b(?P<term11>(?:every|each) (?:single )?one of you|all of you,? every time|the lot "
            r"of you|(?:with )?your lot|your (?:whole )?(?:camp|crowd|kind|sort))\b(?! of "
            r"(?:argument|point|question|approach|work|research|data|evidence|case|reasoning|"
            r"analysis|idea|proposal|policy)s?\b)"
        ),
    ),
    _rule(
        "hostility.profanity",
        "pattern",
        "flag",
        "swears at another participant",
        pattern=(
            r"\b(?:fuck (?:you|u|off|yourself|ya)|f off|screw (?:you|u)|stfu|gtfo|"
            r"shut (?:the fuck |the hell |the f |your (?:mouth|trap) )?up|go to hell|"
            r"go fuck yourself|kiss my ass|bite me|eat shit|get fucked|piss off|bugger off|"
            r"kys|kill yourself|drop dead|you(?:'re| are) (?:full of )?(?:shit|crap)\b|"
            r"calm the fuck down|take your (?:meds|pills|medication)\b|go get a (?:\w+ )?life)"
        ),
    ),
    _rule(
        "insult.cant_understand",
        "pattern",
        "flag",
        "belittles another participant's intelligence instead of answering the point",
        pattern=(
            r"\b(?:i don't think|i do not think|i doubt) (?:you|u) (?:actually |really |even )?"
            r"(?:understand|know|get|grasp) (?:how|what|the (?:basic|basics|concept|point|"
            r"difference))"
            r"|\b(?:you|u) (?:clearly |obviously |really |honestly |simply |just )?(?:have|got) "
            r"(?:absolutely |obviously |clearly )?(?:no|zero|not the slightest|not the faintest) "
            r"(?:idea|clue|understanding|grasp|concept) (?:of |about |what )"
            r"|\b(?:you|u) (?:clearly|obviously) (?:don't|do not|didn't|did not|can't|cannot|"
            r"have not|haven't) (?:even )?(?:understand|know|read|grasp|get|comprehend)\b"
            # "you argue like someone who skimmed the summary on the bus", "writes like a toddler"
            r"|\b(?:you|u|{participant}|{mention}) (?:argue|write|reason|think|post|debate|read)s? "
            r"like (?:a (?:child|toddler|teenager|bot|troll|drunk|first-year|freshman|undergrad|"
            r"pr intern)\b|(?:someone|somebody|a person|a man|a woman|a guy) (?:who|that) (?:only "
            r")?(?:skimmed|never|has never|'s never|hasn't|didn't|can't|cannot|doesn't|just "
            r"(?:discovered|learned|learnt|found out)|read (?:one|a single|half a))\b)"
            r"|\bdo (?:you|u) even (?:know|read|understand|think|care|listen)\b"
            r"|\bare (?:you|u) (?:really|seriously|actually|honestly|just|always|even) "
            r"(?:this|that|so) (?:dense|stupid|dumb|thick|obtuse|ignorant|clueless|slow|naive|"
            r"gullible)\b"
            r"|\b(?:you(?:'re| are)|ur|youre) (?:just |simply |clearly |obviously )?(?:not|too) "
            r"(?:smart|bright|intelligent|clever|stupid|dumb|dense|thick|ignorant|obtuse|slow) "
            r"enough\b"
            r"|\b(?:you(?:'re| are)|ur|youre) (?:\w+ )?(?:just |simply |clearly |obviously )?too "
            r"(?:stupid|dumb|dim|dense|thick|ignorant|obtuse|slow|lazy|blind|brainwashed|biased|"
            r"arrogant) to\b"
            r"|\b(?:you(?:'re| are)|ur|youre) (?:just |simply |clearly |obviously )?not cut out "
            r"for\b"
            r"|\byour (?:complete |total |utter |obvious |apparent |sheer )?(?:inability|failure) "
            r"to (?:comprehend|understand|read|think|grasp|follow|express|process)\b"
            # Only as an imperative aimed at the reader: "Officers take a course each year" and
            # "migrants learn English there" are reports, not put-downs. The lookahead keeps the
            # lookbehinds from running at every position.
            r"|\b(?=(?:take|try taking|learn) )(?:{sentence_start}|(?<=\bgo )|"
            r"(?<=\bmaybe )|(?<=\bplease )|(?<=\bseriously )|(?<=\bseriously, )|(?<=\bjust )|"
            r"(?<=\bshould )|(?<=\bneed to )|(?<=\bwant to )|(?<=\btry to )|(?<=\btry and ))"
            r"(?:(?:take|try taking) a (?:\w+ )?(?:class|course)"
            r"|learn (?:some |basic |how to use )?(?:logic|english|grammar|history|science|math|"
            r"critical thinking))\b"
            # The idioms for a dim mind, said of the reader: "not the sharpest tool", "a few
            # sandwiches short of a picnic", "anything going on upstairs, Jody?"
            r"|\b(?:you(?:'re| are)|ur|youre|{participant}(?:'s| is)) (?:clearly |obviously |"
            r"really |just |honestly )?(?:not the (?:sharpest|brightest) (?:tool|knife|pencil|"
            r"bulb|crayon)|(?:a )?(?:few|couple of) \w+ short of (?:a|the) (?:full )?(?:picnic|"
            r"load|deck|six-?pack|clue)|(?:running|operating) on (?:one|two|a single) brain "
            r"cells?)"
            r"|\b(?:anything|much) going on (?:upstairs|up there|in there|in that head),? (?:you|u|"
            r"{participant}|{mention})\?"
            # "clear thinking isn't this one's strong suit", "is being this misinformed exhausting?"
            r"|\b(?:thinking|clear thinking|logic|reading|reading comprehension|comprehension|"
            r"maths|math|arithmetic|critical thinking|nuance|basic reasoning) (?:isn't|is not|"
            r"was never|has never been) (?:exactly )?(?:your|ur|this one's|{participant}'s) "
            r"(?:strong suit|strength|forte)\b"
            r"|\bis being (?:this|so) (?:reliably |consistently |wilfully |willfully )?(?:wrong|"
            r"misinformed|clueless|dense|ignorant|smug|confused) (?:exhausting|tiring|hard "
            r"work)(?=\s*\?)"
            # "Not the brightest bulb." said whole, under someone's comment
            r"|\b(?:{sentence_start})(?:clearly |obviously )?not the (?:sharpest|brightest) "
            r"(?:tool|knife|pencil|bulb|crayon)(?: in the (?:shed|box|drawer|pack))?{sentence_end}"
        ),
    ),
    _rule(
        "hostility.mockery",
        "pattern",
        "flag",
        "mocks or dismisses another participant instead of their argument",
        pattern=(
            r"\b(?:you(?:'re| are)|ur|youre|are you) (?:just |simply |clearly |obviously |only |"
            r"really )?(?:trolling|baiting|being a troll)\b"
            r"|\b(?:lol|lmao|haha|lmfao),? (?:you|u)(?:'re| are| r)? (?:clearly |really |"
            r"actually |seriously )?(?:can't|don't|have no|are|think|really|actually|must|"
            r"seriously|need)\b"
            r"|\bnice (?:strawman|straw man|try|job|one|deflection|projection|goalpost),? "
            r"(?:genius|einstein|sherlock|champ|chief|buddy|pal|bro|kid|sweetie|honey)\b"
            r"|\b(?:i'm|i am) laughing at (?:you|u)\b"
            # "Morgan, the word for that is hypocrite"
            r"|\bthe (?:word|name|term) for (?:that|this|it|you|people like you|someone like you) "
            r"is (?:a |an )?(?:{insult_nouns}|{character})\b"
            r"|\b(?:you(?:'re| are)|ur|youre) (?:a|such a|just a) (?:complete |total )?waste of "
            r"(?:my |our |everyone's |everybody's )?time\b"
            r"|\bstop being (?:so |such )?(?:an? )?(?:{insult_nouns}|{character})\b"
            r"|\b(?:gfy|go fuck yourself|fuck off)\b"
            r"|\bwas that (?:supposed|meant) to be (?:a |an )?(?:coherent|serious|real|actual|"
            r"intelligent|rational)\b"
            r"|\byou don't get out much\b"
            r"|\byour (?:english|grammar|spelling|reading) is (?:\w+ )?(?:poor|terrible|awful|"
            r"atrocious|bad|pathetic|laughable)\b"
            r"|\b(?:you|u) should be (?:ashamed|embarrassed)\b"
            r"|\bcrawl back (?:under|into) (?:a|the|whatever|your|that) (?:\w+ )?(?:rock|hole)\b"
            r"|\bnobody (?:asked|cares what) (?:you|u|{participant}|a [\w-]+ like you)\b"
            r"|\b(?:do|does) (?:you|u|{participant}) (?:even |actually )?know how to (?:disagree|"
            r"argue|read|think|debate)\b"
            # "Ade is the reason nobody takes this forum seriously" ("you're the reason the shelter
            # stays open" is thanks: the models read that shape)
            r"|\b(?:you|u|{participant}|{mention})(?:'re| are| is|'s) (?:exactly |precisely |just "
            r")?(?:the|a|part of the|half the) reason (?:why )?(?:nobody|no one|no-one|people "
            r"(?:leave|stop reading|give up|laugh at)|this (?:forum|thread|site|place|debate) "
            r"(?:is a joke|is dying|gets nowhere|goes nowhere))\b"
            r"|\bhard to take (?:you|u|{participant}|anything (?:you|{participant}) says?|what "
            r"(?:you|{participant}) says?|your \w+) seriously\b"
            r"|\bsome (?:manager|expert|advocate|researcher|cop|officer|lawyer|activist|ally|"
            r"moderator|mod|helper|friend|feminist|christian|scholar|journalist|professional|"
            r"volunteer|organiser|organizer) (?:you are|you're|he is|she is|they are)\b"
        ),
    ),
    # Doubting that the person answered lived what they tell, in a reply that needs no "you":
    # "this reads like something made up", "pics or it didn't happen". A nudge, since a
    # member may fairly doubt a job advert, a press story or a statistic: the patterns need a
    # pronoun for the answered comment ("this", "any of this", "your story") and a word for
    # invention, and leave "the advert was fake", "you made that up" (said of a claim) and
    # "that never happened in our county" alone. The house rules' own example of the line
    # crossed, "you're obviously making that up", counts.
    _rule(
        "doubt.story",
        "pattern",
        "nudge",
        "doubts that the person answered lived what they tell ('{term}')",
        pattern=(
            r"\b(?P<term>(?:this|that|all (?:of )?this|any of this|the whole thing|your "
            r"(?:story|account|post)) (?:all )?(?:sounds|reads|smells|seems|looks) (?:a lot |"
            r"suspiciously |very |pretty |really |awfully )?(?:like )?(?:(?:something|a story|a "
            r"tale|a post) )?(?:made up|made-up|invented|fabricated|fiction|fictional|"
            r"a fairy ?tale|creative writing|fan ?fiction|(?:polished|rehearsed|scripted|"
            r"embellished|tailored) for)"
            r"|(?:made|making|invented|inventing) (?:all (?:of )?this|the whole (?:thing|story)|"
            r"(?:this|that|your|the) (?:story|account)) up(?! to\b)"
            r"|(?:you|u)(?:'re| are) (?:obviously |clearly |just |totally |so )making (?:it|this|"
            r"that|all (?:of )?this) up(?! to\b)"
            r"|(?:pics|pictures|proof|receipts|sources?) or it didn't happen"
            r"|did (?:this|that|it|any of (?:this|that)) even (?:really |actually )?happen"
            r"|did any of (?:this|that) (?:really|actually) happen"
            # "Kemi's story changes with the audience": a telling said to shift to suit
            r"|(?:your|his|her|their|{participant}'s|{participant}s') (?:story|stories|tale|"
            r"account of (?:events|what happened|it)) (?:keeps? (?:changing|shifting)(?! (?:its|"
            r"the|their|his|her|a|an)\b)|changes? (?:with|every time|each time|depending on|to "
            r"suit|whenever)|shifts? (?:with|every time|each time|to suit)))\b"
            # "you're not a survivor, you're a spokeswoman": the story traded for a role ("you're
            # not a victim, you're a survivor" says the opposite)
            r"|\b(?:you|{participant})(?:'re| are|'s| is) not (?P<term2>(?:a |an )?(?:survivor|"
            r"victim|sex worker|trafficked)),? (?:(?:you're|you are|she's|he's|she is|he is) )"
            r"(?:just |only |really |actually )?(?:a |an |their |the )(?:[\w-]+ )?"
            r"(?:spokes(?:wo)?man|spokesperson|lobbyist|mouthpiece|actress|actor|performer|"
            r"storyteller|fantasist|"
            r"saleswoman|salesman|poster girl|poster child|brand|influencer|careerist|plant|shill|"
            r"pr (?:person|woman|man|machine|department))\b"
            # "which version are we meant to believe?", "I'd want to see something on paper
            # before believing she was ever arrested", "her story would be more persuasive if",
            # "I've seen that exact scene in a documentary", a story "produced whenever the data
            # gets questioned" or that "appears right as" an argument is lost
            # "it reads more like a composite someone put together than a real case", "I'm not
            # convinced your history is what you say it is", "you've told it as your own", "I'm
            # not convinced you lived any of this yourself", "I don't believe that visit happened
            # the way you tell it", "a story built to go viral"
            r"|\b(?:reads|sounds|looks) (?:more |much more )?like (?:a |an )?(?:[\w'-]+ ){1,8}?"
            r"than (?:a |an )?(?:real|genuine|true|actual) (?:case|story|experience|account|"
            r"survivor|worker|victim)\b"
            r"|\b(?:doubt|not convinced|not sure|unconvinced|skeptical|sceptical|wonder (?:whether|"
            r"if))\b(?:(?![.!?\n]).){0,30}?\b(?:your|his|her|the) (?:life )?(?:history|story|past|"
            r"background|experience|account|biography|identity)(?: here)? (?:is|was) (?:really |"
            r"actually |quite )?what (?:you|she|he|they|it)(?:'s| is| was)? ?(?:say|says|said|"
            r"claim|claims|claimed|presented as|present|make out)"
            r"|\b(?:you've|you have|she's|she has|he's|he has) (?:told|passed|presented|written|"
            r"dressed up) (?:it|this|that|the story) (?:off )?as (?:your|her|his) own\b"
            r"|\b(?:not convinced|don't believe|do not believe|doubt|don't think|do not think) "
            r"(?:that )?(?:you|she|he|{participant}) (?:actually |really |ever )?(?:lived|"
            r"experienced|went through|survived|witnessed) (?:any of )?(?:this|that|it|what "
            r"(?:you|she|he) (?:describe|describes|described))\b"
            r"|\b(?:i don't|i do not|i refuse to) believe (?:that|this|it|the|your|her|his) "
            r"(?:[\w'-]+ ){0,2}?happened (?:the way|like|as) (?:you|she|he|{participant}) "
            r"(?:tell|tells|told|describe|describes|described|say|says|said)\b"
            # "... or these shifts didn't happen the way you tell them"
            r"|\b(?:didn't|did not|never) (?:really )?happen(?:ed)? (?:the way|like|as) (?:you|she|"
            r"he|{participant}) (?:tell|tells|told|describe|describes|described) (?:it|them|this)\b"
            r"|\b(?:a |the )?(?:story|tale|post|anecdote) (?:built|made|designed|written|crafted|"
            r"engineered) (?:to go viral|for clicks|for sympathy|to win (?:the|this) (?:argument|"
            r"thread|debate))"
            r"|\bwhich (?:version|story|account) (?:are we|am i|should we|should i|do we|do you "
            r"expect us|are we all) (?:meant |supposed )?to believe\b"
            r"|\bbefore (?:i |we )?(?:believing|believe|accepting|accept) (?:that )?(?:you|she|he|"
            r"{participant}) (?:was|were|had been|'d been|ever) (?:ever )?(?:arrested|trafficked|"
            r"exploited|abused|raped|held|there|a (?:survivor|victim|sex worker))\b"
            r"|\bbefore (?:i |we )?(?:believing|believe|accepting|accept) (?:that )?(?:it|this|"
            r"that|any of (?:it|this|that)) (?:really |actually )?happened to (?:you|her|him|"
            r"{participant})\b"
            r"|\b(?:skeptical|sceptical|doubtful|not convinced|unconvinced) (?:that )?(?:it's|it "
            r"is|it was|this is|that's|that was) (?:a |an )?(?:real |genuine |true |actual )?"
            r"memory\b"
            r"|\b(?:your|his|her|{participant}'s) (?:story|account) would be (?:a lot |much |far "
            r"|rather )?more (?:persuasive|believable|convincing|credible) if\b"
            r"|\b(?:i've|i have) seen (?:that|this) (?:exact |same |very )?(?:scene|story|plot|"
            r"line) (?:in|on) (?:a |an |the )?(?:documentary|film|movie|tv|netflix|trailer|drama|"
            r"soap|novel)\b"
            r"|\b(?:you|she|he|{participant}) (?:always |conveniently |only )?(?:produces?|wheels? "
            r"out|trots? out|brings? out|pulls? out|rolls? out) (?:the|her|his|your|that|this) "
            r"(?:[\w'-]+ ){0,5}?(?:story|call|scene|anecdote|tale|memory|experience)s? "
            r"(?:whenever|every time|each time|any time)\b"
            r"|\b(?:your|his|her|{participant}'s) (?:[\w'-]+ ){0,3}?(?:story|anecdote|memory|"
            r"experience) (?:only |always |conveniently )?(?:appears|comes out|turns up|shows up|"
            r"resurfaces|surfaces|gets (?:its first )?mention)[^.!?\n]{0,20}? (?:right as|just as|"
            r"precisely when|conveniently when|(?:precisely |conveniently |only )?whenever)\b"
        ),
    ),
    # A story doubted by how it is retold rather than answered: "your account has got more dramatic
    # every time you've told it", "it sounds less like a memory than a talking point", "your story
    # has been worked on by a lot of people" (not "the report reads more like a press release than
    # a study", "your account was suspended").
    _rule(
        "doubt.retelling",
        "pattern",
        "nudge",
        "doubts the person's own story by how it is retold ('{term}')",
        pattern=(
            r"\b(?P<term>(?:your|her|his|{participant}'s) (?:story|account|testimony|version(?: of "
            r"events)?|tale|recollection)(?: of [\w' -]{1,30}?)? (?:has |had |have |seems to have |"
            r"'s )?(?:(?:got(?:ten)?|grown|become|gets|grows|became|grew) (?:a (?:bit|little|lot) "
            r")?(?:more|bigger|grander|worse|darker|longer|sadder|better)\b(?: [\w-]+)? (?:every|"
            r"each|with (?:each|every)) (?:time|telling|retelling|thread|post|version|year)|"
            r"(?:changed|shifted|moved|evolved|kept changing|keeps changing|changes|shifts) (?:so |"
            r"quite |a lot |so much |again )?(?:between (?:threads|posts|tellings|versions|"
            r"meetings|interviews|panels|talks)|from (?:one )?(?:thread|post|telling|version|"
            r"meeting|panel|talk) to|every time|each time|with (?:each|every) (?:telling|retelling|"
            r"thread|post|version))|(?:has been|was|'s been|got|had been) (?:\w+ )?(?:worked on|"
            r"polished|smoothed|coached|scripted|rehearsed|workshopped|massaged|embellished|honed|"
            r"spun|sanded down|tidied up)\b)"
            # "it sounds less like a memory than a talking point", "reads more like a script than
            # a memory": a memory on one side, a script on the other
            r"|less like an? (?:memory|recollection|experience|lived experience|testimony|account) "
            r"than an? (?:[\w-]+ )?(?:talking point|script|press release|campaign line|sales pitch|"
            r"pitch|speech|prepared statement|pamphlet|fundraising appeal|soundbite|slogan)|more "
            r"like an? (?:[\w-]+ )?(?:talking point|script|press release|campaign line|sales pitch|"
            r"pitch|speech|prepared statement|pamphlet|fundraising appeal|soundbite|slogan) than "
            r"an? (?:[\w-]+ )?(?:memory|recollection|experience|lived experience|testimony|"
            r"account)|(?:told|repeated|recited) (?:it|that|the story|that story|your story|this "
            r"story) so (?:many times|often)\b(?:(?![.!?\n]).){0,60}?\bit(?:'s| has| had) (?:been "
            r")?(?:smoothed|polished|changed|become|turned|grown|hardened)|(?:the )?stories you "
            r"(?:bring|tell|post|share|relay)(?: (?:here|us|on here))? are (?:always|all|never|"
            r"mostly) (?:second-hand|secondhand|anonymous|unverifiable|hearsay|made up|exaggerated|"
            r"untraceable)|wonder how many (?:of them|of these|of those|of your stories) you(?:'ve|"
            r" have) (?:actually |really )?(?:heard|seen|witnessed|lived))\b"
            # The telling set against an earlier one: "the account of your street has changed
            # across threads", "your stay was four months when you first mentioned it and it's now
            # eight", "it was your brother's season rather than yours", "I've heard you tell it at
            # three events", "something polished for the podium", "your story read like the
            # template from the charity's awareness pack".
            r"|\b(?P<term2>the (?:account|story|version|telling) of (?:your|her|his) [\w' "
            r"-]{1,40}? (?:has |had )?(?:changed|shifted|grown|moved|evolved)\b(?: (?:quite a bit|"
            r"a lot|a great deal|so much|again))? (?:across|between) (?:threads|posts|tellings|"
            r"versions|meetings|events|panels|talks)|(?:when you first (?:mentioned|told|posted|"
            r"described|wrote about|brought up|shared) it|the first time you (?:told|mentioned|"
            r"posted|described|shared) it)(?:(?![.!?\n]).){0,40}?\b(?:and|but) (?:(?:it's|it is) "
            r"now|now (?:it's|it is))\b|(?:in|on) (?:the|your|an?) (?:[\w-]+ ){0,2}?(?:thread|post|"
            r"comment|talk|panel|interview)(?: (?:last|in) \w+)?,? it "
            r"was\b(?:(?![.!?\n]).){1,80}?\brather than (?:yours|you)\b|(?:heard|seen|watched) you "
            r"(?:tell|give|recount|deliver|share) (?:it|this|that|the story|your story|that "
            r"story)\b(?:(?![.!?\n]).){0,120}?\b(?:the first time|the second time|changed|polished|"
            r"rehearsed)\b|(?:your|her|his) (?:story|account|testimony) (?:that's |that has |which "
            r"has |has |is |was )?(?:been )?(?:polished|rehearsed|scripted|honed|workshopped|"
            r"sanded|smoothed) for (?:the |an? )?(?:podium|stage|audience|cameras|press|panel|"
            r"donors|conference|microphone|room|funders|fundraiser)|(?:your|her|his) (?:story|"
            r"account|testimony) (?:reads?|read|sounds?|sounded) (?:\w+ ){0,2}?like (?:a |the "
            r")?(?:[\w'-]+ ){0,3}?(?:template|script|press release|brochure|leaflet|pamphlet|"
            r"awareness pack|training (?:video|material|pack)|fundraising (?:appeal|letter|"
            r"email)))\b"
        ),
    ),
    # Sneers a reply throws at the person it answers, in the web's stock phrases: short, often
    # naming nobody, and so beyond the scorer (which waits for a person named) and the encoder
    # (which doesn't read a short reply that names nobody). Each is contempt for whoever reads
    # it. The imperatives count only where they are one, at the start of a sentence or after
    # "go", "just", "lol": a survivor who still cries about it, families who cope and the
    # police who found the landlord are not sneers. The lookahead keeps the lookbehinds from
    # running at every position.
    _rule(
        "hostility.sneer",
        "pattern",
        "nudge",
        "sneers at the person answered instead of their point ('{term}')",
        pattern=(
            r"\b(?P<term>(?=(?:cry|cope|seethe|stay|touch|found) )(?:{sentence_start}|"
            r"(?<=, )|(?<=\bgo )|(?<=\bjust )|(?<=\bnow )|(?<=\blol )|(?<=\bok )|"
            r"(?<=\bokay )|(?<=\bso ))(?:cry (?:about it|more|harder)|cope (?:harder|more)|"
            r"seethe (?:more|harder)|stay (?:mad|salty|pressed)|touch (?:some )?grass|"
            r"found the (?:landlord|cop|shill|boomer|incel|fanboy|tankie|lobbyist|scab)"
            r"{sentence_end})"
            r"|cry me a river|cope(?: and|,) seethe|(?:you|u) mad(?:,? bro| bruh)?(?=\s*\?)"
            r"|(?:ok|okay),? (?:boomer|zoomer|karen)"
            r"|the (?:adults|grown-?ups|big kids) are (?:talking|speaking)(?=\s*(?:[.,;!]|$))"
            r"|(?:sounds like|seems like|that's|that is) a you problem|don't quit your day job"
            r"|cool story,? (?:bro|bruh|mate|pal|buddy|dude)"
            r"|(?:thanks|cheers) for the (?:mansplain(?:ing|ation)|ted talk)"
            r"|(?:thanks|cheers) for the (?:lecture|sermon),? (?:professor|grandpa|grandad|"
            r"genius|einstein|sweetie|buddy|pal|champ)"
            r"|here's your (?:participation trophy|gold star)|have a gold star"
            r"|(?:somebody|someone)(?:'s| is) (?:salty|butthurt|big mad|having a (?:tantrum|"
            r"meltdown|hissy fit|strop))|sweet summer child"
            r"|(?:triggered|salty|butthurt|pressed) much|copium"
            r"|main character (?:syndrome|energy)"
            # "I'd explain it again but I'm out of crayons": the reader as a child
            r"|(?:but|and) (?:i'?m|i am|we'?re|we are|i've|i have|we've|we have) (?:all )?(?:run "
            r")?out of crayons|(?:shall|should|do|must) i (?:draw|colou?r) (?:you|u|it for you) "
            r"(?:a |some )?(?:picture|diagram)s?|(?:i'll|i will|let me) (?:try to )?(?:use|type "
            r"in) smaller words(?: for you)?{sentence_end}|(?:i'll|i will|let me|do i (?:have|"
            r"need) to|shall i|should i|must i) (?:explain|spell) it (?:out )?(?:again )?(?:to "
            r"you |for you )?(?:like|as if) (?:you're|you are|u r) (?:five|5|a child|a toddler)"
            # "the usual suspects are here to derail": the people present as a known gang
            r"|the usual (?:suspects|crowd|gang|brigade|clique|mob|trolls) (?:(?:are|is|have|"
            r"has) )?(?:(?:here )?to derail|derailing|piling (?:in|on)|in (?:this|the) "
            r"(?:thread|comments))"
            # "spare us the violins", "the professional victim act": pain waved off as a show
            r"|(?:spare|save) (?:us|me) the (?:violins|sob story|sob stories|waterworks|tears|"
            r"martyrdom|martyr act|pearl-clutching|"
            r"theatrics|dramatics)|(?:the|your|this|that) (?:professional|career|perpetual|"
            r"full-time) victim (?:act|routine|schtick|shtick|card)"
            # "wake me when the grown-ups are back", "forgot this place runs on feelings"
            r"|wake me (?:up )?when (?:the )?(?:adults|grown-?ups) (?:are back|arrive|show up|get "
            r"here|return|join)|(?:i )?forgot (?:this place|this forum|this site|this thread|we) "
            r"(?:runs?|run) on (?:feelings|vibes|hurt feelings)"
            # "I see the farm lobby has sent its night shift", "ah, the pimp lobby has arrived":
            # the people answered cast as a lobby's staff ("the union sent its organisers" is news)
            r"|(?:lobby|industry|brigade|agencies|agency|association|foundation|ngos?|trade) "
            r"(?:has|have|'s|must have|just) (?:sent|shipped|bussed|wheeled|rolled) (?:in |out "
            r")?(?:its|their|the|another|more|some|a fresh|a new) (?:\w+ )?(?:night shift|day "
            r"shift|shift|reinforcements|troops|foot soldiers|army|minions|bots|trolls|interns|"
            r"comms team|pr team|cavalry)|(?:lobby|industry|brigade) (?:has|have|'s) (?:arrived|"
            r"clocked in|logged on|logged in|shown up|turned up)(?: here| in this thread)?"
            r"{sentence_end}"
            # "thick much?", "run along now", "what are you smoking?", "put down the crack pipe",
            # "ok tiger": the web's stock put-downs of the person answered
            r"|(?:thick|dense|slow|dumb|clueless) much(?=\s*\?)|run along(?: now)?{sentence_end}"
            r"|what (?:are|were) (?:you|u) smoking(?=\s*[?!.]|$)|(?:put|step) (?:down|away from) "
            r"the (?:crack )?pipe|(?:ok|okay),? tiger(?=\s*[.!]|$)"
            # "noted, oh wise one", "thank you for enlightening us peasants"
            r"|(?:oh|o) (?:wise|great|mighty|enlightened|learned|all-knowing) one"
            r"|(?:enlightening|educating|gracing|lecturing|blessing|teaching|schooling) us "
            r"(?:mere |lowly |humble |poor |ignorant )?(?:peasants|mortals|plebs|plebeians|"
            r"commoners)"
            # "the abolitionist brigade is out in force again": a camp sent by the thread
            r"|(?:abolitionist|decrim|rescue|rescuer|pimp|sex work|swerf|radfem|terf|carceral|"
            r"prohibitionist|nordic model|pearl-clutching|do-gooder) (?:brigade|squad|mob|gang|"
            r"contingent|army|posse) (?:is |are |has |have )?(?:out in force|here|back|at it|"
            r"arrived|in the house|has landed)"
            # "harbor_lights keeps bringing up her past like it wins the argument"
            r"|(?:bring(?:s|ing)? up|mention(?:s|ing)?|play(?:s|ing)?|wav(?:es|ing)|us(?:es|ing)) "
            r"(?:her|his|their|your) (?:own )?(?:past|story|trauma|history|experience|survivor "
            r"status|victim card|survivor card) (?:like|as if|as though) (?:it|that) (?:wins|"
            r"settles|ends|proves|trumps|beats|means)"
            # "the happy hooker brigade": the people who disagree given a sneering name
            r"|(?:the |you )happy hookers? (?:brigade|crowd|squad|lobby|club|gang|fan club)"
            r"|happy hookers (?:always|all|never|just|seem|conveniently|love|will)\b"
            # "Typical punter logic." said of the answer: its writer filed under a camp ("typical
            # punter logic, the survey found," reports a finding)
            r"|(?=typical )(?:{sentence_start})typical (?:punter|john|pimp|trafficker|sex[- ]buyer|"
            r"buyer|abolitionist|prohibitionist|swerf|radfem|apologist|lobbyist|do-gooder|"
            r"rescuer|academic|bureaucrat|liberal|pimp apologist|industry) (?:logic|thinking|"
            r"reasoning|talk|attitude|mindset|excuse|nonsense|rubbish|crap|drivel|take)"
            r"(?:{sentence_end}|(?=:| -| \u2014)))\b"
        ),
    ),
    # Leaving with a parting shot at the person answered: blocking or muting "this guy",
    # "not wasting another breath on him", "arguing with this one is like talking to a wall",
    # "not debating a troll". Only a person is blocked, argued with or not wasted breath on:
    # "muting this thread", "done with this job", "not arguing with the numbers" and "talking
    # with this guy from the union" leave, agree or report, and "this one" (a thread or a
    # question as often as a person) counts only where it is argued with or blocked.
    _rule(
        "hostility.dismissal",
        "pattern",
        "nudge",
        "waves off the person answered instead of their point ('{term}')",
        pattern=(
            # Said as the writer's own parting act, and ending there: "blocking this guy.",
            # "muted this clown 🤡" (not "I blocked that man after he threatened me", "we had to
            # block that man from the shelter", "ignoring the troll farms")
            r"\b(?P<term>(?=(?:block|blocking|blocked|mute|muting|muted|ignore|ignoring|ignored) )"
            r"(?:{sentence_start}|(?<=, )|(?<=\bi'm )|(?<=\bim )|(?<=\bam )|(?<=\bjust )"
            r"|(?<=\bnow )|(?<=\blol )|(?<=\bok )|(?<=\bokay )|(?<=\bso )|(?<=\band )|(?<=\byeah )"
            r"|(?<=\bi've )|(?<=\bhave ))"
            r"(?:(?:block|blocking|blocked|mute|muting|muted) "
            r"(?:this (?:guy|bloke|man|woman|lady|chap|fella|dude|clown|troll|account|poster|"
            r"character|person)|that (?:guy|bloke|chap|fella|dude|clown|troll|account|poster|"
            r"character))"
            r"|(?:block|blocking|blocked) this one"
            r"|(?:ignore|ignoring|ignored) (?:this|that|the) (?:troll|clown|account))"
            r"(?=\s*(?:[.!?,;:]|$|(?:now|lol|then|too|for good|forever|already|before)\b|[^\w\s]))"
            # "done with this guy", "not arguing with this one", "arguing with this one is like
            # talking to a bulkhead", "not debating a troll", "no further replies to this account"
            r"|(?:i'm|i am|im) (?:so |just |officially |totally )?done "
            r"(?:with|arguing with|talking to|debating) this "
            r"(?:guy|bloke|chap|fella|dude|clown|troll|one|character)"
            r"|(?:not|no point|pointless|never again|won't be|can't be arsed|can't be bothered) "
            r"(?:\w+ )?(?:arguing|debating|engaging|reasoning|talking|replying|bothering) "
            r"(?:with |to )?(?:this|that) (?:one|guy|bloke|chap|fella|dude|clown|troll|character)"
            r"|(?:arguing|debating|reasoning|talking|engaging) with (?:this|that) "
            r"(?:one|guy|bloke|chap|fella|dude|clown) is (?:like|pointless|hopeless|futile|useless|"
            r"a waste)"
            r"|(?:not|no point|pointless|never) (?:\w+ )?(?:arguing|debating|engaging|reasoning) "
            r"(?:with )?(?:a|an|the) (?:\w+ ){0,2}?(?:troll|boot|bot|parrot|brochure|press release|"
            r"script|pamphlet|leaflet|chatbot|robot|heckler)(?:s)?{sentence_end}"
            r"|(?:not|no point|won't be|never) (?:feeding|replying to|answering) "
            r"(?:a|the|this|that) trolls?"
            r"|(?:not|won't be|no point) wasting (?:another|any more|more|any|my|a) (?:\w+ )?"
            r"(?:breath|time|energy|words|keystrokes) on "
            r"(?:him|her|this (?:guy|bloke|one|chap|fella|dude|clown|troll|character)|a troll)"
            r"|no (?:further|more) (?:replies|responses|answers) (?:to|from me to|for) "
            r"(?:this|that) (?:account|one|guy|bloke|poster|character|troll)"
            r"|(?:not|no longer|stopped) reading (?:any more |anything (?:more )?)?(?:from|by) "
            r"(?:this|that) (?:one|guy|bloke|account|poster|character|troll)"
            # "Not worth my evening." said on its own (not "the appeal is not worth my time")
            r"|(?=not worth)(?:{sentence_start})not worth my (?:time|evening|breath|energy|morning|"
            r"afternoon|night){sentence_end})\b"
        ),
    ),
    # The person answered sneered at in the third person: "zero shame, this one", "the ego on
    # this one", "someone's never met a victim", "hardly neutral, is he". A character trait
    # denied to "this one", or "someone" who never read the report, is the reply's own reader
    # or writer answered; "the nerve of this council", "someone's never been charged" and
    # "someone who has never met a victim should listen" are not.
    _rule(
        "hostility.third_person",
        "pattern",
        "nudge",
        "talks about the person answered, not their point ('{term}')",
        pattern=(
            r"\b(?P<term>(?:(?:zero|no|not an ounce of|not a shred of|not a scrap of|not a "
            r"single|not one) (?:shame|empathy|decency|conscience|self-awareness|humanity|class|"
            r"manners|morals|integrity|compassion|heart|soul|spine|clue|humility|dignity|"
            r"sense)|(?:the )?(?:empathy|heart|conscience|soul|compassion|morals|spine|charm|"
            r"manners|warmth|brains|wit|insight|self-awareness|personality|humility|tact) of a "
            r"(?:[\w-]+ ){0,2}?[\w-]+|(?:a )?heart of stone|(?:a |quite a |real |proper )?piece "
            r"of work|(?:a |real |proper )?charmer|(?:a |real )?class act)(?:,| -| \u2014) "
            r"(?:this|that) (?:one|guy|bloke|man|woman|lady|chap|lad|fella|dude){sentence_end}"
            r"|the (?:absolute |sheer |utter )?(?:audacity|ego|nerve|gall|cheek|arrogance|"
            r"entitlement|smugness|self-importance|brass neck|front|vanity) (?:of|on) this "
            r"(?:one|guy|bloke|man|woman|lady|chap|lad|fella|dude|lot)"
            # "someone" at the head of a sentence, for the person answered: "someone's never
            # met a victim", "someone clearly didn't read it" (not "someone didn't read the rota,
            # so the van went out empty": the reading must be doubted as well as missed)
            r"|(?=someone|somebody)(?:{sentence_start}|(?<=, )|(?<=\boh )|(?<=\bah )|(?<=\baw )|"
            r"(?<=\bbless )|(?<=\bwow )|(?<=\byeah )|(?<=\bwell ))(?:someone|somebody)"
            r"(?:(?:'s| has| is|) (?:clearly |obviously |evidently |apparently )?never (?:read|"
            r"heard of|met|opened|been near|been inside|set foot|studied|spoken to|talked to|"
            r"worked a shift|worked a day)"
            r"|(?: has)? (?:clearly|obviously|evidently|apparently|even) (?:hasn't|has not|didn't|"
            r"did not|not) (?:even )?(?:read|opened|bothered to read)"
            r"|(?: hasn't| has not| didn't| did not) even (?:read|opened|bothered to read)"
            r"|(?:'s| is) (?:feeling|getting|a bit|a little|so) (?:threatened|defensive|touchy|"
            r"rattled|prickly|tetchy|precious)"
            r"|(?:'s| has) (?:drunk (?:the|a whole|a whole vat of|their own|his own|her own)|"
            r"swallowed (?:the|their own|his own|her own) (?:[\w'-]+ )?(?:brochure|press release|"
            r"propaganda|hype|spin|talking points)))"
            r"|(?:someone|somebody)(?:'s|s) moral compass"
            r"|hardly (?:neutral|impartial|unbiased|objective|disinterested),? (?:is|was) (?:he|"
            r"she)\b(?=\s*[?.!]|$)"
            # "this one would say anything", "the lady loves her halo", "economics isn't this
            # one's strong suit": the person answered as "this one", "our friend", "the lady"
            # (not "the lady at the desk", "this guy from the union")
            r"|(?:this one|this guy|this bloke|our friend|the gentleman|the lady)(?! (?:at|from|"
            r"in|who|of|on|with|behind|next|down|up)\b)(?:'s| has| is| just| really| clearly| "
            r"truly|)(?: got| seems| is)? (?:(?:zero|no|not an ounce of) (?:empathy|decency|clue|"
            r"shame|gratitude|humility|self-awareness|conscience)|(?:would|will) (?:say|do|"
            r"exaggerate|claim|twist|spin|invent) anything|(?:loves|enjoys) (?:playing the victim|"
            r"the sound of (?:his|her|their) own voice|(?:his|her|their) (?:own )?halo|an "
            r"audience)|(?:incapable of|unable to|would rather die than) admit(?:ting)?)"
            r"|(?:isn't|is not|ain't|isnt|was never) (?:exactly |really )?(?:this one's|this "
            r"guy's|our friend's|the lady's|the gentleman's) (?:strong suit|thing|forte)"
            # "What kind of person can look at that and feel nothing?", "that's a rotten heart
            # talking"
            r"|what (?:kind|sort|type) of (?:person|man|woman|human being|human|monster) (?:can|"
            r"could|would|does) (?:\w+ ){0,5}?and (?:feel nothing|feel no|shrug|laugh|smile|not "
            r"care|still sleep)"
            # "What kind of person argues to strip out the one check ... and then calls it
            # compassion?", "what sort of man does that and then lectures the rest of us" (not
            # "I'm so sorry that happened to you. What kind of person does that?"), "how do you
            # look at yourself in the mirror after a shift like that?"
            r"|what (?:kind|sort|type) of (?:person|man|woman) (?:argues|writes|says|posts|does|"
            r"tells) (?:[\w'-]+ ){1,12}?and then (?:calls?|lectures?|claims?|pretends?)"
            r"|how (?:do|can|could|would) (?:you|u|{participant}|she|he) (?:even )?(?:look (?:at )?"
            r"(?:yourself|herself|himself) in the mirror|live with (?:yourself|herself|himself))"
            # "there's something cold and hollow in you" (not "something wrong with her visa")
            r"|there(?:'s| is) something (?:so |deeply |really )?(?:cold|hollow|empty|cruel|wrong|"
            r"dead|rotten|broken|nasty|ugly|sick|twisted|callous|heartless)(?: and (?:cold|hollow|"
            r"empty|cruel|wrong|dead|rotten|broken|nasty|ugly|sick|twisted|callous|heartless))? "
            r"(?:in|about|with|inside) (?:you|u|{participant}|her|him)(?=\s*(?:[.,;:!?]|$))"
            # "I don't think a person with basic respect for others would write it"
            r"|(?:i don't think|i do not think|i doubt) (?:a|any) (?:person|one|man|woman|human "
            r"being) with (?:basic |any |an ounce of |a shred of )?(?:respect|decency|empathy|"
            r"compassion|conscience|integrity|kindness)(?: for (?:others|other people|anyone))? "
            r"would (?:write|say|post|do) (?:it|that|this)"
            r"|(?:that's|that is|this is) (?:a |your )?(?:rotten|cold|black|hard|cruel|callous|"
            r"empty|dead|shrivelled|shriveled) (?:heart|soul) (?:talking|speaking))\b"
            # "no loyalty, no gratitude in you at all" (not "no shame in you asking"), "the truth
            # only matters to you when it's convenient", "other people's fear doesn't register
            # with her", "that line tells you everything about punters_beware", "our resident
            # professor has apparently never ..."
            r"|\b(?P<term2>no (?:(?:loyalty|gratitude|decency|shame|conscience|heart|compassion|"
            r"empathy|humanity|honesty|hono(?:u)?r|kindness|warmth),? (?:and |or )?(?:no )?)"
            r"{0,3}(?:loyalty|gratitude|decency|shame|conscience|heart|compassion|empathy|"
            r"humanity|honesty|hono(?:u)?r|kindness|warmth) (?:left )?in (?:you|u|{participant})"
            r"(?=(?: at all| whatsoever| left)?\s*(?:[.,;:!?]|$))"
            r"|(?:the truth|honesty|the facts|facts|evidence|the evidence|accuracy|consistency) "
            r"only (?:matters?|counts?) to (?:you|u|{participant}) when"
            r"|(?:other people's|others'|anyone else's|victims'|survivors'|workers'|women's) "
            r"(?:fear|pain|suffering|distress|misery|safety|lives) (?:just )?(?:doesn't|does not|"
            r"don't|do not|never) (?:really |even |seem to |seems to )?(?:register|matter|count) "
            r"(?:with|to|for) (?:you|u|him|her|{participant})"
            r"|tells (?:you|us|me) (?:everything|all (?:you|we|i) need to know) about (?:you|u|"
            r"{participant})"
            r"|our resident (?:expert|genius|professor|scholar|economist|statistician|philosopher|"
            r"historian|lawyer|oracle|authority|know-it-all|academic|intellectual|sage|guru|"
            r"specialist)s?\b[^.!?\n]{0,40}?\b(?:apparently|clearly|obviously|evidently|"
            r"somehow))\b"
        ),
    ),
    # The people in the thread cast as a bloc, a lobby or someone's crowd instead of being
    # answered: "Tom and the other grower types here", "jo and her lot", "the decrim side of
    # this forum is basically a trade association". A group elsewhere ("the growers'
    # association", "Jody and her team at the shelter") or thanks to one ("Kemi and her lot
    # did a brilliant job") is not.
    _rule(
        "hostility.bloc",
        "pattern",
        "nudge",
        "casts people in this thread as a bloc instead of answering them ('{term}')",
        pattern=(
            r"(?<![\w@/'])(?P<term>(?:{participant}|you),? (?:[\w.'-]+,? ){0,3}?and (?:her|his|"
            r"your|their|the other|the rest of (?:the|her|his|your|their)) (?:[\w'-]+ ){0,2}?"
            r"(?:lot|crowd|gang|mates|pals|cronies|clique|types|contingent|brigade|posse|camp|"
            r"faction|bloc|squad)\b)"
            r"{not_thanks}"
            r"|\b(?P<term2>(?:the|our|this|that|these|those|your|her|his|their) (?:\S+ ){0,2}?"
            r"(?:side|camp|crowd|people|lot|regulars|contingent|types|folks|brigade|faction|half|"
            r"wing) "
            r"(?:here|in here|on this (?:forum|board|site|thread)|of this "
            r"(?:forum|board|site|thread)|in this (?:thread|forum|discussion)) (?:is|are) "
            r"(?:basically |just |really |essentially |little more than |nothing but |all |simply "
            r"|only )?(?:a |an |the )?(?:[\w'-]+ ){0,2}?(?:trade association|closed shop|lobby|"
            r"lobby group|fan club|pr (?:team|department|machine|operation)|cartel|bloc|clique|"
            r"cabal|echo chamber|management class|front group|astroturf|mouthpiece|industry body|"
            r"marketing department|press office|cheer ?squad|cheerleaders|propaganda arm)s?)\b"
            # "the rescue-industry squad that hangs around this blog", "the cop-hating crowd
            # commenting here"
            r"|\b(?P<term3>the (?:[\w'-]+ ){1,2}?(?:squad|crowd|brigade|mob|gang|set|club|"
            r"contingent) (?:(?:that|who) )?(?:hangs? (?:around|about|out)|lurks?|lurking|"
            r"commenting|posting|hanging (?:around|about|out)|circles?|circling) (?:on |around |"
            r"in )?(?:here|this (?:blog|forum|board|site|thread)))\b"
            r"(?!(?:(?![.!?\n]).){0,50}?\b(?:brilliant|wonderful|great|amazing|fantastic|"
            r"excellent|superb|heroes|legends|thank|thanks|grateful|appreciated?|proud|kind|"
            r"generous|lovely|raised|good (?:job|work)|well done|nice work)\b)"
            # "you and your colleagues from that network turn up as a bloc", "the Pat-and-friends
            # wing of this branch", "officers like you ... have decided among yourselves" (not
            # "Kemi and friends are running the stall")
            r"|(?<![\w@/'])(?P<term4>(?:you|{participant})(?: and (?:your|his|her|their) "
            r"(?:[\w'-]+ ){0,4}?(?:colleagues|friends|comrades|mates|allies|followers|network|"
            r"members|supporters|crowd|lot|people)(?: (?:from|at|in|of) (?:[\w'-]+ "
            r"){0,3}?[\w'-]+)?)? (?:always |all |just |reliably |conveniently |predictably "
            r")?(?:turn|turns|turned|show|shows|showed|pile|piles|piled|roll|rolls|rolled|come|"
            r"comes|came|swarm|swarms|arrive|arrives) (?:up |in |out )?(?:here )?(?:as a (?:bloc|"
            r"pack|gang|herd|unit|block|flock|mob)|en masse|in a (?:pack|herd|gang|bloc|block|"
            r"mob)))\b{not_thanks}"
            # (read from "friends": a lead word, where a name before it is any word)
            r"|(?<=\w(?:-and-| and ))\b(?P<term5>(?:friends|pals|mates|chums)(?:-| )(?:wing|crowd|"
            r"brigade|gang|lot|clique|set|faction|camp|bloc))\b"
            r"|(?<![\w@/'])(?P<term6>(?:you(?:'ve| have)|you all have|like you,?(?:(?![.!?\n]).)"
            r"{0,100}? have) (?:already |just |simply )?(?:decided|agreed|settled|carved up|sorted "
            r"out|chosen) (?:\w+ ){0,3}?among yourselves)\b"
        ),
    ),
    _rule(
        "hostility.slur",
        "lexicon",
        "flag",
        "uses the slur '{term}'",
        terms=SLURS,
    ),
    _rule(
        "condescension.people",
        "pattern",
        "nudge",
        "talks down to other participants ('{term}')",
        pattern=(
            # "you lot did a brilliant job": the same words as warm thanks ("brilliant at
            # ignoring evidence", "a good job of ignoring" are no thanks)
            r"\b(?P<term>c'?mon,? people|come on,? people|wake up,? people|you (?:people|lot|"
            r"folks)\b(?!(?:(?![.!?\n]).){0,50}?\b(?:brilliant|wonderful|great|amazing|fantastic|"
            r"excellent|superb|stars|heroes|legends|rock|the best|thank|thanks|grateful|"
            r"appreciated?|proud|kind|generous|lovely|good (?:job|work)|well done|nice work)\b"
            r"(?! (?:at|of) \w+ing\b))|"
            r"people like you|the likes of you|grow up|get a clue|get a grip|"
            r"get a life|"
            r"get real|"
            r"(?:i'll|i will|let me) (?:try to )?explain (?:it |this |that |again )?(?:slowly|"
            r"very slowly|more slowly|really slowly)(?=\s*(?:[.,;:!?]|$|for you|so (?:you|even)))|"
            r"(?:ok|okay|sure|sorry|listen|look) (?:kid|kiddo|sweetie|honey|sweetheart|buddy|"
            r"pal|champ|bud)|nice try|try harder|bless your heart|do your (?:own )?homework|"
            r"educate yourself|go back to school|back to school)\b"
            # "some of us actually worked at the border instead of writing memos about it"
            r"|\b(?P<term3>some of us (?:actually|really) (?:[\w'-]+ ){1,6}?(?:instead of|rather "
            r"than|unlike) (?:you|some people|those who|people who|the people who|writing|"
            r"sitting|posting|typing|tweeting|theori[sz]ing|lecturing|preaching|pontificating|"
            r"talking|reading about))\b"
            # "sob stories aren't evidence, sweetheart": a pet name closing a put-down (not
            # a comfort: "don't worry, sweetheart")
            r"|\b(?:aren't|isn't|doesn't|don't|didn't|can't|won't|not|no|never|wrong)\b(?! "
            r"(?:worry|worries|problem|rush|hurry)\b)(?:(?![.!?\n]).){0,60}?, (?P<term2>sweetheart|"
            r"sweetie|honey|kiddo|buttercup|princess|sunshine|sweet cheeks){sentence_end}"
            # "give it a few years and you'll see it differently", "when you've seen as much as
            # we have, you'll understand": the person answered told they are too green to be
            # right ("in a few years you'll see the pilot's data" is not)
            r"|\b(?P<term4>(?:give it|in|after) (?:a few|a couple of|a couple|some) (?:more )?"
            r"years,? (?:and )?you'll (?:see|understand|feel|think about|look at) (?:it|this|that|"
            r"things) differently|you'll (?:understand|see|get it)(?: it| this| that| why)? "
            r"(?:when|once) you(?:'re| are) (?:a bit )?(?:older|more experienced)|(?:when|once) "
            r"you(?:'ve| have) (?:seen|done|lived|been around|worked|spent)(?: [\w'-]+){0,8}? as "
            r"(?:much|long|many)\b[^.!?\n]{0,60}?you'll (?:maybe |probably |finally |eventually "
            r"|perhaps |also )?(?:understand|see why|get it|realise|realize)|one day you'll look "
            r"back and (?:be grateful|thank|laugh|cringe|see)|(?:a lot of|many of|most of|some of|"
            r"all of) us (?:felt|thought|said|believed) (?:the same|that|that too|that once)"
            r"(?: way)? at your (?:age|stage)|my dear (?:girl|boy|child|lady)"
            # "I'd explain survivorship bias to you, but I doubt ..."
            # "your grasp of the legislation seems to come from pamphlets", "someone whose picture
            # of policing comes from protest banners", "a first-year law student would know",
            # "fuzzy matching is about day one of any data course", "if reading past the first
            # paragraph is too much effort", "great detective work there, sherlock"
            r"|(?:your|whose|her|his) (?:grasp|understanding|knowledge|picture|idea|view|notion) "
            r"of (?:[\w'-]+ ){1,3}?(?:seems to |must |clearly |apparently )?(?:come|comes|came) "
            r"from (?:pamphlets|leaflets|twitter|tiktok|facebook|memes|headlines|(?:protest )?"
            r"banners|placards|tv|movies|films|netflix|documentaries|tabloids)"
            r"|(?:a|any) first[- ]year (?:[\w-]+ )?student (?:would|could|can) (?:know|tell you|"
            r"see|explain)"
            r"|(?:is|are|that's|it's) (?:about |literally |basically )?day one of (?:any|a|every) "
            r"(?:[\w-]+ ){0,2}?(?:course|class|degree|training|module)"
            r"|if reading (?:past|beyond|more than|to the end of) (?:[\w'-]+ ){1,10}?is too much "
            r"(?:effort|work|to ask)"
            r"|(?:great|nice|good|brilliant|fine|excellent) (?:detective |police )?work"
            r"(?: there)?,? (?:sherlock|einstein|genius|columbo|poirot|inspector|professor|champ|"
            r"ace)"
            r"|(?:i'd|i would) (?:happily |gladly )?(?:try to )?explain (?:[\w'-]+ ){1,5}?to you,? "
            r"but (?:i doubt|you (?:wouldn't|won't|'d never|would never)|it(?:'d| would) be wasted|"
            r"there's no point|what's the point|i don't think you'd))\b"
        ),
    ),
)
