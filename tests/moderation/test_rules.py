"""Unit tests for the pure moderation rules engine (no app, no database)."""

from __future__ import annotations

import ast
import time
from pathlib import Path

import pytest

from forum.moderation import (
    Assessment,
    Match,
    Rule,
    RuleError,
    assess,
    default_rules,
    dry_run,
)
from forum.moderation.normalize import Deobfuscator
from forum.moderation.rules import (
    MASK,
    MAX_MATCHES_PER_RULE,
    MAX_TEXT_CHARS,
    Context,
    analyse,
    is_guarded,
    rule_from_dict,
    rule_to_dict,
    validate_rule,
)

PARTICIPANTS = ("Jody", "Willow", "Marisol Reyes", "ash_k")

# Accusations aimed at participants: each must be flagged (flag or hold).
ACCUSATIONS = [
    "Are some of you pimps or traffickers yourselves? Because that is how this reads.",
    "Honestly I think some of you are traffickers profiting off the women you claim to help.",
    "You are a pimp, plain and simple.",
    "You're nothing but a paid shill for the sex industry.",
    "Jody is a corporate lackey and everyone here knows it.",
    "What is your real motivation for defending the massage parlours?",
    "Who is paying you to post this?",
    "You are paid to say decriminalisation works.",
    "Your assumptions about migrant women speak to your ignorance.",
    "You're too ignorant to understand the T visa process.",
    "You are a liar and you know it.",
    "Stop trolling, you idiot.",
    "You sound like a troll who has never met a survivor.",
    "Willow sounds a lot like Jody, funny how that works.",
    "Are you just a sock puppet for the last person who posted?",
    "People here are dishonest about the funding numbers.",
    "Marisol Reyes is a liar.",
    "@ash_k is a shill for the abolitionist lobby.",
    "Fuck you, you know nothing about outreach work.",
    "Learn to read before you comment on the grant report.",
    "You clearly can't read.",
    # Insinuation, with no insult word.
    "Another of Jody's sock puppets, I see.",
    "Are you and Willow the same person? The spelling mistakes match.",
    "Funny how this new account turned up right after Jody was banned.",
    "You write exactly like Brindle did before the ban.",
    "How much does the massage parlour lobby pay you for these posts?",
    "Willow is obviously on the payroll of the rescue industry.",
    "Spoken like someone who profits from the raids.",
    # Motives instead of arguments.
    "You only defend the raids because your shelter gets paid per rescue.",
    "Who pays for your posts here?",
    "Jody, you care about your grant, not survivors.",
    "Of course you would say that, your job depends on it.",
    # Character and competence, and doubting a survivor's story.
    "What is wrong with you?",
    "No decent person would write that about a trafficking victim.",
    "Says the expert who has never met a single survivor.",
    "You have never met a victim in your life.",
    "Convenient how your story lines up with your politics.",
    "Your so-called lived experience is doing a lot of work there.",
    # Group labels aimed at the people present.
    "Everyone here who defends decriminalisation is a john.",
    "Apologists like you never read the case files.",
    "You abolitionists never listen to sex workers.",
    # Written after a blind writer's probes showed these shapes passing.
    "People like Willow are part of the problem.",
    "No decent person responds to a survivor like that.",
    "Of course someone who sells audit certificates thinks audits are enough.",
    "I would love to know who recruited you.",
]

# Hard disagreement and topic discussion: must never be flagged.
LEGITIMATE = [
    "These statistics are inflated; the hotline counts calls, not victims.",
    "This policy is xenophobic and will push migrant workers further underground.",
    "The researcher's claims don't hold up once you read the methodology section.",
    "You should re-read the post, it says the opposite about raids.",
    "I object to the condescending tone in this thread.",
    "Pimps recruit through debt bondage, and traffickers confiscate passports.",
    "Traffickers target LGBT youth who have been thrown out of home.",
    "Most people in the sex trade are not trafficked, and conflating the two hurts both.",
    "The funding model rewards organisations that inflate their numbers.",
    "They called me a corporate lackey on another site, which was absurd.",
    "Someone once accused me of intellectual dishonesty for citing that report.",
    "I'm not saying you are a liar, I'm saying the source is weak.",
    "If you think the raids help, look at how many women were deported afterwards.",
    "You are wrong about the T visa numbers; the cap has never been reached.",
    "Your argument ignores labour trafficking in agriculture entirely.",
    "The study is sloppy and the conclusions are dishonest spin from the funders.",
    "Calling every sex worker a victim is paternalistic and frankly ignorant policy.",
    "> you are a pimp\n\nThat quote above is exactly the kind of accusation we should not make.",
    'Someone wrote "you are all paid shills" in the old thread; that was out of line.',
    "Jody, I think your reading of the Palermo protocol is mistaken.",
    "I was called a pimp apologist for supporting decriminalisation.",
    "The agency's agenda is obvious from who funds it.",
    "A trafficker is someone who profits from forced labour or sex through force, fraud or"
    " coercion.",
    "Are you sure the 2019 figures include domestic trafficking cases?",
    "Do you have a source for the claim that most clients are abusers?",
    "You make a fair point about survivor services, but the funding is still a problem.",
    "Predators use social media to find runaways, so outreach needs to be online too.",
    # Near misses of the insinuation, motive, character and group rules.
    "Traffickers use alt accounts and burner phones to advertise.",
    "Jody and Willow both cited the same person, the ministry's own auditor.",
    "How much does the council pay you per shift? Asking because of the wage figures.",
    "The only reason the raids continue is that the funding rewards arrests.",
    "What is wrong with the grant formula is that it counts heads, not outcomes.",
    "Everyone who buys sex from a trafficked woman is an abuser, whatever the law says.",
    "Pimps like you describe exist, but they are a small share of the cases.",
    "We need more outreach workers like you in the rural counties.",
    "Have you ever met a survivor who went through a raid? Their accounts differ.",
    "If you look at the data you'll see that the hotline counts calls, and you can check it.",
    "I'm not sure why, but the agency never published the 2019 figures.",
    "He kept her passport for a year. What kind of person does that?",
    "I'm so sorry that happened to you. What kind of person does that?",
    "The ministry doesn't care about outcomes; it cares about numbers.",
    "Who recruited you to the night outreach team? I'd like to volunteer too.",
    # A payroll or a funder named with no participant tied to it is the subject, not a charge.
    "Some traffickers tell victims the police are on their payroll.",
    "Your funders will want to see the outcome data before the renewal.",
]


@pytest.mark.parametrize("text", ACCUSATIONS)
def test_accusations_aimed_at_participants_are_flagged(text: str) -> None:
    result = assess(text, participants=PARTICIPANTS)
    assert result.flagged, (text, result)
    assert result.action in {"flag", "hold"}
    assert result.matches, "a rule, not only the scorer, should explain these"


@pytest.mark.parametrize("text", LEGITIMATE)
def test_hard_disagreement_and_topic_talk_are_not_flagged(text: str) -> None:
    """By the rules and the scorer, none of them; the encoder is judged below."""
    result = assess(text, participants=PARTICIPANTS, use_encoder=False)
    assert not result.flagged, (text, result)
    assert all(m.action == "nudge" for m in result.matches), result.matches


