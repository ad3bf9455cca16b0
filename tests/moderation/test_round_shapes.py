"""Shapes of attack the sixth to thirteenth blind red-team rounds found (``corpus/rounds.jsonl``,
``rounds:pronoun:*``, ``rounds:medium:*``, ``rounds:fair:*``, ``rounds:motive:*``,
``rounds:blog:*``, ``rounds:reply:*``, ``rounds:group:*``, ``rounds:threads:*``,
``rounds:courteous:*``), each beside a fair reply in the same words.

The round's own lines are in the corpus; these are written anew, so that a rule has to catch
the shape, not the line. Each attack is nudged or worse and names its rule; its twin carries
no match of that rule and is not flagged.
"""

from __future__ import annotations

import pytest

from forum.moderation import assess
from forum.moderation.rules import Context

CONTEXT = Context(
    parent_author="Rosa M",
    parent_text="I still think the outreach figures are the best evidence we have.",
    thread_title="Outreach figures: what do they really show?",
    names=("Rosa M", "kemi_o", "fieldwork77", "Dev Anand"),
)

PAIRS = [
    # Too green to be right: told they will understand when older or more seasoned.
    (
        "condescension.people",
        "Give it a couple of years and you'll think about it differently.",
        "Give it a couple of years and the evaluation will tell us more.",
    ),
    (
        "condescension.people",
        "Once you've done this job as long as I have, you'll finally understand why.",
        "Once you've read the second report, tell me whether the figures still look solid.",
    ),
    (
        "condescension.people",
        "Many of us believed that too at your age.",
        "Many of us believed that too, until the audit came out in 2019.",
    ),
    (
        "condescension.people",
        "I'd explain confidence intervals to you, but there's no point.",
        "I'd explain confidence intervals to you, but kemi_o does it better in her post.",
    ),
    # Warmth, honesty or others' pain said to be missing in the person answered.
    (
        "hostility.third_person",
        "No shame and no decency in you whatsoever.",
        "There's no shame in you asking for the raw figures.",
    ),
    (
        "hostility.third_person",
        "Accuracy only matters to you when it helps your side.",
        "Accuracy only matters to funders when it is cheap to check.",
    ),
    (
        "hostility.third_person",
        "Survivors' suffering never seems to register with him.",
        "Survivors' suffering never seems to register with the audit office.",
    ),
    (
        "hostility.third_person",
        "That reply tells us everything about kemi_o.",
        "That reply tells us everything about the grant round.",
    ),
    (
        "hostility.third_person",
        "Our resident statistician somehow missed the denominator again.",
        "Our statistics volunteer checked the denominator again.",
    ),
    # Motive: the view said to follow the writer's stake whatever the evidence.
    (
        "motive.stake",
        "You're not concerned about the women, you're concerned about your funding.",
        "You're not concerned about the women, you're concerned about the landlords? Why?",
    ),
    (
        "motive.stake",
        "Dev Anand would argue that no matter what the figures showed.",
        "I would argue that no matter what the figures showed: counting calls misleads.",
    ),
    (
        "motive.stake",
        "Be honest, that's all it is really about for you.",
        "Be honest, that's all it is really about for you and me: getting beds funded.",
    ),
    # A survivor's story doubted: its versions, its timing, its source.
    (
        "doubt.story",
        "Which account am I supposed to believe?",
        "Which account of the raid does the inspectorate believe?",
    ),
    (
        "doubt.story",
        "Her account would be far more convincing if the dates lined up.",
        "The ministry's account would be far more convincing if the dates lined up.",
    ),
    (
        "doubt.story",
        "Funny how she always trots out the same anecdote whenever the numbers look bad.",
        "The ministry trots out the same anecdote whenever the numbers look bad.",
    ),
    (
        "doubt.story",
        "Sorry, but your account sounds polished for a funding panel.",
        "Sorry, but the agency's plan sounds polished for a funding panel.",
    ),
    (
        "doubt.story",
        "I'm not convinced that was a real memory.",
        "I'm not convinced that was a real improvement in the figures.",
    ),
    # The people in the thread cast as a bloc or someone's crowd.
    (
        "hostility.bloc",
        "kemi_o and the rest of her crowd always close ranks on this.",
        "kemi_o and the rest of her team ran the night shelter rota.",
    ),
    (
        "hostility.bloc",
        "The abolitionist camp in this thread is little more than a fan club.",
        "The abolitionist camp in this thread is bigger than I expected.",
    ),
    (
        "hostility.bloc",
        "Dev Anand and his mates here vote as a bloc.",
        "Dev Anand and his mates here did a brilliant job at the fundraiser.",
    ),
    # A reply's arrival told as a summons.
    (
        "accuse.summoned",
        "Right on cue: the cavalry has been called in for kemi_o.",
        "Right on cue: the inspectors have been called in for the farm.",
    ),
    (
        "accuse.summoned",
        "kemi_o keeps bussing in her charity colleagues, and you are the fourth.",
        "kemi_o keeps bussing in her charity colleagues for the vigil, and thank you for coming.",
    ),
    (
        "accuse.summoned",
        "You signed up an hour after Dev Anand linked the thread on Facebook.",
        "You signed up an hour after the meeting, so you missed the vote.",
    ),
    # From the blog-style round: one sentence of attack in a reasoned comment.
    (
        "hostility.third_person",
        "What sort of woman writes that and then lectures us about kindness?",
        "What sort of woman writes to the council? Mostly carers, in my experience.",
    ),
    (
        "hostility.third_person",
        "Honestly, how can you look at yourself in the mirror?",
        "Honestly, how can you look at the figures and not see the cuts?",
    ),
    (
        "condescension.people",
        "Your knowledge of policing clearly comes from Netflix.",
        "Most people's knowledge of policing comes from Netflix, which is the problem.",
    ),
    (
        "condescension.people",
        "Confidence intervals are day one of any statistics course.",
        "Confidence intervals were on day one of the course I taught last spring.",
    ),
    (
        "doubt.story",
        "It sounds more like something from a campaign video than a real survivor.",
        "It sounds more like a campaign slogan than a real plan.",
    ),
    (
        "doubt.story",
        "I don't think she really went through any of this.",
        "I don't think she really went to the meeting.",
    ),
    (
        "hostility.bloc",
        "The abolitionist crowd lurking on this forum will hate this.",
        "The abolitionist groups in the city will hate this.",
    ),
    # From the ninth round: replies that name nobody.
    (
        "hostility.third_person",
        "There's something cruel and empty in you.",
        "There's something cruel and empty in that policy.",
    ),
    (
        "hostility.dismissal",
        "Sure, whatever. Not worth my breath.",
        "The second appeal is not worth my breath, the first one won.",
    ),
    (
        "hostility.mockery",
        "Dev Anand, the word for that is hypocrite.",
        "Dev Anand, the word for that is displacement, not rescue.",
    ),
    # From the tenth round: labels for the people present, and thanks in the same words.
    (
        "hostility.bloc",
        "The pro-raid half of this forum is the vice squad's cheerleaders.",
        "The pro-raid half of this forum is bigger than I thought.",
    ),
    (
        "doubt.story",
        "Either the call log is wrong or it never happened the way you describe it.",
        "Either the call log is wrong or the raid never happened the way the press described it.",
    ),
    # Two accounts here said to write or log in as one.
    (
        "accuse.sounds_like",
        "kemi_o and fieldwork77 make the exact same spelling mistakes. Interesting.",
        "kemi_o and fieldwork77 make the exact same point, and both cite the audit.",
    ),
    # From the twelfth round: a new account read as someone else's by its age and manner.
    (
        "accuse.new_account",
        "This account was created four days ago and already writes exactly like kemi_o.",
        "This account was created four days ago, so I'm still learning how the tags work.",
    ),
    (
        "accuse.new_account",
        "fieldwork77 joined last Friday and has agreed with Dev Anand four times since.",
        "fieldwork77 joined the steering group last Friday and has backed Dev Anand's figures.",
    ),
    (
        "accuse.new_account",
        "Same fingers on a second keyboard, if you ask me.",
        "Same fingers on a second draft, if you ask me: the wording barely changed.",
    ),
    (
        "accuse.new_account",
        "Dev Anand, your recruits aren't very subtle.",
        "Dev Anand, your recruits for the night shift were a great help.",
    ),
    # A story doubted by its retelling.
    (
        "doubt.retelling",
        "Your story gets a little darker every time you tell it here.",
        "The official figure gets a little darker every time the ministry revises it.",
    ),
    (
        "doubt.retelling",
        "Funny how your account keeps changing from one thread to the next.",
        "Funny how the council's account keeps changing from one thread to the next.",
    ),
    (
        "doubt.retelling",
        "Honestly it reads more like a campaign script than a memory.",
        "Honestly the report reads more like a campaign script than a study.",
    ),
    (
        "doubt.retelling",
        "You've told that story so often that it's been polished smooth.",
        "You've told that story so often, and it still moves me every time.",
    ),
    (
        "doubt.retelling",
        "The stories you bring here are always second-hand.",
        "The stories you bring here are always worth reading.",
    ),
    # The person answered said to argue it whatever the facts.
    (
        "motive.either_way",
        "You'd be defending that figure regardless.",
        "You'd be defending that figure in front of the committee, so check it twice.",
    ),
    (
        "motive.either_way",
        "Well, she would say that, wouldn't she?",
        "Well, she would know: she ran the pilot for two years.",
    ),
    (
        "motive.either_way",
        "I'm not saying that's why Dev Anand supports the raids.",
        "I'm not saying that's why the council supports the raids.",
    ),
    (
        "motive.either_way",
        "He's only here on the foundation's dime to push their model.",
        "He's only here on the foundation's dime because our travel budget ran out.",
    ),
    (
        "motive.either_way",
        "This from someone angling for a consultancy contract.",
        "This from a council angling for a bigger grant, so read the bid closely.",
    ),
    (
        "motive.either_way",
        "Your charity took the Wexford grant, so it's hardly surprising your reading ends at "
        "closure.",
        "Your charity took the Wexford grant, so it's hardly surprising the evaluation took a "
        "year.",
    ),
    (
        "motive.either_way",
        "You never disclosed your board seat at scrutiny.",
        "I never disclosed my board seat at scrutiny, and I should have.",
    ),
    # Too green to speak.
    (
        "insult.inexperience",
        "Strong views on policing for someone whose only contact with it is a documentary.",
        "The court forms are baffling for someone whose only contact with it is a parking fine.",
    ),
    (
        "insult.inexperience",
        "It's rich to be lectured about outreach by someone who has never done a night shift.",
        "I was taught outreach by someone who has done a hundred night shifts, and it helped.",
    ),
    (
        "insult.inexperience",
        "That just shows how little you know about the women on the street.",
        "That just shows how little we know about the women on the street.",
    ),
    (
        "insult.inexperience",
        "Your certainty about raids comes from someone who has never read a case file in his life.",
        "My uncle had never read a case file in his life, and he sat on the jury.",
    ),
    # A failing read as who the person is.
    (
        "insult.who_you_are",
        "I don't think it was a mistake; I think that's who you are.",
        "I don't think it was a mistake; I think that's what the contract required.",
    ),
    (
        "insult.who_you_are",
        "That's exactly the kind of person you are.",
        "That's exactly the kind of person you are: generous with your time.",
    ),
    # The people present cast as a bloc.
    (
        "hostility.bloc",
        "You and your colleagues from the campaign turned up as a bloc.",
        "You and your colleagues from the campaign turned up at the vigil with cake, thank you.",
    ),
    (
        "hostility.bloc",
        "The kemi_o-and-friends crowd has made up its mind.",
        "Kemi and friends are running the stall on Saturday.",
    ),
    (
        "hostility.bloc",
        "Funders like you have decided among yourselves what counts as evidence.",
        "Decide among yourselves who takes the Tuesday shift.",
    ),
    # From the thirteenth round: an error read as a habit of the person.
    (
        "insult.habit",
        "Shifting the baseline year to suit yourself is a habit of yours.",
        "Shifting the baseline year is a habit of the ministry's statisticians.",
    ),
    (
        "insult.habit",
        "Overstating and then retracting has become your default move.",
        "Overstating and then retracting has become the ministry's default move.",
    ),
    (
        "insult.habit",
        "You do that every time the figures go against you.",
        "The council does that every time the figures go against it.",
    ),
    (
        "insult.habit",
        "You inflate every figure you quote.",
        "Councils inflate every figure they quote.",
    ),
    (
        "insult.habit",
        "It's simply how you operate.",
        "It's simply how the tender process operates.",
    ),
    (
        "insult.habit",
        "That tells me a lot about you.",
        "That tells me a lot about your workload.",
    ),
    # A stake of the person's own set out as what explains their view.
    (
        "motive.interest",
        "Your consultancy trains the inspectors, which rather explains your enthusiasm for "
        "inspection.",
        "My consultancy trains the inspectors, which rather explains my enthusiasm for inspection.",
    ),
    (
        "motive.interest",
        "Your charity is paid per referral, so a wider definition means more paid casework for "
        "you.",
        "The charity is paid per referral, so a wider definition means more paid casework for it.",
    ),
    (
        "motive.interest",
        "You founded a screening app last year, and a mandatory screening law would be very good "
        "for business.",
        "A local firm founded a screening app last year, and a mandatory screening law would be "
        "very good for business.",
    ),
    (
        "motive.interest",
        "The toolkit you want councils to buy is one your firm sells at £30 a head.",
        "The toolkit I want councils to buy is one my firm gives away free.",
    ),
    # From the short replies' tuning part: the answer is who pays the person.
    (
        "motive.interest",
        "Says the man paid to make the fleet sound ethical.",
        "The ministry says the firm paid to audit the fleet has stopped.",
    ),
    (
        "motive.interest",
        "An accusation from a director with a vested interest. Noted.",
        "An accusation from a director at the ministry has started an inquiry.",
    ),
    # People in the thread cast as one group arriving or posting together.
    (
        "accuse.coordinated",
        "Half of these accounts showed up together the morning the consultation opened.",
        "Half of these shelters opened together the morning the consultation opened.",
    ),
    (
        "accuse.coordinated",
        "This consensus is really one campaign team posting as a unit.",
        "The campaign team is posting leaflets as a unit this weekend, so do join them.",
    ),
    (
        "accuse.coordinated",
        "Every 'I was wrong' comment this week comes from accounts registered the same day.",
        "Every spam comment this week comes from accounts registered the same day, so the mods "
        "blocked them.",
    ),
    # The telling set against an earlier one.
    (
        "doubt.retelling",
        "The account of your shifts has changed a lot across threads.",
        "The account of the council's spending has changed a lot across threads.",
    ),
    (
        "doubt.retelling",
        "You had one child when you first told it and now it's three.",
        "You had one child in care when you first applied and now it's three, which the form "
        "should show.",
    ),
    (
        "doubt.retelling",
        "I've watched you tell that story at two conferences, and the city changed between them.",
        "I've watched you tell that story at two conferences, and the room went silent both times.",
    ),
    (
        "doubt.retelling",
        "Your testimony reads like a fundraising letter.",
        "The charity's annual report reads like a fundraising letter.",
    ),
    (
        "doubt.retelling",
        "Your story has been rehearsed for the cameras by now.",
        "The minister's statement has been rehearsed for the cameras by now.",
    ),
    # A verdict set against who gives it.
    (
        "insult.inexperience",
        "That's a confident plan from a volunteer who has never sat on a licensing panel.",
        "That's a confident plan from a volunteer who has sat on every licensing panel since 2015.",
    ),
    (
        "insult.inexperience",
        "Easy to moralise about it when you've never had to fill a rota.",
        "Easy to moralise about it when the council has never staffed a night shelter.",
    ),
    (
        "insult.inexperience",
        "I'm not sure why someone whose whole experience of policing is a ride-along feels "
        "qualified to judge.",
        "Someone whose whole experience of policing is a ride-along may still sit on the panel, "
        "and I hope they apply.",
    ),
    # An account that arrived as someone was warned, or posts in step with them.
    (
        "accuse.new_account",
        "This account appeared right after kemi_o was suspended.",
        "My account appeared right after I was banned from the old forum, and I said so on day "
        "one.",
    ),
    (
        "accuse.new_account",
        "And fieldwork77 logs in within minutes of Dev Anand.",
        "And fieldwork77 logs in within minutes of the shelter opening.",
    ),
    (
        "accuse.new_account",
        "I think it's the growers' press office posting under another name.",
        "I think it's the traffickers posting under another name, so report the ad.",
    ),
    # "Whatever the data said".
    (
        "motive.either_way",
        "You'd call for a ban whatever the evaluation found.",
        "The council would call for a ban whatever the evaluation found.",
    ),
]


