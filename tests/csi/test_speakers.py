"""Speaker attribution: from the interviews table, a speaker map or role labels; otherwise inferred and flagged."""

import warnings

import pandas as pd
import pytest

from outstaff_analysis.csi.speakers import attribute_speakers, load_speaker_map, speaker_key
from outstaff_analysis.exceptions import InferredSpeakerWarning, SchemaError


def _utterances(interview_id, turns):
    return pd.DataFrame(
        {
            "interview_id": interview_id,
            "utterance_no": range(len(turns)),
            "speaker": [speaker for speaker, _ in turns],
            "start": float("nan"),
            "end": float("nan"),
            "text": [text for _, text in turns],
        }
    )


DIALOGUE = [
    (None, "Квартальное интервью"),
    ("Анна Смирнова", "Добрый день! Как вам команда?"),
    ("Олег", "Хорошо. Но отвечают раз в сутки."),
    ("Анна Смирнова", "А что со сроками? Успеваем?"),
    ("Олег", "Сроки держат."),
    ("Мария", "Согласна с Олегом. А отчёты будут?"),
]


def _interviews(**columns):
    return pd.DataFrame({"interview_id": ["I1"], **{k: [v] for k, v in columns.items()}})


def _no_warning():
    return warnings.catch_warnings(action="error", category=InferredSpeakerWarning)


@pytest.mark.parametrize("interviewer", ["Анна Смирнова", "анна", "А. Смирнова", "Пётр; Анна Смирнова"])
def test_interviewer_from_the_table_makes_everyone_else_the_client(interviewer):
    with _no_warning():
        out = attribute_speakers(_utterances("I1", DIALOGUE), _interviews(interviewer=interviewer))
    assert out["is_client"].tolist() == [False, False, True, False, True, True]
    assert not out["speaker_inferred"].any()
    assert list(out.columns[-2:]) == ["is_client", "speaker_inferred"]


def test_speaker_map_overrides_the_table_and_star_applies_everywhere():
    speaker_map = {"*": {"Мария": "firm"}, "I1": {"анна смирнова": "client"}}
    interviews = _interviews(interviewer="Анна Смирнова")
    with _no_warning():
        out = attribute_speakers(_utterances("I1", DIALOGUE), interviews, speaker_map=speaker_map)
    # Анна by the map, Мария by "*"; Олег is placed by neither, and a firm speaker is known: client
    assert out["is_client"].tolist() == [False, True, True, True, True, False]


def test_map_naming_only_clients_makes_the_rest_the_firm():
    with _no_warning():
        out = attribute_speakers(_utterances("I1", DIALOGUE), None, speaker_map={"I1": {"Олег": "client"}})
    assert out["is_client"].tolist() == [False, False, True, False, True, False]


def test_speaker_map_from_yaml(tmp_path):
    path = tmp_path / "speakers.yaml"
    path.write_text('"*":\n  Анна Смирнова: firm\nI9:\n  Speaker 1: client\n', encoding="utf-8")
    assert load_speaker_map(path) == {"*": {"анна смирнова": "firm"}, "I9": {"speaker 1": "client"}}
    with _no_warning():
        out = attribute_speakers(_utterances("I1", DIALOGUE), speaker_map=path)
    assert out["is_client"].sum() == 3


@pytest.mark.parametrize(
    "body, message",
    [
        (
            "I1:\n  Олег: customer\n",
            r"speaker 'Олег' of 'I1' must be one of \['client', 'firm'\] \(got 'customer'\)",
        ),
        ("I1: [Олег]\n", r"entry 'I1' must map speakers"),
        ("- a\n", r"a speaker map must map interview ids"),
    ],
)
def test_bad_speaker_map(tmp_path, body, message):
    path = tmp_path / "map.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(SchemaError, match=message):
        load_speaker_map(path)


def test_missing_speaker_map_file(tmp_path):
    with pytest.raises(SchemaError, match=r"speaker map file not found"):
        load_speaker_map(tmp_path / "none.yaml")


@pytest.mark.parametrize(
    "labels, client",
    [
        (("Интервьюер", "Клиент"), [False, True, False, True]),
        (("Interviewer 1", "Speaker 2"), [False, True, False, True]),
        (("Moderator", "CTO (Acme)"), [False, True, False, True]),
        (("Speaker 1", "Заказчик"), [False, True, False, True]),
        (("Q", "A"), [False, True, False, True]),
        (("В", "О"), [False, True, False, True]),
    ],
)
def test_role_labels_are_known_sides(labels, client):
    firm, other = labels
    turns = [(firm, "Как дела?"), (other, "Хорошо."), (firm, "А сроки?"), (other, "Держат.")]
    with _no_warning():
        out = attribute_speakers(_utterances("I2", turns))
    assert out["is_client"].tolist() == client
    assert not out["speaker_inferred"].any()


def test_without_information_the_questioner_is_the_interviewer():
    turns = [
        ("Speaker 1", "Hi, thanks for joining."),
        ("Speaker 2", "Hello! Can you hear me?"),
        ("Speaker 1", "Yes. How is the team doing? Any issues with deadlines?"),
        ("Speaker 2", "The team is great, deadlines are fine."),
        ("Speaker 1", "And reports?"),
    ]
    with pytest.warns(
        InferredSpeakerWarning, match=r"I3: 'Speaker 1' taken as the interviewer \(3 questions\)"
    ):
        out = attribute_speakers(_utterances("I3", turns))
    assert out["is_client"].tolist() == [False, True, False, True, False]
    assert out["speaker_inferred"].all()


def test_unmatched_interviewer_is_inferred_and_says_why():
    turns = [("Speaker 1", "Как дела?"), ("Speaker 2", "Всё хорошо.")]
    with pytest.warns(InferredSpeakerWarning, match=r"interviewer 'анна' is not among the speakers"):
        out = attribute_speakers(_utterances("I1", turns), _interviews(interviewer="Анна"))
    assert out["is_client"].tolist() == [False, True]


def test_tie_goes_to_the_first_speaker_and_lone_speaker_is_the_client():
    turns = [("Ира", "Добрый день."), ("Петя", "Здравствуйте.")]
    lone = [("Олег", "Всё хорошо."), ("Олег", "Сроки держат?")]
    frame = pd.concat([_utterances("T", turns), _utterances("L", lone)], ignore_index=True)
    with pytest.warns(InferredSpeakerWarning, match=r"for 2 interview\(s\).*the only speaker 'Олег'"):
        out = attribute_speakers(frame)
    assert out["is_client"].tolist() == [False, True, True, True]


def test_no_speaker_labels_questions_are_the_interviewers():
    turns = [
        (None, "How satisfied are you with the team?"),
        (None, "Very, but invoices come late."),
        (None, "Ok."),
    ]
    with pytest.warns(InferredSpeakerWarning, match=r"no speaker labels"):
        out = attribute_speakers(_utterances("W", turns))
    assert out["is_client"].tolist() == [False, True, True]
    assert out["speaker_inferred"].all()


def test_input_is_not_modified():
    frame = _utterances("I1", DIALOGUE)
    attribute_speakers(frame, _interviews(interviewer="Анна"))
    assert "is_client" not in frame


def test_speaker_key():
    assert speaker_key("  Пётр  Ёлкин (Acme) ") == "петр елкин"
