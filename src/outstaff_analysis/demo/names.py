"""Name banks of the demo firm: people (Russian and English) and companies.

Pickers are vectorised: they take an rng and a count and return object arrays of ``str``.
"""

from __future__ import annotations

import numpy as np

RU_MALE_FIRST = (
    "Александр",
    "Алексей",
    "Андрей",
    "Антон",
    "Артём",
    "Борис",
    "Вадим",
    "Виктор",
    "Владимир",
    "Глеб",
    "Денис",
    "Дмитрий",
    "Евгений",
    "Егор",
    "Иван",
    "Игорь",
    "Илья",
    "Кирилл",
    "Константин",
    "Максим",
    "Михаил",
    "Никита",
    "Николай",
    "Олег",
    "Павел",
    "Роман",
    "Руслан",
    "Сергей",
    "Станислав",
    "Тимур",
    "Фёдор",
    "Юрий",
    "Ярослав",
)
RU_FEMALE_FIRST = (
    "Алина",
    "Алёна",
    "Анастасия",
    "Анна",
    "Валерия",
    "Вера",
    "Виктория",
    "Дарья",
    "Екатерина",
    "Елена",
    "Жанна",
    "Ирина",
    "Ксения",
    "Лариса",
    "Мария",
    "Марина",
    "Надежда",
    "Наталья",
    "Ольга",
    "Полина",
    "Светлана",
    "София",
    "Татьяна",
    "Юлия",
)
RU_SURNAME_STEMS = (
    "Соколов",
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
    "Павлов",
    "Козлов",
    "Степанов",
    "Николаев",
    "Орлов",
    "Андреев",
    "Макаров",
    "Никитин",
    "Захаров",
    "Зайцев",
    "Соловьёв",
    "Борисов",
    "Яковлев",
    "Григорьев",
    "Романов",
    "Воробьёв",
    "Сергеев",
    "Кириллов",
    "Тарасов",
    "Белов",
    "Комаров",
    "Медведев",
    "Антонов",
    "Жуков",
    "Баранов",
    "Филиппов",
    "Гусев",
    "Титов",
    "Калинин",
    "Ильин",
    "Голубев",
)
EN_MALE_FIRST = (
    "John",
    "Michael",
    "David",
    "James",
    "Robert",
    "Daniel",
    "Thomas",
    "Mark",
    "Paul",
    "Steven",
    "Andrew",
    "Peter",
    "Lukas",
    "Jonas",
    "Marco",
    "Tom",
    "Oliver",
    "Ethan",
)
EN_FEMALE_FIRST = (
    "Sarah",
    "Emily",
    "Laura",
    "Anna",
    "Jessica",
    "Emma",
    "Hannah",
    "Olivia",
    "Sophie",
    "Rachel",
    "Megan",
    "Julia",
    "Claire",
    "Lisa",
)
EN_SURNAMES = (
    "Miller",
    "Smith",
    "Johnson",
    "Brown",
    "Wilson",
    "Taylor",
    "Anderson",
    "Clark",
    "Lewis",
    "Walker",
    "Young",
    "King",
    "Wright",
    "Green",
    "Baker",
    "Müller",
    "Schmidt",
    "Novak",
    "Fischer",
    "Rossi",
    "Jansen",
    "Cohen",
    "Evans",
    "Hughes",
)