@pytest.mark.parametrize(("rule_id", "attack", "fair"), PAIRS)
def test_a_shape_the_blind_round_found_is_named_and_its_twin_passes(
    rule_id: str, attack: str, fair: str
) -> None:
    found = assess(attack, context=CONTEXT)
    assert found.action in ("nudge", "flag", "hold"), (attack, found.matches)
    assert rule_id in found.rule_ids, (attack, found.rule_ids)
    twin = assess(fair, context=CONTEXT)
    assert rule_id not in twin.rule_ids, (fair, twin.matches)
    assert not twin.flagged, (fair, twin.matches)


# Paralipsis, the writer denying a charge only to make it ("but you ...", "just saying"),
# counts; a name the sentence is about, a chart read, and a charge denied or reported don't.
CHARGES = [
    ("I'm not saying you're a shill, but you do turn up every time the budget comes up.", True),
    ("Not saying kemi_o is a paid shill. Just saying she posts the agency's lines.", True),
    ("I'm not saying you're a liar. Make of that what you will.", True),
    ("That comment about Rosa M was vile, and I've reported it.", False),
    ("What was said at fieldwork77 last night was disgusting.", False),
    ("You cannot read a trend off two data points.", False),
    ("I'm not saying you're a liar, but the 40% figure is wrong.", False),
    ("I'm not saying kemi_o is a shill; nobody should say that about anyone here.", False),
    ("Someone called me a pimp in my DMs, but I ignored it. Just saying, it happens.", False),
]


@pytest.mark.parametrize(("text", "charged"), CHARGES)
def test_a_charge_counts_only_when_it_is_made(text: str, charged: bool) -> None:
    found = assess(text, context=CONTEXT)
    assert found.flagged == charged, found.matches
    made = any(m.rule_id.startswith(("accuse.", "insult.")) for m in found.matches)
    assert made == charged, found.matches
