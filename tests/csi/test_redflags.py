"""Red flags: realistic client phrases in both languages, word forms, negation, client speech only."""

import pandas as pd
import pytest

from outstaff_analysis.csi.redflags import (
    RED_FLAG_COLUMNS,
    SOURCES,
    detect_red_flags,
    find_red_flags,
    red_flag_codes,
)
from outstaff_analysis.i18n import label

FLAGGED = [
    ("slow_answers", "en", "They reply once a day at best."),
    ("slow_answers", "en", "It takes two days to get an answer from your manager."),
    ("slow_answers", "en", "You're really slow to respond to our messages."),
    ("slow_answers", "en", "We wait hours for a reply in Slack."),
    ("slow_answers", "en", "Response times have been terrible lately."),
    ("slow_answers", "en", "Answers come the next day at the earliest."),
    ("slow_answers", "en", "Your responses are very slow."),
    ("slow_answers", "en", "Your team takes days to get back to us."),
    ("slow_answers", "en", "We often wait a whole day for an answer."),
    ("slow_answers", "en", "Getting a reply from you is painfully slow."),
    ("slow_answers", "en", "They respond once a week, if we're lucky."),
    ("slow_answers", "ru", "На сообщения отвечают раз в сутки, а то и реже."),
    ("slow_answers", "ru", "Ответа от менеджера приходится ждать по два дня."),
    ("slow_answers", "ru", "Долго отвечаете на письма, это раздражает."),
    ("slow_answers", "ru", "Реагируете очень медленно, особенно на срочные вопросы."),
    ("slow_answers", "ru", "Ответ приходит только на следующий день."),
    ("slow_answers", "ru", "До вас невозможно дозвониться."),
    ("slow_answers", "ru", "Отвечаете через сутки, не раньше."),
    ("slow_answers", "ru", "Скорость ответа просто ужасная."),
    ("slow_answers", "ru", "Ответы от вас приходят через день-два."),
    ("slow_answers", "ru", "Мы пишем менеджеру, а он отвечает только через несколько дней."),
    ("slow_answers", "ru", "Реакция на наши запросы очень медленная."),
    ("slow_answers", "ru", "Ждём ответа неделями."),
    ("no_clarifying_questions", "en", "They never ask clarifying questions."),
    ("no_clarifying_questions", "en", "Nobody asks any questions about the requirements."),
    ("no_clarifying_questions", "en", "The developer didn't clarify anything and built the wrong thing."),
    ("no_clarifying_questions", "en", "They don't ask questions, they just guess."),
    ("no_clarifying_questions", "en", "No clarifying questions at all."),
    ("no_clarifying_questions", "en", "Your developers don't ask any questions before coding."),
    ("no_clarifying_questions", "en", "Nobody ever clarifies the requirements with us."),
    ("no_clarifying_questions", "en", "They started without clarifying anything."),
    ("no_clarifying_questions", "ru", "Уточняющих вопросов не задают, делают как поняли."),
    ("no_clarifying_questions", "ru", "Никто не задаёт вопросов по требованиям."),
    ("no_clarifying_questions", "ru", "Разработчик ничего не уточнил и сделал не то."),
    ("no_clarifying_questions", "ru", "Они не уточняют детали задачи."),
    ("no_clarifying_questions", "ru", "Вопросов вообще не задают."),
    ("no_clarifying_questions", "ru", "Ребята не задают никаких вопросов и делают по-своему."),
    ("no_clarifying_questions", "ru", "Никто ничего не уточняет, а потом переделываем."),
    ("no_clarifying_questions", "ru", "Задачи берут без уточнений."),
    ("template_replies", "en", "We get canned responses to everything."),
    ("template_replies", "en", "The replies are copy-paste templates."),
    ("template_replies", "en", "It feels like talking to a bot."),
    ("template_replies", "en", "Just boilerplate answers, nothing specific."),
    ("template_replies", "en", "Your support sends generic replies."),
    ("template_replies", "en", "Support sends us template replies."),
    ("template_replies", "en", "Every answer sounds scripted."),
    ("template_replies", "en", "The emails read like a bot wrote them."),
    ("template_replies", "en", "We keep getting generic responses."),
    ("template_replies", "ru", "На все вопросы отвечают шаблонными фразами."),
    ("template_replies", "ru", "Получаем одни отписки."),
    ("template_replies", "ru", "Ответы как под копирку."),
    ("template_replies", "ru", "Такое ощущение, что отвечает бот."),
    ("template_replies", "ru", "Шаблонный ответ вместо решения."),
    ("template_replies", "ru", "На наши претензии приходят стандартные отписки."),
    ("template_replies", "ru", "Менеджер отвечает общими фразами."),
    ("template_replies", "ru", "Письма от поддержки — сплошной шаблон, ответы шаблонные."),
    ("non_technical_contact", "en", "Our point of contact is non-technical."),
    ("non_technical_contact", "en", "The account manager doesn't understand the technical side."),
    ("non_technical_contact", "en", "We need someone technical to talk to, not a salesperson."),
    ("non_technical_contact", "en", "Your manager isn't technical at all."),
    ("non_technical_contact", "en", "The person we talk to has no technical background."),
    ("non_technical_contact", "en", "The manager we deal with is not a technical person."),
    ("non_technical_contact", "en", "Our account manager doesn't understand the code at all."),
    ("non_technical_contact", "en", "We need someone technical on calls."),
    ("non_technical_contact", "ru", "Наш контакт с вашей стороны — нетехнический человек."),
    ("non_technical_contact", "ru", "Менеджер не разбирается в технических деталях."),
    ("non_technical_contact", "ru", "Аккаунт совсем не технарь, приходится всё объяснять."),
    ("non_technical_contact", "ru", "С нами общается человек, который не понимает, что такое API."),
    ("non_technical_contact", "ru", "Нужен кто-то технический на связи, а не продажник."),
    ("non_technical_contact", "ru", "Ваш менеджер вообще не разбирается в разработке."),
    ("non_technical_contact", "ru", "Нам не хватает технического человека на связи."),
    ("non_technical_contact", "ru", "Менеджер не понимает, что такое деплой."),
    ("fewer_meetings", "en", "We have fewer calls than before."),
    ("fewer_meetings", "en", "The weekly syncs got cancelled."),
    ("fewer_meetings", "en", "We talk much less than we used to."),
    ("fewer_meetings", "en", "You stopped doing the Friday demos."),
    ("fewer_meetings", "en", "Meetings became less frequent."),
    ("fewer_meetings", "en", "We barely talk anymore."),
    ("fewer_meetings", "en", "Our weekly calls were cancelled."),
    ("fewer_meetings", "en", "There are fewer check-ins this quarter."),
    ("fewer_meetings", "en", "You stopped the daily standups."),
    ("fewer_meetings", "ru", "Созвонов стало гораздо меньше."),
    ("fewer_meetings", "ru", "Мы стали реже созваниваться."),
    ("fewer_meetings", "ru", "Еженедельные встречи отменили."),
    ("fewer_meetings", "ru", "Перестали проводить демо по пятницам."),
    ("fewer_meetings", "ru", "Общения стало меньше, чем в начале."),
    ("fewer_meetings", "ru", "Встречи стали реже."),
    ("fewer_meetings", "ru", "Синки по понедельникам отменили без объяснений."),
    ("fewer_meetings", "ru", "Мы перестали созваниваться каждую неделю."),
    ("fewer_meetings", "ru", "Общаемся теперь реже, чем раньше."),
    ("no_reports", "en", "We don't get any reports."),
    ("no_reports", "en", "You stopped sending the weekly status reports."),
    ("no_reports", "en", "There is no reporting at all."),
    ("no_reports", "en", "We have zero visibility into what the team is doing."),
    ("no_reports", "en", "No reports for a month now."),
    ("no_reports", "en", "We never get reports from you."),
    ("no_reports", "en", "The status reports stopped."),
    ("no_reports", "en", "No weekly report for three weeks."),
    ("no_reports", "en", "We haven't seen a report since March."),
    ("no_reports", "ru", "Отчётов мы не получаем."),
    ("no_reports", "ru", "Перестали присылать еженедельные отчёты."),
    ("no_reports", "ru", "Работаем без отчётов, не понимаем, что происходит."),
    ("no_reports", "ru", "Нет никакой отчётности по часам."),
    ("no_reports", "ru", "Отчёт не присылали уже месяц."),
    ("no_reports", "ru", "Отчётность пропала."),
    ("no_reports", "ru", "Еженедельного отчёта не было уже три недели."),
    ("no_reports", "ru", "Мы не получаем никаких отчётов о работе."),
    ("no_reports", "ru", "Перестали присылать отчёты по часам."),
    ("missed_deadlines", "en", "You missed the deadline again."),
    ("missed_deadlines", "en", "Deadlines keep slipping."),
    ("missed_deadlines", "en", "The release was two weeks late."),
    ("missed_deadlines", "en", "We're behind schedule on every milestone."),
    ("missed_deadlines", "en", "They didn't deliver on time."),
    ("missed_deadlines", "en", "You've missed three deadlines this quarter."),
    ("missed_deadlines", "en", "The milestone slipped by a month."),
    ("missed_deadlines", "en", "The feature was delivered late."),
    ("missed_deadlines", "en", "We're always behind schedule."),
    ("missed_deadlines", "ru", "Сроки постоянно срываются."),
    ("missed_deadlines", "ru", "Сорвали дедлайн по релизу."),
    ("missed_deadlines", "ru", "Опять не успели к сроку."),
    ("missed_deadlines", "ru", "Релиз перенесли уже третий раз."),
    ("missed_deadlines", "ru", "Просрочили сдачу на две недели."),
    ("missed_deadlines", "ru", "Сроки поехали."),
    ("missed_deadlines", "ru", "Не раз срывали сроки."),
    ("missed_deadlines", "ru", "Дедлайн опять сорвали."),
    ("missed_deadlines", "ru", "Релиз сдвинулся на месяц."),
    ("missed_deadlines", "ru", "Вы не уложились в срок."),
    ("missed_deadlines", "ru", "Этап сдали с опозданием на две недели."),
    ("specialist_turnover", "en", "The developers keep changing."),
    ("specialist_turnover", "en", "This is our third tech lead in six months."),
    ("specialist_turnover", "en", "Your turnover is really high."),
    ("specialist_turnover", "en", "Another QA left the project."),
    ("specialist_turnover", "en", "People keep leaving the team."),
    ("specialist_turnover", "en", "We've had four developers leave this year."),
    ("specialist_turnover", "en", "The QA engineers keep rotating."),
    ("specialist_turnover", "en", "Another developer quit the project."),
    ("specialist_turnover", "en", "Staff turnover is a real problem."),
    ("specialist_turnover", "ru", "Разработчики постоянно меняются."),
    ("specialist_turnover", "ru", "Это уже третий тимлид за полгода."),
    ("specialist_turnover", "ru", "Текучка у вас большая."),
    ("specialist_turnover", "ru", "От нас опять ушёл аналитик."),
    ("specialist_turnover", "ru", "Людей на проекте всё время меняют."),
    ("specialist_turnover", "ru", "У нас сменилось уже четыре разработчика."),
    ("specialist_turnover", "ru", "Аналитики у вас постоянно уходят."),
    ("specialist_turnover", "ru", "Тестировщика опять заменили."),
    ("specialist_turnover", "ru", "Высокая текучесть кадров."),
    ("hurry_to_sign", "en", "We felt rushed to sign the contract."),
    ("hurry_to_sign", "en", "Your sales team pushed us to sign quickly."),
    ("hurry_to_sign", "en", "They were in a hurry to get the contract signed."),
    ("hurry_to_sign", "en", "We were pressured into signing."),
    ("hurry_to_sign", "en", "We were rushed into signing the agreement."),
    ("hurry_to_sign", "en", "Your sales guy kept pushing us to sign the contract."),
    ("hurry_to_sign", "en", "We signed in a hurry."),
    ("hurry_to_sign", "ru", "Нас торопили подписать договор."),
    ("hurry_to_sign", "ru", "Давили, чтобы мы быстрее подписали допсоглашение."),
    ("hurry_to_sign", "ru", "Нас подгоняли с подписанием контракта."),
    ("hurry_to_sign", "ru", "Вы очень спешили с подписанием."),
    ("hurry_to_sign", "ru", "Нас подгоняли подписать договор до конца месяца."),
    ("hurry_to_sign", "ru", "Ваш продажник давил, чтобы мы скорее подписали контракт."),
    ("hurry_to_sign", "ru", "Договор подписывали в спешке."),
    ("slow_answers", "ru", "Пока дождёшься ответа от аккаунта, проходит полдня."),
    ("slow_answers", "ru", "На срочные вопросы реагируете с опозданием в сутки."),
    ("slow_answers", "ru", "Мы неделю ждали, пока вы ответите на письмо."),
    ("slow_answers", "en", "It took you three days to answer a simple question."),
    ("slow_answers", "en", "Your manager is hard to reach and slow to reply."),
    ("no_clarifying_questions", "ru", "Задачу взяли и сделали, ни одного вопроса не задали."),
    ("no_clarifying_questions", "ru", "Разработчики не переспрашивают, даже когда требования размыты."),
    ("no_clarifying_questions", "en", "Your team never checks with us when something is unclear."),
    (
        "no_clarifying_questions",
        "en",
        "Not a single question about the requirements, they just started coding.",
    ),
    ("template_replies", "ru", "В ответ получаем заготовки, которые ничего не объясняют."),
    ("template_replies", "ru", "Поддержка отвечает дежурными фразами."),
    ("template_replies", "en", "The answers feel copy-pasted from a FAQ."),
    ("template_replies", "en", "Every ticket gets the same standard reply."),
    ("non_technical_contact", "ru", "Наш менеджер с вашей стороны далёк от техники."),
    ("non_technical_contact", "ru", "С аккаунтом невозможно обсудить архитектуру, он не в теме."),
    ("non_technical_contact", "en", "The account manager can't discuss anything technical."),
    ("non_technical_contact", "en", "Our contact has zero technical knowledge."),
    ("fewer_meetings", "ru", "Раньше созванивались каждую неделю, теперь раз в месяц."),
    ("fewer_meetings", "ru", "Демо после спринта больше не проводят."),
    ("fewer_meetings", "en", "We used to have weekly calls, now it's once a month."),
    ("fewer_meetings", "en", "The sprint demos stopped happening."),
    ("no_reports", "ru", "Отчёт по часам мы так и не увидели."),
    ("no_reports", "ru", "Еженедельные статусы больше не приходят."),
    ("no_reports", "en", "We haven't had a status update in weeks."),
    ("no_reports", "en", "Nobody sends us any reporting anymore."),
    ("missed_deadlines", "ru", "Фичу обещали к первому числу, а сдали в середине месяца."),
    ("missed_deadlines", "ru", "Релиз задержали на две недели."),
    ("missed_deadlines", "en", "The launch slipped by three weeks."),
    ("missed_deadlines", "en", "You were late with every single milestone."),
    ("specialist_turnover", "ru", "За год у нас сменилось три аналитика."),
    ("specialist_turnover", "en", "We're on our fourth developer this year."),
    ("specialist_turnover", "en", "Every few months you swap people out."),
    ("hurry_to_sign", "ru", "Менеджер торопил нас с продлением договора."),
    ("hurry_to_sign", "ru", "Подписали впопыхах, потому что вы сказали, что иначе специалиста заберут."),
    ("hurry_to_sign", "en", "They rushed us through the contract."),
    ("hurry_to_sign", "en", "We were told to sign by Friday or lose the developer."),
    ("slow_answers", "ru", "Пишешь в телеграм — ответ через день, а то и два."),
    ("slow_answers", "ru", "Ваши ребята очень долго реагируют на баги в проде."),
    ("slow_answers", "en", "Slack messages sit unanswered for a day or more."),
    ("slow_answers", "en", "Getting an answer out of your team takes forever."),
    ("no_clarifying_questions", "ru", "Постановку никто не обсуждает, сразу садятся кодить."),
    ("no_clarifying_questions", "en", "They never come back to us with questions, they just assume."),
    ("no_clarifying_questions", "en", "The developers don't ask about edge cases at all."),
    ("template_replies", "ru", "Отвечают как робот, одно и то же."),
    ("template_replies", "ru", "На жалобы приходят шаблонные письма."),
    ("template_replies", "en", "Their replies are pure boilerplate."),
    ("template_replies", "en", "Support answers sound like they were written by a bot."),
    ("non_technical_contact", "ru", "Менеджер ничего не смыслит в разработке."),
    ("non_technical_contact", "ru", "Наш контакт у вас — чистый продажник, в технике не разбирается."),
    ("non_technical_contact", "en", "The person assigned to us isn't technical enough to help."),
    ("non_technical_contact", "en", "Our account lead has no engineering background whatsoever."),
    ("fewer_meetings", "ru", "Планёрки стали проводить реже."),
    ("fewer_meetings", "ru", "Созвоны с тимлидом отменили в прошлом месяце."),
    ("fewer_meetings", "en", "We see much less of your team than before."),
    ("fewer_meetings", "en", "The Friday check-ins were dropped."),
    ("no_reports", "ru", "Отчёты по спринтам перестали приходить."),
    ("no_reports", "ru", "Мы понятия не имеем, чем заняты ваши разработчики."),
    ("no_reports", "en", "We stopped receiving the monthly reports."),
    ("no_reports", "en", "There's no reporting on hours at all."),
    ("missed_deadlines", "ru", "Опять не уложились в спринт."),
    ("missed_deadlines", "ru", "Сроки по интеграции сорваны."),
    ("missed_deadlines", "en", "The integration is a month behind schedule."),
    ("missed_deadlines", "en", "You blew through the deadline again."),
    ("specialist_turnover", "ru", "От нас ушли уже два разработчика за квартал."),
    ("specialist_turnover", "ru", "Команда меняется постоянно, никакой преемственности."),
    ("specialist_turnover", "en", "Two of your engineers quit in the same month."),
    ("specialist_turnover", "en", "We keep losing people from the team."),
    ("hurry_to_sign", "ru", "Нас торопили с подписанием допсоглашения."),
    ("hurry_to_sign", "ru", "На нас давили, чтобы мы подписали договор до конца квартала."),
    ("hurry_to_sign", "en", "Your sales team hurried us into signing the SOW."),
    ("hurry_to_sign", "en", "We felt pressure to sign the renewal quickly."),
    ("slow_answers", "ru", "На наши письма вы отвечаете с задержкой в несколько дней."),
    ("slow_answers", "ru", "Ответа от вашего менеджера не допросишься."),
    ("slow_answers", "en", "It can take a week before anyone replies to our emails."),
    ("slow_answers", "en", "Your response time is way too slow for us."),
    ("no_clarifying_questions", "ru", "Ребята молча берут задачу и делают что-то своё, ничего не спрашивая."),
    ("no_clarifying_questions", "en", "Nobody on your side ever asks what we actually need."),
    ("template_replies", "ru", "Нам пишут стандартные ответы, будто по методичке."),
    ("template_replies", "en", "We get the same canned apology every time."),
    ("non_technical_contact", "ru", "Менеджер на вашей стороне не понимает технических деталей."),
    ("non_technical_contact", "en", "The guy we talk to doesn't know anything about software."),
    ("fewer_meetings", "ru", "Еженедельные встречи куда-то пропали."),
    ("fewer_meetings", "en", "We haven't had a proper sync in a month."),
    ("no_reports", "ru", "Никакой отчётности мы не видим."),
    ("no_reports", "en", "We have no idea what your developers did last week."),
    ("missed_deadlines", "ru", "Мы опять не успели к релизу из-за вашей команды."),
    ("missed_deadlines", "en", "Every sprint ends with unfinished tasks and a missed deadline."),
    ("specialist_turnover", "ru", "Опять новый разработчик, уже пятый за год."),
    ("specialist_turnover", "en", "Half the team changed in the last quarter."),
    ("hurry_to_sign", "ru", "Ваш менеджер очень настойчиво торопил нас подписать продление."),
    ("hurry_to_sign", "en", "We were rushed into the renewal without time to review it."),
]

