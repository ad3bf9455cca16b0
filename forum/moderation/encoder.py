"""The fine-tuned sentence encoder: the third, slowest stage of ad hominem detection.

A small transformer (all-MiniLM-L6-v2, fine-tuned by ``scripts/train_moderation_encoder.py``)
reads the whole comment and gives the probability that it attacks a person. It runs in
process on the CPU through onnxruntime, with no download and nothing sent anywhere, and only
when the rules and the linear scorer are unsure (``unsure``): the rules flagged nothing, the
scorer's probability is at least the floor its training chose, and the text points at someone,
if only at the person it answers: a sneer under someone's comment is aimed at its author,
though the scorer never acts on a reply of 15 words or more that names nobody (a shorter one
the encoder does not read). It nudges or flags, never holds, and may soften a flag or a nudge
the scorer gave on its own; because it checks the scorer's flags, the scorer flags at
thresholds chosen with it (``rescored``).

Without the model files the site runs on the rules and the scorer alone, with a warning.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from forum.moderation import scorer

if TYPE_CHECKING:  # imported when a model is loaded: a process that never screens skips them
    from onnxruntime import InferenceSession
    from tokenizers import Tokenizer

log = logging.getLogger(__name__)

MODEL_DIR = Path(__file__).with_name("model")
MODEL_FILE = "encoder.onnx"
TOKENIZER_FILE = "tokenizer.json"
SETTINGS_FILE = "encoder.json"
# The base model was trained on 256 word pieces; a 2,000-character comment is about 450, so
# the encoder reads 256 of them (the rules and the scorer read all of it).
MAX_TOKENS = 256
# Of a longer comment it reads the first HEAD word pieces and the last MAX_TOKENS - HEAD: the
# sneer in a long reply is as often its last line as its first, and the middle is the argument.
# (Head and tail beat the head alone for long texts in Sun et al., "How to Fine-Tune BERT for
# Text Classification", 2019.)
HEAD = 128
# The tokenizer reads the whole text before it cuts it at MAX_TOKENS: it is given no more than
# this, the first half and the last half of a longer text (a comment may hold 20,000), each of
# which holds 128 word pieces of any ordinary prose with room to spare.
MAX_CHARS = 4096
# Below this scorer probability the encoder is never asked. Training searches upwards from it
# and writes the highest floor that costs its out-of-fold figures nearly nothing (``floor`` in
# encoder.json); this one stands when the settings name none.
FLOOR = 0.05
# Processor features with which onnxruntime multiplies 8-bit activations by signed 8-bit weights
# in 32 bits, exactly: VNNI (AVX-512 or AVX) and AMX. The shipped file stores its weights
# unsigned (``scripts/train_moderation_encoder.py``), because without them the signed product
# saturates at 16 bits; with them, the signed product is the same integer and faster (a
# 2,000-character comment read in 30 ms where the unsigned one takes 50 ms, on an AVX-512 VNNI
# host), so the weights are signed again in memory (``signed_products``).
EXACT_SIGNED_FLAGS = frozenset({"avx512_vnni", "avx_vnni", "amx_int8"})
# The word pieces the signed model must read exactly as the stored one before it is used: the
# longest input (``MAX_TOKENS``), of varied pieces, so that a product that saturated would show.
PROBE = (101, *(1000 + (i * 7919) % 29000 for i in range(MAX_TOKENS - 2)), 102)
ENCODER_RULE_ID = "model.encoder"
ENCODER_MESSAGE = "read as a whole, it reads as aimed at a person rather than at the argument"


def load_tokenizer(path: Path) -> Tokenizer:
    """The word-piece tokenizer, untruncated: ``word_pieces`` cuts what it returns."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


def word_pieces(tokenizer: Tokenizer, text: str) -> list[int]:
    """The ids the model reads, in training and on the site: at most ``MAX_CHARS`` of the text
    are tokenized (of a longer one, its first and its last ``MAX_CHARS // 2``), and of more than
    ``MAX_TOKENS`` word pieces the first ``HEAD`` and the last ones are kept (the first holds
    the [CLS] mark, the last the [SEP])."""
    ids: list[int]
    if len(text) > MAX_CHARS:
        half = MAX_CHARS // 2
        ids = tokenizer.encode(text[:half]).ids[:-1] + tokenizer.encode(text[-half:]).ids[1:]
    else:
        ids = tokenizer.encode(text).ids
    if len(ids) <= MAX_TOKENS:
        return ids
    return ids[:HEAD] + ids[len(ids) - (MAX_TOKENS - HEAD) :]


