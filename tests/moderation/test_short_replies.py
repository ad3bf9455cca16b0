"""Everyday short replies pass screening untouched, with the shipped models.

Most of a forum's replies are a line or less: assent, thanks, a question, scorn for an
institution, anger at a situation. Twice a change that let the encoder read replies naming
nobody passed its out-of-fold checks and still nudged such lines ("What a mess.", "Second
grandchild.") or flagged one ("Typical ministry, nothing changes."), because the encoder
reads shortness itself as a sneer: the training corpora hold many short attacks and few short
everyday replies. So a reply that names nobody is read only from 15 words on
(``scorer.ANSWERED``), which none of these lines reaches; a shorter one (``scorer.BRIEF``) is
only nudged, and only by the scorer when it is surer than it ever was of an everyday short
reply. These lines were written for this test, not drawn from any corpus.
"""

from __future__ import annotations

import pytest

from forum.moderation import assess, scorer
from forum.moderation.rules import Context

PARENT = Context(
    parent_author="Marisol",
    parent_text="The county has cut the night shelter's budget again, by about a fifth this year.",
    thread_title="Night shelter budget cut again",
    names=("Marisol", "dunlin_k", "Ben Arkwright", "porchlight"),
)
EVERYDAY = (
    # Assent, thanks and housekeeping.
    "Sure.",
    "Agreed.",
    "Thanks!",
    "Noted.",
    "Fair enough.",
    "Good point.",
    "Same here.",
    "Ha, fair.",
    "See above.",
    "Will do.",
    "+1",
    "Seconded.",
    "Makes sense.",
    "Exactly this.",
    "Done, thanks.",
    "Thanks, that clears it up.",
    "Count me in for Saturday.",
    "Happy to help with the translation.",
    "Good luck with the application.",
    # Questions and disagreement about a claim.
    "Really?",
    "Source?",
    "Which page?",
    "Link?",
    "Which year was that?",
    "Where did the 40% come from?",
    "Not sure that's right.",
    "I think the numbers are from 2019.",
    "A fifth? It was a quarter last year.",
    "Interesting, I hadn't seen that study.",
    # Scorn for an institution, anger at a situation.
    "What a mess.",
    "The council never learns.",
    "Typical ministry, nothing changes.",
    "Honestly the grant officers are such gatekeepers.",
    "The agency's record on this is dreadful.",
    "The funding rules are absurd.",
    "This whole process is broken.",
    "Great, another form to fill in.",
    "Unbelievable. Three years for a visa.",
    "Wow, that's grim.",
    "That's heartbreaking.",
    "That's a relief.",
    "Same problem in our county.",
    "I was at that meeting too.",
    # Words of the parent repeated, and a little added.
    "Budget again, by about a fifth this year. Same as ours.",
    "The budget cut was announced on Friday, after the press left.",
    # Paper posters, not the forum's.
    "Posters instead, and zine.",
    "Print posters for the station instead.",
)


@pytest.mark.parametrize("as_reply", [True, False], ids=["reply", "comment"])
@pytest.mark.parametrize("text", EVERYDAY)
def test_an_everyday_short_line_is_allowed(text: str, as_reply: bool) -> None:
    """As a reply to an ordinary parent, and as a comment of its own in the same thread."""
    if as_reply:
        found = assess(text, context=PARENT)
    else:
        found = assess(text, participants=PARENT.names)
    assert found.action == "allow", (text, found.matches)


