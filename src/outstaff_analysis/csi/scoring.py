"""Score client sentences: which CSI factors they speak of, and with what polarity.

Rules, in the order they apply to one sentence:

1. words and expressions are matched against the lexicon by lemma (longest expression first), so
   word forms do not matter; mixed Russian/English speech is matched word by word;
2. the sentence is cut into clauses at contrast markers ("но", "but"; the clause after the marker
   dominates, the one before counts ``before_contrast_weight``), at concessive markers ("хотя",
   "although"; the clause they open counts ``conceded_weight``) and at clause breaks ("а", ";");
3. a negator ("не", "not", "без", "no", "fewer") flips the next sentiment word within a few
   words ("не очень быстро", "not slow at all", "no delays"); Russian post-negation ("задержек не
   было", "претензий нет") flips the word before; a denied factor topic with no sentiment word
   ("нет отчетов", "no updates") counts as a complaint, a denied unwanted thing as praise ("замен
   почти не было", "no questions about the rates": the word after a preposition is not what is
   denied); litotes deny the whole clause after them ("не могу сказать, что ждали долго",
   "not once did we wait long"); a resolver ("исправить", "fix") turns a negative word next to it positive ("bugs get
   fixed");
4. intensifiers multiply the next sentiment word ("очень", "way too"), diminishers soften it;
5. each sentiment word goes to the nearest factor mention in its clause (the same comma-separated
   part first; coordinated lists such as "качество и скорость" share it); a more specific mention
   in the same part wins over a generic one ("ребята опытные" is quality, "хорошие ребята" team);
6. hedges ("вроде", "I guess") soften the whole sentence, reported speech ("коллеги говорят",
   "I heard") counts ``reported_weight``, and a question is not evidence (``question_weight``)
   unless it is a rhetorical complaint ("почему опять сорвали сроки?", "how long do we wait?"),
   whose praise words are sarcasm and whose factors, with no sentiment word, are complained of;
7. a wish asks for what is missing ("хотелось бы побыстрее", "we'd like fewer bugs"): praise after
   it counts negative (``wish_weight``), and so does a factor it names with no sentiment word;
8. praise framed as the past ("раньше отвечали быстрее", "they used to be responsive") is gone, so
   a complaint (``past_weight``); a complaint so framed is over and counts ``conceded_weight``;
9. "если бы не X, [outcome]" ("if it weren't for X") credits X with the opposite of the hypothetical
   outcome ("если бы не ваш менеджер, мы бы давно ушли" praises the manager);
10. the standard of a comparison ("как обещали", "than promised") is read only when nothing else in
    its clause is ("сделали, как обещали" praises; in "не такая хорошая, как обещали" it is the yardstick).
"""

from __future__ import annotations

import bisect
import dataclasses

import numpy as np

from .lexicon import STRENGTH, Lexicon, load_lexicon
from .text import PUNCTUATION, lemma, tokenize

_SEGMENT_BREAKS = frozenset(",:—–-()")


@dataclasses.dataclass(frozen=True)
class SentenceScore:
    """The score of one sentence.

    Attributes
    ----------
    polarity_score : float
        Weighted sum of the sentence's sentiment (negative to positive).
    factors : dict
        factor -> contribution (signed) for each factor the sentence speaks of with some polarity.
    is_question, is_reported, is_hedged : bool
        Sentence-level modifiers that were applied.
    is_phatic : bool
        Neutral talk: the sentence's only lexicon words are greetings, thanks, goodbyes, call
        logistics, backchannels or weather and travel chat (``phatic`` in ``modifiers.yaml``).
        Such a sentence scores 0 and is never evidence, whoever reads it.
    """

    polarity_score: float
    factors: dict
    is_question: bool
    is_reported: bool
    is_hedged: bool
    is_phatic: bool = False


# A unit is a matched word or expression, a plain tuple ``(text, Roles or None, is punctuation)``
# (scoring builds millions of them): ``unit[0]`` text, ``unit[1]`` roles, ``unit[2]`` punctuation.


