"""Wording of a demo client interview: who says what, reflecting the client's true satisfaction.

:func:`compose_interview` builds the turns of one call as real calls go: greeting, call logistics
("вы меня слышите?"), small talk (weekend, weather, conferences), one question per discussed
factor with an answer whose tone follows the client's satisfaction with that factor (varied
clauses with openers, mixed statements with contrasts and concessions, indirect complaints such as
"our team lead now double-checks every one of their commits"), backchannels ("угу", "right"), an
optional spoken rating, and the goodbye.  A client with red flags on a factor voices them in its
own words (paraphrases, not the patterns' phrasings).  Spoken ratings come in the forms clients use ("на восемь из десяти", "8/10",
"твёрдая четвёрка" on a five-point scale, "I'd give you a 9", "nine out of ten").
"""

from __future__ import annotations

import dataclasses
import re

import numpy as np

from .phrases import phrase_bank

LEVEL_EDGES = (0.25, 0.45, 0.6, 0.8)
"""Satisfaction thresholds of the five answer tones (very unhappy ... very satisfied)."""

TONE_NOISE = 0.07
"""Standard deviation of the momentary tone around the true satisfaction."""

FOLLOW_UP = 0.6
"""Probability of a follow-up question on a factor (a second one is a third as likely)."""

PLANS = 0.5
"""Probability that the call touches the client's plans (neutral talk)."""

LOGISTICS = 0.5
"""Probability of a line of call logistics after the greeting (sound, camera, time)."""

BACKCHANNEL = 0.25
"""Probability that the interviewer's acknowledgement stands alone and the client answers "угу"."""

INDIRECT = 0.25
"""Probability that an unhappy answer is an indirect complaint (a consequence, not a verdict)."""

