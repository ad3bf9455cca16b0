"""The blind probe set (forum/moderation/corpus/probes.jsonl): comments written by someone who
had seen no rule, weight or corpus, and that no model was trained on. Half of its threads
were read when rules were last revised ("read"); the other half were not ("unread"), so that
half says how the detector meets attacks phrased in ways nobody here has seen. The strangers
set (below) is the same kind of measure from two more writers, none of it ever read, and the
subjects set measures one shape: a participant addressed in the sentence that names pimps.
The lookalikes set (and its blind twin) puts an accusation's words in legitimate replies; the
addressed set, a "you" that is not aimed at the reader; the short set, a line that names
nobody."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from forum.moderation import assess
from forum.moderation.evaluate import read_jsonl, record_context
from forum.moderation.rules import FLAG_ACTIONS

PROBES = Path(__file__).parents[2] / "forum" / "moderation" / "corpus" / "probes.jsonl"
RECORDS = read_jsonl(PROBES)


def test_each_half_holds_sixty_attacks_and_sixty_legitimate_comments() -> None:
    assert Counter((r["part"], r["label"]) for r in RECORDS) == Counter(
        {("read", 0): 60, ("read", 1): 60, ("unread", 0): 60, ("unread", 1): 60}
    )
    assert len({r["id"] for r in RECORDS}) == len(RECORDS)
    # A thread stays in one half, and every reply answers one of its participants.
    threads = {r["group"] for r in RECORDS}
    assert all(len({r["part"] for r in RECORDS if r["group"] == g}) == 1 for g in threads)
    assert all(r["parent_author"] in r["participants"] for r in RECORDS)


def _actions(records: list[dict]) -> dict[str, str]:
    """What ``assess`` does with each record, in its thread's context, by id."""
    return {r["id"]: assess(r["text"], context=record_context(r)).action for r in records}


@pytest.fixture(scope="module")
def actions() -> dict[str, str]:
    return _actions(RECORDS)


def test_no_legitimate_probe_is_flagged_or_held(actions: dict[str, str]) -> None:
    """Among them: a trafficker's boast that "the police are on their payroll", which the
    motive rule held until it asked for a participant on the payroll."""
    assert not [r["id"] for r in RECORDS if not r["label"] and actions[r["id"]] in FLAG_ACTIONS]


@pytest.mark.parametrize(("part", "floor"), [("read", 53), ("unread", 46)])
def test_attacks_nudged_or_worse_stay_above_the_floor(
    actions: dict[str, str], part: str, floor: int
) -> None:
    """Measured on 6 December 2026: 50 of 60 attacks of the read half nudged or worse, 41 of
    60 of the unread half (0.68, far under the 0.90 the forum's own untouched part shows: the
    forum corpus was written by the team that also wrote the training sets). With the models
    retrained on the voices set (four more strangers' threads): 55 of 60 and 48 of 60 (0.80).
    The floors sit two attacks below, so a regression fails and a small edit does not."""
    caught = [actions[r["id"]] != "allow" for r in RECORDS if r["label"] and r["part"] == part]
    assert sum(caught) >= floor


# The strangers set (forum/moderation/corpus/strangers.jsonl): two more blind writers, one
# voice each, and no comment of it read by anyone building the detector (see its README).
STRANGERS = read_jsonl(PROBES.with_name("strangers.jsonl"))


def _writer(record: dict) -> str:
    return str(record["id"]).split(":")[1]


def test_each_stranger_wrote_six_threads_of_ten_attacks_and_ten_legitimate_replies() -> None:
    threads = Counter((r["group"], r["label"]) for r in STRANGERS)
    assert len(threads) == 24 and set(threads.values()) == {10}
    assert Counter(_writer(r) for r in STRANGERS) == {"a": 120, "b": 120}
    assert len({r["id"] for r in STRANGERS}) == len(STRANGERS)
    assert all(
        r["author"] != r["parent_author"]
        and {r["author"], r["parent_author"]} <= set(r["participants"])
        for r in STRANGERS
    )


@pytest.fixture(scope="module")
def stranger_actions() -> dict[str, str]:
    return _actions(STRANGERS)


