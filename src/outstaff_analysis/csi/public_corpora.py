"""Public labelled sentiment corpora (English and Russian) the bundled sentence model is trained on.

They are not part of the package: :func:`load_public_corpora` reads them from a folder laid out
as published (``vader_icwsm2014/``, ``uci_sentiment_labelled_sentences/``, ``ru_goemotions/``,
``cedr/``; the project keeps them in ``../shared/corpora``) and maps their labels to
positive / negative / neutral:

* VADER ground truth (Hutto & Gilbert, ICWSM 2014): mean rating > +0.5 positive, < -0.5
  negative, otherwise neutral;
* UCI sentiment labelled sentences (Kotzias et al., KDD 2015): 1 positive, 0 negative;
* GoEmotions (Demszky et al., ACL 2020; Russian machine translation with the English original):
  the authors' grouping of emotions into positive, negative and ambiguous; a comment is kept when
  all its labels fall in one of positive / negative / neutral, in both languages;
* CEDR (Sboev et al., 2021): no emotion neutral, joy alone positive, only sadness, fear or anger
  negative; surprise or a mix dropped.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import pandas as pd

from ..exceptions import SchemaError

CORPORA = ("vader", "uci", "goemotions", "cedr")
"""Corpus names, the unit of leave-one-corpus-out cross-validation."""

_VADER_FILES = ("amazonReviewSnippets_GroundTruth.txt", "movieReviewSnippets_GroundTruth.txt",
                "nytEditorialSnippets_GroundTruth.txt", "tweets_GroundTruth.txt")
_UCI_FILES = ("amazon_cells_labelled.txt", "imdb_labelled.txt", "yelp_labelled.txt")
_GOEMOTIONS_FILES = ("ru-go-emotions-simplified-validation.csv", "ru-go-emotions-simplified-test.csv")
_CEDR_FILES = ("cedr-main-train.csv", "cedr-main-test.csv")
FILES = {"vader": tuple(f"vader_icwsm2014/{f}" for f in _VADER_FILES),
         "uci": tuple(f"uci_sentiment_labelled_sentences/{f}" for f in _UCI_FILES),
         "goemotions": tuple(f"ru_goemotions/{f}" for f in _GOEMOTIONS_FILES),
         "cedr": tuple(f"cedr/{f}" for f in _CEDR_FILES)}
"""Files read, per corpus, relative to the corpora folder."""

GOEMOTIONS_POSITIVE = frozenset({0, 1, 4, 5, 8, 13, 15, 17, 18, 20, 21, 23})
"""admiration, amusement, approval, caring, desire, excitement, gratitude, joy, love, optimism, pride, relief."""
GOEMOTIONS_NEGATIVE = frozenset({2, 3, 9, 10, 11, 12, 14, 16, 19, 24, 25})
"""anger, annoyance, disappointment, disapproval, disgust, embarrassment, fear, grief, nervousness, remorse, sadness."""
GOEMOTIONS_NEUTRAL = 27
CEDR_JOY, CEDR_SURPRISE = 0, 2
CEDR_NEGATIVE = frozenset({1, 3, 4})
"""sadness, fear, anger."""


def _ids(value: str) -> list[int]:
    return [int(x) for x in re.findall(r"\d+", value)]


def _vader(folder: Path) -> pd.DataFrame:
    frames = []
    for name in FILES["vader"]:
        path = folder / name
        rows = []
        for k, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines()):
            parts = line.split("\t")
            if len(parts) < 3:
                continue
            try:
                mean = float(parts[1])
            except ValueError as exc:
                raise SchemaError(path, "the mean rating must be a number", row=k + 1, column="mean",
                                  value=parts[1]) from exc
            rows.append((parts[2].strip(), mean))
        frame = pd.DataFrame(rows, columns=["text", "mean"])
        label = pd.Series("neutral", index=frame.index).mask(frame["mean"] > 0.5, "positive")
        frames.append(frame.assign(polarity=label.mask(frame["mean"] < -0.5, "negative"), lang="en", file=name))
    return pd.concat(frames, ignore_index=True).drop(columns="mean")


def _uci(folder: Path) -> pd.DataFrame:
    frames = []
    for name in FILES["uci"]:
        rows = []
        for line in (folder / name).read_text(encoding="utf-8", errors="replace").splitlines():
            text, _, label = line.rstrip().rpartition("\t")
            if label in ("0", "1") and text.strip():
                rows.append((text.strip(), "positive" if label == "1" else "negative"))
        frames.append(pd.DataFrame(rows, columns=["text", "polarity"]).assign(lang="en", file=name))
    return pd.concat(frames, ignore_index=True)


def _goemotions_label(ids: list[int]) -> str | None:
    labels = set(ids)
    if not labels:
        return None
    if labels == {GOEMOTIONS_NEUTRAL}:
        return "neutral"
    if labels <= GOEMOTIONS_POSITIVE:
        return "positive"
    if labels <= GOEMOTIONS_NEGATIVE:
        return "negative"
    return None


def _goemotions(folder: Path) -> pd.DataFrame:
    frames = []
    for name in FILES["goemotions"]:
        raw = pd.read_csv(folder / name, dtype=str, keep_default_na=False)
        label = raw["labels"].map(lambda v: _goemotions_label(_ids(v)))
        kept = raw.loc[label.notna()]
        for lang, column in (("ru", "ru_text"), ("en", "text")):
            frames.append(pd.DataFrame({"text": kept[column].str.strip(), "polarity": label[label.notna()],
                                        "lang": lang, "file": name}))
    return pd.concat(frames, ignore_index=True)


def _cedr_label(ids: list[int]) -> str | None:
    labels = set(ids)
    if not labels:
        return "neutral"
    if labels == {CEDR_JOY}:
        return "positive"
    if labels <= CEDR_NEGATIVE:
        return "negative"
    return None


def _cedr(folder: Path) -> pd.DataFrame:
    frames = []
    for name in FILES["cedr"]:
        raw = pd.read_csv(folder / name, dtype=str, keep_default_na=False)
        label = raw["labels"].map(lambda v: _cedr_label(_ids(v)))
        kept = raw.loc[label.notna()]
        frames.append(pd.DataFrame({"text": kept["text"].str.strip(), "polarity": label[label.notna()],
                                    "lang": "ru", "file": name}))
    return pd.concat(frames, ignore_index=True)


_READERS = {"vader": _vader, "uci": _uci, "goemotions": _goemotions, "cedr": _cedr}


def load_public_corpora(folder: str | os.PathLike) -> pd.DataFrame:
    """Read the public corpora and map their labels (see the module docstring).

    Parameters
    ----------
    folder : path-like
        The corpora folder (``../shared/corpora`` next to the project).

    Returns
    -------
    pandas.DataFrame
        Columns ``text, polarity, lang, corpus, file``; empty texts dropped.

    Raises
    ------
    FileNotFoundError
        Naming the first corpus file that is missing.
    """
    folder = Path(folder)
    for corpus in CORPORA:
        for name in FILES[corpus]:
            if not (folder / name).is_file():
                raise FileNotFoundError(f"{folder / name}: corpus file of {corpus!r} not found; expected the "
                                        f"public corpora laid out as published in {folder}")
    frames = [_READERS[corpus](folder).assign(corpus=corpus) for corpus in CORPORA]
    out = pd.concat(frames, ignore_index=True)
    out = out.loc[out["text"].str.len() > 0].reset_index(drop=True)
    return out[["text", "polarity", "lang", "corpus", "file"]]


def file_hashes(folder: str | os.PathLike) -> dict[str, str]:
    """sha256 of every corpus file read, by its path relative to ``folder``."""
    folder = Path(folder)
    return {name: hashlib.sha256((folder / name).read_bytes()).hexdigest()
            for corpus in CORPORA for name in FILES[corpus]}


__all__ = ["CORPORA", "FILES", "file_hashes", "load_public_corpora"]
