"""Spoken ratings: every form of the issue and its English or Russian twin, plus numbers that are not ratings."""

import math

import pandas as pd
import pytest

from outstaff_analysis.csi.ratings import RATING_COLUMNS, extract_ratings, find_ratings, named_scale

# (text, quote, value, scale): the forms first, then their twins and other common phrasings
RUSSIAN = [
    ("Я бы оценил вас на восемь из десяти.", "оценил вас на восемь из десяти", 8, 10),
    ("Ну, на восемь из десяти.", "восемь из десяти", 8, 10),
    ("8/10, без вопросов.", "8/10", 8, 10),
    ("Это твёрдая четвёрка, не больше.", "Это твёрдая четвёрка", 4, 5),
    ("За скорость твердая четверка.", "твердая четверка", 4, 5),
    ("Дам вам девятку.", "Дам вам девятку", 9, 10),
    ("По качеству я бы дал девять.", "дал девять", 9, 10),
    ("Девять из десяти.", "Девять из десяти", 9, 10),
    ("5 баллов из 5!", "5 баллов из 5", 5, 5),
    ("Пять баллов из пяти.", "Пять баллов из пяти", 5, 5),
    ("Сервис — это десятка.", "это десятка", 10, 10),
    ("Честно? Твёрдая десятка.", "Твёрдая десятка", 10, 10),
    ("Оценю на семёрку.", "Оценю на семёрку", 7, 10),
    ("Оцениваю на семерку, не выше.", "Оцениваю на семерку", 7, 10),
    ("Семь из десяти.", "Семь из десяти", 7, 10),
    ("Поставил бы вашей команде твёрдую восьмёрку.", "Поставил бы вашей команде твёрдую восьмёрку", 8, 10),
    ("Ставлю 4 из 5.", "Ставлю 4 из 5", 4, 5),
    ("Моя оценка — восемь.", "оценка — восемь", 8, 10),
    ("По шкале от одного до десяти — где-то восемь.", "По шкале от одного до десяти — где-то восемь", 8, 10),
    ("По десятибалльной шкале я бы сказал девять.", "По десятибалльной шкале я бы сказал девять", 9, 10),
    ("По пятибалльной шкале поставлю четыре.", "поставлю четыре", 4, 5),
    ("Восемь с половиной из десяти.", "Восемь с половиной из десяти", 8.5, 10),
    ("Оцениваю в 8 баллов.", "Оцениваю в 8 баллов", 8, 10),
    ("7,5/10 за коммуникацию.", "7,5/10", 7.5, 10),
    ("Десять из десяти, молодцы.", "Десять из десяти", 10, 10),
    ("Вы тянете на восьмёрку.", "тянете на восьмёрку", 8, 10),
    ("Пять звёзд из пяти.", "Пять звёзд из пяти", 5, 5),
    ("90 из 100, не меньше.", "90 из 100", 90, 100),
    ("Восемь из десяти возможных.", "Восемь из десяти", 8, 10),
    ("Поставлю восемь ребятам.", "Поставлю восемь", 8, 10),
    ("Дал бы вам честную семёрку.", "Дал бы вам честную семёрку", 7, 10),
    ("На шестёрку, не больше.", "На шестёрку", 6, 10),
    ("По пятибалльной — четыре с плюсом.", "По пятибалльной — четыре", 4, 5),
    ("Оценил бы в девятку.", "Оценил бы в девятку", 9, 10),
    ("Моя оценка — 7 из 10.", "оценка — 7 из 10", 7, 10),
    ("Ну, это такая крепкая четвёрка.", "крепкая четвёрка", 4, 5),
    ("Девять баллов, честно.", "Девять баллов", 9, 10),
    ("Восьмёрка от меня.", "Восьмёрка от меня", 8, 10),
    ("Честно? Где-то семь из десяти.", "семь из десяти", 7, 10),
    ("Оценил бы вашу работу на твёрдую восьмёрку.", "Оценил бы вашу работу на твёрдую восьмёрку", 8, 10),
    ("Я бы поставил пятёрку, без вопросов.", "поставил пятёрку", 5, 5),
    ("Думаю, 9 баллов заслуженно.", "9 баллов", 9, 10),
]