RU_NUMBERS = ("ноль", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять", "десять")
RU_MARKS = (
    None,
    "единица",
    "двойка",
    "тройка",
    "четвёрка",
    "пятёрка",
    "шестёрка",
    "семёрка",
    "восьмёрка",
    "девятка",
    "десятка",
)
EN_NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


@dataclasses.dataclass(frozen=True)
class Turn:
    """One speaker's turn: a few sentences (Russian feminine endings resolved for the speaker)."""

    speaker: str
    text: str

    def __post_init__(self):
        object.__setattr__(self, "text", self.text.replace("{f}", "а" if _is_woman(self.speaker) else ""))


def _is_woman(name: str) -> bool:
    """Whether a generated Russian name is a woman's (feminine surnames end in -а)."""
    return name.rsplit(" ", 1)[-1].endswith("а")


@dataclasses.dataclass(frozen=True)
class Call:
    """What one interview is about.

    Parameters
    ----------
    language : {"ru", "en"}
    interviewer, client, second : str
        Speaker names; ``second`` is another client participant or ``""``.
    satisfaction : dict
        Factor -> true satisfaction 0..1 at the time of the call.
    discussed : tuple of str
        Factors asked about, in order.
    spoken_rating : tuple of (int, int) or None
        ``(value, scale)`` the client says aloud, scale 10 or 5.
    red_flags : tuple of str
        Factors on which this client uses its red-flag phrasing.
    """

    language: str
    interviewer: str
    client: str
    second: str
    satisfaction: dict
    discussed: tuple
    spoken_rating: tuple | None
    red_flags: tuple = ()


def tone(rng: np.random.Generator, satisfaction: float) -> int:
    """Tone 0 (very unhappy) .. 4 (very satisfied) of an answer given the true satisfaction."""
    return int(np.digitize(satisfaction + rng.normal(0.0, TONE_NOISE), LEVEL_EDGES))


def compose_interview(rng: np.random.Generator, call: Call) -> list[Turn]:
    """The turns of one interview.

    Parameters
    ----------
    rng : numpy.random.Generator
        Stream used for wording only.
    call : Call

    Returns
    -------
    list of Turn
    """
    bank = phrase_bank(call.language)
    pick = _Picker(rng)
    me, them = call.interviewer, call.client
    turns = [
        Turn(me, pick(bank["greet"]).format(first=them.split()[0])),
        Turn(them, pick(bank["greet_back"])),
    ]
    if call.second:
        intro = pick(bank["introduce"]).format(name=call.second, first=call.second.split()[0])
        turns += [Turn(them, intro), Turn(call.second, pick(bank["hello_all"]))]
    if rng.random() < LOGISTICS:
        question, reply = pick(bank["logistics"])
        turns += [Turn(me, question), Turn(them, reply)]
    for question, reply in pick.some(bank["small_talk"] + bank["weather"], int(rng.integers(0, 3))):
        turns += [Turn(me, question), Turn(them, reply)]

    ack = ""
    second_turn = int(rng.integers(0, len(call.discussed))) if call.second else -1
    for i, factor in enumerate(call.discussed):
        level = tone(rng, call.satisfaction[factor])
        flagged = factor in call.red_flags and level <= 1
        speaker = call.second if i == second_turn else them
        turns.append(Turn(me, _joined(ack, pick(bank[factor]["ask"]))))
        turns.append(Turn(speaker, _answer(pick, bank, factor, level, flagged)))
        for _ in range(int(rng.random() < FOLLOW_UP) + int(rng.random() < FOLLOW_UP / 3)):
            turns.append(Turn(me, pick(bank["follow_up"])))
            turns.append(
                Turn(speaker, _answer(pick, bank, factor, tone(rng, call.satisfaction[factor]), flagged))
            )
        ack = pick(bank["ack_pos"] if level >= 3 else bank["ack_neg"] if level <= 1 else bank["ack_mid"])
        if rng.random() < BACKCHANNEL:
            turns += [Turn(me, ack), Turn(them, pick(bank["backchannels"], fresh=False))]
            ack = ""

    if rng.random() < PLANS:
        turns += [Turn(me, _joined(ack, pick(bank["plans_ask"]))), Turn(them, pick(bank["plans"]))]
        ack = pick(bank["ack_mid"])
    turns.append(Turn(me, _joined(ack, pick(bank["anything_else"]))))
    if call.red_flags and rng.random() < 0.7:
        factor = pick(call.red_flags)
        turns.append(Turn(them, _sentence(pick, bank, pick(bank[factor]["red_flags"]))))
    else:
        turns.append(Turn(them, pick(bank["wish"] if rng.random() < 0.3 else bank["nothing_else"])))
    if call.spoken_rating is not None:
        turns.append(Turn(me, pick(bank["rating_ask"])))
        turns.append(Turn(them, spoken_rating(pick, call.language, *call.spoken_rating)))
    turns += [Turn(me, pick(bank["close"])), Turn(them, pick(bank["close_back"]))]
    return turns


def spoken_rating(pick, language: str, value: int, scale: int) -> str:
    """How a client says a rating of ``value`` out of ``scale`` (10 or 5)."""
    if language == "ru":
        if scale == 5:
            forms = [f"{value} {_ru_points(value)} из 5, если по-школьному."]
            if value >= 1:
                forms.append(f"Если по пятибалльной, то твёрдая {RU_MARKS[value]}.")
        else:
            forms = [
                f"Ну, наверное, на {RU_NUMBERS[value]} из десяти.",
                f"Поставлю {value}/10.",
                f"Я бы сказал{{f}}, {value} {_ru_points(value)} из 10.",
            ]
            if value >= 1:
                forms.append(f"Твёрдая {RU_MARKS[value]}, пожалуй.")
    elif scale == 5:
        forms = [f"{EN_NUMBERS[value].capitalize()} out of five.", f"{value} out of 5, I'd say."]
    else:
        forms = [
            f"I'd give you a {value}.",
            f"{EN_NUMBERS[value].capitalize()} out of ten.",
            f"{value}/10, honestly.",
            f"A solid {value}, I think.",
        ]
    return pick(forms)


def _ru_points(n: int) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return "балл"
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return "балла"
    return "баллов"


def _answer(pick, bank: dict, factor: str, level: int, flagged: bool) -> str:
    """One to three sentences about ``factor`` in the given tone."""
    words = bank[factor]
    roll = pick.rng.random()
    if flagged:
        return _sentences(pick, bank, pick.some(words["red_flags"], 1 + (level == 0)))
    if level == 4:
        return _sentences(pick, bank, [pick(words["pos2"])] + pick.some(words["pos1"], int(roll < 0.4)))
    if level == 3:
        return _sentences(pick, bank, pick.some(words["pos1"], 1 + int(roll < 0.3)))
    if level == 2 and roll < 0.5:
        contrast = pick(bank["contrast"], fresh=False)
        return _sentence(pick, bank, pick(words["pos1"]) + contrast + pick(words["neg1"]))
    if level == 2 and roll < 0.75:
        return _sentence(pick, bank, pick(words["meh"]))
    if level == 2 or (level == 1 and roll < 0.3):
        return _concede(pick, bank, pick(words["neg1"]), pick(words["pos1"]))
    if level <= 1 and roll > 1 - INDIRECT:
        return _sentence(pick, bank, pick(words["indirect"]))
    if level == 1:
        return _sentence(pick, bank, pick(words["neg1"]))
    return _sentences(pick, bank, [pick(words["neg2"])] + pick.some(words["neg1"], int(roll < 0.5)))


def _joined(ack: str, question: str) -> str:
    return f"{ack} {question}" if ack else question


def _concede(pick, bank: dict, complaint: str, praise: str) -> str:
    """A complaint followed by a fair word ("Хотя, справедливости ради, ...")."""
    return _sentence(pick, bank, complaint) + " " + pick(bank["concession"], fresh=False) + praise + "."


def _sentences(pick, bank: dict, clauses: list[str]) -> str:
    return " ".join(_sentence(pick, bank, c, opener=j == 0) for j, c in enumerate(clauses))


def _sentence(pick, bank: dict, clause: str, *, opener: bool = True) -> str:
    opener = pick(bank["openers"], fresh=False) if opener else ""
    if not opener or opener.endswith(". "):
        clause = clause[0].upper() + clause[1:]
    text = opener + clause
    return text[0].upper() + text[1:] + ("" if re.search(r"[.!?]$", text) else ".")


class _Picker:
    """Random choices from phrase tuples, avoiding what was already said in the call when possible."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        self.used: set[str] = set()

    def __call__(self, options, *, fresh: bool = True):
        return self.some(options, 1, fresh=fresh)[0]

    def some(self, options, k: int, *, fresh: bool = True) -> list:
        pool = [o for o in options if o not in self.used] if fresh else list(options)
        if len(pool) < k:
            pool = list(options)
        k = min(k, len(pool))
        chosen = [pool[int(i)] for i in self.rng.choice(len(pool), k, replace=False)]
        if fresh:
            self.used.update(chosen)
        return chosen