NOT_FLAGGED = [
    ("ru", "Отвечают быстро, не раз в сутки, а в течение часа."),
    ("ru", "Отвечаете очень быстро, обычно минут за десять."),
    ("ru", "Ребята всегда задают уточняющие вопросы."),
    ("ru", "Отвечают по существу, без шаблонов."),
    ("ru", "Менеджер отлично разбирается в технических деталях."),
    ("ru", "Созваниваемся каждую неделю, как договаривались."),
    ("ru", "Отчёты приходят каждую пятницу."),
    ("ru", "Сроки никогда не срывали."),
    ("ru", "Всё сдали в срок."),
    ("ru", "Команда стабильная, никто не уходил."),
    ("ru", "Никто нас не торопил с подписанием."),
    ("ru", "Ответы всегда по делу."),
    ("ru", "Встреч хватает."),
    ("ru", "Код-ревью проходит быстро."),
    ("en", "They respond within minutes."),
    ("en", "You are never slow to respond."),
    ("en", "They always ask clarifying questions before starting."),
    ("en", "Answers are specific, not canned."),
    ("en", "Our contact is very technical."),
    ("en", "We still meet every week."),
    ("en", "Reports come every Friday."),
    ("en", "You have never missed a deadline."),
    ("en", "Everything was delivered on time."),
    ("en", "Nobody has left the team."),
    ("en", "Nobody rushed us to sign."),
    ("en", "The team is stable."),
    ("ru", "Сроки соблюдаете, релизы вовремя."),
    ("ru", "Отчёты получаем каждую неделю, всё прозрачно."),
    ("ru", "Менеджер технически подкованный."),
    ("ru", "Вопросы задают по делу, это ценно."),
    ("ru", "Состав команды не менялся с начала года."),
    ("ru", "Созвоны проходят регулярно."),
    ("ru", "Договор подписали спокойно, без давления."),
    ("ru", "Ответы всегда по существу."),
    ("en", "You always deliver on time."),
    ("en", "We get a report every Friday."),
    ("en", "Our contact is an experienced engineer."),
    ("en", "The developers ask good questions."),
    ("en", "The team hasn't changed since January."),
    ("en", "We meet every Monday."),
    ("en", "There was no pressure to sign."),
    ("en", "Replies are always specific and helpful."),
    ("ru", "Реагируете мгновенно, спасибо."),
    ("ru", "Вопросы по задачам задают всегда."),
    ("ru", "Договор подписали без спешки."),
    ("ru", "Отчёты подробные, приходят вовремя."),
    ("ru", "Никаких срывов сроков за год."),
    ("ru", "Команда та же, что и год назад."),
    ("en", "You get back to us within the hour."),
    ("en", "No missed deadlines this year."),
    ("en", "The same people have been on the project for two years."),
    ("en", "We signed after a month of careful review."),
    ("en", "Reports are detailed and on time."),
    ("en", "Our contact is a former engineer."),
    ("en", "No questions from my side, thanks."),
    ("ru", "Вопросов у меня нет, спасибо."),
    ("en", "We got the same answer from your lawyer, which is fine."),
    ("ru", "Я сам не уточнял этот момент."),
    ("ru", "Ответ пришёл в тот же день."),
    ("en", "The release went out on time, no delays."),
    ("ru", "Ответ всегда в течение часа."),
    ("ru", "Планёрки проходят каждое утро."),
    ("ru", "Отчёты приходят по пятницам."),
    ("ru", "Ни одного сорванного срока."),
    ("ru", "Разработчики задают правильные вопросы."),
    ("ru", "Договор обсуждали спокойно, нас никто не торопил."),
    ("en", "Every reply is thoughtful and specific."),
    ("en", "Our account lead used to be a developer."),
    ("en", "The team has been the same for a year."),
    ("en", "We meet weekly, as agreed."),
    ("en", "All milestones were delivered on schedule."),
    ("en", "We signed when we were ready."),
    ("ru", "Отвечаете быстро, даже ночью."),
    ("ru", "Сроки держите, спасибо."),
    ("ru", "Отчёт получаем каждую неделю."),
    ("en", "Your developers ask great questions."),
    ("en", "We still have our weekly sync."),
    ("en", "Nobody has left in two years."),
    ("ru", "Менеджер прекрасно разбирается в технике."),
    ("en", "We took our time before signing, no pressure at all."),
    # idioms and near misses
    ("ru", "Высокое качество работы, без вопросов."),
    ("ru", "Отсрочку по оплате дали без вопросов."),
    ("ru", "Разработчик уходит в отпуск на две недели."),
    ("ru", "Никакой текучки, те же ребята, что и в прошлом году."),
    ("ru", "Ротации почти нет, костяк команды тот же."),
    ("ru", "От кик-оффа до первого демо прошло меньше трёх недель."),
    ("ru", "Счета выставляют с опозданием."),
    ("ru", "Используем ваш шаблон микросервиса, удобно."),
    ("en", "High quality work, no questions asked."),
    ("en", "I'll drop the meeting link in Slack."),
    ("en", "Lots of copy-paste, no tests, hardcoded configs everywhere."),
    ("en", "The project template you set up is great."),
    # small talk: the classifier read "Да уж, весь день дождь." as slow answers (a false alarm in a demo report)
    ("ru", "Да уж, весь день дождь."),
    ("ru", "Ну и погода, весь день дождь."),
    ("ru", "Всем привет, давайте начнём."),
    ("en", "Hi everyone, can you hear me?"),
    ("en", "Thanks, have a nice weekend."),
    # progress praise with sprint words and complaints that are no flag: false alarms in demo reports
    # (missed deadlines, 0.94; fewer meetings, 0.41)
    ("ru", "Скажу так: задачи двигаются, спринты закрываем."),
    ("ru", "Наш тимлид теперь сам перепроверяет каждый их коммит."),
]