def test_no_legitimate_reply_of_a_stranger_is_flagged_or_held(
    stranger_actions: dict[str, str],
) -> None:
    flagged = [
        r["id"] for r in STRANGERS if not r["label"] and stranger_actions[r["id"]] in FLAG_ACTIONS
    ]
    assert not flagged


@pytest.mark.parametrize(("writer", "floor"), [("a", 53), ("b", 52)])
def test_a_strangers_attacks_nudged_or_worse_stay_above_the_floor(
    stranger_actions: dict[str, str], writer: str, floor: int
) -> None:
    """Measured on 6 December 2026, the day they were written: 55 of 60 and 54 of 60. The
    floors sit two attacks below."""
    caught = [
        stranger_actions[r["id"]] != "allow"
        for r in STRANGERS
        if r["label"] and _writer(r) == writer
    ]
    assert len(caught) == 60 and sum(caught) >= floor


# The subjects set (forum/moderation/corpus/subjects.jsonl): two more blind writers, every
# reply addressing a participant in the sentence that names pimps, traffickers or johns,
# either about them (legitimate) or aimed at the person (see its README). Never trained on.
SUBJECTS = read_jsonl(PROBES.with_name("subjects.jsonl"))


def test_each_subjects_thread_holds_twelve_legitimate_replies_and_eight_attacks() -> None:
    threads = Counter((r["group"], r["label"]) for r in SUBJECTS)
    assert len(threads) == 32
    assert all(count == (8 if label else 12) for (_, label), count in threads.items())
    assert Counter(_writer(r) for r in SUBJECTS) == {"a": 160, "b": 160}
    assert len({r["id"] for r in SUBJECTS}) == len(SUBJECTS)
    assert all(
        r["author"] in r["participants"]
        and (r["parent_author"] is None or r["parent_author"] in r["participants"])
        for r in SUBJECTS
    )


@pytest.fixture(scope="module")
def subject_actions() -> dict[str, str]:
    return _actions(SUBJECTS)


def test_a_label_about_third_parties_is_never_held(subject_actions: dict[str, str]) -> None:
    """Before the rules tied a label to the person only inside their own clause, 23 of the
    192 legitimate replies were held ("you're right, the pimps ...")."""
    assert not [r["id"] for r in SUBJECTS if not r["label"] and subject_actions[r["id"]] == "hold"]


def test_few_labels_about_third_parties_are_flagged(subject_actions: dict[str, str]) -> None:
    """The models still read some of them as aimed at the person: 11 of 192 flagged on 6
    December 2026 once the rules were mended, all by writer b, and 5 once the scorer's reading
    of "you" stopped at a verdict or a verb too; the sets they learnt from hold few such
    sentences. A ceiling two above, so that more is a regression and the known gap is on
    record."""
    flagged = [r["id"] for r in SUBJECTS if not r["label"] and subject_actions[r["id"]] == "flag"]
    assert len(flagged) <= 7


@pytest.mark.parametrize(("writer", "floor"), [("a", 53), ("b", 61)])
def test_attacks_in_the_same_shape_nudged_or_worse_stay_above_the_floor(
    subject_actions: dict[str, str], writer: str, floor: int
) -> None:
    """Measured on 6 December 2026: 59 of 64 (writer a) and 62 of 64 (b); with the models
    retrained on the addressed set (7 December): 55 and 63, with none of the 192 legitimate
    replies flagged (4 before). Floors two below."""
    caught = [
        subject_actions[r["id"]] != "allow" for r in SUBJECTS if r["label"] and _writer(r) == writer
    ]
    assert len(caught) == 64 and sum(caught) >= floor


# The lookalikes set (forum/moderation/corpus/lookalikes.jsonl): legitimate replies that
# carry an accusation's words (reported insults, payrolls, accounts, "you write like ..."),
# and attacks with none. Read when the rules were last revised; never trained on.
LOOKALIKES = read_jsonl(PROBES.with_name("lookalikes.jsonl"))


