"""Phrase banks of the demo interviews (Russian and English), kept as data in ``demo/data/phrases_<lang>.yaml``.

Clauses are written lower-case and without final punctuation so that
:mod:`~outstaff_analysis.demo.dialogue` can join them with openers and contrasts.  Per factor:
``ask`` (the interviewer's questions), ``pos2``/``pos1`` (very / fairly satisfied), ``meh``
(neither), ``neg1``/``neg2`` (fairly / very unhappy).  ``{f}`` marks a Russian feminine
ending ("понял{f}" -> "поняла" when a woman speaks).  Negation is spread on purpose
("не очень быстро", "not slow at all"), as is the RU/EN IT jargon of real calls.
"""

from __future__ import annotations

import functools
from importlib import resources

from ..yamltext import safe_load


def _frozen(value):
    """Lists as tuples, all the way down (phrases are picked from tuples and remembered in sets)."""
    if isinstance(value, dict):
        return {key: _frozen(item) for key, item in value.items()}
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    return value


@functools.cache
def phrase_bank(language: str) -> dict:
    """The phrase bank of ``language`` (``"ru"`` or ``"en"``), read once from its YAML file."""
    if language not in ("ru", "en"):
        raise ValueError(f"The value for `language` must be one of ['ru', 'en'], but {language!r} was passed")
    path = resources.files("outstaff_analysis.demo") / "data" / f"phrases_{language}.yaml"
    return _frozen(safe_load(path.read_text(encoding="utf-8")))


__all__ = ["phrase_bank"]