@pytest.mark.parametrize("flag, language, text", FLAGGED, ids=[f"{f}-{t}" for f, _, t in FLAGGED])
def test_client_phrases_raise_their_flag(flag, language, text):
    assert find_red_flags(text, language=language) == [(flag, text)]


@pytest.mark.parametrize("language, text", NOT_FLAGGED, ids=[t for _, t in NOT_FLAGGED])
def test_praise_negations_and_idioms_raise_nothing(language, text):
    assert find_red_flags(text, language=language) == []


def test_every_flag_has_phrases_in_both_languages_and_labels():
    codes = red_flag_codes()
    assert codes == (
        "slow_answers",
        "no_clarifying_questions",
        "template_replies",
        "non_technical_contact",
        "fewer_meetings",
        "no_reports",
        "missed_deadlines",
        "specialist_turnover",
        "hurry_to_sign",
    )
    for code in codes:
        for language in ("ru", "en"):
            assert sum(1 for f, lang, _ in FLAGGED if f == code and lang == language) >= 3
            assert label(f"redflags.{code}", language)


@pytest.mark.parametrize(
    "text",
    [
        "Сроки срываются.",
        "Сроки сорвали.",
        "Срок сорван.",  # participle
        "Сроки у вас постоянно срывались.",
        "Срывают сроки.",
        "Сорвёте сроки — уйдём.",
    ],
)
def test_word_forms_do_not_matter(text):
    assert [flag for flag, _ in find_red_flags(text, language="ru")] == ["missed_deadlines"]


