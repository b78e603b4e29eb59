"""Benchmark: CSI scoring of 2,000 one-hour interview transcripts.

Run as ``.venv/bin/python benchmarks/bench_csi.py`` (``--transcripts`` and ``--jobs`` to change the
size and the number of processes).

The transcripts are generated here: about 9,000 words each, half of them client speech, in Russian
and English, composed at random from openers, factor statements (praise and complaints, negated,
hedged, contrasted), neutral talk and tails with numbers, so that most client sentences are
distinct, as in real calls (the share of distinct sentences is printed).  The utterance frame is
built directly: transcript parsing is benchmarked elsewhere.

Timed: :func:`outstaff_analysis.csi.score_csi` (sentence splitting, scoring, evidence, factor
scores and CSI per interview and client-quarter) with ``n_jobs`` processes, with its default
reader: the lexicon plus the bundled model, whose loading on first use is inside the timed run
(``--model none``: the lexicon alone).

Baseline, measured in the same run: the straightforward scorer you would write first, which for
every client sentence lemmatises every word (pymorphy3 / simplemma, no cache) and looks the lemma
up in the same lexicon (no rules at all, so it does less work than the real scorer).  It is timed
on a random sample of interviews and extrapolated to all of them by word count (it is linear in
words); the sample size is printed.  The CPU time of the fast path and the machine's load average are
printed too, since other work on the machine stretches the wall time, with the wall time the CPU times
give on an idle machine (this process's CPU plus the workers' spread over the processes; this process
only waits while they work).  No assertion on times.

Memory (Linux): the peak resident set size of this process during the timed run (the peak is reset
just before it, so the generating above does not count; the input frame's size is printed), the
largest worker's (which includes the pages it shares with this process after the fork), and the
peak of all of them together counted without sharing twice (sum of proportional set sizes, sampled
every second).  The bundled model's load time is measured on its own (a fresh load, not the cached one).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import threading
import time
from pathlib import Path
from typing import Self

import numpy as np
import pandas as pd
import pymorphy3
import simplemma

from outstaff_analysis.csi import bundled_model, load_lexicon, score_csi
from outstaff_analysis.csi.sentences import split_client_sentences

RU = {
    "openers": ["", "Ну, ", "Честно говоря, ", "Если коротко, ", "Скажу так: ", "В целом ", "Смотрите, ", "Да, ",
                "Знаете, ", "По ощущениям, "],
    "statements": [
        "ребята работают хорошо", "качество кода заметно выросло", "багов стало меньше", "тестов почти нет",
        "релиз опять задержали", "сроки срываются каждый спринт", "задачи закрывают быстро", "подбор затянулся",
        "кандидатов нашли очень оперативно", "менеджер всегда на связи", "отчётов мы не видели", "созвонов стало меньше",
        "на письма отвечают раз в сутки", "коммуникация выстроена отлично", "ответы какие-то шаблонные",
        "ставки для нас высоковаты", "цена адекватная", "счета приходят с ошибками", "по деньгам всё устраивает",
        "команда стабильная", "опять поменяли разработчика", "текучка большая", "тимлид сильный",
        "архитектуру продумали грамотно", "документации по-прежнему нет", "не очень быстро всё делается",
        "медленными я бы их не назвал", "претензий по качеству нет", "задержек не было", "всё делают в срок"],
    "neutral": ["давайте обсудим планы", "в марте стартует новый проект", "нам нужен ещё один аналитик",
                "мы переезжаем в новый офис", "бюджет на год пока не утвердили", "у нас сейчас миграция на облако",
                "созвон перенесём на четверг", "я уточню у нашего CTO"],
    "connectors": [". ", ", но ", ", а ", ", и ", ", хотя "],
    "tails": ["", " в этом квартале", " на прошлой неделе", " по проекту {n}", " уже {n} недели", " в спринте {n}",
              " с задачей {n}", ""],
    "questions": ["Как вам работа команды в этом квартале?", "Что можно улучшить в коммуникации?",
                  "Как оцениваете скорость подбора?", "Устраивает ли вас цена?", "Есть ли вопросы по качеству?",
                  "Понял, спасибо. Давайте дальше.", "А что со сроками по релизу {n}?"],
}
EN = {
    "openers": ["", "Well, ", "Honestly, ", "In short, ", "I'd say ", "Overall, ", "Look, ", "Yeah, ", "To be fair, ",
                "Frankly, "],
    "statements": [
        "the developers are doing great", "code quality has improved", "there are fewer bugs now",
        "there are almost no tests", "the release slipped again", "we miss deadlines every sprint",
        "tasks get closed quickly", "hiring dragged on", "you found candidates really fast",
        "the manager is always available", "we haven't seen a report in weeks", "we have fewer calls now",
        "emails get answered once a day", "communication is excellent", "the answers feel canned",
        "the rates are a bit high for us", "the price is fair", "the invoices have errors", "we're fine with the cost",
        "the team is stable", "you swapped a developer again", "turnover is high", "the tech lead is strong",
        "the architecture is well thought out", "there is still no documentation", "things are not very fast",
        "I wouldn't call you slow", "no complaints about quality", "there were no delays", "everything is on time"],
    "neutral": ["let's talk about the plans", "a new project starts in March", "we need another analyst",
                "we're moving to a new office", "the yearly budget isn't approved yet", "we're migrating to the cloud",
                "let's move the call to Thursday", "I'll check with our CTO"],
    "connectors": [". ", ", but ", ", and ", ", although ", ", while "],
    "tails": ["", " this quarter", " last week", " on project {n}", " for {n} weeks now", " in sprint {n}",
              " with ticket {n}", ""],
    "questions": ["How is the team doing this quarter?", "What could we improve in communication?",
                  "How do you rate the speed of hiring?", "Are you fine with the price?", "Any concerns about quality?",
                  "Got it, thanks. Let's move on.", "What about the timeline for release {n}?"],
}


def _sentence(rng, bank) -> str:
    def clause():
        pool = bank["statements"] if rng.random() < 0.7 else bank["neutral"]
        return pool[rng.integers(len(pool))] + bank["tails"][rng.integers(len(bank["tails"]))]

    text = bank["openers"][rng.integers(len(bank["openers"]))] + clause()
    if rng.random() < 0.4:
        text += bank["connectors"][rng.integers(len(bank["connectors"]))] + clause()
    text = text.replace("{n}", str(rng.integers(2, 60)))
    return text[0].upper() + text[1:] + rng.choice([".", ".", ".", "!", "..."])


def make_utterances(n_transcripts: int, *, words: int = 9000, seed: int = 7) -> pd.DataFrame:
    """Synthetic utterance frame: ``n_transcripts`` calls of about ``words`` words, half client speech."""
    rng = np.random.default_rng(seed)
    records = []
    for k in range(n_transcripts):
        bank, lang = (RU, "ru") if k % 2 == 0 else (EN, "en")
        held_at = pd.Timestamp("2022-01-01") + pd.Timedelta(days=int(rng.integers(0, 1095)))
        client = f"C{k % 400:04d}"
        counts = {True: 0, False: 0}
        t, no = 0.0, 0
        while counts[True] + counts[False] < words:
            is_client = counts[True] <= counts[False]
            if is_client:
                text = " ".join(_sentence(rng, bank) for _ in range(int(rng.integers(2, 7))))
            else:
                text = " ".join(rng.choice(bank["questions"], size=int(rng.integers(2, 7)))).replace(
                    "{n}", str(rng.integers(2, 60)))
            n_words = len(text.split())
            counts[is_client] += n_words
            records.append((f"I{k:05d}", no, "Client" if is_client else "Interviewer", t, t + n_words / 2.5, text,
                            client, held_at, lang, is_client, False))
            t += n_words / 2.5 + 1.0
            no += 1
    return pd.DataFrame.from_records(records, columns=["interview_id", "utterance_no", "speaker", "start", "end",
                                                       "text", "client_id", "held_at", "language", "is_client",
                                                       "speaker_inferred"])


_WORD = re.compile(r"\w+")
_CYRILLIC = re.compile(r"[а-яё]")


def naive_score(utterances: pd.DataFrame, lexicon) -> int:
    """The first scorer you would write: per sentence, per word, lemmatise (no cache) and look up."""
    morph = pymorphy3.MorphAnalyzer()
    hits = 0
    for text in split_client_sentences(utterances)["text"]:
        polarity, factors = 0.0, set()
        for word in _WORD.findall(text.lower()):
            if _CYRILLIC.search(word):
                lemma = morph.parse(word)[0].normal_form
            else:
                lemma = simplemma.lemmatize(word, lang="en")
            roles = lexicon.table.get((lemma,)) or lexicon.table.get((word,))
            if roles is not None:
                polarity += roles.weight or 0.0
                factors.update(roles.factors)
        hits += bool(factors) and polarity != 0
    return hits


def _cpu_seconds() -> tuple[float, float]:
    """CPU seconds of this process and of its (finished) worker processes."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def _proc_value(path: Path, field: str) -> float:
    """A ``field: value kB`` entry of a /proc file, in MB (0 if the process is gone)."""
    try:
        for line in path.read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0.0


