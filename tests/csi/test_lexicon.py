"""The lexicon is data: loaded, validated, and extensible from an analyst's own directory."""

import pytest

from outstaff_analysis.csi.lexicon import STRENGTH, load_lexicon
from outstaff_analysis.csi.scoring import score_sentence
from outstaff_analysis.exceptions import SchemaError


def test_packaged_lexicon_is_indexed_by_lemma_and_spoken_form():
    lexicon = load_lexicon()
    assert lexicon.table[("срок",)].factors == {"speed": STRENGTH["topic"]}
    assert lexicon.table[("дорого",)].weight < 0
    assert lexicon.table[("дорого",)].factors == {"price": STRENGTH["implied"]}
    assert lexicon.table[("высокий",)].context["price"] < 0 < lexicon.table[("высокий",)].context["quality"]
    assert lexicon.table[("говорят",)].reported
    assert ("говорить",) not in lexicon.table or not lexicon.table[("говорить",)].reported
    assert lexicon.table[("не",)].negator and lexicon.table[("не",)].backward


def test_an_analyst_overrides_one_file_and_keeps_the_rest(tmp_path):
    (tmp_path / "sentiment.csv").write_text("term,lang,weight,implies,when\nблямба,ru,-1.5,price,\n", encoding="utf-8")
    custom = load_lexicon(tmp_path)
    assert score_sentence("Это блямба.", custom).factors == {"price": -1.5}
    assert score_sentence("Это блямба.").factors == {}
    assert custom.table[("срок",)].factors == {"speed": STRENGTH["topic"]}  # factors.yaml from the package


@pytest.mark.parametrize("content, match", [
    ("term,lang,weight,implies,when\nплохо,de,-1,,\n", r"row 2, column `lang`.*must be one of \['ru', 'en'\]"),
    ("term,lang,weight,implies,when\nплохо,ru,minus,,\n", r"row 2, column `weight`: `weight` must be a number"),
    ("term,lang,weight,implies,when\nплохо,ru,-1,mood,\n", r"column `implies`.*must be empty or one of"),
    ("term,lang,weight\nплохо,ru,-1\n", r"columns must be \['term', 'lang', 'weight', 'implies', 'when'\]"),
    ("term,lang,weight,implies,when\nплохо,ru,-1,,\nплохо,ru,-2,,\n", r"row 3.*duplicate term"),
])
def test_a_malformed_sentiment_file_names_file_row_and_column(tmp_path, content, match):
    (tmp_path / "sentiment.csv").write_text(content, encoding="utf-8")
    with pytest.raises(SchemaError, match=match) as info:
        load_lexicon(tmp_path)
    assert "sentiment.csv" in str(info.value)


def test_yaml_words_that_are_not_strings_are_rejected(tmp_path):
    (tmp_path / "factors.yaml").write_text("price:\n  en:\n    topic: [price, no]\n", encoding="utf-8")
    with pytest.raises(SchemaError, match=r"price.en.topic.*quote words YAML reads as other types"):
        load_lexicon(tmp_path)


def test_unknown_factor_and_missing_directory(tmp_path):
    (tmp_path / "factors.yaml").write_text("mood:\n  en:\n    topic: [vibe]\n", encoding="utf-8")
    with pytest.raises(SchemaError, match=r"factors must be among \['quality', 'service', 'price', 'speed', 'team'\]"):
        load_lexicon(tmp_path)
    with pytest.raises(SchemaError, match="the lexicon directory does not exist"):
        load_lexicon(tmp_path / "nowhere")


def test_modifiers_file_must_hold_every_rule(tmp_path):
    (tmp_path / "modifiers.yaml").write_text("negators: {ru: [не]}\n", encoding="utf-8")
    with pytest.raises(SchemaError, match=r"missing keys \['negators_backward'"):
        load_lexicon(tmp_path)