# The person addressed and the subject in one sentence: the label is about third parties.
# A comma, a dash, a verdict ("right", "sure"), a verb ("ignoring", "saying") or someone's
# account ("like you describe") stands between them, so no rule may take one for the other.
SUBJECT_NEXT_TO_PERSON = [
    "You're right, the pimps lie to the girls.",
    "You are absolutely correct - the abusers rarely face charges.",
    "You were wrong -- predators groom online first.",
    "You're quite right, sex traffickers target the undocumented.",
    "Jody's right, most pimps never see a courtroom.",
    "Hope you're right, but the pimps are liars.",
    "You're right the pimps are the ones who gain.",
    "You are new here, the pimps in my town work differently.",
    "You're the expert, traffickers use debt more than force.",
    "You are too kind, traffickers are not that clever.",
    "You're both right, the predators groom online first.",
    "You are fine, the shills are on the other thread.",
    "You're aware traffickers read the same forums?",
    "Are you saying pimps never use debt bondage?",
    "Are you sure pimps would bother with that?",
    "Is Jody quoting traffickers or police?",
    "You're ignoring the traffickers who use legal visas.",
    "Some of you are ignoring pimps who run online ads.",
    "You're counting traffickers twice in that table.",
    "Jody was interviewing pimps for the documentary.",
    "You're quoting a pimp, not a survivor.",
    "You're overthinking it, predators go where the kids are.",
    "Traffickers like you'd expect mostly move people by bus.",
    "Pimps like you're describing do exist, but they are a minority.",
    "Traffickers like you and I discussed last week rely on debt.",
    "Johns like you see in the films are not the typical buyer.",
    "I don't think of pimps like you do.",
]

# The same rules still tie a label to the person when it is theirs.
LABEL_TIED_TO_PERSON = [
    "You're a lying, greedy pimp.",
    "You are clearly one of those traffickers.",
    "You're all pimps.",
    "You are becoming a shill.",
    "Pimps like you should be in jail.",
    "I've met traffickers like you.",
    "Apologists like you are the problem.",
    "You're basically a pimp.",
    "Are you paid shills?",
    "Jody's a shill for the clubs.",
    "Are you being paid to post this?",
    "You're paid by the clubs.",
    "Your real motive is obvious.",
    "Is Willow your second account, Jody? She replies within a minute every time.",
    "Either you two are the same person on two accounts or you share a script.",
    "You're on the clubs' payroll.",
    "You're on their payroll.",
    "You are clearly on someone's payroll.",
    "You rounded up your mates to agree with you.",
    "How are you this dense?",
    "You're acting pretty thick today.",
    "You are all blithering idiots.",
    "Are you being dishonest, naive, or both?",
    "Nobody cares what a know-it-all like you thinks.",
    "You talk about punters like you've been one.",
    "You only said that because you were losing.",
    "Who are you really working for?",
    "Who sent you here?",
    # Shapes a helper's lookalikes set (corpus/lookalikes.jsonl) showed passing untouched,
    # written again in other words.
    "Apologists like you would sell out every woman on that farm.",
    "Were you recruited here to back her up?",
    "Your account was opened the week the inquiry began.",
    "You're only against the audit because it would expose your charity.",
    "You're writing this to protect your agency's contract.",
    "The real reason you defend the raids is that your unit's budget rides on them.",
    "Your outrage about the camps is just a front.",
    "Any decent person wouldn't post that about a dead woman.",
    "You seem to relish their humiliation.",
]


# Pay, agendas, accounts and colleagues that are simply part of the work and of life: no
# motive, hidden tie or second identity is charged.
WORK_TALK = [
    "You have an agenda item on Thursday about the hotline, right?",
    "Your real interest is housing, and so is mine.",
    "Are you being paid for the outreach shifts yet?",
    "You are paid by the council, so you can request the audit.",
    "Are you on the payroll yet, or still volunteering?",
    "You work for the traffickers' victims fund, right? Can I refer someone to you?",
    "You are in the pocket of nobody, I know; I worry about the funders' conditions.",
    "Jody is in bed with the flu, she'll reply next week.",
    "You profit from the trade agreement like every farmer does, that's no crime.",
    "Are you two the same person who ran the Leeds workshop? I'd love to meet you both.",
    "Are you the same person I spoke to at the clinic last week?",
    "Your other account was the one for the shelter, I think? The messages went there.",
    "You brought your colleagues in to agree a date for the workshop, thanks.",
    "Jody called her friends in to support the vigil, and twenty people came.",
    "You just said the raids happen because the funding rewards arrests.",
    "Who sent you the report? I'd like a copy.",
    "Who are you writing for, the journal or the newsletter?",
    "You mentioned you're on the union's payroll; can you ask about the night rates?",
    "Were you brought in to agree the timetable with the council?",
    "Your account was the first to share the petition, thank you.",
    "The reason you see more arrests is that the police patrol the street.",
    "Your concern for the night staff is fair, and I share it.",
    "A decent employer wouldn't say that to a worker.",
    "The clubs here are mostly fronts for the same owner.",
    "Traffickers like you would find in any port city rarely face charges.",
    "You're for the levy because it funds the shelters, and so am I.",
    # Things, not people, placed on this forum.
    "Half the links on this forum are garbage, we need a reading list.",
    "The numbers on this forum are a joke next to the Home Office's.",
]


@pytest.mark.parametrize("text", SUBJECT_NEXT_TO_PERSON + WORK_TALK)
def test_no_rule_charges_a_label_about_others_or_the_work_itself(text: str) -> None:
    result = assess(text, participants=PARTICIPANTS)
    assert result.action != "hold", (text, result)
    assert [m for m in result.matches if not m.rule_id.startswith("model.")] == [], text


@pytest.mark.parametrize("text", LABEL_TIED_TO_PERSON)
def test_a_label_tied_to_the_person_is_still_held_or_flagged_by_a_rule(text: str) -> None:
    result = assess(text, participants=PARTICIPANTS, use_encoder=False)
    assert result.action in {"flag", "hold"}, (text, result)
    assert [m for m in result.matches if not m.rule_id.startswith("model.")], text


# The encoder is a learned reader with measured error rates, not a list of promises: the shipped
# one reads this genuine question about experience as the sarcasm about experience it was
# trained to catch ("says the expert who has never met a victim"), and flags it for review.
ENCODER_MISREADS = {"Have you ever met a survivor who went through a raid? Their accounts differ."}


def test_the_encoder_holds_none_of_them_and_flags_only_its_known_misreading() -> None:
    """A new misreading fails here; mending the known one passes."""
    results = {text: assess(text, participants=PARTICIPANTS) for text in LEGITIMATE}
    assert {t for t, r in results.items() if r.flagged} <= ENCODER_MISREADS
    assert all(r.action != "hold" for r in results.values())


@pytest.mark.parametrize(
    ("text", "rule_id", "highlight"),
    [
        ("Ok so you are a pimp.", "accuse.role", "you are a pimp"),
        ("Ok so you are a p1mp.", "accuse.role", "you are a p1mp"),
        ("Ok so you are a pi.mp.", "accuse.role", "you are a pi.mp"),
        ("Ok so you are a p i m p.", "accuse.role", "you are a p i m p"),
        ("Ok so you are a pi\u200bmp.", "accuse.role", "you are a pi\u200bmp"),
        ("Ok so you are a \u0440im\u0440.", "accuse.role", "you are a \u0440im\u0440"),  # Cyrillic
        ("Ok so y\u03bfu are a pimp.", "accuse.role", "y\u03bfu are a pimp"),  # Greek omicron
        ("Ok so you are a liaaar.", "insult.name", "you are a liaaar"),
        ("Ok so you are a l-i-a-r.", "insult.name", "you are a l-i-a-r"),
        ("Ok so YOU ARE A LIAR.", "insult.name", "YOU ARE A LIAR"),
        (
            "Ok so ｙｏｕ ａｒｅ ａ ｌｉａｒ.",
            "insult.name",
            "ｙｏｕ ａｒｅ ａ ｌｉａｒ",
        ),  # fullwidth
        ("Fine. C'mon people, read the report.", "condescension.people", "C'mon people"),
        # A phone's or a word processor's non-breaking hyphen in "grown-ups"
        (
            "Wake me when the grown\u2011ups are back.",
            "hostility.sneer",
            "Wake me when the grown\u2011ups are back",
        ),
        ("First line.\nJody is a shill.", "accuse.role", "Jody is a shill"),
    ],
)
def test_evasions_are_caught_and_spans_point_at_the_original(
    text: str, rule_id: str, highlight: str
) -> None:
    result = assess(text, participants=PARTICIPANTS)
    found = [m for m in result.matches if m.rule_id == rule_id]
    assert found, result
    assert text[found[0].start : found[0].end] == highlight