@pytest.mark.parametrize(
    "language, negated, plain",
    [
        ("ru", "Сроки никогда не срывали.", "Сроки срывали."),
        ("ru", "Никто нас не торопил с подписанием.", "Нас торопили с подписанием."),
        ("ru", "Отвечают быстро, не раз в сутки.", "Отвечают раз в сутки."),
        ("ru", "Люди у вас не меняются.", "Люди у вас меняются."),
        ("en", "You have never missed a deadline.", "You have missed a deadline."),
        ("en", "Nobody rushed us to sign.", "They rushed us to sign."),
        ("en", "Your people don't keep changing.", "Your people keep changing."),
    ],
)
def test_negation_before_the_match_cancels_it(language, negated, plain):
    assert find_red_flags(negated, language=language, model=None) == []
    assert len(find_red_flags(plain, language=language, model=None)) == 1


def test_ne_raz_is_not_a_negation():
    assert find_red_flags("Не раз срывали сроки.", language="ru") == [
        ("missed_deadlines", "Не раз срывали сроки.")
    ]


def test_one_row_per_flag_and_sentence_with_the_sentence_as_quote():
    text = "Ребята хорошие. Но сроки срываются, дедлайн опять сорвали! А отчётов мы не получаем, и созвонов стало меньше."
    assert find_red_flags(text, language="ru") == [
        ("missed_deadlines", "Но сроки срываются, дедлайн опять сорвали!"),
        ("fewer_meetings", "А отчётов мы не получаем, и созвонов стало меньше."),
        ("no_reports", "А отчётов мы не получаем, и созвонов стало меньше."),
    ]