def _token_info(token: str, lexicon: Lexicon) -> tuple:
    """``(lemma, longest entry the word may start, Roles of the word alone, is punctuation)``, cached."""
    info = lexicon.token_cache.get(token)
    if info is None:
        lemma_ = lemma(token)
        prefixes, single = lexicon.prefixes, lexicon.single
        info = (lemma_, max(prefixes.get(token, 0), prefixes.get(lemma_, 0)),
                single.get(token) or single.get(lemma_), token in PUNCTUATION)
        lexicon.token_cache[token] = info
    return info


def _units(tokens: list[str], lexicon: Lexicon) -> list[tuple]:
    """Longest-match the lexicon over the tokens (as spoken, then by lemmas)."""
    cache = lexicon.token_cache
    infos = [cache.get(token) or _token_info(token, lexicon) for token in tokens]
    if all(info[1] <= 1 for info in infos):
        return [(token, info[2], info[3]) for token, info in zip(tokens, infos)]
    table, pairs, units, i, n = lexicon.table, lexicon.pairs, [], 0, len(tokens)
    while i < n:
        lemma_, longest, roles, punct = infos[i]
        if longest > 1 and i + 1 < n:
            after, after_lemma = tokens[i + 1], infos[i + 1][0]
            if not ((tokens[i], after) in pairs or (lemma_, after_lemma) in pairs):
                longest = 1
        if longest <= 1:
            units.append((tokens[i], roles, punct))
            i += 1
            continue
        for length in range(min(longest, n - i), 0, -1):
            roles = table.get(tuple(tokens[i:i + length])) or table.get(tuple(x[0] for x in infos[i:i + length]))
            if roles is not None:
                units.append((" ".join(tokens[i:i + length]), roles, punct))
                i += length
                break
        else:
            units.append((tokens[i], None, punct))
            i += 1
    return units


def _clauses(units: list[tuple], marks: list[int], rules) -> list[tuple[int, int, float]]:
    """Clauses as ``(start, end, weight)`` unit ranges (``marks``: units with roles or punctuation)."""
    bounds, weights, conceding = [0], [1.0], False
    for i in marks:
        unit = units[i]
        roles = unit[1]
        if conceding and unit[2] and unit[0] in _SEGMENT_BREAKS:  # the conceded clause ends at a comma
            bounds.append(i + 1)
            weights.append(1.0)
            conceding = False
        if roles is None:
            continue
        if roles.contrast:
            weights = [w * rules["before_contrast_weight"] for w in weights]
            bounds.append(i + 1)
            weights.append(1.0)
        elif roles.concessive:
            bounds.append(i + 1)
            weights.append(rules["conceded_weight"])
            conceding = True
        elif roles.clause_break:
            bounds.append(i + 1)
            weights.append(1.0)
    ends = bounds[1:] + [len(units)]
    return [(a, b, w) for a, b, w in zip(bounds, ends, weights) if b > a]


def _negation_targets(units, marks, start, end, rules):
    """What negators and resolvers in a clause act on.

    Returns the sentiment units under negation (-> count of negators) and the denied things with
    no sentiment word, as ``(unit index, sign)``: an unwanted thing denied is praise (``+1``: "замен
    не было"), a denied factor topic a complaint (``-1``: "нет отчетов").
    """
    window = int(rules["negation_window"])
    negated: dict[int, int] = {}
    absent: list[tuple[int, int]] = []

    def scan(i, step):
        j, seen = i + step, 0
        while start <= j < end and seen < window:
            unit = units[j]
            if unit[2] or (unit[1] is not None and (unit[1].contrast or unit[1].concessive)):
                return None
            if unit[1] is not None and unit[1].is_sentiment and not unit[1].negator:
                return j
            if unit[1] is not None and unit[1].self_negated:  # "никогда не видели такой": one negation, its own
                return None
            seen += 1
            j += step
        return None

    for i in marks:
        roles = units[i][1]
        if roles is not None and roles.resolver:
            for step in (1, -1):
                target = scan(i, step)
                if target is not None and (units[target][1].weight or 0.0) < 0:
                    negated[target] = negated.get(target, 0) + 1
                    break
        if roles is None or not roles.negator:
            continue
        if roles.clause_negator:  # "не могу сказать, что ждали долго": every sentiment word up to punctuation
            found = False
            for j in range(i + 1, end):
                unit = units[j]
                if unit[2] or (unit[1] is not None and (unit[1].contrast or unit[1].concessive)):
                    break
                if unit[1] is not None and unit[1].is_sentiment and not unit[1].negator:
                    negated[j] = negated.get(j, 0) + 1
                    found = True
            if found:
                continue
        target = scan(i, 1)
        if target is None and roles.backward:
            target = scan(i, -1)
            if target is not None and target > start and lemma(units[target - 1][0]) in _SUCH:
                continue  # "такой плохой код мы не видели": a superlative, the negation is of the seeing
        if target is not None:
            if not units[target][1].self_negated:  # "ничего не работает": the negations agree, one denial
                negated[target] = negated.get(target, 0) + 1
            continue
        denied = _denied(units, range(i + 1, min(end, i + 1 + window)), rules)
        if denied is None and roles.backward:
            denied = _denied(units, range(i - 1, max(start, i - window) - 1, -1), rules)
        if denied is not None:
            absent.append(denied)
    return negated, absent