# New reader-aimed rules: each accusation next to an argument on the same subject that must
# stay untouched (rule id, accusation, argument).
READER_AIMED_PAIRS = [
    (
        "insult.cant_understand",
        "You clearly don't understand how the T visa process works.",
        "I don't think the report clearly shows how the T visa process works.",
    ),
    (
        "insult.cant_understand",
        "Are you really this dense about the hotline numbers?",
        "Are the hotline numbers really this inflated? The audit suggests so.",
    ),
    (
        "insult.cant_understand",
        "Do you even read the evaluations you link?",
        "Did you read the second evaluation? It covers labour trafficking on farms.",
    ),
    (
        "insult.cant_understand",
        "You're not smart enough to follow a grant budget.",
        "The grant budget is not detailed enough to follow where the money goes.",
    ),
    (
        "insult.cant_understand",
        "Seriously, take a statistics class before posting prevalence figures again.",
        "Officers take a two-day course on trafficking indicators every year.",
    ),
    (
        "insult.cant_understand",
        "Your complete inability to understand simple figures is showing.",
        "The agency's inability to count deportations after raids is the real scandal.",
    ),
    (
        "hostility.mockery",
        "You're just trolling the survivors' thread at this point.",
        "The article says lobbyists were trolling the hearings, which I doubt.",
    ),
    (
        "hostility.mockery",
        "lol you really think the raids rescued anyone",
        "lol, the council finally published the shelter budget.",
    ),
    (
        "hostility.mockery",
        "Nice strawman, genius.",
        "That is a strawman of the Nordic model, and here is why.",
    ),
    (
        "hostility.mockery",
        "Stop being such a hypocrite about the funding.",
        "Stop funding programmes that never publish outcomes.",
    ),
    (
        "hostility.mockery",
        "Jody, you're a waste of everyone's time.",
        "Jody, the second survey was a waste of everyone's time and money.",
    ),
    (
        "hostility.mockery",
        "Your English is terrible, so spare us the lecture on migrant outreach.",
        "Our English classes for migrant workers are full every week.",
    ),
    (
        "hostility.mockery",
        "You should be ashamed of yourself for posting that about survivors.",
        "Nobody should be ashamed of asking a hotline for help.",
    ),
    (
        "accuse.who_for",
        "How much is the brothel lobby paying per post these days?",
        "She was paid per post by the agency's marketing team, according to the court filing.",
    ),
    (
        "insult.character_phrase",
        "Spoken like someone who has never done a night shift in their life.",
        "Spoken like someone who has done the night shifts: thank you for the detail.",
    ),
    (
        "insult.character_phrase",
        "Nobody with a shred of decency would post this.",
        "No one with an ounce of compassion would write a letter like the minister's.",
    ),
    (
        "insult.character_phrase",
        "A serious adult would be embarrassed to post that.",
        "Any serious researcher would be embarrassed to publish that sample size.",
    ),
    (
        "insult.character_phrase",
        "There's something deeply off about a person who writes like this.",
        "There's something deeply wrong with a system that deports victims.",
    ),
    (
        "accuse.sock_puppet",
        "The old thread was hijacked by Marisol Reyes and her sock accounts.",
        "Marisol Reyes and her other accounts on the council website have the same data.",
    ),
    (
        "motive.because",
        "Jody and Willow will both tell you it is fine, because they draw salaries from it.",
        "Jody will tell you the project is fine because she ran it for years and saw the numbers.",
    ),
    (
        "accuse.who_for",
        "Nice to see the sex-buyer lobby has sent its best.",
        "The industry sent its best lawyers to the hearing.",
    ),
    (
        "insult.character_phrase",
        "Spoken like a true friend of the brothel owners.",
        "She was a true friend of the brothel owners, the court heard.",
    ),
    (
        "accuse.who_for",
        "I can smell the agency money from here.",
        "I can smell the bakery from here; the drop-in is next door to it.",
    ),
    (
        "accuse.who_for",
        "Is this what they teach you at the growers' association?",
        "Is this what they teach you at the police college? I'm applying next year.",
    ),
    (
        "insult.cant_understand",
        "Is there anything going on upstairs, Jody?",
        "Is there anything going on upstairs at the drop-in on Friday?",
    ),
    (
        "insult.cant_understand",
        "Willow is a few sandwiches short of a picnic.",
        "Willow is a few volunteers short of a full rota for Saturday.",
    ),
    (
        "insult.cant_understand",
        "You're clearly not the sharpest tool in the shed.",
        "The helpline is not the sharpest tool we have; the outreach van reaches more people.",
    ),
    (
        "motive.because",
        "Pretty rich coming from someone who cashes cheques from the industry.",
        "That's rich coming from a minister who cut the shelter budget twice.",
    ),
    (
        "motive.because",
        "Someone who profits from the trade defending the trade. Shocking.",
        "A man who profits from the trade defending the trade is what the inquiry found in Leeds.",
    ),
    (
        "accuse.brought_in",
        "Interesting that this account was created the week the old one got banned.",
        "The shelter's account was created the week after the old site got suspended by its host.",
    ),
    (
        "accuse.group_label",
        "Anyone who believes that is either naive or on the payroll.",
        "Anyone who believes that report should read how its sample was drawn.",
    ),
    (
        "accuse.group_label",
        "Everyone here who agrees with this is obviously dishonest.",
        "Everyone who works at the agency is on the ministry's payroll, so it isn't independent.",
    ),
    (
        "hostility.slur",
        "Read the budget sheet, dipshit.",
        "Read the budget sheet, page four has the outreach costs.",
    ),
    (
        "insult.character_phrase",
        "With friends like Willow, the workers hardly need enemies.",
        "With friends like the Home Office, who needs enemies? The new rules are a disaster.",
    ),
    (
        "insult.character_phrase",
        "Don't listen to her, she has never worked a shift in her life.",
        "Don't listen to him, listen to the data: the count changed its definition in 2019.",
    ),
    (
        "insult.character_phrase",
        "Don't believe Jody, she has never set foot in a drop-in.",
        "Don't trust the headline figure, it counts repeat contacts.",
    ),
    (
        "accuse.who_for",
        "Which of your clients told you to say that?",
        "Which of your clients told you about the drop-in? We want to know how word spreads.",
    ),
    (
        "accuse.who_for",
        "Who paid you to write this?",
        "Who paid for the evaluation? The council or the charity?",
    ),
    (
        "insult.cant_understand",
        "Clear thinking isn't your strong suit, is it?",
        "Maths isn't my strong suit, so I asked the treasurer to check the figures.",
    ),
    (
        "insult.cant_understand",
        "Wrong again, Jody. Is being this reliably misinformed exhausting?",
        "Is being this tired after a night shift normal? Asking for the rota.",
    ),
    (
        "insult.cant_understand",
        "Someone's mistaken arithmetic for cruelty. Not the brightest bulb.",
        "The new streetlights are not the brightest bulbs on the market, the council admits.",
    ),
    (
        "condescension.people",
        "Some of us actually worked at the border instead of writing memos about it.",
        "Some of us actually worked at the border, and what we saw matches the memos.",
    ),
    (
        "motive.because",
        "I'd take Willow's view more seriously if she weren't on the recruitment agency's board.",
        "I'd trust the review more if it weren't funded by the growers.",
    ),
    (
        "accuse.who_for",
        "Jody and ash_k agree again. What are the odds, two accounts, one keyboard?",
        "Two accounts, one email address: the sign-up form should catch that.",
    ),
    (
        "motive.stake",
        "Nobody without a stake in the agencies argues this hard for them.",
        "Nobody without a stake in the outcome was consulted, which is the real scandal.",
    ),
    (
        "motive.stake",
        "Only someone with a stake in the agencies would defend that.",
        "Only people with a stake in the scheme were invited to the consultation.",
    ),
    (
        "accuse.group_label",
        "The growers' cheerleaders on this forum are at it again.",
        "The growers' cheerleaders in parliament blocked the bill twice.",
    ),
    (
        "accuse.sock_puppet",
        "Say hi to your other account for me, Willow.",
        "Say hi to your other half for me, Willow, and thanks for the lift.",
    ),
    (
        "accuse.sock_puppet",
        "Hard to believe ash_k isn't Jody with a fresh email address.",
        "Hard to believe the council still hasn't published the figures.",
    ),
    (
        "accuse.sock_puppet",
        "Jody, you and Willow even make the same spelling mistakes.",
        "Jody, you and Willow make the same mistakes about displacement, in my view.",
    ),
    (
        "accuse.brought_in",
        "ash_k: zero posts until today, and already agrees with Jody on everything.",
        "Zero posts until today, and already a great contribution. Welcome!",
    ),
    (
        "insult.your_failing",
        "That you would defend it speaks only to a weak moral fibre on your part.",
        "That was a lack of judgement on my part, and a lack of integrity on the council's.",
    ),
    (
        "insult.your_failing",
        "Could you be any more wrong, Jody?",
        "Could you be more specific about the fees, Jody?",
    ),
    (
        "motive.stake",
        "Honestly, Jody, I've stopped believing you're asking in good faith.",
        "Honestly, Jody, I believe you're asking in good faith, so here is the link.",
    ),
    (
        "motive.stake",
        "I'm starting to think you personally don't care what happens to those men, Willow.",
        "Willow, you don't care whether it's legal, you care whether it's safe, and so do I.",
    ),
    (
        "motive.stake",
        "I don't think you'd care if they were paid nothing at all, Jody.",
        "I don't think you'd find the 40% figure in the report, Jody.",
    ),
    (
        "accuse.brought_in",
        "ash_k and Willow both joined the week the tender closed. Did you ask your staff to "
        "sign up and back you, Jody?",
        "Did you ask your staff to sign up for the training, Jody? The form closes Friday.",
    ),
    (
        "accuse.group_label",
        "Strip away the usernames and the decriminalisation side here is punters and brothel "
        "owners.",
        "Strip away the usernames and the union side here is mostly night-shift volunteers.",
    ),
    (
        "insult.your_failing",
        "Jody, I don't think you have an ounce of human feeling left.",
        "Jody, I don't think you have an ounce of evidence for the 40% figure.",
    ),
    (
        "insult.your_failing",
        "You have no decency, Willow.",
        "You have no integrity problem here, Willow: the figures check out.",
    ),
    (
        "insult.character",
        "Willow, you're a callous man, and I think you know it.",
        "Willow, you're right that the scheme is callous, and I think the council knows it.",
    ),
    (
        "insult.character",
        "You are a heartless woman, Jody.",
        "You said the cuts were heartless, Jody, and the minutes agree.",
    ),
    (
        "accuse.group_label",
        "Anyone who backs this law is either a cop or wants to be one.",
        "Anyone who backs this law should explain what happens to workers without papers.",
    ),
    (
        "insult.character_phrase",
        "Says the woman whose charity lives off raid money.",
        "Says the report whose authors never met a worker: demand fell. Page 12.",
    ),
    (
        "insult.cant_understand",
        "Willow, you argue like someone who skimmed the summary on the bus.",
        "Willow argues like a lawyer, which is a compliment here.",
    ),
    (
        "hostility.mockery",
        "Jody is the reason nobody takes this forum seriously.",
        "The agency is the reason nobody trusts the figures.",
    ),
    (
        "motive.stake",
        "Spoken like a man who owns three farms.",
        "Spoken like a true farmer, and I mean that kindly.",
    ),
    (
        "motive.stake",
        "Willow, is there a single policy you've backed that didn't benefit your employer?",
        "Is there a single policy you've backed that didn't work? Genuinely asking.",
    ),
    (
        "motive.stake",
        "You're not here to discuss outreach, you're here to protect a budget line.",
        "We're all here to protect a service that works, whatever the budget line says.",
    ),
    (
        "accuse.who_for",
        "Interesting how every defender of the van has the same three talking points.",
        "Every critic of the van has the same worry, which is cost.",
    ),
    (
        "accuse.who_for",
        "Somebody is paying for this level of polish.",
        "Somebody is paying for these posters at the bus stops, and the council won't say who.",
    ),
    (
        "insult.character_phrase",
        "The smug certainty of someone who has never missed a meal.",
        "The certainty of the report's authors is not matched by their sample size.",
    ),
]


