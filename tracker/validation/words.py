"""
Words in event and property names: splitting, spelling keys and past tense.

    >>> split_words("TMDropd"), split_words("order_completed"), split_words("Signed Up")
    (['TM', 'Dropd'], ['order', 'completed'], ['Signed', 'Up'])
    >>> spelling_key("signed_up") == spelling_key("SignedUp") == "signed up"
    True

Verb forms come from lemminflect's English lexicon, which is loaded on first
use (about 0.3 s) and cached, so the hot path only does dictionary look-ups.
"""
import json
import re
from functools import cache, lru_cache
from importlib import resources
from typing import Any

# Words of a name: an upper-case run before a capitalised word (the "TM" of
# "TMDropd"), a capitalised or lower-case word, an upper-case run, or digits.
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+(?:'[a-z]+)?|[A-Z]+|[0-9]+")
_VOWELS = frozenset("aeiouy")


@cache
def naming_words() -> dict[str, Any]:
    """Load the word lists of ``data/naming.json`` once."""
    text = resources.files(__package__).joinpath("data/naming.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return {key: frozenset(value) if isinstance(value, list) else value for key, value in data.items()}


def split_words(name: str) -> list[str]:
    """Split a name on spaces, punctuation, underscores and camelCase boundaries."""
    return _WORD.findall(name)


def spelling_key(name: str) -> str:
    """Return the name's words in lower case, so spellings that differ only in case and separators match."""
    return " ".join(word.lower() for word in split_words(name))


def word_set_key(name: str) -> str:
    """Return the name's words in lower case and sorted, so word order does not matter either."""
    return " ".join(sorted(word.lower() for word in split_words(name)))


@lru_cache(maxsize=8192)
def verb_lemmas(word: str) -> tuple[str, ...]:
    """Return the verb lemmas the lexicon lists for ``word`` (lower case), or () when it is no known verb."""
    from lemminflect import getAllLemmas

    return tuple(getAllLemmas(word, upos="VERB").get("VERB", ()))


@lru_cache(maxsize=8192)
def parts_of_speech(word: str) -> frozenset[str]:
    """Return the lexicon's parts of speech for ``word``: NOUN, VERB, ADJ, ADV; empty when unknown."""
    from lemminflect import getAllLemmas

    return frozenset(getAllLemmas(word))


@lru_cache(maxsize=8192)
def is_past_tense(word: str) -> bool:
    """Tell whether ``word`` (lower case) is a past tense or past participle of some verb.

    Known verbs are checked against their inflections in the lexicon ("paid",
    "sent", "read"). For unknown words ("onboarded", "upvoted"), lemminflect's
    rules guess a lemma and build its forms, and the word is checked against those.
    """
    from lemminflect import getAllLemmasOOV, getInflection

    lemmas = verb_lemmas(word)
    if not lemmas:
        if parts_of_speech(word) or len(word) < 4:
            return False
        lemmas = tuple(getAllLemmasOOV(word, upos="VERB").get("VERB", ()))
    for lemma in lemmas:
        if word in getInflection(lemma, tag="VBD") or word in getInflection(lemma, tag="VBN"):
            return True
    return False


@lru_cache(maxsize=4096)
def past_participle(word: str) -> str | None:
    """Return the past participle of the verb ``word`` is a form of ("click" -> "clicked"), or None."""
    from lemminflect import getInflection

    lemmas = verb_lemmas(word)
    if not lemmas:
        return None
    forms = getInflection(lemmas[0], tag="VBN")
    return forms[0] if forms else None


def is_known_word(word: str) -> bool:
    """Tell whether ``word`` (lower case) is in the lexicon, or is two lexicon words run together ("webhook")."""
    if parts_of_speech(word):
        return True
    for cut in range(2, len(word) - 1):
        if parts_of_speech(word[:cut]) and parts_of_speech(word[cut:]):
            return True
    return False


def looks_abbreviated(word: str) -> bool:
    """Tell whether ``word`` reads as a cryptic abbreviation ("Btn", "Clk", "Dropd") rather than a word.

    Words of one or two letters, and upper-case runs of up to five letters,
    count as acronyms (TV, SMS, PDF). Another word that the lexicon lacks is an
    abbreviation when it has no vowel, or when it begins or ends with a
    consonant cluster that no English word has. Unknown but pronounceable
    words, such as brand names, pass.
    """
    if not word.isalpha() or len(word) < 3:
        return False
    if word.isupper() and len(word) <= 5:
        return False
    lower = word.lower()
    if is_known_word(lower):
        return False
    if not _VOWELS.intersection(lower):
        return True
    words = naming_words()
    onset = _leading_consonants(lower)
    coda = _leading_consonants(lower[::-1])[::-1]
    return onset not in words["onsets"] or not _is_coda(coda, words["codas"])


def _leading_consonants(word: str) -> str:
    for index, letter in enumerate(word):
        if letter in _VOWELS:
            return word[:index]
    return word


def _is_coda(coda: str, codas: frozenset[str]) -> bool:
    if len(coda) <= 1 or coda in codas:
        return True
    # Plural and third-person endings: "hooks", "lengths".
    return coda.endswith("s") and (len(coda) == 2 or coda[:-1] in codas)


def title_case(words: list[str]) -> str:
    """Join words in Title Case: short connecting words lower case between the first and last word, acronyms kept."""
    minor = naming_words()["minor_words"]
    out = []
    for position, word in enumerate(words):
        if word.isupper() and len(word) <= 5 and word.isalpha():
            out.append(word)
        elif 0 < position < len(words) - 1 and word.lower() in minor:
            out.append(word.lower())
        else:
            out.append(word[:1].upper() + word[1:].lower())
    return " ".join(out)