def _utterances():
    return pd.DataFrame(
        {
            "interview_id": ["I1", "I1", "I1", "I2"],
            "utterance_no": [0, 1, 2, 0],
            "speaker": ["Анна", "Олег", "Олег", "Client"],
            "start": [0.0, 4.0, 9.5, float("nan")],
            "text": [
                "Отвечаем ли мы раз в сутки? Сроки срываем?",
                "Всё хорошо. Но отвечаете раз в сутки.",
                "И сроки   срываются.",
                "Your people keep changing. The code is fine.",
            ],
            "is_client": [False, True, True, True],
            "language": ["ru", "ru", "ru", "en"],
        }
    )


def test_detect_red_flags_searches_client_speech_only():
    utterances = _utterances()
    flags = detect_red_flags(utterances)
    assert tuple(flags.columns) == RED_FLAG_COLUMNS
    assert flags.drop(columns="start").values.tolist() == [
        ["I1", 1, "Олег", "slow_answers", "Но отвечаете раз в сутки.", "ru", "both"],
        ["I1", 2, "Олег", "missed_deadlines", "И сроки   срываются.", "ru", "both"],
        ["I2", 0, "Client", "specialist_turnover", "Your people keep changing.", "en", "both"],
    ]
    assert set(flags["source"]) <= set(SOURCES)
    assert flags["start"].tolist()[:2] == [4.0, 9.5]
    for row in flags.itertuples():
        text = utterances.set_index(["interview_id", "utterance_no"]).loc[
            (row.interview_id, row.utterance_no), "text"
        ]
        assert row.quote in text


def test_language_is_detected_when_the_column_is_missing():
    flags = detect_red_flags(_utterances().drop(columns=["language", "is_client"]))
    assert flags["interview_id"].tolist() == ["I1", "I1", "I1", "I1", "I2"]
    assert flags["language"].tolist() == ["ru", "ru", "ru", "ru", "en"]


def test_nothing_found_gives_an_empty_frame():
    frame = pd.DataFrame(
        {
            "interview_id": ["I"],
            "utterance_no": [0],
            "speaker": ["A"],
            "start": [1.0],
            "text": ["Всё отлично."],
        }
    )
    flags = detect_red_flags(frame)
    assert flags.empty and tuple(flags.columns) == RED_FLAG_COLUMNS
    assert flags["utterance_no"].dtype == "int64" and flags["start"].dtype == "float64"


def test_unknown_language():
    with pytest.raises(ValueError, match=r"`language` must be one of \['ru', 'en'\], but 'de' was passed"):
        find_red_flags("text", language="de")