# Doubting that a survivor lived what they tell needs no "you" in a reply to their story; a
# member may still doubt an advert, a press story or a claim (rule "doubt.story").
SURVIVOR = Context(
    parent_author="Marisol",
    parent_text="I was recruited for a farm job in 2019 and my passport was taken on day one.",
    thread_title="Seasonal visa schemes: who checks the agencies?",
    names=("Marisol", "Jody"),
)
DOUBTED_STORIES = (
    "Sorry, but this reads like something made up for sympathy.",
    "This sounds made up.",
    "Your story sounds like fiction to me.",
    "Pics or it didn't happen.",
    "Did any of this actually happen?",
    "Did this even happen?",
    "You made the whole story up.",
    "You're obviously making that up.",  # the house rules' own example
    "Marisol's story changes with the audience. Last week it was cherries.",
    "Your story keeps changing.",
    "You're not a survivor, you're a spokeswoman.",
    "Marisol is not a victim, she's a lobbyist.",
)
FAIR_DOUBTS = (
    "The job advert was fake, and the agency knew it.",
    "The tabloid story sounds made up: its dates don't match the court record.",
    "That never happened in our county, the inspectors came every spring.",
    "Did that happen before or after the 2019 rule change?",
    "Did that ever happen to you with the agency? It happened to two of us.",
    "I'm not making this up, the passport clause is on page 4 of the contract.",
    "They made it up to the workers later with back pay.",
    "Her story changes how the council sees the scheme, and it should.",
    "Their version changes with each release of the guidance, so check the date.",
    "She's not a victim, she's a woman with a job she chose.",
    "You're not a sex worker, you're an outreach nurse, so your view is different and useful.",
)


@pytest.mark.parametrize("text", DOUBTED_STORIES)
def test_doubting_a_survivors_story_is_nudged_or_worse(text: str) -> None:
    found = assess(text, context=SURVIVOR)
    assert "doubt.story" in found.rule_ids, found.matches
    assert found.action in ("nudge", "flag")


# The shipped scorer's misreading, not the rule's: a caring question with "ever" and "you" is
# nudged (never flagged). Mending it passes; a new misreading fails.
SCORER_NUDGES = {"Did that ever happen to you with the agency? It happened to two of us."}


@pytest.mark.parametrize("text", FAIR_DOUBTS)
def test_doubting_an_advert_a_press_story_or_a_date_is_not(text: str) -> None:
    found = assess(text, context=SURVIVOR)
    assert "doubt.story" not in found.rule_ids, found.matches
    assert found.action in (("allow", "nudge") if text in SCORER_NUDGES else ("allow",))


@pytest.mark.parametrize(
    ("sarcasm", "fair"),
    [
        (
            "I'd ask whether you've been to Auckland, but we both know the answer.",
            "I'd ask whether the council has the data, but we both know the answer.",
        ),
        (
            "I would ask if Jody has read the study, but we all know the answer.",
            "I would ask if the study was funded, but the report says so on page 2.",
        ),
        (
            "Big talk from a guy who lectures about demand from a university office.",
            "Big talk from the police, but the conviction numbers don't back it up.",
        ),
        (
            "Your kind always hides behind the data.",
            "Jody, your sort of argument, from harm reduction, is the one that convinced me.",
        ),
        (
            "I'd argue with Jody but there's no point arguing with a slogan.",
            "There's no point arguing with a slogan on a placard; engage with the policy instead.",
        ),
    ],
)
def test_a_person_waved_off_as_a_known_answer_or_a_slogan_is_talked_down_to(
    sarcasm: str, fair: str
) -> None:
    found = assess(sarcasm, participants=PARTICIPANTS)
    assert "condescension.sarcasm" in found.rule_ids, found.matches
    assert found.action != "allow"
    assert "condescension.sarcasm" not in assess(fair, participants=PARTICIPANTS).rule_ids