def test_the_lookalikes_hold_ten_legitimate_kinds_and_four_kinds_of_attack() -> None:
    kinds = Counter((r["label"], r["kind"]) for r in LOOKALIKES)
    assert sorted(kinds.values()) == [30] * 14
    assert Counter(r["label"] for r in LOOKALIKES) == {0: 300, 1: 120}
    assert len({r["group"] for r in LOOKALIKES}) == 12
    assert len({r["id"] for r in LOOKALIKES}) == len(LOOKALIKES)
    assert all(
        r["parent_author"] is None or r["parent_author"] in r["participants"] for r in LOOKALIKES
    )


@pytest.fixture(scope="module")
def lookalike_actions() -> dict[str, str]:
    return _actions(LOOKALIKES)


def test_an_accusations_words_in_a_legitimate_reply_are_never_held(
    lookalike_actions: dict[str, str],
) -> None:
    """Held before: "You mentioned you're on the charity's payroll. Could you find out ...?"
    (a report of what the reader said of themselves); flagged: 3, then 2, both a generic "you"
    ("You never forget the first time you see ...") that the models read as aimed; with the
    models retrained on the addressed set (7 December), 5, all by the models (2 generic "you",
    praise, a payroll and an account mentioned). A ceiling two above."""
    legitimate = [lookalike_actions[r["id"]] for r in LOOKALIKES if not r["label"]]
    assert "hold" not in legitimate
    assert legitimate.count("flag") <= 7


def test_attacks_without_an_accusations_words_are_caught(lookalike_actions: dict[str, str]) -> None:
    """Measured on 6 December 2026: 107 of 120 nudged or worse and 54 flagged or held before
    the rules learnt the shapes this set showed them ("were you brought in to agree with",
    "you're only against it because it made your service look bad", "a decent human being
    wouldn't say that", "apologists like you would ..."); 117 and 63 after; 119 and 76 with
    the models retrained on the addressed set (7 December); 119 and 70 once the external set's
    flags were capped a point lower (the encoder's thresholds, 7 December: those six are
    nudged). Floors two below."""
    attacks = [lookalike_actions[r["id"]] for r in LOOKALIKES if r["label"]]
    assert sum(a != "allow" for a in attacks) >= 117
    assert sum(a in FLAG_ACTIONS for a in attacks) >= 68


# The addressed set (forum/moderation/corpus/addressed.jsonl): a generic "you", praise, advice
# and disagreement addressed to the reader, and attacks in the same shapes. Written to train
# on: the models learn from its tune part (13 threads), the other 3 are untouched.
ADDRESSED = read_jsonl(PROBES.with_name("addressed.jsonl"))


def test_the_addressed_set_holds_sixteen_threads_of_twenty_replies_and_ten_attacks() -> None:
    threads = Counter((r["group"], r["label"]) for r in ADDRESSED)
    assert len(threads) == 32
    assert all(count == (10 if label else 20) for (_, label), count in threads.items())
    assert len({r["id"] for r in ADDRESSED}) == len(ADDRESSED)
    assert all(
        r["author"] in r["participants"] and r["author"] != r["parent_author"] for r in ADDRESSED
    )


@pytest.fixture(scope="module")
def addressed_actions() -> dict[str, str]:
    return _actions(ADDRESSED)


def test_a_generic_you_is_not_flagged_as_an_attack(addressed_actions: dict[str, str]) -> None:
    """The gap this set was written for: on 6 December 2026 the models flagged 34 of the 320
    legitimate replies (25 of the 100 generic ones, "you never forget the first time you see
    ..."). Retrained on its tune part (7 December): 1, a generic one in an untouched thread
    (1 of 60 there). None held. A ceiling two above."""
    legitimate = [addressed_actions[r["id"]] for r in ADDRESSED if not r["label"]]
    assert "hold" not in legitimate
    assert legitimate.count("flag") <= 3


def test_attacks_in_the_shape_of_a_generic_you_are_caught(
    addressed_actions: dict[str, str],
) -> None:
    """141 of 160 nudged or worse on 6 December 2026 ("You never learn, do you."); 159 with
    the models retrained on its tune part (29 of the untouched threads' 30). Floor two below."""
    attacks = [addressed_actions[r["id"]] for r in ADDRESSED if r["label"]]
    assert sum(a != "allow" for a in attacks) >= 157