def _denied(units, positions, rules):
    """What a negator denies among ``positions`` (nearest first, up to punctuation): ``(index, sign)`` or None.

    An unwanted thing within the negation window is denied good news (``+1``); a factor topic
    within ``absence_window`` words is a missing good thing (``-1``).  A word right after a
    preposition is a complement, not what is denied ("вопросов по ставкам нет").
    """
    reach = int(rules["absence_window"])
    for k, j in enumerate(positions):
        unit = units[j]
        if unit[2]:
            return None
        roles = unit[1]
        if roles is None or (j > 0 and units[j - 1][1] is not None and units[j - 1][1].complement):
            continue
        if roles.unwanted:
            return j, 1
        if k < reach and any(s == STRENGTH["topic"] for s in roles.factors.values()):
            return j, -1
    return None


def _mentions(units, marks, rules):
    """Factor mentions kept in a clause: ``[(unit index, factor)]``.

    Within a comma-separated segment, topic words always count; a word that implies a factor
    counts unless a topic word of another factor is within ``implied_window`` words; weak words
    count only when the segment has nothing more specific.
    """
    mentions, segment = [], []
    topic, implied = STRENGTH["topic"], STRENGTH["implied"]
    reach = rules["implied_window"]

    def flush():
        if segment:
            best = max(s for _, _, s in segment)
            for i, f, s in segment:
                near_topic = any(s2 == topic and f2 != f and abs(i2 - i) <= reach for i2, f2, s2 in segment)
                if s == topic or (s == implied and not near_topic) or s == best:
                    mentions.append((i, f))
            segment.clear()

    for i in marks:
        unit = units[i]
        if unit[2] and unit[0] in _SEGMENT_BREAKS:
            flush()
        elif unit[1] is not None:
            segment.extend((i, f, s) for f, s in unit[1].factors.items())
    flush()
    return mentions


def _attribute(position, mentions, units, breaks):
    """Factors a sentiment word at ``position`` speaks of (nearest mention, same segment first).

    ``breaks``: sorted positions of the clause's segment breaks (commas, dashes...).
    """
    if not mentions:
        return []
    segment = bisect.bisect(breaks, position)
    same = [m for m in mentions if bisect.bisect(breaks, m[0]) == segment]
    pool = same or mentions
    best = min(abs(i - position) for i, _ in pool)
    chosen = {i for i, _ in pool if abs(i - position) == best}
    linked = sorted({i for i, _ in mentions})
    for anchor in sorted(chosen):
        k = linked.index(anchor)
        for step in (-1, 1):
            a, b = k, k + step
            while 0 <= b < len(linked) and _coordinated(units, linked[min(a, b)], linked[max(a, b)]):
                chosen.add(linked[b])
                a, b = b, b + step
    return list(dict.fromkeys(f for i, f in mentions if i in chosen))  # a factor counts once per word


def _coordinated(units, left, right):
    between = units[left + 1:right]
    return all(u[2] and u[0] == "," or (u[1] is not None and u[1].coordinator) for u in between) \
        and len(between) <= 2