def test_explaining_slowly_to_a_person_talks_down_and_to_volunteers_does_not() -> None:
    found = assess("Jody, I'll explain slowly, because this is hard for newcomers.", PARTICIPANTS)
    assert "condescension.people" in found.rule_ids, found.matches
    assert found.action != "allow"
    fair = assess("Let me explain slowly how the referral works for new volunteers.", PARTICIPANTS)
    assert "condescension.people" not in fair.rule_ids


@pytest.mark.parametrize(("rule_id", "accusation", "argument"), READER_AIMED_PAIRS)
def test_reader_aimed_rules_split_accusation_from_argument(
    rule_id: str, accusation: str, argument: str
) -> None:
    attack = assess(accusation, participants=PARTICIPANTS)
    assert attack.flagged, (accusation, attack)
    assert rule_id in attack.rule_ids, attack.rule_ids
    fair = assess(argument, participants=PARTICIPANTS)
    assert not fair.flagged, (argument, fair)
    assert rule_id not in fair.rule_ids


def test_scorer_flags_only_with_evidence_tied_to_a_person() -> None:
    """Topic words that double as insults ("tool", "fraud") are weak evidence at most."""
    from forum.moderation import scorer

    feats = scorer.features("screening is the main safety tool people here have")
    assert scorer.evidence_level(feats) == scorer.WEAK
    # Aimed at nobody at all: not even a nudge.
    feats = scorer.features("screening is the main safety tool we have")
    assert scorer.evidence_level(feats) == scorer.UNTARGETED
    assert scorer.action_for(0.99, scorer.UNTARGETED) == "allow"
    feats = scorer.features("you are honestly so gullible")
    assert scorer.evidence_level(feats) == scorer.STRONG
    feats = scorer.features("you should re-read the post", hedged=False)
    assert scorer.evidence_level(feats) == scorer.NONE
    assert scorer.action_for(0.99, scorer.NONE) in {"allow", "nudge"}


def test_a_verdict_or_a_verb_after_you_ends_what_the_scorer_reads_as_aimed() -> None:
    """As in the rules' gap: after "you're right" or "are you saying", the pimps are a subject,
    not the reader; "you are pimps" and "you lying pimps" still aim the word at them."""
    from forum.moderation import scorer

    for text in (
        " you're right the pimps lie to the girls",
        " are you saying pimps never use debt bondage",
        " you're ignoring the traffickers who use legal visas",
    ):
        assert "lex:aimed" not in scorer.features(text), text
    for text in (" you are pimps", " you lying pimps", " you're acting like traffickers"):
        assert "lex:aimed" in scorer.features(text), text


def test_a_determiner_after_a_verb_begins_a_new_phrase_for_the_scorer_too() -> None:
    """ "you know the lies traffickers tell": the traffickers are what the reader knows about,
    and a determiner in an article's place still aims the label ("you're the worst liar")."""
    from forum.moderation import scorer

    for text in (" you know the lies traffickers tell", " you met those pimps in court"):
        assert "lex:aimed" not in scorer.features(text), text
    for text in (" you're the worst liar", " you are the pimps here", " you and your pimps"):
        assert "lex:aimed" in scorer.features(text), text


def test_people_placed_in_this_thread_point_at_someone() -> None:
    """ "The liberals on this forum ..." names no one and says no "you", but it is about the
    people present: the models may read it."""
    from forum.moderation import scorer

    placed = scorer.features("the liberals on this forum sold out every woman in a shelter.")
    assert scorer.evidence_level(placed) > scorer.UNTARGETED
    town = scorer.features("the clubs in this town sold out every woman in a shelter.")
    assert scorer.evidence_level(town) == scorer.UNTARGETED


def test_paper_posters_point_at_nobody_and_the_posters_here_at_people() -> None:
    """On this forum "posters" are mostly the awareness campaign's paper ones; the forum's own
    posters come with a word that points at the thread ("here")."""
    from forum.moderation import scorer

    paper = scorer.features("posters instead, and a zine.")
    assert scorer.evidence_level(paper) == scorer.UNTARGETED
    present = scorer.features("half the posters here never read the report.")
    assert scorer.evidence_level(present) > scorer.UNTARGETED


@pytest.mark.parametrize(
    "text",
    [
        "I'm not sure why you bother, but you are a liar.",
        "If you think the raids are simple, you're an idiot.",
        # no comma: the condition's report has its own clause, so the insult is not reported
        "if you think the raids are simple you're actually an idiot",
        "I didn't realise you were this delusional.",
        "I am not going to argue over concepts you clearly don't understand.",
        "Then you don't really care to use your brain.",
    ],
)
def test_a_negation_in_another_clause_does_not_excuse_an_attack(text: str) -> None:
    assert assess(text, participants=PARTICIPANTS).flagged


@pytest.mark.parametrize(
    "text",
    [
        "Nobody here is saying you are a liar, Jody.",
        "They said I was a pimp for supporting decrim.",
        "He said it was obvious you were a shill, and he was wrong.",
        "If you are a trafficker, the hotline is the last number you want us to share.",
        "I don't think you are dishonest, just misinformed about the numbers.",
    ],
)
def test_denials_reports_and_suppositions_are_not_accusations(text: str) -> None:
    assert not assess(text, participants=PARTICIPANTS).flagged


def test_an_abbreviation_does_not_end_the_sentence() -> None:
    from forum.moderation.rules import _sentences

    text = "i support decrimin. not because of the law. You are wrong."
    assert [text[a:b] for a, b in _sentences(text)] == [
        "i support decrimin. not because of the law.",
        "You are wrong.",
    ]


def test_generic_you_is_told_from_you_held_to_account() -> None:
    from forum.moderation import scorer

    generic = scorer.features("if you look at the data you'll see that you can check it")
    assert "you_generic:3" in generic and "you_addressed:0" in generic
    aimed = scorer.features("you are clearly lying and you know it, your motives are obvious")
    assert "you_addressed:3" in aimed


def test_the_words_around_a_participants_name_are_features_but_not_the_name() -> None:
    from forum.moderation import scorer

    about = scorer.context_features(
        "funny how lev only turns up for this, says kiri.", ["Lev", "Kiri"], None
    )
    assert {"nx:only", "np:says", "ctx:named:2"} <= about
    assert not any("lev" in f or "kiri" in f for f in about)
    spoken_to = scorer.context_features("lev, the minutes say otherwise", ["Lev"], "Lev")
    assert {"ctx:name_vocative", "ctx:name_addressed", "ctx:reply"} <= spoken_to
    # A short name inside a longer word is nobody: "ife" in "life".
    assert scorer.context_features("life is hard for the workers", ["Ife"], None) == set()


def test_a_participant_called_by_part_of_their_display_name_is_still_a_person() -> None:
    """People write "Arjun" to "Arjun_S" and "Okafor" about "M. Okafor": a text that names
    someone so points at them, but a handle's ordinary words ("mod" of "mod_tove") don't."""
    from forum.moderation import scorer
    from forum.moderation.rules import Context, analyse

    assert scorer.short_names("Arjun_S") == ("arjun",)
    assert scorer.short_names("M. Okafor") == ("okafor",)
    assert scorer.short_names("kestrel9") == ("kestrel",)
    assert scorer.short_names("mod_tove") == ("tove",)
    assert scorer.short_names("quietcartographer") == ()
    # Nor do the words most sentences hold: "more" of "lurker_no_more" is nobody.
    assert scorer.short_names("lurker_no_more") == ("lurker",)
    assert scorer.short_names("amara_lives_here") == ("amara", "lives")

    def level(text: str, names: tuple[str, ...]) -> int:
        seen = analyse(text, context=Context(names=names))
        feats = scorer.features(seen.scored_text, seen.rule_ids, seen.hedged, seen.context_features)
        return scorer.evidence_level(feats)

    assert level("Pass the tissues, Arjun.", ("Arjun_S",)) > scorer.UNTARGETED
    okafor = "Okafor's firm makes its living on these visas. Naturally the ratio looks fine."
    assert level(okafor, ("M. Okafor",)) > scorer.UNTARGETED
    # Without the thread's names the same words point at nobody, and neither does a role.
    assert level("Pass the tissues, Arjun.", ()) == scorer.UNTARGETED
    assert level("The mod closed the thread early.", ("mod_tove",)) == scorer.UNTARGETED


