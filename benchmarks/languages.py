"""Article text in other languages and scripts for the benchmark mirror.

Real story pages are not all English: the aggregator carries magazines in many languages, in
Latin, Arabic, Cyrillic, Devanagari, Greek and CJK scripts. ``samples/`` holds English articles
only (its text is byte-compared by tests, so it stays as it is); these sentences, written for
the benchmarks, are shuffled into paragraphs of the mirror's non-English stories, so that
language detection, text collapsing and the JSON writer see what a real crawl sees.

``SHARE``: the share of story pages in each language (the rest are English).
"""

from __future__ import annotations

import random

SENTENCES: dict[str, tuple[str, ...]] = {
    "de": (
        "Die Stadtverwaltung hat im Frühjahr einen neuen Plan für die Innenstadt vorgestellt.",
        "Viele Händler fürchten, dass die Mieten nach dem Umbau weiter steigen werden.",
        "Am Wochenende kamen mehr als zweitausend Besucher zum Markt an der alten Brücke.",
        "Die Forscherinnen untersuchen seit Jahren, wie sich das Klima auf die Wälder auswirkt.",
        "Für die Familien im Viertel ist der Spielplatz längst ein zweites Wohnzimmer geworden.",
        "Der Bürgermeister versprach, die Ergebnisse noch vor dem Sommer zu veröffentlichen.",
    ),
    "es": (
        "El ayuntamiento presentó en primavera un nuevo plan para el centro de la ciudad.",
        "Muchos comerciantes temen que los alquileres sigan subiendo después de las obras.",
        "Durante el fin de semana, más de dos mil personas visitaron el mercado del puerto.",
        "Las investigadoras llevan años estudiando cómo afecta el clima a los bosques del norte.",
        "Para las familias del barrio, la plaza se ha convertido en un segundo salón.",
        "La alcaldesa prometió publicar los resultados antes de que empiece el verano.",
    ),
    "fr": (
        "La mairie a présenté au printemps un nouveau projet pour le centre-ville.",
        "Beaucoup de commerçants craignent que les loyers augmentent encore après les travaux.",
        "Ce week-end, plus de deux mille visiteurs se sont pressés au marché du vieux port.",
        "Les chercheuses étudient depuis des années l'effet du climat sur les forêts du nord.",
        "Pour les familles du quartier, le jardin public est devenu un deuxième salon.",
        "Le maire a promis de rendre les conclusions publiques avant le début de l'été.",
    ),
    "nb": (
        "Kommunen la i vår fram en ny plan for sentrum av byen.",
        "Mange butikkeiere frykter at husleiene vil fortsette å stige etter ombyggingen.",
        "I helgen kom mer enn to tusen besøkende til markedet ved den gamle brua.",
        "Forskerne har i mange år undersøkt hvordan klimaet påvirker skogene i nord.",
        "For familiene i nabolaget har lekeplassen blitt en ekstra stue.",
        "Ordføreren lovet å legge fram resultatene før sommeren.",
    ),
    "ar": (
        "قدّمت البلدية في الربيع خطة جديدة لتطوير وسط المدينة القديم.",
        "يخشى كثير من التجار أن تستمر الإيجارات في الارتفاع بعد انتهاء الأعمال.",
        "زار السوق القريب من الميناء أكثر من ألفي شخص خلال عطلة نهاية الأسبوع.",
        "تدرس الباحثات منذ سنوات تأثير المناخ على الغابات والمياه في الشمال.",
        "أصبحت الحديقة العامة بالنسبة لعائلات الحي غرفة جلوس ثانية.",
        "وعد رئيس البلدية بنشر النتائج قبل بداية فصل الصيف.",
    ),
    "ru": (
        "Весной городские власти представили новый план развития центра города.",
        "Многие владельцы магазинов опасаются, что после ремонта аренда снова вырастет.",
        "За выходные рынок у старого моста посетили более двух тысяч человек.",
        "Исследовательницы уже много лет изучают, как климат влияет на северные леса.",
        "Для семей района сквер давно стал второй гостиной.",
        "Мэр пообещал опубликовать результаты до начала лета.",
    ),
    "hi": (
        "नगर निगम ने इस वसंत में शहर के पुराने बाज़ार के लिए एक नई योजना पेश की।",
        "कई दुकानदारों को डर है कि काम पूरा होने के बाद किराया और बढ़ जाएगा।",
        "सप्ताहांत में दो हज़ार से अधिक लोग नदी के किनारे लगे मेले में पहुँचे।",
        "शोधकर्ता कई वर्षों से अध्ययन कर रही हैं कि मौसम का जंगलों पर क्या असर पड़ता है।",
        "मोहल्ले के परिवारों के लिए यह पार्क अब दूसरा घर बन गया है।",
        "महापौर ने गर्मियों से पहले नतीजे सार्वजनिक करने का वादा किया।",
    ),
    "el": (
        "Ο δήμος παρουσίασε την άνοιξη ένα νέο σχέδιο για το κέντρο της πόλης.",
        "Πολλοί έμποροι φοβούνται ότι τα ενοίκια θα συνεχίσουν να ανεβαίνουν μετά τα έργα.",
        "Το Σαββατοκύριακο περισσότεροι από δύο χιλιάδες επισκέπτες ήρθαν στην αγορά του λιμανιού.",
        "Οι ερευνήτριες μελετούν εδώ και χρόνια πώς το κλίμα επηρεάζει τα δάση του βορρά.",
        "Για τις οικογένειες της γειτονιάς η πλατεία έγινε ένα δεύτερο σαλόνι.",
        "Ο δήμαρχος υποσχέθηκε να δημοσιεύσει τα αποτελέσματα πριν από το καλοκαίρι.",
    ),
    "ja": (
        "市は今年の春、中心街を再開発する新しい計画を発表した。",
        "多くの商店主は、工事の後に家賃がさらに上がることを心配している。",
        "週末には二千人を超える人々が港の朝市を訪れた。",
        "研究者たちは長年、気候が北の森にどのような影響を与えるかを調べてきた。",
        "近所の家族にとって、その公園はもう一つの居間になっている。",
        "市長は夏が始まる前に結果を公表すると約束した。",
    ),
}

# The share of story pages in each language (about 45% in all); the rest are English.
SHARE: dict[str, float] = {
    "de": 0.07,
    "es": 0.07,
    "fr": 0.06,
    "nb": 0.04,
    "ar": 0.06,
    "ru": 0.05,
    "hi": 0.05,
    "el": 0.02,
    "ja": 0.03,
}


def pick_language(rng: random.Random) -> str:
    """A story's article language: ``en`` or one of ``SENTENCES``, by ``SHARE``."""
    roll = rng.random()
    for language, share in SHARE.items():
        if roll < share:
            return language
        roll -= share
    return "en"


def paragraph(rng: random.Random, language: str) -> str:
    """A paragraph of three to five of the language's sentences, in a random order."""
    sentences = SENTENCES[language]
    joiner = "" if language == "ja" else " "
    return joiner.join(rng.sample(sentences, rng.randint(3, 5)))