# The web's stock sneers, thrown at whoever a reply answers ("hostility.sneer"), each beside a
# line that uses the same words about something else. Written for this test.
SNEERS = (
    "Cry me a river.",
    "lol go cry about it.",
    "Cope harder.",
    "Cope and seethe.",
    "Stay mad.",
    "Go touch grass.",
    "ok boomer",
    "You mad, bro?",
    "Shh, the grown-ups are talking.",
    "Sounds like a you problem.",
    "Cool story, bro.",
    "Thanks for the mansplaining.",
    "Here's your participation trophy.",
    "Someone's salty.",
    "Triggered much?",
    "Found the landlord.",
    "Main character energy, this one.",
    "I'd explain it again, but I'm out of crayons.",
    "Should I draw you a picture?",
    "Let me use smaller words for you.",
    "The usual suspects are here to derail again.",
    "Spare us the violins.",
    "The professional victim act is wearing thin.",
    "Typical punter logic: if it's for sale, nobody was forced.",
    "Typical abolitionist nonsense.",
    "Wake me when the grown-ups are back.",
    "Right. Forgot this place runs on feelings.",
    "Of course the happy hooker brigade all have it memorised.",
    "I've run a ward on four staff. Spare me the martyrdom.",
    "aw someone's having a tantrum, nap time maybe?",
    "Nobody ever lies to an auditor. Sweet summer child.",
    "I see the farm lobby has sent its night shift.",
    "Ah, the pimp lobby has arrived.",
    "Happy hookers always seem to have a book to sell.",
    "Noted, oh wise one.",
    "Thanks for educating us mere mortals.",
    "The abolitionist brigade is out in force again, I see.",
    "She keeps bringing up her past like it wins the argument.",
    "Thick much?",
    "Run along now.",
    "What are you smoking?",
    "Put down the crack pipe.",
    "Ok tiger.",
)
SAME_WORDS = (
    "I still cry about it some nights.",
    "She had to go cry somewhere quiet after the hearing.",
    "How do families cope when the main earner is detained?",
    "The shelter helps people cope with the first weeks.",
    "Stay safe on the way home, everyone.",
    "Touch base with the caseworker before Friday.",
    "The adults are talking to the school about the younger ones.",
    "Police found the landlord in Spain last month.",
    "We found the landlord's address in the company filings.",
    "The main character in the documentary is a recruiter.",
    "Thanks for the lecture notes, they were useful.",
    "Here's the participation form for Saturday.",
    "We're out of crayons for the kids' corner at the drop-in.",
    "Should I draw a picture of the referral pathway for the new volunteers?",
    "Let me use smaller words in the leaflet so more people can read it.",
    "Can someone explain it like I'm five?",
    "The usual suspects in the press will call this a crackdown.",
    "The usual crowd is here for the vigil, plus some new faces.",
    "Spare a thought for the ones still in those houses.",
    "The tabloid's 'perpetual victim' headline was cruel.",
    "Typical punter logic, the Nordic survey found, runs: if it's for sale, nobody was forced.",
    "The report calls it typical punter logic: if it's for sale, nobody was forced.",
    "Wake me when the minutes are published; the meeting itself was four hours.",
    "Forgot to say: the rota runs on goodwill, so please sign up.",
    "The papers loved the 'happy hooker' myth in the nineties, and it did real harm.",
    "Spare me the details of the audit, just send the summary.",
    "My toddler is having a tantrum, back in ten minutes.",
    "The union has sent its organisers to every farm in Kent.",
    "The lobby has sent its annual report to every MP.",
    "The industry has arrived at a consensus on fees, finally.",
    "Happy hooker stories were everywhere in the tabloids in the nineties.",
    "The fire brigade is out in force at the warehouse on Dock Road.",
    "We mere mortals can't read 300 pages in an evening, so thanks for the summary.",
    "She keeps bringing up her past because nobody listened the first time.",
    "The paste is thick, much like the report.",
    "Kids, run along to the minibus, it leaves at six.",
    "The police found a crack pipe in the van, which the agency denies.",
    "Ok tiger balm fixed my back after the shift.",
)
# A misreading of the shipped encoder, not of the rule: a farewell to "everyone" reads to it as
# aimed at people and is nudged (never flagged). Mending it passes; a new one fails.
ENCODER_NUDGES = {"Stay safe on the way home, everyone."}