ENGLISH = [
    ("I'd give you an eight out of ten.", "give you an eight out of ten", 8, 10),
    ("8/10, no question.", "8/10", 8, 10),
    ("For speed, a solid B.", "a solid B", 4, 5),
    ("I'd give it a solid four out of five.", "give it a solid four out of five", 4, 5),
    ("I'd give you a 9.", "give you a 9", 9, 10),
    ("Nine out of ten.", "Nine out of ten", 9, 10),
    ("9 out of 10 for quality.", "9 out of 10", 9, 10),
    ("5 points out of 5!", "5 points out of 5", 5, 5),
    ("Five points out of five.", "Five points out of five", 5, 5),
    ("Service is a perfect ten.", "a perfect ten", 10, 10),
    ("I'd rate you a seven.", "rate you a seven", 7, 10),
    ("7 out of 10.", "7 out of 10", 7, 10),
    ("I would rate you an 8.", "rate you an 8", 8, 10),
    ("I'd give your team a strong 8.", "give your team a strong 8", 8, 10),
    ("I'd give you guys 5 stars.", "give you guys 5 stars", 5, 5),
    ("On a scale of 1 to 10, I'd say 8.", "On a scale of 1 to 10, I'd say 8", 8, 10),
    ("On a ten-point scale, about an eight.", "On a ten-point scale, about an eight", 8, 10),
    ("On a 5-point scale I'd give you a 4.", "give you a 4", 4, 5),
    ("My rating: 8.", "rating: 8", 8, 10),
    ("Eight and a half out of ten.", "Eight and a half out of ten", 8.5, 10),
    ("I'd rate the team at 7.5 out of 10.", "rate the team at 7.5 out of 10", 7.5, 10),
    ("10/10 would recommend.", "10/10", 10, 10),
    ("Ten out of ten, great job.", "Ten out of ten", 10, 10),
    ("You deserve a nine.", "deserve a nine", 9, 10),
    ("I'd grade you a B+.", "grade you a B", 4, 5),
    ("90 out of 100, easily.", "90 out of 100", 90, 100),
    ("My score would be an eight.", "score would be an eight", 8, 10),
    ("I'd give you an honest seven.", "give you an honest seven", 7, 10),
    ("Overall 8 points out of 10.", "8 points out of 10", 8, 10),
    ("Honestly, somewhere around a seven out of ten.", "seven out of ten", 7, 10),
    ("An 8 from me.", "8 from me", 8, 10),
    ("Five stars, no doubt.", "Five stars", 5, 5),
    ("I'd put you at an 8.", "put you at an 8", 8, 10),
    ("Probably an eight out of ten.", "eight out of ten", 8, 10),
    ("I'd rate the team a solid seven.", "rate the team a solid seven", 7, 10),
    ("Four stars out of five.", "Four stars out of five", 4, 5),
    ("Honestly, I'd give you guys a ten.", "give you guys a ten", 10, 10),
]

NOT_RATINGS = [
    ("ru", "8 из 10 разработчиков уходят в первые три месяца."),
    ("ru", "В 8 из 10 случаев всё ок."),
    ("ru", "Восемь из десяти наших разработчиков довольны."),
    ("ru", "Дали нам 2 недели на онбординг."),
    ("ru", "Созвон 10/12 в 15:00."),
    ("ru", "Релиз перенесли на 8/10."),
    ("ru", "Срок до 8/10."),
    ("ru", "Релиз 08/10/2024."),
    ("ru", "Поставили задачу на 8 часов."),
    ("ru", "Десятка лучших компаний."),
    ("ru", "Попали в десятку!"),
    ("ru", "Единица измерения — часы."),
    ("ru", "Оценили проект в 10 миллионов."),
    ("ru", "Готово на 90%."),
    ("ru", "Команда из пяти человек."),
    ("ru", "Встреча в 10:30, потом ещё одна."),
    ("ru", "Дайте нам 2-3 дня."),
    ("ru", "Закрыли 7 из 10 задач спринта."),
    ("ru", "Из 10 кандидатов подошли двое."),
    ("ru", "Увеличили команду на единицу."),
    ("ru", "Перешли на тройку серверов."),
    ("ru", "Первая пятёрка задач готова."),
    ("ru", "Стоимость нас устраивает, это одна из причин, почему мы с вами."),
    ("en", "In 2 out of 10 sprints we missed the deadline."),
    ("en", "8 out of 10 developers leave in the first year."),
    ("en", "They gave us 2 weeks."),
    ("en", "The rate went up by 10."),
    ("en", "Our hourly rate is 50."),
    ("en", "Plan B is fine."),
    ("en", "Meeting on 10/12."),
    ("en", "The release is due 8/10."),
    ("en", "We have a 10 person team."),
    ("en", "Give it 2 days."),
    ("en", "A team of 5."),
    ("en", "A solid team, really."),
    ("en", "Give us 2-3 days."),
    ("en", "We closed 7 out of 10 tickets."),
    ("en", "3 out of 5 of our developers are remote."),
    ("en", "I'd give you a call tomorrow."),
    ("ru", "У нас два проекта с вами."),
    ("ru", "Релиз в 18:00."),
    ("ru", "Из пяти задач сделали три."),
    ("ru", "Это первая из десяти итераций."),
    ("en", "We have 2 out of 3 environments ready."),
    ("en", "The invoice was 10/12 days late."),
    ("en", "Give me five minutes."),
    ("en", "Top 10 vendors."),
]