def _past_segments(units, inside, breaks) -> set:
    """Comma-separated segments (numbered as ``bisect(breaks, i)``) framed as the past ("раньше", "used to").

    Praise of the past says it is gone ("Раньше было лучше.", "They used to be responsive."), a
    complaint of the past that it is over ("Раньше были проблемы, теперь ..."); a comparison's
    standard ("медленнее, чем раньше", "as before") and "never before" ("как никогда раньше")
    are no such frame.
    """
    return {bisect.bisect(breaks, i) for i in inside if units[i][1] is not None and units[i][1].past
            and not (i > 0 and (units[i - 1][0].lower() in _COMPARATORS
                                or (units[i - 1][1] is not None and units[i - 1][1].negator)))}


def _intensity(units, i, start):
    factor, j = 1.0, i - 1
    while j >= start and units[j][1] is not None and units[j][1].intensity is not None:
        factor *= units[j][1].intensity
        j -= 1
    return factor


_OPENER_BREAKS = frozenset({",", "—", "–", "-", ":", "...", "…"})
_COMPLEMENTIZERS = frozenset({"что", "чтобы", "когда", "как", "that", "when", "how"})
_COMPARATORS = frozenset({"чем", "как", "than", "as"})
_SUCH = frozenset({"такой", "столь"})


def _without_opener(units: list[tuple], lexicon: Lexicon) -> list[tuple]:
    """The units with a sentence-opening discourse word or praise interjection read as what it is.

    "Хорошо, давайте обсудим бюджет." read as praise of the price, "Well, the team is slow." as
    softened.  An opener (``discourse_openers`` in modifiers.yaml, after at most one other opener:
    "ну хорошо", "oh well") followed by a pause mark takes the floor unless a clause about it
    follows ("хорошо, что предупредили"); an opener that is the whole sentence is a backchannel
    ("Хорошо.").  A praise word about no factor in the same place is agreement, no praise of the
    factor the rest names ("Отлично, давайте обсудим бюджет."; about no factor it stays: "Cool,
    I'll check it out."); when the rest is a complaint it is sarcasm and counts as one ("Great,
    another outage.", "Ну спасибо, опять прод уронили.").
    """
    if not units:
        return units
    first = 1 if len(units) > 1 and _is_opener(units[0]) and _takes_floor(units[1]) else 0
    unit = units[first]
    if not _takes_floor(unit):
        return units
    praise = not unit[1].opener
    rest = units[first + 1:]
    alone = all(unit[2] for unit in rest)
    pause = bool(rest) and rest[0][2] and rest[0][0] in _OPENER_BREAKS
    about = len(rest) > 1 and rest[1][0] in _COMPLEMENTIZERS
    conceding = len(rest) > 1 and rest[1][1] is not None and (rest[1][1].contrast or rest[1][1].concessive)
    if not (alone or (pause and not about)) or (praise and conceding):  # "Отлично, но дорого." is praise
        return units
    plain = [(text, None, punct) for text, _, punct in units[:first]]
    if praise:
        if alone or _read(rest, False, lexicon).polarity_score >= 0:
            if not any(roles is not None and roles.factors for _, roles, _ in rest):
                return units  # "Cool, I'll check it out." is pleased, and about no factor
            return plain + [(unit[0], None, unit[2])] + rest
        sarcasm = dataclasses.replace(unit[1], weight=-unit[1].weight)
        return plain + [(unit[0], sarcasm, unit[2])] + rest
    return plain + [(unit[0], None, unit[2])] + rest


def _is_opener(unit: tuple) -> bool:
    return unit[1] is not None and unit[1].opener


def _takes_floor(unit: tuple) -> bool:
    """A discourse opener, or a praise word about no factor ("отлично", "great") that may be an interjection.

    An expression is a statement, not an interjection ("Couldn't be happier.", "Лучше не бывает.").
    """
    roles = unit[1]
    return roles is not None and (roles.opener or (
        (roles.weight or 0.0) > 0 and not roles.factors and not roles.context and " " not in unit[0]))


def is_neutral_talk(sentence: str, lexicon: Lexicon | None = None) -> bool:
    """Whether a sentence is neutral talk only (greeting, thanks, call logistics, weather...), never evidence.

    Examples
    --------
    >>> is_neutral_talk("Да уж, весь день дождь."), is_neutral_talk("Да уж, ответа ждали весь день.")
    (True, False)
    """
    return _is_phatic(_units(tokenize(sentence), lexicon or load_lexicon()))