RU_COMPANY_ROOTS = (
    "Север",
    "Вектор",
    "Альфа",
    "Гранит",
    "Ладога",
    "Сибирь",
    "Волга",
    "Меридиан",
    "Орбита",
    "Кедр",
    "Атлас",
    "Байкал",
    "Полюс",
    "Нева",
    "Урал",
    "Спектр",
    "Сфера",
    "Горизонт",
    "Феникс",
    "Квант",
    "Амур",
    "Алтай",
    "Простор",
    "Маяк",
)
EN_COMPANY_ROOTS = (
    "Blue",
    "North",
    "Bright",
    "Iron",
    "Silver",
    "Clear",
    "Swift",
    "Harbor",
    "Summit",
    "Atlas",
    "Nova",
    "Pine",
    "Orbit",
    "Vertex",
    "Cedar",
    "Lumen",
)
INDUSTRY_SUFFIXES = {
    "fintech": (("Пэй", "Финанс", "Кредит"), ("Pay", "Finance", "Capital")),
    "banking": (("Банк", "Инвест", "Капитал"), ("Bank", "Invest", "Trust")),
    "retail": (("Маркет", "Ритейл", "Трейд"), ("Market", "Retail", "Stores")),
    "e-commerce": (("Шоп", "Маркет", "Онлайн"), ("Shop", "Commerce", "Cart")),
    "telecom": (("Телеком", "Связь", "Нет"), ("Telecom", "Net", "Mobile")),
    "logistics": (("Логистик", "Транс", "Карго"), ("Logistics", "Freight", "Cargo")),
    "healthcare": (("Мед", "Клиник", "Фарм"), ("Health", "Care", "Med")),
    "edtech": (("Скул", "Обучение", "Академия"), ("Learn", "Academy", "School")),
    "media": (("Медиа", "Видео", "Музыка"), ("Media", "Studio", "Stream")),
    "gamedev": (("Геймс", "Плей", "Студия"), ("Games", "Play", "Interactive")),
    "manufacturing": (("Пром", "Завод", "Металл"), ("Industries", "Works", "Steel")),
    "insurance": (("Страх", "Гарант", "Полис"), ("Insurance", "Assurance", "Cover")),
}
"""Industry -> (Russian suffixes, English suffixes) of company names."""

RU_LEGAL = {"startup": ("ООО",), "mid-market": ("ООО", "АО"), "enterprise": ("АО", "ПАО", "ООО")}
"""Russian legal forms by segment (a start-up is not a public company)."""
EN_LEGAL = ("Ltd", "Inc.", "GmbH", "B.V.", "LLC")


def _pick(rng: np.random.Generator, bank: tuple[str, ...], n: int) -> np.ndarray:
    return np.asarray(bank, dtype=object)[rng.integers(0, len(bank), n)]


def person_names(
    rng: np.random.Generator, n: int, *, english: np.ndarray | bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Full names ``"First Last"`` and a female flag; Russian unless ``english`` is set for that row."""
    english = np.broadcast_to(np.asarray(english, dtype=bool), (n,))
    female = rng.random(n) < 0.45
    ru_first = np.where(female, _pick(rng, RU_FEMALE_FIRST, n), _pick(rng, RU_MALE_FIRST, n))
    stems = _pick(rng, RU_SURNAME_STEMS, n)
    ru_last = np.where(female, stems + "а", stems)
    en_first = np.where(female, _pick(rng, EN_FEMALE_FIRST, n), _pick(rng, EN_MALE_FIRST, n))
    en_last = _pick(rng, EN_SURNAMES, n)
    names = np.where(english, en_first + " " + en_last, ru_first + " " + ru_last)
    return names.astype(object), female


def company_names(
    rng: np.random.Generator, industry: np.ndarray, segment: np.ndarray, english: np.ndarray
) -> np.ndarray:
    """Company names matching each industry and segment; duplicates get a number appended."""
    n = len(industry)
    ru_root = _pick(rng, RU_COMPANY_ROOTS, n)
    en_root = _pick(rng, EN_COMPANY_ROOTS, n)
    which = rng.integers(0, 3, n)
    ru_suffix = np.array([INDUSTRY_SUFFIXES[ind][0][k] for ind, k in zip(industry, which)], dtype=object)
    en_suffix = np.array([INDUSTRY_SUFFIXES[ind][1][k] for ind, k in zip(industry, which)], dtype=object)
    legal = np.array(
        [RU_LEGAL[seg][k % len(RU_LEGAL[seg])] for seg, k in zip(segment, rng.integers(0, 6, n))]
    )
    ru = legal.astype(object) + " «" + ru_root + ru_suffix + "»"
    en = en_root + " " + en_suffix + " " + _pick(rng, EN_LEGAL, n)
    names = np.where(english, en, ru).astype(object)
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            names[i] = f"{name} {seen[name]}"
    return names