@pytest.mark.parametrize("text, quote, value, scale", RUSSIAN, ids=[t for t, *_ in RUSSIAN])
def test_russian_forms(text, quote, value, scale):
    assert find_ratings(text, language="ru") == [(quote, value, scale)]


@pytest.mark.parametrize("text, quote, value, scale", ENGLISH, ids=[t for t, *_ in ENGLISH])
def test_english_forms(text, quote, value, scale):
    assert find_ratings(text, language="en") == [(quote, value, scale)]


@pytest.mark.parametrize("language, text", NOT_RATINGS, ids=[t for _, t in NOT_RATINGS])
def test_numbers_that_are_not_ratings(language, text):
    assert find_ratings(text, language=language) == []


@pytest.mark.parametrize("form", ["восемь", "восьми", "восемью", "8"])
def test_russian_case_forms(form):
    assert find_ratings(f"Оцениваю на {form} из десяти.", language="ru")[0][1:] == (8.0, 10.0)


@pytest.mark.parametrize("form", ["восьмёрка", "восьмерка", "восьмёрку", "восьмеркой", "восьмёрки"])
def test_grade_noun_forms(form):
    assert find_ratings(f"Твёрдая {form}.", language="ru")[0][1:] == (8.0, 10.0)


def test_several_ratings_in_one_utterance():
    text = "За качество восемь из десяти, а за скорость — твёрдая четвёрка. В целом дам девятку."
    assert find_ratings(text, language="ru") == [
        ("восемь из десяти", 8.0, 10.0),
        ("твёрдая четвёрка", 4.0, 5.0),
        ("дам девятку", 9.0, 10.0),
    ]


def test_value_above_the_scale_is_not_a_rating():
    assert find_ratings("12 из 10!", language="ru") == []
    assert find_ratings("I'd give you a 12.", language="en") == []


def test_unknown_language():
    with pytest.raises(ValueError, match=r"`language` must be one of \['ru', 'en'\], but 'de'"):
        find_ratings("8/10", language="de")


def test_extract_ratings_frame_keeps_client_speech_and_normalises():
    utterances = pd.DataFrame(
        {
            "interview_id": ["I1", "I1", "I1", "I2"],
            "utterance_no": [0, 1, 2, 0],
            "speaker": ["Анна", "Олег", "Олег", "Client"],
            "start": [0.0, 5.0, float("nan"), 1.5],
            "text": [
                "Вы сказали восемь из десяти?",
                "Да, восемь из десяти. А за скорость — твёрдая четвёрка.",
                "Больше нечего добавить.",
                "I'd give you guys a 9.",
            ],
            "is_client": [False, True, True, True],
        }
    )
    ratings = extract_ratings(utterances)
    assert tuple(ratings.columns) == RATING_COLUMNS
    assert ratings[["interview_id", "utterance_no", "speaker", "quote"]].values.tolist() == [
        ["I1", 1, "Олег", "восемь из десяти"],
        ["I1", 1, "Олег", "твёрдая четвёрка"],
        ["I2", 0, "Client", "give you guys a 9"],
    ]
    assert ratings["score_10"].tolist() == pytest.approx([8.0, 8.0, 9.0], abs=1e-12)
    assert ratings["scale"].tolist() == [10.0, 5.0, 10.0]
    assert ratings["start"].tolist() == [5.0, 5.0, 1.5]
    for row in ratings.itertuples():
        text = utterances.loc[
            (utterances["interview_id"] == row.interview_id)
            & (utterances["utterance_no"] == row.utterance_no),
            "text",
        ]
        assert row.quote in text.iloc[0]