def _descendants(pid: int) -> list[int]:
    children = []
    for path in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            children += [int(c) for c in path.read_text().split()]
        except FileNotFoundError:
            continue
    return [*children, *(d for c in children for d in _descendants(c))]


class MemoryPeak:
    """Peak memory of this process and its workers while the ``with`` block runs (Linux /proc).

    ``own``: this process's peak RSS (its high-water mark, reset on entry); ``total``: the peak of
    the proportional set sizes of it and all its descendants summed (shared pages counted once),
    sampled every ``interval`` seconds; ``before``: this process's RSS on entry; ``cpu``: the CPU
    seconds the sampling took (reading a PSS walks the page tables), to leave out of this process's.
    """

    def __init__(self, interval: float = 1.0):
        self.interval, self.total, self.own, self.before, self.cpu = interval, 0.0, 0.0, 0.0, 0.0
        self._stop = threading.Event()

    def _sample(self) -> None:
        while True:
            pids = [os.getpid(), *_descendants(os.getpid())]
            self.total = max(self.total, sum(_proc_value(Path(f"/proc/{p}/smaps_rollup"), "Pss") for p in pids))
            self.cpu = time.thread_time()
            if self._stop.wait(self.interval):
                return

    def __enter__(self) -> Self:
        Path("/proc/self/clear_refs").write_text("5")  # reset this process's peak RSS (VmHWM)
        self.before = _proc_value(Path("/proc/self/status"), "VmRSS")
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.own = _proc_value(Path("/proc/self/status"), "VmHWM")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transcripts", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--baseline-sample", type=int, default=40, help="interviews the baseline is timed on")
    parser.add_argument("--model", choices=["bundled", "none"], default="bundled",
                        help="score_csi's sentence reader: lexicon + bundled model (default) or the lexicon alone")
    args = parser.parse_args()

    t0 = time.perf_counter()
    utterances = make_utterances(args.transcripts)
    words = utterances["text"].str.count(r"\S+")  # not .str.split(): a list of every word takes gigabytes
    n_words, client_words = int(words.sum()), int(words[utterances["is_client"]].sum())
    del words
    print(f"generated {args.transcripts} transcripts, {len(utterances):,} utterances, {n_words:,} words "
          f"({client_words:,} client words) in {time.perf_counter() - t0:.1f} s")
    lexicon = load_lexicon()

    sample_ids = pd.Series(utterances["interview_id"].unique()).sample(
        min(args.baseline_sample, args.transcripts), random_state=1)
    sample = utterances.loc[utterances["interview_id"].isin(sample_ids)]
    sample_words = int(sample["text"].str.count(r"\S+").sum())
    t0 = time.perf_counter()
    naive_score(sample, lexicon)
    naive_sample = time.perf_counter() - t0
    naive_all = naive_sample * n_words / sample_words
    print(f"baseline (per-sentence, per-word lemmatise and look-up, no cache): {naive_sample:.2f} s on "
          f"{len(sample_ids)} interviews ({sample_words:,} words) -> extrapolated to all: {naive_all:.1f} s")

    t0, c0 = time.perf_counter(), time.process_time()
    bundled_model(lexicon)  # with a lexicon given: a fresh load, not the session's cached model
    print(f"bundled model load: {time.perf_counter() - t0:.3f} s ({time.process_time() - c0:.3f} s CPU)")

    input_mb = utterances.memory_usage(deep=True).sum() / 2**20
    load = os.getloadavg()
    cpu0 = _cpu_seconds()
    with MemoryPeak() as memory:
        t0 = time.perf_counter()
        result = score_csi(utterances, model=None if args.model == "none" else args.model, n_jobs=args.jobs)
        fast = time.perf_counter() - t0
    own_cpu, workers_cpu = (b - a for a, b in zip(cpu0, _cpu_seconds()))
    own_cpu -= memory.cpu
    distinct = result.sentences["text"].nunique() / len(result.sentences)
    print(f"score_csi (model={args.model}, n_jobs={args.jobs}): {fast:.1f} s for {len(result.sentences):,} client "
          f"sentences ({distinct:.0%} distinct), {len(result.evidence):,} evidence rows, "
          f"{len(result.client_quarters):,} client-quarter rows")
    print(f"CPU time of score_csi: {own_cpu + workers_cpu:.1f} s ({own_cpu:.1f} s this process, {workers_cpu:.1f} s "
          f"workers; the memory sampling's {memory.cpu:.1f} s left out); load average before the run: {load[0]:.1f} on {os.cpu_count()} cores (other work on the "
          f"machine slows the wall time)")
    idle = own_cpu + workers_cpu / min(args.jobs, os.cpu_count() or 1)
    print(f"wall time on an idle machine, estimated from the CPU times (this process waits while the workers "
          f"work): {idle:.1f} s")
    print(f"throughput: {n_words / fast:,.0f} transcript words/s ({client_words / fast:,.0f} client words/s scored)")
    print(f"ratio baseline / fast: {naive_all / fast:.1f}x")
    worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory of score_csi: {memory.total:,.0f} MB all processes together (PSS), {memory.own:,.0f} MB "
          f"this process (max RSS; {memory.before:,.0f} MB before the run, the input frame {input_mb:,.0f} MB), "
          f"{worker:,.0f} MB largest worker (RSS, with the pages it shares with this process)")
    print(f"peak memory of the whole script (max RSS): "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    main()