def test_the_rules_read_part_of_a_display_name_as_the_participant() -> None:
    """A motive or a sock-puppet charge about "Nadia" in a thread where "Nadia K." posts is
    the attack it reads as; the same words about someone nobody in the thread is called, or
    a handle's role word, are not aimed at anyone."""
    from forum.moderation.rules import Context

    def rules(text: str, names: tuple[str, ...]) -> set[str]:
        found = assess(text, context=Context(names=names), use_encoder=False)
        return {m.rule_id for m in found.matches} - {"model.scorer"}

    motive = "Nadia only argues this because her agency bills the council for every referral."
    assert "motive.because" in rules(motive, ("Nadia K.", "ferryman_7"))
    assert rules(motive, ("ferryman_7",)) == set()
    twins = "Ferryman and Nadia are obviously the same account, same hours, same typos."
    assert "accuse.sock_puppet" in rules(twins, ("Nadia K.", "ferryman_7"))
    assert (
        rules("The mod only closed it because the thread ran to 400 replies.", ("mod_tove",))
        == set()
    )


def test_in_a_reply_you_held_to_account_is_its_own_feature() -> None:
    from forum.moderation import scorer

    text = "you are clearly posting for someone else"
    assert "reply_addressed:1" in scorer.features(text, extra={"ctx:reply"})
    assert not any(f.startswith("reply_") for f in scorer.features(text))


def test_context_names_and_the_parent_make_an_attack_personal() -> None:
    from forum.moderation.rules import Context

    text = "Brindle sounds a lot like Jody."
    assert not assess(text).flagged
    context = Context(parent_author="Jody", names=("Brindle",))
    assert assess(text, context=context).action == "hold"


def test_a_reply_is_not_blamed_for_words_it_copies_from_its_parent() -> None:
    from forum.moderation.rules import Context

    parent = "Honestly you are a paid shill for the sex industry and everyone knows it"
    reply = (
        "Willow, so you are a paid shill for the sex industry and everyone knows it? That "
        "is not an argument about the audit."
    )
    assert assess(reply).action == "hold"
    calm = assess(reply, context=Context(parent_author="Willow", parent_text=parent))
    assert not calm.flagged, calm


def test_a_decision_of_the_scorer_alone_names_its_sentence_and_words() -> None:
    from forum.moderation.rules import MODEL_RULE_ID

    text = (
        "The audit is fine. Honestly, you people never read anything and it shows, "
        "you clearly have nothing to add here, go away."
    )
    result = assess(text, use_encoder=False)
    model = [m for m in result.matches if m.rule_id == MODEL_RULE_ID]
    assert result.action != "allow" and model, result
    (match,) = model
    assert "go away" in text[match.start : match.end]
    assert match.explanation.startswith("reads as aimed at a person")
    assert "words:" in match.explanation


def test_sentence_span_covers_the_accusing_sentence() -> None:
    text = "The figures are inflated. Frankly, you are a liar. Read the audit."
    (match,) = assess(text).matches
    assert text[match.sentence_start : match.sentence_end] == "Frankly, you are a liar."


def test_participant_name_makes_a_comparison_personal() -> None:
    text = "Willow sounds a lot like Jody."
    assert assess(text, participants=("Willow", "Jody")).action == "hold"
    assert not assess(text, participants=()).flagged


def test_a_style_like_a_stranger_is_read_by_a_moderator_and_like_a_participant_held() -> None:
    """ "You write exactly like Orwell" is as often praise as a hint that two accounts are one,
    so it is only flagged; a participant's name after it, or a participant's style compared
    with any name (the seed thread's hint), is held."""

    def decided(text: str) -> tuple[str, set[str]]:
        found = assess(text, participants=PARTICIPANTS, use_encoder=False)
        return found.action, {m.rule_id for m in found.matches} - {"model.scorer"}

    assert decided("You write exactly like Orwell, that's a compliment.") == (
        "flag",
        {"accuse.sounds_like"},
    )
    assert decided("You write exactly like Willow.") == ("hold", {"accuse.sock_puppet"})
    assert decided("Willow writes exactly like Orwell.") == ("hold", {"accuse.sock_puppet"})


def test_a_thread_of_many_people_compiles_its_rules_once(monkeypatch) -> None:
    """Each new participant used to bake a longer name list into every large pattern and
    compile it again: a fifth of a second per post in a thread of many people."""
    from forum.moderation import rules as engine

    people = [f"member{i:03d}" for i in range(200)]
    assess("A warm-up about the hotline figures.", participants=people[:1])
    compiled = engine._compile_with.cache_info().misses
    for n in range(2, 200, 9):
        assess(f"Point {n}: the hotline figures count calls, not cases.", participants=people[:n])
    assert engine._compile_with.cache_info().misses == compiled
    # A text that names someone still reads their name as a person's.
    assert assess("member150 is a paid shill.", participants=people).flagged
    assert not assess("member150 is a paid shill.", participants=people[:100]).flagged


def test_each_new_name_in_a_text_costs_no_compile_and_no_reading_of_a_pattern() -> None:
    """A text's participant names are marked in the text, not baked into the patterns: every
    new set of names named in a text used to compile each person rule again (54 ms a post)
    and read where its matches begin. The names still decide, and as whole names only."""
    from forum.moderation import patterns
    from forum.moderation import rules as engine

    people = [f"regular{i:03d}" for i in range(40)]
    assert assess("regular000 is a paid shill.", participants=people).flagged
    assert not assess("regular0000 is a paid shill.", participants=people).flagged
    read = (
        engine._compile_with.cache_info().misses,
        patterns.starts.cache_info().misses,
        patterns.anchors.cache_info().misses,
    )
    for i in range(1, 40, 3):
        named = f"regular{i:03d}, regular{i + 1:03d} and regular{i + 2:03d}"
        assert assess(f"{named} are paid shills.", participants=people).flagged
        assert not assess(f"{named} are paid shills.", participants=people[:i]).flagged
    assert (
        engine._compile_with.cache_info().misses,
        patterns.starts.cache_info().misses,
        patterns.anchors.cache_info().misses,
    ) == read


def test_a_name_typed_in_the_marking_letter_is_no_name() -> None:
    """Names are marked with a letter (rules.NAME) no text keeps: typed in, it reads as
    masked, so nobody can make a remark about "ǂǂǂǂ" count as aimed at a participant."""
    from forum.moderation import rules as engine

    text = f"{engine.NAME * 4} is a paid shill."
    assert not assess(text, participants=("Jody",)).flagged
    assert assess("Jody is a paid shill.", participants=("Jody",)).flagged


def test_explanations_are_one_readable_line() -> None:
    result = assess("You are a pimp.")
    assert result.matches[0].explanation == "calls another participant a pimp"
    assert all("\n" not in m.explanation for m in result.matches)


@pytest.mark.parametrize(
    "text",
    [
        '"You are a liar" is what she wrote to me last week.',
        "\u201cyou are a pimp\u201d, he said, and then left the thread.",
        "> Jody is a shill\nThat is not a fair thing to say about anyone.",
        "I was told 'you are an idiot' by a stranger.",
    ],
)
def test_quoted_text_is_ignored(text: str) -> None:
    assert not assess(text, participants=PARTICIPANTS).matches


