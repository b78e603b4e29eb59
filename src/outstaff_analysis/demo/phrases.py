"""Phrase banks of the demo interviews (Russian and English).

Clauses are written lower-case and without final punctuation so that
:mod:`~outstaff_analysis.demo.dialogue` can join them with openers and contrasts.  Per factor:
``ask`` (the interviewer's questions), ``pos2``/``pos1`` (very / fairly satisfied), ``meh``
(neither), ``neg1``/``neg2`` (fairly / very unhappy).  ``{f}`` marks a Russian feminine
ending ("понял{f}" -> "поняла" when a woman speaks).  Negation is spread on purpose
("не очень быстро", "not slow at all"), as is the RU/EN IT jargon of real calls.
"""

from __future__ import annotations

RU = {
    "quality": {
        "ask": (
            "Как вы оцениваете качество работы наших ребят?",
            "Что скажете про качество кода и технических решений?",
            "Довольны ли вы результатом работы специалистов?",
            "Как по качеству — есть претензии к тому, что делают наши разработчики?",
        ),
        "pos2": (
            "качество кода отличное, на code review почти нет замечаний",
            "ребята пишут очень чистый код, наш тимлид ими доволен",
            "по качеству претензий нет вообще, релизы выходят без багов",
            "архитектурные решения продуманные, видно, что люди с опытом",
            "после прихода вашего бэкендера прод стал заметно стабильнее",
            "тесты пишут сами, покрытие выросло, и это прямо чувствуется",
            "это лучшие разработчики из всех подрядчиков, с которыми мы работали",
        ),
        "pos1": (
            "в целом качество хорошее",
            "код нормальный, на ревью замечания бывают, но мелкие",
            "задачи делают аккуратно",
            "багов после деплоя стало меньше",
            "по качеству всё достаточно ровно",
            "технически ребята сильные",
            "к коду особых претензий нет",
        ),
        "meh": (
            "по качеству — нормально, без восторгов",
            "качество обычное, как у всех",
            "код как код, ничего выдающегося",
        ),
        "neg1": (
            "качество не всегда стабильное",
            "на code review возвращаем задачи чаще, чем хотелось бы",
            "иногда приходится переделывать за ними",
            "тесты пишут не очень охотно",
            "бывают мелкие баги после деплоя",
            "по качеству пока не дотягивают до нашего уровня",
        ),
        "neg2": (
            "качество кода, честно, слабое, половину пулл-реквестов мы отклоняем",
            "после их релизов мы по два дня чиним прод",
            "код приходится переписывать, так никуда не годится",
            "ошибки элементарные, как будто никто не тестирует",
            "наш тимлид уже отказывается ревьюить их код",
            "качество работы нас серьёзно не устраивает",
        ),
    },
    "service": {
        "ask": (
            "Как вам наша коммуникация и сервис?",
            "Насколько удобно с нами взаимодействовать — отвечаем ли мы вовремя, хватает ли отчётов?",
            "Что скажете про работу аккаунт-менеджера?",
            "Как вам организация работы с нашей стороны — созвоны, отчёты, связь?",
        ),
        "pos2": (
            "коммуникация выстроена отлично, отвечаете буквально за пару минут",
            "аккаунт всегда на связи, все вопросы решаются в тот же день",
            "отчёты приходят регулярно, всё прозрачно",
            "очень ценю, что вы сами задаёте уточняющие вопросы",
            "с сервисом у вас всё на высоте, лучше, чем у крупных вендоров",
            "еженедельные созвоны реально помогают, мы всегда в курсе",
        ),
        "pos1": (
            "на сообщения отвечаете быстро",
            "со связью в целом всё нормально",
            "отчёты присылаете, спасибо",
            "менеджер в курсе наших задач",
            "никаких проблем с коммуникацией нет",
            "если что-то нужно, до вас легко достучаться",
        ),
        "meh": (
            "по коммуникации — нормально, рабочий режим",
            "связь обычная, без сюрпризов",
            "с менеджером общаемся по необходимости, жалоб нет, но и восторгов тоже",
        ),
        "neg1": (
            "отвечаете не очень быстро, иногда ждём по полдня",
            "отчёты приходят нерегулярно",
            "иногда приходится по два раза напоминать",
            "созвонов стало меньше, чем раньше",
            "не всегда понятно, кто у вас отвечает за наш проект",
            "на вопросы отвечают как-то формально",
        ),
        "neg2": (
            "на сообщения отвечают с большой задержкой, приходится звонить",
            "коммуникация нас совсем не устраивает",
            "менеджер пропадает, статус по задачам узнаём последними",
            "обещали созвоны каждую неделю, а по факту их нет",
        ),
        "red_flags": (
            "отвечают раз в сутки, и это в лучшем случае",
            "на любой вопрос приходит шаблонный ответ, как будто от бота",
            "отчётов мы не видели уже месяца два",
            "встречи сначала были каждую неделю, а теперь раз в месяц, если повезёт",
            "контактное лицо вообще не технарь, по архитектуре с ним разговаривать бесполезно",
            "уточняющих вопросов никто не задаёт, делают как поняли",
            "до менеджера невозможно дозвониться, пишем как в пустоту",
        ),
    },
    "price": {
        "ask": (
            "Как вы смотрите на стоимость наших услуг?",
            "Устраивают ли вас ставки?",
            "По бюджету всё в порядке?",
        ),
        "pos2": (
            "по деньгам вы одни из самых адекватных на рынке",
            "цена полностью оправдана, мы считали",
            "ставки честные, за эти деньги такое качество — редкость",
            "по бюджету всё отлично, укладываемся с запасом",
        ),
        "pos1": (
            "цены нормальные, рыночные",
            "по ставкам вопросов нет",
            "в бюджет укладываемся",
            "стоимость приемлемая",
        ),
        "meh": (
            "по цене — как у всех, ни дёшево, ни дорого",
            "ставки средние по рынку",
        ),
        "neg1": (
            "дороговато, если честно",
            "ставки выросли, а результат тот же",
            "финдиректор уже задаёт вопросы по бюджету",
            "не сказал{f} бы, что это дёшево, особенно за сеньоров",
        ),
        "neg2": (
            "ставки завышены, мы смотрим другие предложения",
            "за такие деньги мы ожидали совсем другого уровня",
            "очередное повышение ставок для нас неприемлемо",
            "по цене вы сильно дороже конкурентов",
        ),
    },
    "speed": {
        "ask": (
            "Как со скоростью — и по задачам, и по закрытию вакансий?",
            "Укладываемся ли мы в сроки?",
            "Насколько быстро мы закрываем ваши запросы?",
        ),
        "pos2": (
            "вакансии закрываете очень быстро, кандидатов показали уже через два дня",
            "задачи делаются быстрее, чем мы планировали",
            "работают вообще не медленно, наоборот, спринты закрываем досрочно",
            "релизы выходят точно в срок",
        ),
        "pos1": (
            "по срокам в основном укладываемся",
            "вакансии закрываете в разумные сроки",
            "темп нормальный",
            "задачи двигаются, спринты закрываем",
        ),
        "meh": (
            "по скорости — терпимо",
            "сроки как сроки, где-то быстрее, где-то медленнее",
        ),
        "neg1": (
            "не очень быстро, если честно, вакансию закрывали почти месяц",
            "сроки иногда съезжают",
            "задачи в спринте иногда не успевают",
            "кандидатов показываете медленнее, чем хотелось бы",
        ),
        "neg2": (
            "дедлайны срываются постоянно",
            "по срокам всё очень плохо, релиз перенесли уже трижды",
            "вакансию под нас закрывали три месяца, это неприемлемо",
            "бэклог только растёт, ничего не успевают",
        ),
    },
    "team": {
        "ask": (
            "Как команда — стабильна, ребята вписались?",
            "Что скажете о составе команды, не было ли проблем с заменами?",
            "Как вам стабильность команды?",
        ),
        "pos2": (
            "команда стабильная, все на проекте с самого начала",
            "ребята отлично вписались в команду, как будто наши сотрудники",
            "с людьми повезло, уходить никто не собирается",
            "тимлид у вас сильный, команду держит",
        ),
        "pos1": (
            "команда в целом стабильная",
            "ребята хорошие, вписались нормально",
            "онбординг прошёл без проблем",
            "замен почти не было",
        ),
        "meh": (
            "по команде — нормально, люди работают",
            "состав меняется, но в пределах разумного",
        ),
        "neg1": (
            "люди меняются чаще, чем хотелось бы",
            "каждая замена — это снова онбординг",
            "новенькому пока тяжело влиться",
            "один разработчик явно выгорел",
        ),
        "neg2": (
            "текучка просто ужасная, команды по сути нет",
            "за полгода у нас сменилось три разработчика на одной позиции",
            "людей меняют постоянно, никакой стабильности",
        ),
        "red_flags": (
            "людей меняют каждые два месяца, только введём в курс — и человек уходит",
            "опять ушёл человек на втором месяце, мы устали от замен",
            "за полгода на одной позиции сменилось три человека, каждый раз онбординг заново",
        ),
    },
    "openers": (
        "",
        "",
        "",
        "Честно говоря, ",
        "Если коротко, ",
        "Ну смотрите, ",
        "Скажу так: ",
        "Да, ",
        "Хм. ",
    ),
    "contrast": (", но ", ", но при этом ", ". Правда, "),
    "concession": ("Хотя, справедливости ради, ", "При этом ", "Но надо сказать, что "),
    "greet": (
        "Добрый день, {first}! Спасибо, что нашли время. Давайте коротко обсудим, как идёт работа.",
        "Здравствуйте, {first}! Как договаривались — небольшой созвон по итогам квартала.",
        "{first}, добрый день! Хочется сверить часы: что получается, а что стоит поправить.",
    ),
    "greet_back": (
        "Добрый день. Да, давайте.",
        "Здравствуйте! Да, конечно.",
        "Привет. Да, у меня есть полчаса.",
    ),
    "small_talk": (
        ("Как у вас дела, как настроение?", "Да нормально, конец квартала, сами понимаете, суета."),
        ("Вы уже были в отпуске этим летом?", "Пока нет, планирую в сентябре, на море."),
        ("Видел{f}, вы переехали в новый офис?", "Да, на прошлой неделе, ещё коробки не все разобрали."),
        ("Погода сегодня, конечно...", "Да уж, весь день дождь."),
        ("Были на конференции в прошлом месяце?", "Заглянул{f} на один день, послушал{f} пару докладов."),
        ("Как выходные прошли?", "Спокойно, на даче были."),
    ),
    "introduce": (
        "Кстати, со мной коллега, {name}, отвечает у нас за разработку.",
        "К звонку подключился наш руководитель разработки — {name}.",
        "Со мной на связи {name}, наш продакт.",
    ),
    "hello_all": ("Всем привет.", "Добрый день!", "Здравствуйте, коллеги."),
    "plans_ask": ("Какие планы на следующий квартал?", "Что у вас по планам на ближайшие месяцы?"),
    "plans": (
        "В следующем квартале запускаем мобильное приложение, возможно, понадобятся ещё два фронтендера.",
        "Готовим большой релиз к осени, потом, скорее всего, будем расширять команду.",
        "Планируем переезд в облако, нужен будет девопс.",
        "Пока без изменений, бюджет на год утверждён.",
        "Будем делать новый модуль биллинга, тимлид пришлёт требования на следующей неделе.",
        "Переходим на микросервисы, часть монолита будем распиливать.",
    ),
    "follow_up": (
        "А можно чуть подробнее?",
        "А что конкретно?",
        "Есть какой-то пример?",
        "Понял{f}. А в чём это проявляется?",
    ),
    "ack_pos": ("Приятно слышать, спасибо!", "Отлично, передам ребятам.", "Здорово, спасибо."),
    "ack_mid": ("Понял{f}, спасибо.", "Записал{f}.", "Угу, ясно."),
    "ack_neg": (
        "Понимаю, разберёмся.",
        "Спасибо за честность, это важно.",
        "Ясно. Вернусь с планом, как это исправить.",
    ),
    "anything_else": ("Что-то ещё хотели бы добавить?", "Есть что-то, о чём я не спросил{f}?"),
    "nothing_else": ("Нет, пожалуй, всё.", "Вроде всё обсудили.", "Да нет, основное сказал{f}."),
    "wish": (
        "Хотелось бы чаще видеть демо по итогам спринта.",
        "Было бы здорово получать короткий отчёт раз в месяц.",
    ),
    "rating_ask": (
        "И последний вопрос: по шкале от нуля до десяти — насколько вы нами довольны?",
        "Если оценить нашу работу по десятибалльной шкале, сколько бы вы поставили?",
    ),
    "close": (
        "Спасибо большое за обратную связь! Передам всё команде и вернусь с планом.",
        "Спасибо, это очень полезно. Договорились, на связи!",
    ),
    "close_back": ("Договорились, спасибо. До связи.", "Спасибо, хорошего дня.", "Ок, всего доброго."),
}
"""Russian bank."""