def assert_named(text: str, rule_id: str, reason: str) -> None:
    """The reply is nudged or worse, and ``rule_id`` says why and highlights some of it."""
    found = assess(text, context=PARENT)
    assert found.action in ("nudge", "flag"), (text, found.matches)
    matched = [m for m in found.matches if m.rule_id == rule_id]
    assert matched, (text, found.matches)
    assert reason in matched[0].explanation
    assert text[matched[0].start : matched[0].end].strip()


@pytest.mark.parametrize("text", SNEERS)
def test_a_stock_sneer_is_nudged_or_worse_and_names_its_words(text: str) -> None:
    assert_named(text, "hostility.sneer", "sneers at the person answered")


@pytest.mark.parametrize("text", SAME_WORDS)
def test_the_same_words_about_something_else_are_no_sneer(text: str) -> None:
    found = assess(text, context=PARENT)
    assert "hostility.sneer" not in found.rule_ids, (text, found.matches)
    assert found.action in (("allow", "nudge") if text in ENCODER_NUDGES else ("allow",))


@pytest.mark.parametrize(
    ("put_down", "comfort"),
    [
        ("Sob stories aren't evidence, sweetheart.", "Don't worry, sweetheart."),
        ("That's not how the visa works, sunshine.", "No problem, honey!"),
    ],
)
def test_a_pet_name_closing_a_put_down_talks_down_and_a_comfort_does_not(
    put_down: str, comfort: str
) -> None:
    found = assess(put_down, context=PARENT)
    assert "condescension.people" in found.rule_ids, found.matches
    assert found.action in ("nudge", "flag")
    assert assess(comfort, context=PARENT).action == "allow"


@pytest.mark.parametrize(
    "thanks",
    [
        "You people did a wonderful job with the fundraiser.",
        "You folks rock, thank you!",
        "Thanks, you lot, that was kind.",
        "You lot on the housing committee did a good job with the caravans last winter.",
    ],
)
def test_you_lot_in_thanks_does_not_talk_down(thanks: str) -> None:
    """ "You people" and "you lot" talk down to a thread, unless the clause thanks it; praise
    of being "brilliant at ignoring evidence" or doing "a good job of ignoring" is no thanks."""
    assert "condescension.people" not in assess(thanks, context=PARENT).rule_ids
    for sarcasm in (
        "You people are just brilliant at ignoring evidence.",
        "You lot did a good job of ignoring every worker who spoke up.",
    ):
        assert "condescension.people" in assess(sarcasm, context=PARENT).rule_ids, sarcasm


# A parting shot at the person answered ("hostility.dismissal") and the person answered sneered
# at in the third person ("hostility.third_person"), each beside the same words said of a
# thread, a job, an institution or a situation. Written for this test.
PARTING_SHOTS = {
    "Blocking this guy. Not wasting another breath on him.": "hostility.dismissal",
    "muted this clown 🤡": "hostility.dismissal",
    "yeah i'm done with this guy, enjoy the echo chamber": "hostility.dismissal",
    "Arguing with this one is like talking to a lamppost. Off I go.": "hostility.dismissal",
    "Not debating a troll. Scrolling on.": "hostility.dismissal",
    "Not reading any more from this one.": "hostility.dismissal",
    "No further replies to this account.": "hostility.dismissal",
    "Not engaging with a walking press release. Night.": "hostility.dismissal",
    "Zero shame, this one.": "hostility.third_person",
    "Cheerfully deporting the victims. Heart of stone, this one.": "hostility.third_person",
    "The sheer ego on this one.": "hostility.third_person",
    "Bless. Someone's never met a single worker, have they.": "hostility.third_person",
    "Someone clearly didn't read past the summary.": "hostility.third_person",
    "Oh, someone's feeling threatened.": "hostility.third_person",
    "Someone's swallowed the agency's brochure whole.": "hostility.third_person",
    "Someone's moral compass needs a service.": "hostility.third_person",
    "Owns two recruitment firms. Hardly neutral, is he?": "hostility.third_person",
    "What kind of person can read that and shrug?": "hostility.third_person",
    "This one would say anything to get a grant.": "hostility.third_person",
    "Statistics isn't exactly this one's strong suit.": "hostility.third_person",
    "The lady loves her halo.": "hostility.third_person",
    "Our friend would rather die than admit a mistake.": "hostility.third_person",
}
NOT_PARTING_SHOTS = (
    "Muting this thread for tonight, it's too heated.",
    "Muting this one now. Thanks to everyone who made an actual argument.",
    "I'm done with this job, honestly, the rota is brutal.",
    "Talking with this guy from the union helped loads.",
    "Not arguing with the numbers, just the timing.",
    "I'm not arguing with a word of that.",
    "We had to block that man from the shelter after he threatened staff.",
    "I blocked this man after he threatened me.",
    "Ignoring the troll farms is naive.",
    "Not wasting any more time on this report.",
    "Tough call, this one.",
    "Zero empathy from the Home Office, as usual.",
    "The nerve of this council, cutting beds again.",
    "Someone's never been charged for it.",
    "Someone who has never met a victim should listen more.",
    "Someone didn't read the rota, so the van went out empty.",
    "Someone is feeling the cold in that caravan.",
    "Someone's getting a pay rise, and it isn't the carers.",
    "Hardly neutral, is it? The funder wrote the brief.",
    "What kind of person calls the hotline? Mostly neighbours.",
    "Agree with Dagny on this one.",
    "This one has no clear answer, the second case is worse.",
    "The lady at the desk would do anything for the women who come in.",
    "Our friend from the clinic loves an audience, she's a natural speaker.",
    "The lady has no papers and no money, and the van left without her.",
)