def test_hold_is_reserved_for_rule_matches() -> None:
    result = assess("You are a pimp and a trafficker.")
    assert result.action == "hold"
    assert result.flagged
    assert 0.0 <= result.score <= 1.0


def test_allow_result_shape() -> None:
    result = assess("Thanks for the list of hotlines, very useful.")
    assert result == Assessment(flagged=False, score=result.score, action="allow", matches=())
    assert result.score < 0.5


def test_nudge_is_not_flagged() -> None:
    result = assess("You people never read past the headline.", rules=default_rules())
    assert result.action == "nudge"
    assert not result.flagged


def test_tags_restrict_tagged_rules() -> None:
    rule = Rule(
        id="funding.grift",
        kind="lexicon",
        action="flag",
        message="calls another participant a {term}",
        terms=("grifter",),
        target="person",
        tags=("funding",),
    )
    assert not assess("You are a grifter.", rules=[rule]).flagged
    assert assess("You are a grifter.", rules=[rule], tags=("Funding",)).flagged


def test_disabled_rules_do_not_fire() -> None:
    rules = [r if r.id != "accuse.role" else Rule(**{**rule_to_dict(r), "enabled": False,
             "terms": r.terms, "tags": r.tags}) for r in default_rules()]  # fmt: skip
    result = assess("You are a pimp.", rules=rules)
    assert "accuse.role" not in result.rule_ids


# --------------------------------------------------------------------------- rule data


def test_default_rules_round_trip_through_dicts() -> None:
    rules = default_rules()
    assert {r.id for r in rules} >= {"accuse.role", "insult.name", "motive.agenda"}
    for rule in rules:
        assert rule_from_dict(rule_to_dict(rule)) == rule


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"pattern": "(you are"}, "invalid regular expression"),
        ({"pattern": "(a+)+$"}, "nested repetition"),
        ({"pattern": r"(\w+\s?)*$"}, "nested repetition"),
        ({"pattern": "{nonsense} liar"}, "unknown macro"),
        ({"action": "ban"}, "action must be one of"),
        ({"kind": "ml"}, "kind must be one of"),
        ({"id": "Has Spaces"}, "rule id"),
        ({"message": "two\nlines"}, "one line"),
        ({"message": "calls someone {who}"}, "{term}"),
        ({"message": "calls someone {term:>99999999}"}, "no other braces"),
        ({"message": "calls someone {term!r}"}, "no other braces"),
        ({"message": "calls someone {0}"}, "no other braces"),
        ({"pattern": "(a|aa)+$"}, "too slow on repetitive input"),
        ({"pattern": "(.*?,){11}P"}, "too slow on repetitive input"),
        ({"pattern": ""}, "non-empty pattern"),
        ({"enabled": "yes"}, "true or false"),
        ({"tags": "funding"}, "list of strings"),
        ({"colour": "red"}, "unknown rule field"),
    ],
)
def test_rule_validation_errors_are_clear(changes: dict, message: str) -> None:
    base = {"id": "mod.test", "kind": "pattern", "action": "flag", "message": "m",
            "pattern": r"\byou are a grifter\b"}  # fmt: skip
    with pytest.raises(RuleError, match=message.replace("{", r"\{").replace("}", r"\}")):
        rule_from_dict({**base, **changes})


def test_rule_error_is_a_value_error() -> None:
    assert issubclass(RuleError, ValueError)


def test_lexicon_rule_needs_terms() -> None:
    with pytest.raises(RuleError, match="at least one term"):
        rule_from_dict({"id": "x", "kind": "lexicon", "action": "flag", "message": "m"})


def test_dry_run_lists_what_a_new_rule_would_catch() -> None:
    rule = rule_from_dict(
        {
            "id": "mod.grifter",
            "kind": "lexicon",
            "action": "flag",
            "message": "calls another participant a {term}",
            "terms": ["grifter"],
            "target": "person",
        }  # fmt: skip
    )
    texts = [
        "Grifters exploit grant programmes, that's documented.",
        "You are a gr1fter.",
        "Jody is a grifter.",
        "Thanks!",
    ]
    caught = dry_run(rule, texts, participants=("Jody",))
    assert [i for i, _ in caught] == [1, 2]
    assert all(isinstance(m, Match) for _, ms in caught for m in ms)
    assert caught[0][1][0].explanation == "calls another participant a grifter"


def test_dry_run_rejects_a_bad_rule_before_scanning() -> None:
    with pytest.raises(RuleError):
        dry_run(Rule(id="bad", kind="pattern", action="flag", message="m", pattern="(x"), ["x"])


# --------------------------------------------------------------------------- robustness


def _cpu_seconds(text: str) -> float:
    """The least CPU time of three assess() calls: this process's own, not the machine's."""
    runs = []
    for _ in range(3):
        started = time.process_time()
        assess(text)
        runs.append(time.process_time() - started)
    return min(runs)