EN = {
    "quality": {
        "ask": (
            "How do you rate the quality of our engineers' work?",
            "What do you think about the quality of the code and the technical decisions?",
            "Are you happy with what the team delivers?",
        ),
        "pos2": (
            "the code quality is excellent, code reviews barely have any comments",
            "the guys write really clean code, our team lead loves it",
            "no complaints about quality at all, releases go out without bugs",
            "the architecture decisions are well thought through, you can tell they are experienced",
            "I can't complain about the code, it's the best we've had from any vendor",
        ),
        "pos1": (
            "overall the quality is good",
            "the code is fine, reviews find small things only",
            "they are careful with their tasks",
            "we see fewer bugs after deploys",
            "technically the team is strong",
        ),
        "meh": ("quality is okay, nothing special", "the code is average, like everyone's"),
        "neg1": (
            "the quality is not always consistent",
            "we send pull requests back more often than we'd like",
            "sometimes we have to redo their work",
            "they are not very keen on writing tests",
            "there are small bugs after deploys",
        ),
        "neg2": (
            "honestly the code quality is poor, we reject half of the pull requests",
            "after their releases we spend two days fixing production",
            "the mistakes are basic, as if nobody tests anything",
            "we are seriously unhappy with the quality of the work",
        ),
    },
    "service": {
        "ask": (
            "How is our communication and service?",
            "Is it easy to work with us — do we answer on time, are the reports enough?",
            "What do you think about your account manager?",
        ),
        "pos2": (
            "communication is great, you answer within minutes",
            "the account manager is always available, everything gets solved the same day",
            "reports come regularly, everything is transparent",
            "I really appreciate that you ask clarifying questions yourselves",
        ),
        "pos1": (
            "you answer messages quickly",
            "communication is fine overall",
            "no problems with communication",
            "the manager knows what we are working on",
        ),
        "meh": (
            "communication is okay, business as usual",
            "we talk when needed, no complaints, no excitement either",
        ),
        "neg1": (
            "you don't answer very fast, sometimes we wait half a day",
            "reports are irregular",
            "sometimes we have to remind you twice",
            "we have fewer calls than before",
        ),
        "neg2": (
            "answers come with a huge delay, we end up calling",
            "we are not happy with the communication at all",
            "the manager disappears and we learn the status last",
        ),
        "red_flags": (
            "you answer once a day at best",
            "every question gets a template reply, it feels like a bot",
            "we haven't seen a report for two months",
            "we used to meet weekly, now it's once a month if we're lucky",
            "our contact person is not technical at all, there's no point discussing architecture",
            "nobody asks clarifying questions, they just do what they understood",
        ),
    },
    "price": {
        "ask": ("How do you feel about our pricing?", "Are the rates okay for you?", "Is the budget fine?"),
        "pos2": (
            "pricing is among the fairest on the market",
            "the price is fully justified, we did the math",
            "fair rates, this quality for this money is rare",
        ),
        "pos1": ("the prices are fine, market level", "no questions about the rates", "we fit the budget"),
        "meh": ("pricing is like everyone's, not cheap, not expensive",),
        "neg1": (
            "it's a bit expensive, to be honest",
            "the rates went up and the result is the same",
            "our CFO is already asking questions about the budget",
        ),
        "neg2": (
            "the rates are too high, we are looking at other offers",
            "for this money we expected a completely different level",
            "another rate increase is unacceptable for us",
        ),
    },
    "speed": {
        "ask": (
            "How about speed — both on tasks and on filling positions?",
            "Are we meeting the deadlines?",
            "How fast do we close your requests?",
        ),
        "pos2": (
            "you fill positions really fast, we saw candidates in two days",
            "not slow at all, we close sprints ahead of schedule",
            "releases ship exactly on time",
        ),
        "pos1": ("we mostly meet the deadlines", "you fill positions in reasonable time", "the pace is fine"),
        "meh": ("speed is tolerable", "some things are fast, some are slow"),
        "neg1": (
            "not very fast, honestly, it took almost a month to fill the position",
            "deadlines slip sometimes",
            "you show candidates slower than we'd like",
        ),
        "neg2": (
            "deadlines are missed all the time",
            "the release was postponed three times already",
            "it took three months to fill our position, that's unacceptable",
        ),
    },
    "team": {
        "ask": (
            "How is the team — stable, did people fit in?",
            "Any issues with the team composition or replacements?",
        ),
        "pos2": (
            "the team is stable, everyone has been on the project from day one",
            "the guys fit in perfectly, like our own employees",
            "your team lead is strong and keeps the team together",
        ),
        "pos1": (
            "the team is mostly stable",
            "the guys are nice and fit in well",
            "onboarding went smoothly",
        ),
        "meh": ("the team is fine, people work",),
        "neg1": (
            "people change more often than we'd like",
            "every replacement means onboarding again",
            "the new guy is struggling to fit in",
        ),
        "neg2": (
            "the turnover is terrible, there is no real team",
            "we had three developers in one seat in six months",
        ),
        "red_flags": (
            "people get replaced every two months, as soon as someone is onboarded they leave",
            "another one left in his second month, we are tired of replacements",
        ),
    },
    "openers": ("", "", "", "Honestly, ", "In short, ", "Well, ", "I'd say ", "Yeah, "),
    "contrast": (", but ", ", although ", ". That said, "),
    "concession": ("To be fair, ", "At the same time, ", "Still, "),
    "greet": (
        "Hi {first}, thanks for finding the time. Let's briefly talk about how things are going.",
        "Hello {first}! As agreed, a short quarterly check-in call.",
    ),
    "greet_back": ("Hi. Sure, let's do it.", "Hello! Yes, of course.", "Hi, I have half an hour."),
    "small_talk": (
        ("How are you doing?", "Fine, end of quarter, you know how it is."),
        ("Any vacation plans this summer?", "Not yet, maybe in September."),
        ("How was the weekend?", "Quiet, we stayed at home."),
        ("Did you go to the conference last month?", "Just for one day, listened to a couple of talks."),
    ),
    "introduce": (
        "By the way, my colleague {name} joined us, {first} runs our product.",
        "I've asked my colleague {name} to join, {first} leads our engineering team.",
    ),
    "hello_all": ("Hi everyone.", "Hello!"),
    "plans_ask": ("What are your plans for the next quarter?", "What's coming up in the next few months?"),
    "plans": (
        "Next quarter we launch the mobile app, we may need two more frontend developers.",
        "We are preparing a big release for the autumn, then we will probably grow the team.",
        "We plan to move to the cloud, so we'll need a DevOps engineer.",
        "No changes for now, the budget for the year is approved.",
    ),
    "follow_up": ("Could you tell me a bit more?", "What exactly?", "Do you have an example?"),
    "ack_pos": ("Great to hear, thank you!", "Awesome, I'll pass it on to the team."),
    "ack_mid": ("Got it, thanks.", "Noted.", "I see."),
    "ack_neg": (
        "I understand, we'll sort it out.",
        "Thanks for being honest, that matters.",
        "Got it. I'll come back with a plan.",
    ),
    "anything_else": ("Anything else you'd like to add?", "Is there anything I didn't ask about?"),
    "nothing_else": ("No, I think that's it.", "I think we covered everything."),
    "wish": ("It would be nice to see a demo after each sprint.", "A short monthly report would be great."),
    "rating_ask": (
        "Last question: on a scale from zero to ten, how satisfied are you with us?",
        "If you rated our work from 0 to 10, what would it be?",
    ),
    "close": (
        "Thank you very much for the feedback! I'll share it with the team and come back with a plan.",
    ),
    "close_back": ("Sounds good, thanks. Talk soon.", "Thanks, have a nice day."),
}
"""English bank."""

BANKS = {"ru": RU, "en": EN}
"""Language -> bank."""
