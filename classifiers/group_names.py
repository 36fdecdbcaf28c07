"""Every word that names a group of people by who they are, for the explanations' marks: plain tuples.

Kept apart from classifiers/groups.py, whose two forms the identity-attack copies swap at training
(classifiers/counterfactual.py) and the `group_attack` rule reads: widening those would change the
next model's training and what the rule holds. Here a word is only left out of the toxicity,
insult and threat marks, where "Nigerians" or "Aussies" beside "morons" read to a moderator as the
offending word, as "Muslims" did before (classifiers/explain.py). Imports nothing, as groups.py.

Slurs are not names here ("paki", "kike", "tranny", "retard"): they are the offence, and stay marked; nor
are names many of a group take for one ("gypsy", "moslem"): "You Moslem." was held with no word marked.
"""

from __future__ import annotations

# Nationalities, ethnicities and demonyms of a country, region or city that are nouns ("a Somali",
# "an Israeli") and adjectives too ("Somali pirates"); their plurals are made by `plural`.
_PEOPLE = """
    afghan albanian algerian american andorran angolan argentine argentinian armenian australian austrian
    azerbaijani azeri bahamian bahraini bangladeshi barbadian bajan belarusian belgian belizean beninese
    bhutanese bolivian bosnian botswanan brazilian brit briton bruneian bulgarian burkinabe burmese burundian
    cambodian cameroonian canadian chadian chilean chinese colombian congolese croat croatian cuban cypriot
    czech dane djiboutian dominican ecuadorian egyptian emirati eritrean estonian ethiopian fijian filipino
    filipina finn gabonese gambian georgian german ghanaian greek grenadian guatemalan guinean guyanese
    haitian honduran hungarian icelander indian indonesian iranian iraqi israeli italian ivorian jamaican
    japanese jordanian kazakh kenyan korean kosovar kuwaiti kyrgyz lao laotian latvian lebanese liberian
    libyan lithuanian luxembourger macedonian malagasy malawian malaysian maldivian malian maltese
    mauritanian mauritian mexican moldovan monegasque mongolian montenegrin moroccan mozambican namibian
    nepali nepalese nicaraguan nigerien nigerian norwegian omani pakistani palestinian panamanian
    paraguayan peruvian pole portuguese qatari romanian russian rwandan salvadoran saudi scot senegalese
    serb serbian singaporean slovak slovakian slovene slovenian somali spaniard sudanese surinamese swazi
    swede syrian taiwanese tajik tanzanian thai togolese tongan trinidadian tunisian turk turkmen ugandan
    ukrainian uruguayan uzbek venezuelan vietnamese yemeni zambian zimbabwean samoan tibetan
    aussie kiwi yankee
    african arab asian european hispanic latino latina caucasian aboriginal aborigine inuk maori sami
    romani romany traveller traveler kurd berber pashtun punjabi bengali gujarati tamil
    sinhalese uyghur uighur hmong slav celt hutu tutsi yoruba igbo zulu bedouin persian kashmiri chechen
    tatar catalan basque bavarian sicilian corsican breton scandinavian westerner easterner northerner
    southerner midwesterner londoner parisian texan californian floridian scouser geordie glaswegian
    mancunian brummie cockney quebecer quebecois
    native somalian yazidi dalit ashkenazi sephardi mizrahi druze
"""
# Group adjectives that are not nouns, and plurals that are not made by a rule.
_ADJECTIVES_AND_IRREGULAR = """
    british english french irish welsh scottish spanish polish swedish danish finnish turkish dutch
    flemish cornish swiss icelandic kurdish jewish islamic orthodox hasidic haredi haredim hasidim
    roma inuit amish druze sinti black blacks white whites brown indigenous biracial slavic celtic nordic balkan
    caribbean arabic rohingya ashkenazim sephardim
    women men transwomen transmen
    gay lesbian bisexual bi trans transgender transsexual queer homosexual heterosexual straight asexual
    pansexual intersex nonbinary enby lgbt lgbtq lgbtqia glbt
    disabled deaf blind autistic dyslexic paraplegic quadriplegic paralyzed paralysed handicapped wheelchair
    undocumented asylum
    islam judaism christianity hinduism sikhism buddhism catholicism mormonism
"""
# Nouns of faith, sex, sexuality, disability and migration, whose plurals `plural` makes too.
_OTHER_NOUNS = """
    muslim jew christian catholic protestant evangelical mormon hindu sikh buddhist atheist agnostic
    pagan baptist methodist anglican lutheran presbyterian quaker jain taoist rastafarian sunni shia shiite
    sufi ahmadi wiccan copt zoroastrian unitarian hasid
    woman man female male transwoman transman
    gay lesbian bisexual transsexual transgender queer homosexual heterosexual asexual pansexual
    amputee paraplegic quadriplegic
    migrant immigrant emigrant refugee foreigner expat expatriate
"""
# "an Englishman", "Frenchwomen".
_MAN_ADJECTIVES = "english french irish dutch welsh scots cornish"


def plural(noun: str) -> str:
    """The regular English plural: "somalis", "romanies", and "chinese" and "swiss" as they are."""
    if noun.endswith(("ese", "ss")):
        return noun
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def _names() -> frozenset[str]:
    nouns = (_PEOPLE + _OTHER_NOUNS).split()
    # "womans" and "kyrgyzs" are made too, and harm nothing: a word no one writes is never marked.
    forms = set(nouns) | {plural(n) for n in nouns} | set(_ADJECTIVES_AND_IRREGULAR.split())
    forms |= {adjective + end for adjective in _MAN_ADJECTIVES.split() for end in ("man", "men", "woman", "women")}
    return frozenset(forms)


GROUP_NAME_WORDS: frozenset[str] = _names()
# Names of two words, each read on its own by the marks: the second is a group's name only after the first
# ("asylum seekers", "non-binary"), and both are left out together.
GROUP_NAME_PHRASES: frozenset[tuple[str, str]] = frozenset(
    (first, second) for first, seconds in (
        ("asylum", "seeker seekers"), ("non", "binary"), ("first", "nations"), ("new", "yorker yorkers zealander zealanders"),
        ("costa", "rican ricans"), ("puerto", "rican ricans"), ("sri", "lankan lankans"), ("middle", "eastern easterner easterners"),
        ("wheelchair", "user users"), ("travelling", "people community"),
    ) for second in seconds.split()
)
