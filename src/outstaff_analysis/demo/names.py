"""Names of the demo firm: people (Russian and English) and companies, from ``demo/data/names.yaml``.

Pickers are vectorised: they take an rng and a count and return object arrays of ``str``.
"""

from __future__ import annotations

import functools
from importlib import resources

import numpy as np

from ..yamltext import safe_load


@functools.cache
def name_banks() -> dict:
    """The name banks, read once from ``demo/data/names.yaml`` (lists as tuples)."""
    path = resources.files("outstaff_analysis.demo") / "data" / "names.yaml"
    banks = safe_load(path.read_text(encoding="utf-8"))
    out = {key: tuple(value) for key, value in banks.items() if isinstance(value, list)}
    out["industry_suffixes"] = {industry: (tuple(by["ru"]), tuple(by["en"]))
                                for industry, by in banks["industry_suffixes"].items()}
    out["ru_legal"] = {segment: tuple(forms) for segment, forms in banks["ru_legal"].items()}
    return out


def industries() -> tuple[str, ...]:
    """Industries of the demo's clients, in the order of the name banks."""
    return tuple(name_banks()["industry_suffixes"])


def _pick(rng: np.random.Generator, bank: tuple[str, ...], n: int) -> np.ndarray:
    return np.asarray(bank, dtype=object)[rng.integers(0, len(bank), n)]


def person_names(
    rng: np.random.Generator, n: int, *, english: np.ndarray | bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Full names ``"First Last"`` and a female flag; Russian unless ``english`` is set for that row."""
    banks = name_banks()
    english = np.broadcast_to(np.asarray(english, dtype=bool), (n,))
    female = rng.random(n) < 0.45
    ru_first = np.where(female, _pick(rng, banks["ru_female_first"], n), _pick(rng, banks["ru_male_first"], n))
    stems = _pick(rng, banks["ru_surname_stems"], n)
    ru_last = np.where(female, stems + "а", stems)
    en_first = np.where(female, _pick(rng, banks["en_female_first"], n), _pick(rng, banks["en_male_first"], n))
    en_last = _pick(rng, banks["en_surnames"], n)
    names = np.where(english, en_first + " " + en_last, ru_first + " " + ru_last)
    return names.astype(object), female


def company_names(
    rng: np.random.Generator, industry: np.ndarray, segment: np.ndarray, english: np.ndarray
) -> np.ndarray:
    """Company names matching each industry and segment; duplicates get a number appended."""
    banks = name_banks()
    n = len(industry)
    ru_root = _pick(rng, banks["ru_company_roots"], n)
    en_root = _pick(rng, banks["en_company_roots"], n)
    which = rng.integers(0, 3, n)
    ru_suffix = np.array([banks["industry_suffixes"][ind][0][k] for ind, k in zip(industry, which)], dtype=object)
    en_suffix = np.array([banks["industry_suffixes"][ind][1][k] for ind, k in zip(industry, which)], dtype=object)
    legal = np.array(
        [banks["ru_legal"][seg][k % len(banks["ru_legal"][seg])] for seg, k in zip(segment, rng.integers(0, 6, n))]
    )
    ru = legal.astype(object) + " «" + ru_root + ru_suffix + "»"
    en = en_root + " " + en_suffix + " " + _pick(rng, banks["en_legal"], n)
    names = np.where(english, en, ru).astype(object)
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            names[i] = f"{name} {seen[name]}"
    return names