@pytest.mark.parametrize(("text", "rule_id"), PARTING_SHOTS.items())
def test_a_parting_shot_or_a_third_person_sneer_is_nudged_and_names_its_words(
    text: str, rule_id: str
) -> None:
    assert_named(text, rule_id, "the person answered")


@pytest.mark.parametrize("text", NOT_PARTING_SHOTS)
def test_leaving_a_thread_or_scorning_a_situation_is_no_parting_shot(text: str) -> None:
    found = assess(text, context=PARENT)
    assert not {"hostility.dismissal", "hostility.third_person"} & set(found.rule_ids), (
        text,
        found.matches,
    )
    assert found.action == "allow", (text, found.matches)


def test_reporting_a_sneer_is_not_throwing_one() -> None:
    found = assess('He told her to "cry me a river". That is not how we talk here.', context=PARENT)
    assert "hostility.sneer" not in found.rule_ids
    assert found.action == "allow", found.matches


# Sneers at the person answered that name nobody and use no stock phrase. Written for this test.
BRIEF_SNEERS = (
    "Oh look, the armchair expert has arrived.",
    "Another day, another lecture from the resident know-it-all.",
    "It's always the ones with comfortable salaries who lecture the rest of us.",
    "Someone clearly brought their friends in to pile on.",
    "What kind of person reads about a raid and cheers for the budget?",
    "Imagine being this smug about a spreadsheet.",
    "Ah yes, the expert has spoken.",
)


@pytest.mark.parametrize("text", BRIEF_SNEERS)
def test_a_short_sneer_the_scorer_is_sure_of_is_nudged_as_a_reply(text: str) -> None:
    """Under someone's comment it is aimed at them; the scorer nudges it and names the words
    it weighed. Posted as a comment of its own, it answers nobody and passes."""
    found = assess(text, context=PARENT)
    assert found.action == "nudge", (text, found.matches)
    assert found.rule_ids == ("model.scorer",)
    assert assess(text, participants=PARENT.names).action == "allow"


def test_the_scorer_never_flags_a_short_reply_that_names_nobody() -> None:
    """Only a nudge, above the shipped brief threshold; a comment answering nobody, never."""
    threshold = scorer.load_model().brief_nudge_threshold
    assert 0.5 <= threshold < 1.0
    assert scorer.action_for(0.999, scorer.BRIEF) == "nudge"
    assert scorer.action_for(threshold - 0.01, scorer.BRIEF) == "allow"
    assert scorer.action_for(0.999, scorer.UNTARGETED) == "allow"