@pytest.mark.parametrize(
    "unit",
    ["a ", "l i a r ", "you are ", "\u200b", "p1mp.", "you liar, " * 3 + "ok ", "**a** _b_ ~"],
)
def test_long_and_hostile_inputs_cost_time_in_proportion_to_their_length(unit: str) -> None:
    """No backtracking blow-up: eight times the text costs about eight times the work, far
    under the sixty-four a quadratic pattern would take (compared within one run, so a busy
    machine slows both sides alike)."""
    full = unit * (MAX_TEXT_CHARS // len(unit))
    eighth = full[: len(full) // 8]
    assert _cpu_seconds(full) < 24 * max(_cpu_seconds(eighth), 0.0005)
    assert MAX_TEXT_CHARS >= 10_000


@pytest.mark.parametrize(
    ("text", "rule_id", "words"),
    [
        ("Jody is a **paid shill**, plain and simple.", "accuse.role", "paid shill"),
        ("You are a _liar_.", "insult.name", "liar"),
        ("You're a `liar`.", "insult.name", "liar"),
        ("Jody and ash_k are **the same person**.", "accuse.sock_puppet", None),
    ],
)
def test_markdown_emphasis_hides_no_accusation(text: str, rule_id: str, words: str | None) -> None:
    """The site shows the words without their marks, so the rules read them so: the match is
    the same and its highlight still points at what the person typed."""
    found = assess(text, participants=PARTICIPANTS)
    matches = [m for m in found.matches if m.rule_id == rule_id]
    assert matches, found.matches
    if words is not None:
        assert words in text[matches[0].start : matches[0].end]


def test_marks_inside_words_and_sums_stay() -> None:
    prepared = analyse("ash_k wrote 5*3 = 15 and * a bullet; the *budget* was cut").prepared
    assert prepared.text == "ash_k wrote 5*3 = 15 and * a bullet; the budget was cut"
    assert len(prepared.offsets) == len(prepared.text)


def test_deobfuscator_leaves_ordinary_words_alone() -> None:
    norm = Deobfuscator(["liar", "pimp", "loser"]).normalize(
        "A looser rule in 2019, end.The covid19"
    )
    assert norm.text == "a looser rule in 2019, end.the covid19"
    assert len(norm.offsets) == len(norm.text)


def test_engine_is_pure() -> None:
    """The rules engine must not import Flask or SQLAlchemy (see STYLE.md)."""
    package = Path(__file__).parents[2] / "forum" / "moderation"
    pure = ["rules.py", "normalize.py", "defaults.py", "scorer.py", "evaluate.py", "__init__.py"]
    for name in pure:
        tree = ast.parse((package / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                mods = [node.module or ""]
            else:
                continue
            for mod in mods:
                assert not mod.startswith(("flask", "sqlalchemy", "forum.models", "forum.ext")), (
                    name,
                    mod,
                )


def test_moderator_patterns_run_on_the_time_limited_engine() -> None:
    """A pattern we did not ship runs with a time limit; the shipped ones are reviewed here."""
    written = rule_from_dict({"id": "mod.q", "kind": "pattern", "action": "flag",
                              "message": "m", "pattern": "(q|q)*z"})  # fmt: skip
    assert is_guarded(written)
    assert not any(is_guarded(rule) for rule in default_rules())
    # The 26-letter input that once took ten seconds is no work for it.
    assert assess("q" * 26, rules=[written]).timed_out == ()


def test_a_slow_stored_pattern_is_stopped_and_reported_not_run_to_the_end() -> None:
    """A rule saved before the probe knew its shape (loaded unprobed, as from the database)
    runs out of its time on a hostile comment: skipped for that text and named, while the
    other rules still judge it."""
    slow = rule_from_dict(
        {
            "id": "mod.slow",
            "kind": "pattern",
            "action": "hold",
            "message": "m",
            "pattern": "(.*?,){11}P",
        },  # fmt: skip
        probe=False,
    )
    hostile = ("a" * 40 + ",") * 200 + " you are a pimp"
    result = assess(hostile, rules=[slow, *default_rules()])
    assert result.timed_out == ("mod.slow",)
    assert "mod.slow" not in result.rule_ids
    assert "accuse.role" in result.rule_ids


def test_a_rule_message_is_filled_in_by_replacement_never_by_format() -> None:
    """A message stored with a format spec (from before validation refused it) stays its own
    length: no megabyte explanations in responses or queue items."""
    rule = Rule(id="mod.wide", kind="pattern", action="flag",
                message="said {term:>99999999} and {term}", pattern=r"\bliar\b")  # fmt: skip
    (match,) = assess("what a liar", rules=[rule]).matches
    assert match.explanation == "said {term:>99999999} and liar"


def test_a_pattern_matching_everywhere_keeps_a_bounded_number_of_matches() -> None:
    rule = rule_from_dict({"id": "mod.dot", "kind": "pattern", "action": "nudge",
                           "message": "m", "pattern": "."})  # fmt: skip
    result = assess("x. " * (MAX_TEXT_CHARS // 3), rules=[rule])
    assert len(result.matches) == MAX_MATCHES_PER_RULE


def test_default_patterns_pass_the_backtracking_probe() -> None:
    """Defaults skip the timed probe at import; prove here that they would pass it."""
    for rule in default_rules():
        validate_rule(rule)


# The four accusations of the seed thread (../shared/SEEDS.md), in our own words, each in the
# context it was written in, and the hard disagreement of the same thread.
SEED_THREAD = ("Erin", "Cezraa", "janfray", "Jody")
SEED_ACCUSATIONS = [
    (
        "Are some of you traffickers or pimps yourselves, profiting off the victims? "
        "What is your real motivation here?",
        None,
    ),
    ("C'mon people, some of the folks in this thread are pimps or traffickers.", None),
    ("Your assumptions about migrant women just speak to your ignorance.", "Erin"),
    ("Welcome, newcomer. Funny, you sound an awful lot like janfray did last month.", "Brindle"),
]
SEED_DISAGREEMENT = [
    ("In response to Erin: the figures you cite are inflated. Please re-read the post.", "Erin"),
    ("Calling that raid policy anything but xenophobic ignores who got deported.", "Cezraa"),
    ("The researcher's published claims don't survive her own appendix.", None),
    ("Cezraa, I object to the condescending tone; the question was asked in good faith.", None),
]


@pytest.mark.parametrize(("text", "parent"), SEED_ACCUSATIONS)
def test_the_seed_threads_accusations_are_caught(text: str, parent: str | None) -> None:
    from forum.moderation.rules import Context

    result = assess(text, SEED_THREAD, context=Context(parent_author=parent))
    assert result.flagged, result


@pytest.mark.parametrize(("text", "parent"), SEED_DISAGREEMENT)
def test_the_seed_threads_disagreement_is_untouched(text: str, parent: str | None) -> None:
    from forum.moderation.rules import Context

    result = assess(text, SEED_THREAD, context=Context(parent_author=parent))
    assert result.action == "allow", result


def test_rules_skip_texts_without_the_words_every_match_needs() -> None:
    """A rule is only scanned over a text holding one of its necessary literals; the
    decision is the same as scanning it (tests/moderation/test_evaluate.py holds the figures)."""
    import re

    from forum.moderation.patterns import anchors

    assert anchors(re.compile(r"\b(?:you|u) are a (?:pimp|shill)s?\b")) == {" are a "}
    assert anchors(re.compile(r"\b(?:pimp|shill|liar)s?\b")) == {"pimp", "shill", "liar"}
    assert anchors(re.compile(r"(?i)pimp")) is None  # case-folded matching: no literals
    assert anchors(re.compile(r"(?:ab|cdef)")) is None  # a branch too short to check
    assert anchors(re.compile(r"x(?:yz)*")) is None  # optional repeats need nothing
    text = "The hotline figures count calls, not cases, and the audit says so."
    assert assess(text).action == "allow"
    assert assess(text + " Honestly, you are a paid shill.").action == "hold"


def test_without_its_weights_the_scorer_is_silent_and_says_so(tmp_path, caplog) -> None:
    """A missing weights file never stops the site: the rules still decide, and the log
    tells the operator what was lost."""
    from forum.moderation import scorer

    missing = str(tmp_path / "no-weights.json")
    with caplog.at_level("WARNING", logger="forum.moderation.scorer"):
        model = scorer.load_model(missing)
    assert model is scorer.NULL_MODEL
    assert "moderation runs on the rules alone" in caplog.text
    assert scorer.score("You are an idiot and a liar.", model=model)[0] < model.nudge_threshold
    assert assess("You are a liar.").flagged  # the rules, with the shipped weights


def test_a_name_is_marked_only_where_it_stands_as_a_whole_word() -> None:
    """Names are found by a pattern with no look-behind (three times faster) and their start
    checked apart; the spans are the ones the look-behind pattern found."""
    import re

    from forum.moderation import rules as engine

    named = ("ann", "anna b", "jody")
    looked_behind = re.compile(r"(?<![\w@])@?(?:anna b|anna|jody|ann)(?!\w)")
    for text in (
        "@jody and jody, x@jody, @@jody, jodyx, xjody, _jody, jody_ and ann.",
        "annabel, anna b, ann-marie, bann ann, @ann @anna @anna b.",
        "jodyjody jody@ @jody@jody éjody jody2 2jody",
    ):
        found = engine._name_spans(engine._names_regex(named), text)
        assert found == [m.span() for m in looked_behind.finditer(text)], text


@pytest.mark.parametrize(
    "text",
    [
        "Jody, you are not a liar and nobody thinks so.",
        "You're no apologist, Willow; you know this trade better than I do.",
        "Fair enough, Jody. I was wrong, and frankly a bit of an idiot about the fees.",
        "Willow is no fool, and her figures hold up.",
        # Refused for someone: "let's not turn him into a troll", "stop calling her a liar".
        "Let's not turn the one officer willing to talk into a troll because of his job.",
        "Stop calling Jody a liar, she linked the source.",
    ],
)
def test_a_label_denied_or_owned_by_the_writer_is_no_evidence(text: str) -> None:
    """The scorer weighs words; a label said not to fit, or said of the writer, is blanked for
    it as a rule's denied match is, so a defence or a concession is not read as the charge."""
    seen = analyse(text, PARTICIPANTS)
    assert MASK in seen.scored_text
    assert assess(text, participants=PARTICIPANTS).action == "allow"


@pytest.mark.parametrize(
    "text",
    [
        "You're not just a liar, Jody, you're a coward.",
        "I was talking to Willow, who is an idiot.",
        "Let's not pretend you're anything but a troll, Jody.",
    ],
)
def test_a_label_that_is_not_denied_stays_evidence(text: str) -> None:
    assert MASK not in analyse(text, PARTICIPANTS).scored_text
    assert assess(text, participants=PARTICIPANTS).action != "allow"