def _is_phatic(units) -> bool:
    """Whether a sentence has neutral talk and nothing said about anything (a factor or a sentiment).

    Words the lexicon does not know (names, "Mark", "вам") and weak factor words ("весь день") do
    not count as saying something.
    """
    phatic = False
    for _, roles, _ in units:
        if roles is None:
            continue
        if roles.phatic:
            phatic = True
        elif roles.is_sentiment or roles.negator or any(s > STRENGTH["weak"] for s in roles.factors.values()):
            return False
    return phatic


def score_sentence(sentence: str, lexicon: Lexicon | None = None) -> SentenceScore:
    """Score one sentence.

    Parameters
    ----------
    sentence : str
        One sentence of client speech (Russian, English or mixed).
    lexicon : Lexicon, optional
        Default: the packaged lexicon (:func:`~outstaff_analysis.csi.lexicon.load_lexicon`).

    Returns
    -------
    SentenceScore

    Examples
    --------
    >>> score_sentence("Хорошие ребята, но сроки постоянно срывают.").factors
    {'team': 0.4, 'speed': -1.69}
    """
    lexicon = lexicon or load_lexicon()
    units = _without_opener(_units(tokenize(sentence), lexicon), lexicon)
    return _read(units, sentence.rstrip().rstrip("\"»”)").endswith("?"), lexicon)


def _read(units: list[tuple], is_question: bool, lexicon: Lexicon) -> SentenceScore:
    """Score a sentence's units (see the module's rules); ``is_question``: it ends with a question mark."""
    rules = lexicon.rules
    marks, is_active, is_reported, is_hedged, rhetorical, wish = [], False, False, False, False, None
    for i, (_, roles, punct) in enumerate(units):
        if roles is not None:
            marks.append(i)
            is_active = is_active or roles.is_active
            is_reported = is_reported or roles.reported
            is_hedged = is_hedged or roles.hedge
            rhetorical = rhetorical or roles.rhetorical
            if roles.wish and wish is None:
                wish = i
        elif punct:
            marks.append(i)
    complaint = is_question and rhetorical  # a rhetorical question is a complaint
    is_question = is_question and not rhetorical
    if _is_phatic(units):
        return SentenceScore(0.0, {}, is_question, is_reported, is_hedged, True)
    credit = next((i for i in marks if units[i][1] is not None and units[i][1].credit), None)
    if credit is not None:
        return _credited(units, credit, is_question, lexicon)
    if not (is_active or complaint):
        return SentenceScore(0.0, {}, is_question, is_reported, is_hedged)
    scale = (rules["question_weight"] if is_question else 1.0) * (rules["reported_weight"] if is_reported else 1.0) \
        * (rules["hedge_weight"] if is_hedged else 1.0)
    polarity, factors = 0.0, {}
    for start, end, weight in _clauses(units, marks, rules):
        inside = marks[bisect.bisect_left(marks, start):bisect.bisect_left(marks, end)]
        negated, absent = _negation_targets(units, inside, start, end, rules)
        mentions = _mentions(units, inside, rules)
        breaks = [i for i in inside if units[i][2] and units[i][0] in _SEGMENT_BREAKS]
        wished = wish is not None and wish < end  # what follows a wish is asked for, so missing
        past = _past_segments(units, inside, breaks)
        evidence = False
        read = [i for i in inside if _is_read(units[i][1])]
        compared = any(not units[i][1].standard for i in read)  # a standard beside them is only the yardstick
        for i in read:
            roles = units[i][1]
            if roles.standard and compared:
                continue
            modifier = _intensity(units, i, start)
            if negated.get(i):  # several negators on one word are one negation ("ничего ... не")
                modifier = -rules["negated_weight"] * min(modifier, 1.0)
            targets = _attribute(i, mentions, units, breaks)
            values = [roles.context.get(f, roles.weight or 0.0) * modifier * weight for f in targets]
            if not targets:
                values = [(roles.weight or 0.0) * modifier * weight]
            if (complaint or (wished and i > wish)) and values and max(values) > 0:
                values = [-abs(v) * (rules["wish_weight"] if wished else 1.0) for v in values]
            elif bisect.bisect(breaks, i) in past:  # "раньше отвечали быстрее": no longer so
                values = [-abs(v) * rules["past_weight"] if v > 0 else v * rules["conceded_weight"] for v in values]
            for f, value in zip(targets, values):
                factors[f] = factors.get(f, 0.0) + value
            polarity += sum(values) / len(values)
            evidence = evidence or any(values)
        for i, sign in absent:
            value = sign * abs(rules["absence_weight"]) * weight
            own = [f for f, s in units[i][1].factors.items() if s == STRENGTH["topic"]]
            for f in own or _attribute(i, mentions, units, breaks):
                factors[f] = factors.get(f, 0.0) + value
            polarity += value
            evidence = True
        if (complaint or wished) and not evidence:  # "why are we paying senior rates for this?"
            value = -abs(rules["absence_weight"]) * weight * (rules["wish_weight"] if wished else 1.0)
            topics = {f for i, f in mentions if not wished or i > wish}
            for f in topics:
                factors[f] = factors.get(f, 0.0) + value
            polarity += value if topics else 0.0
    factors = {f: round(v * scale, 6) for f, v in factors.items() if v * scale != 0}
    return SentenceScore(round(polarity * scale, 6), factors, is_question, is_reported, is_hedged)