# The lookalikes set's blind twin (forum/moderation/corpus/lookalikes_blind.jsonl): the same
# kinds by two other writers, after the rules were revised on the first. Never read.
LOOKALIKES_BLIND = read_jsonl(PROBES.with_name("lookalikes_blind.jsonl"))


def test_the_blind_twin_holds_twelve_threads_of_eighteen_replies_and_twelve_attacks() -> None:
    threads = Counter((r["group"], r["label"]) for r in LOOKALIKES_BLIND)
    assert len(threads) == 24
    assert all(count == (12 if label else 18) for (_, label), count in threads.items())
    assert Counter(r["writer"] for r in LOOKALIKES_BLIND) == {"c": 180, "d": 180}
    assert len({r["id"] for r in LOOKALIKES_BLIND}) == len(LOOKALIKES_BLIND)


@pytest.fixture(scope="module")
def blind_twin_actions() -> dict[str, str]:
    return _actions(LOOKALIKES_BLIND)


def test_the_blind_twin_holds_no_legitimate_reply_and_flags_few(
    blind_twin_actions: dict[str, str],
) -> None:
    """6 December 2026: none held, 11 of 216 flagged, all by the models; 6 with the models
    retrained on the addressed set (7 December: 3 praise, 1 generic "you"). Ceiling two
    above."""
    legitimate = [blind_twin_actions[r["id"]] for r in LOOKALIKES_BLIND if not r["label"]]
    assert "hold" not in legitimate
    assert legitimate.count("flag") <= 8


def test_the_blind_twins_attacks_stay_above_the_floor(blind_twin_actions: dict[str, str]) -> None:
    """6 December 2026: 116 of 144 nudged or worse (114 before the rules' revision); 122 with
    the models retrained on the addressed set (7 December). Floor two below."""
    attacks = [blind_twin_actions[r["id"]] for r in LOOKALIKES_BLIND if r["label"]]
    assert sum(a != "allow" for a in attacks) >= 120


# The short set (forum/moderation/corpus/short.jsonl): replies of at most 14 words that name
# nobody, a sneer at the person answered beside everyday lines. Written to train on; no model
# has learnt from it yet. The encoder does not read such a reply, and the scorer only nudges
# it, above every legitimate one of the tune parts (``scorer.BRIEF``).
SHORT = read_jsonl(PROBES.with_name("short.jsonl"))
_SECOND_PERSON = {"you", "your", "yours", "u", "ur"}


def test_the_short_set_holds_sixteen_threads_of_short_replies_that_name_nobody() -> None:
    threads = Counter((r["group"], r["label"]) for r in SHORT)
    assert len(threads) == 32
    assert all(count == (6 if label else 9) for (_, label), count in threads.items())
    assert Counter(r["id"].split(":")[1] for r in SHORT) == {"g": 120, "h": 120}
    assert len({r["id"] for r in SHORT}) == len(SHORT)
    for r in SHORT:
        words = r["text"].split()
        assert len(words) <= 14
        assert not _SECOND_PERSON & {w.strip(".,!?;:'\"").casefold() for w in words}
        assert r["parent_author"] in r["participants"] and r["author"] != r["parent_author"]


@pytest.fixture(scope="module")
def short_actions() -> dict[str, str]:
    return _actions(SHORT)


def test_no_short_everyday_reply_is_charged(short_actions: dict[str, str]) -> None:
    """7 December 2026: none of the 144 legitimate lines flagged or nudged ("Source?", "six
    reports and the council still sat on it? typical")."""
    legitimate = [short_actions[r["id"]] for r in SHORT if not r["label"]]
    assert legitimate.count("allow") == len(legitimate) == 144


def test_a_short_sneer_that_names_nobody_mostly_passes_on_record(
    short_actions: dict[str, str],
) -> None:
    """The known gap: on 7 December 2026, 7 of the 96 sneers were nudged or worse (6 flagged,
    the ones with "here" or "the one who" that point at someone); 19 once the scorer nudged a
    short reply it was surer of than of any legitimate one (``scorer.BRIEF``). "Oh bless, the
    martyr act." still passes. A floor two below; the set was written for the next encoder run
    to learn from."""
    attacks = [short_actions[r["id"]] for r in SHORT if r["label"]]
    assert sum(a != "allow" for a in attacks) >= 17