def test_extract_ratings_uses_the_language_column():
    utterances = pd.DataFrame(
        {
            "interview_id": ["I1"],
            "utterance_no": [0],
            "speaker": [None],
            "start": [math.nan],
            "text": ["Nine out of ten, ребята."],
            "language": ["en"],
        }
    )
    assert extract_ratings(utterances)["value"].tolist() == [9.0]


def test_no_ratings_gives_an_empty_frame_with_dtypes():
    utterances = pd.DataFrame(
        {
            "interview_id": ["I1"],
            "utterance_no": [0],
            "speaker": ["A"],
            "start": [0.0],
            "text": ["Всё хорошо."],
        }
    )
    ratings = extract_ratings(utterances)
    assert ratings.empty and tuple(ratings.columns) == RATING_COLUMNS
    assert ratings["score_10"].dtype == "float64" and ratings["utterance_no"].dtype == "int64"


# --- the question before the answer ---------------------------------------------------------------------------


def _dialogue(turns, language):
    return pd.DataFrame(
        {
            "interview_id": "I1",
            "utterance_no": range(len(turns)),
            "speaker": [speaker for speaker, _ in turns],
            "start": float("nan"),
            "text": [text for _, text in turns],
            "is_client": [speaker == "C" for speaker, _ in turns],
            "language": language,
        }
    )


@pytest.mark.parametrize(
    "question, answer, expected",
    [
        (
            "По шкале от нуля до десяти — насколько вы нами довольны?",
            "Твёрдая пятёрка, пожалуй.",
            (5.0, 10.0),
        ),
        ("По шкале от нуля до десяти — насколько вы нами довольны?", "Ну, семь, наверное.", (7.0, 10.0)),
        (
            "Если оценить по десятибалльной шкале, сколько бы поставили?",
            "Восемь. Могло быть и лучше.",
            (8.0, 10.0),
        ),
        ("По шкале от нуля до десяти?", "Если по пятибалльной, то твёрдая четвёрка.", (4.0, 5.0)),
        ("По пятибалльной шкале как оцените?", "Четыре.", (4.0, 5.0)),
    ],
)
def test_the_question_sets_the_scale_of_the_answer_ru(question, answer, expected):
    ratings = extract_ratings(_dialogue([("A", question), ("C", answer)], "ru"))
    assert [(row.value, row.scale) for row in ratings.itertuples()] == [expected]


@pytest.mark.parametrize(
    "question, answer, expected",
    [
        ("If you rated our work from 0 to 10, what would it be?", "Seven, I guess.", (7.0, 10.0)),
        (
            "Last question: on a scale from zero to ten, how satisfied are you?",
            "Maybe 8, honestly.",
            (8.0, 10.0),
        ),
        ("On a five-point scale, how would you rate us?", "Four.", (4.0, 5.0)),
        ("How would you rate us, out of 10?", "A solid B.", (4.0, 5.0)),
    ],
)
def test_the_question_sets_the_scale_of_the_answer_en(question, answer, expected):
    ratings = extract_ratings(_dialogue([("A", question), ("C", answer)], "en"))
    assert [(row.value, row.scale) for row in ratings.itertuples()] == [expected]


@pytest.mark.parametrize(
    "turns, language",
    [
        ([("A", "Как вам команда?"), ("C", "Ну, семь, наверное.")], "ru"),  # no scale was asked for
        (
            [("A", "По шкале от нуля до десяти?"), ("C", "Сложно сказать. Семь или восемь.")],
            "ru",
        ),  # not first
        ([("A", "By the way, from 1 to 10 people?"), ("C", "We have 5 developers.")], "en"),  # counted noun
        (
            [("A", "From 0 to 10?"), ("A", "Or maybe 9?"), ("C", "Hard to say.")],
            "en",
        ),  # the question is not client speech
    ],
)
def test_bare_numbers_need_a_question_that_names_a_scale(turns, language):
    assert extract_ratings(_dialogue(turns, language)).empty


def test_named_scale():
    assert named_scale("По шкале от нуля до десяти — насколько вы нами довольны?", language="ru") == 10.0
    assert named_scale("По пятибалльной?", language="ru") == 5.0
    assert named_scale("On a scale of 1 to 5?", language="en") == 5.0
    assert named_scale("From 0 to 12?", language="en") is None
    assert named_scale("How was the quarter?", language="en") is None