def _is_read(roles) -> bool:
    """Whether a unit carries its own sentiment in a clause (not a negator, resolver or wish word)."""
    return roles is not None and roles.is_sentiment and not (roles.negator or roles.resolver or roles.wish)


def _credited(units: list[tuple], credit: int, is_question: bool, lexicon: Lexicon) -> SentenceScore:
    """A sentence that credits something with a hypothetical outcome: "если бы не X, [outcome]".

    X (up to the next comma or dash) is said to be the opposite of the outcome: "Если бы не ваш
    менеджер, мы бы давно ушли." praises the manager (service), "If it weren't for the delays, we'd be
    happy." complains of the delays.  What X says itself counts as said ("если бы не постоянные
    задержки, ..."); an outcome the lexicon cannot read credits X (``absence_weight`` in magnitude:
    "если бы не Анна, проект бы встал").  The outcome's sentiment goes to X's factors, or to its own
    when X names none ("если бы не вы, мы бы сорвали все сроки": speed).
    """
    end = next((j for j in range(credit + 1, len(units)) if units[j][2] and units[j][0] in _SEGMENT_BREAKS),
               len(units))
    said = _read(units[credit + 1:end], is_question, lexicon)
    outcome = _read(units[end + 1:], is_question, lexicon)
    ranks = [(s, f) for u in units[credit + 1:end] if u[1] is not None for f, s in u[1].factors.items()]
    named = [f for s, f in ranks if s == max(ranks)[0]] if ranks else []
    scale = lexicon.rules["question_weight"] if is_question else 1.0
    factors = dict(said.factors)
    if outcome.polarity_score:
        value = -outcome.polarity_score
        spread = {f: value for f in named} if named else {f: -v for f, v in outcome.factors.items()}
    elif said.polarity_score:
        value, spread = 0.0, {}
    else:
        value = abs(lexicon.rules["absence_weight"]) * scale
        spread = {f: value for f in dict.fromkeys(named)}
    for f, v in spread.items():
        factors[f] = round(factors.get(f, 0.0) + v, 6)
    polarity = round(said.polarity_score + value, 6)
    return SentenceScore(polarity, {f: v for f, v in factors.items() if v}, is_question,
                         said.is_reported or outcome.is_reported, said.is_hedged or outcome.is_hedged)


def polarity_label(score, *, lexicon: Lexicon | None = None) -> np.ndarray:
    """``"positive"``, ``"negative"`` or ``"neutral"`` for polarity scores (vectorised)."""
    band = (lexicon or load_lexicon()).rules["neutral_band"]
    score = np.asarray(score, dtype=float)
    return np.where(score > band, "positive", np.where(score < -band, "negative", "neutral"))


__all__ = ["SentenceScore", "polarity_label", "score_sentence"]