def cpu_flags() -> frozenset[str]:
    """The processor's feature flags as Linux lists them (none known elsewhere)."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("flags"):
                    return frozenset(line.partition(":")[2].split())
    except OSError:
        pass
    return frozenset()


def signed_products(model_path: Path) -> bytes:
    """The model with each matrix product's weights and zero point signed again (each byte
    less 128, undoing ``unsigned_weights`` of the training script): the same integers."""
    import numpy
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(model_path))
    for tensor in product_tensors(model):
        values = numpy_helper.to_array(tensor).astype(numpy.int16) - 128
        tensor.CopyFrom(numpy_helper.from_array(values.astype(numpy.int8), tensor.name))
    serialized: bytes = model.SerializeToString()
    return serialized


def product_tensors(model: Any) -> list[Any]:
    """The 8-bit weights and zero point of each matrix product (``MatMulInteger``) of an ONNX
    model, each tensor once though products may share it: what the training script stores
    unsigned and ``signed_products`` signs again."""
    tensors = {t.name: t for t in model.graph.initializer}
    names = dict.fromkeys(
        name
        for node in model.graph.node
        if node.op_type == "MatMulInteger"
        for name in (node.input[1], node.input[3])
    )
    return [tensors[name] for name in names]


class Encoder:
    """One ONNX session and its tokenizer; ``probability`` reads one comment.

    On a processor that multiplies signed 8-bit weights exactly (``EXACT_SIGNED_FLAGS``), the
    session reads the signed copy of the model (``signed_products``) once it has read ``PROBE``
    to the same bit as the stored model: the same readings, in about 60% of the time.
    ``signed`` says which one reads."""

    def __init__(
        self, model_path: Path, tokenizer_path: Path, thresholds: Mapping[str, float] | None = None
    ) -> None:
        import numpy

        self._numpy = numpy
        self._session = _session(model_path)
        self.signed = bool(EXACT_SIGNED_FLAGS & cpu_flags()) and self._sign(model_path)
        self._tokenizer = load_tokenizer(tokenizer_path)
        self.thresholds = dict(thresholds or {})

    def _sign(self, model_path: Path) -> bool:
        """Read with the signed copy from now on, if it reads ``PROBE`` as the stored model."""
        try:
            signed = _session(signed_products(model_path))
        except (ImportError, OSError, ValueError, RuntimeError) as exc:
            log.info("moderation encoder: the signed model did not load (%s)", exc)
            return False
        if self._logit(signed, PROBE) != self._logit(self._session, PROBE):
            log.warning("moderation encoder: signed weights read differently here; not used")
            return False
        self._session = signed
        return True

    def _logit(self, session: InferenceSession, ids: Sequence[int]) -> float:
        input_ids = self._numpy.array([ids], dtype=self._numpy.int64)
        mask = self._numpy.ones_like(input_ids)
        (logit,) = session.run(None, {"input_ids": input_ids, "attention_mask": mask})
        return float(logit.reshape(-1)[0])

    def probability(self, text: str) -> float:
        z = self._logit(self._session, word_pieces(self._tokenizer, text))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def _session(model: Path | bytes) -> InferenceSession:
    """An onnxruntime session on one thread: a gunicorn worker serves one request at a time,
    and the workers share the cores."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    source = str(model) if isinstance(model, Path) else model
    return onnxruntime.InferenceSession(source, options, providers=["CPUExecutionProvider"])


def unsure(p: float, level: int, thresholds: Mapping[str, float]) -> bool:
    """Whether the encoder reads a comment the rules did not flag: the scorer is not sure it
    is harmless (``p`` at or above the floor), and the text points at someone, if only at the
    person it answers (``scorer.ANSWERED``: a reply of 15 words or more that names nobody,
    whose words read together may still be a sneer at its parent's author)."""
    return p >= thresholds.get("floor", FLOOR) and level >= scorer.ANSWERED


def rescored(p: float, level: int, thresholds: Mapping[str, float], scored: str) -> str:
    """The scorer's action when the encoder reads after it: its flag thresholds chosen with the
    encoder's veto in view (``scorer_flag``, ``scorer_flag_weak``), since a flag the scorer
    gives on its own is checked again. Without them the scorer's own decision stands."""
    if "scorer_flag" not in thresholds:
        return scored
    if scorer.flags_at(
        p, level, thresholds["scorer_flag"], thresholds.get("scorer_flag_weak", 2.0)
    ):
        return "flag"
    return "nudge" if scored == "flag" else scored


def decide(p: float, level: int, thresholds: Mapping[str, float], scored: str) -> tuple[str, str]:
    """(the scorer's action after the encoder's reading, the encoder's own action).

    A flag or a nudge the scorer gave on its own is the least sure kind: when the encoder
    reads the comment as plainly not an attack, a flag becomes a nudge (``p`` under the veto
    threshold) and a nudge is dropped (under the clear threshold). The encoder flags at its
    threshold for the comment's evidence (insult words or not), or nudges.
    """
    if scored == "flag" and p < thresholds.get("veto", 0.0):
        scored = "nudge"
    elif scored == "nudge" and p < thresholds.get("clear", 0.0):
        scored = "allow"
    key = "evidence" if level >= scorer.WEAK else "targeted"
    if p >= thresholds.get(key, 2.0):
        return scored, "flag"
    return scored, "nudge" if p >= thresholds.get("nudge", 2.0) else "allow"


@cache
def default() -> Encoder | None:
    """The shipped encoder, loaded once per process; None (and a warning) if it is missing."""
    model_path = MODEL_DIR / MODEL_FILE
    try:
        settings = json.loads((MODEL_DIR / SETTINGS_FILE).read_text("utf-8"))
        return Encoder(model_path, MODEL_DIR / TOKENIZER_FILE, settings["thresholds"])
    except (OSError, ValueError, KeyError, ImportError, RuntimeError) as exc:
        log.warning(
            "moderation encoder not loaded (%s): screening with the rules and the scorer only",
            exc,
        )
        return None
