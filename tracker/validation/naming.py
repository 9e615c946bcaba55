"""
Rules for event and property names: descriptive, fixed, Object + past-tense
Action, Title Case for events, snake_case for properties, and no near-misses
of a semantic event's name.

Source: Segment's Track spec ("Event 12" and "TMDropd" are its examples of
names to avoid) and its Protocols naming best practices. Names in the
semantic event catalog are the spec's own and exempt from these rules. One
event name gets one verdict: the first rule of this module that fires.
"""
import re
from functools import lru_cache

from .catalog import Match
from .calls import MAX_EVENT_NAME_LENGTH
from .paths import format_path
from .problems import Problem
from .reserved import RESERVED_FIELDS
from .rules import register
from .words import is_past_tense, looks_abbreviated, naming_words, past_participle, split_words, title_case, verb_lemmas

CONCERN = "naming"
# Past this many property names that are not snake_case, the rest are summed up in one problem.
MAX_PROPERTY_NAME_NOTES = 10

_SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
_KEY_SEPARATORS = re.compile(r"[ ._\-]")
# Words spelled with a lower-case prefix of one or two letters: iOS, iPhone, eBay, tvOS.
_BRAND_SPELLING = re.compile(r"[a-z]{1,2}[A-Z][A-Za-z0-9]*")
# Parts of a name that are values rather than words, with what to call them.
_DYNAMIC_PARTS = [
    (re.compile(r"\{\{[^}]*\}\}|\$\{[^}]*\}|#\{[^}]*\}|<%[^%]*%>|%\([a-z_]+\)[sd]|%[sdif]\b|\{[A-Za-z_][\w.]*\}"),
     "a template placeholder"),
    (re.compile(r"\[object Object\]|\bundefined\b|\bnull\b|\bNaN\b"), "an unfilled value"),
    (re.compile(r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"), "a UUID"),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "an email address"),
    (re.compile(r"https?://\S+|\bwww\.\S+|(?:/[\w.-]+){2,}"), "a URL or path"),
    (re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{1,2}:\d{2}(?::\d{2})?\b"), "a date or time"),
    (re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2}(?:st|nd|rd|th)?\b"),
     "a date"),
    (re.compile(r"\b(?:19|20)\d{2}\b"), "a year"),
    (re.compile(r"\b(?=[0-9a-fA-F]*[0-9])(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{10,}\b"), "an id"),
    (re.compile(r"\d{5,}"), "an id"),
    (re.compile(r"\b[A-Za-z]+[_-]?\d{3,}\b"), "an id"),
]

event_name_semantic_variant = register(
    code="event_name_semantic_variant",
    severity="warning",
    concern=CONCERN,
    title="Near-miss of a semantic event name",
    explanation=(
        "The name differs from one of Segment's semantic events only in case, spaces, underscores or word order. "
        "Segment's destination matcher may still recognise it, but tracking plans and schema controls match names "
        "exactly, so order_completed and Order Completed count as two events and one of them gets blocked."
    ),
    fix="Send the semantic event's exact name.",
    bad={"type": "track", "userId": "u_1", "event": "order_completed", "properties": {"order_id": "o_1"}},
    good={"type": "track", "userId": "u_1", "event": "Order Completed", "properties": {"order_id": "o_1"}},
    reference="Protocols tracking plans match names exactly; analytics-events matcher",
)
event_name_dynamic = register(
    code="event_name_dynamic",
    severity="warning",
    concern=CONCERN,
    title="Event name contains an id, a date or an inserted value",
    explanation=(
        "A name built from data (an id, a date, an email, a URL, or a template placeholder left unfilled) makes a "
        "new event for every value. Reports, funnels and tracking plans then see thousands of events that are "
        "really one."
    ),
    fix="Keep the event name fixed and send the changing value as a property.",
    bad={"type": "track", "userId": "u_1", "event": "Report 2024-03-05 Exported"},
    good={"type": "track", "userId": "u_1", "event": "Report Exported", "properties": {"report_date": "2024-03-05"}},
    reference="Protocols naming best practices",
)
event_name_nondescript = register(
    code="event_name_nondescript",
    severity="warning",
    concern=CONCERN,
    title="Event name does not say what happened",
    explanation=(
        'Names such as "Event 12", "test" or "click", and abbreviations such as "TMDropd", mean nothing to '
        "whoever reads the data later. Segment's Track spec gives these as names to avoid."
    ),
    fix='Name the object and what happened to it, in words, such as "Video Recorded" or "Order Completed".',
    bad={"type": "track", "userId": "u_1", "event": "TMDropd"},
    good={"type": "track", "userId": "u_1", "event": "Team Menu Opened"},
    reference="Track spec, event naming",
)
event_name_not_object_action = register(
    code="event_name_not_object_action",
    severity="warning",
    concern=CONCERN,
    title="Event name is not Object + past-tense Action",
    explanation=(
        "Segment recommends naming events by the object and the past-tense action done to it: Button Clicked, "
        "not Click Button; Order Completed, not Completing Order. Names of one shape sort together and read as "
        "things that happened."
    ),
    fix="Put the object first and the action last, in the past tense.",
    bad={"type": "track", "userId": "u_1", "event": "Click Button"},
    good={"type": "track", "userId": "u_1", "event": "Button Clicked"},
    reference="Track spec, event naming; Protocols naming best practices",
)
event_name_not_title_case = register(
    code="event_name_not_title_case",
    severity="info",
    concern=CONCERN,
    title="Event name is not in Title Case",
    explanation=(
        "Segment recommends one casing convention for event names, Title Case, so the same event is never sent as "
        "both report_exported and Report Exported."
    ),
    fix="Write each word of the name with a capital, separated by spaces.",
    bad={"type": "track", "userId": "u_1", "event": "report_exported"},
    good={"type": "track", "userId": "u_1", "event": "Report Exported"},
    reference="Protocols naming best practices",
)
property_name_not_snake_case = register(
    code="property_name_not_snake_case",
    severity="info",
    concern=CONCERN,
    title="Property name is not snake_case",
    explanation=(
        "Segment recommends snake_case for property names. Mixing orderId and order_id splits one property into "
        "two columns in warehouses. Properties that a semantic event documents in camelCase, such as the "
        "conversationId of AI Copilot events, are exempt."
    ),
    fix="Rename the property to lower-case words joined by underscores.",
    bad={"type": "track", "userId": "u_1", "event": "Report Exported", "properties": {"fileFormat": "csv"}},
    good={"type": "track", "userId": "u_1", "event": "Report Exported", "properties": {"file_format": "csv"}},
    reference="Protocols naming best practices",
)


def check_event_name(message: dict, out: list[Problem], match: Match | None = None) -> None:
    """Check a track message's event name; names the call rules reject are skipped."""
    name = message.get("event")
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_EVENT_NAME_LENGTH:
        return
    if match is not None:
        if match.kind == "variant":
            out.append(event_name_semantic_variant.problem(
                "event",
                f'event "{name}" differs from the semantic event "{match.event.name}" only in case, separators or '
                f'word order. Tracking plans match names exactly, so send "{match.event.name}".',
                match.event.name,
            ))
        return
    out.extend(name_problems(name))


@lru_cache(maxsize=4096)
def name_problems(name: str) -> tuple[Problem, ...]:
    """Return the naming verdict on an event name outside the semantic catalog (cached: names repeat)."""
    for verdict in (_dynamic_part, _nondescript, _object_action, _title_case):
        problem = verdict(name)
        if problem is not None:
            return (problem,)
    return ()


def _dynamic_part(name: str) -> Problem | None:
    for pattern, kind in _DYNAMIC_PARTS:
        found = pattern.search(name)
        if found:
            return event_name_dynamic.problem(
                "event",
                f'event "{name}" contains {kind} ("{found.group(0)}"). A name that carries data makes a new event '
                "for every value; keep the name fixed and send the value as a property.",
            )
    return None


def _nondescript(name: str) -> Problem | None:
    words = split_words(name)
    letters = [word for word in words if word.isalpha()]
    if sum(len(word) for word in letters) < 2:
        reason = "has no words"
    else:
        cryptic = next((word for word in letters if looks_abbreviated(word)), None)
        generic = naming_words()["generic_words"]
        if cryptic is not None:
            reason = f'contains "{cryptic}", which reads as an abbreviation, not a word'
        elif all(word.lower() in generic for word in letters):
            reason = "has only generic words" + (" and numbers" if len(letters) < len(words) else "")
        else:
            return None
    return event_name_nondescript.problem(
        "event", f'event "{name}" {reason}, so it does not say what happened. ' + event_name_nondescript.fix,
    )


def _object_action(name: str) -> Problem | None:
    original = split_words(name)
    words = [word.lower() for word in original]
    if _has_past_action(words):
        return None
    rewrite = _action_last_rewrite(original, words)
    if rewrite is not None:
        action, suggestion = rewrite
        text = f'event "{name}" ends in the action "{action}", which is not in the past tense.'
    else:
        rewrite = _action_first_rewrite(original, words)
        if rewrite is not None:
            action, suggestion = rewrite
            text = f'event "{name}" starts with the action "{action}"; the object comes first.'
        else:
            text = f'event "{name}" has no past-tense action.'
            suggestion = None
    text += " Segment names events Object + past-tense Action"
    if suggestion is None:
        return event_name_not_object_action.problem("event", text + ', such as "Order Completed".')
    return event_name_not_object_action.problem("event", text + f': send "{suggestion}".', suggestion)


def _has_past_action(words: list[str]) -> bool:
    """Tell whether some past-tense word ends the name, or is followed only by a particle, a phrase or adverbs."""
    lists = naming_words()
    for index in range(len(words) - 1, -1, -1):
        if words[index].isalpha() and is_past_tense(words[index]) and _is_action_tail(words[index + 1:], lists):
            return True
    return False


def _is_action_tail(tail: list[str], lists: dict) -> bool:
    if tail and tail[0] in lists["particles"]:
        tail = tail[1:]
    if not tail or tail[0] in lists["prepositions"]:
        return True
    return all(word.endswith("ly") and len(word) > 4 for word in tail)


def _action_last_rewrite(original: list[str], words: list[str]) -> tuple[str, str | None] | None:
    """Read the last word (or verb + particle) as the action; return it and the name with it in the past tense.

    The last word is an action when it is a gerund ("Video Playing"), the base
    form of a verb in the action list ("Button Click"), or a verb followed by
    a particle ("Sign Up").
    """
    lists = naming_words()
    end = len(words)
    if end >= 2 and words[-1] in lists["particles"] and verb_lemmas(words[-2]):
        end -= 1
    last = words[end - 1]
    lemmas = verb_lemmas(last)
    if not lemmas or not last.isalpha():
        return None
    gerund = last.endswith("ing") and last != lemmas[0]
    phrasal = end < len(words)
    if not gerund and (last != lemmas[0] or not phrasal and lemmas[0] not in lists["action_words"]):
        return None
    action = " ".join(original[end - 1:])
    participle = past_participle(last)
    if participle is None or len(words) == 1:
        return action, None
    return action, title_case(original[: end - 1] + [participle] + original[end:])


def _action_first_rewrite(original: list[str], words: list[str]) -> tuple[str, str | None] | None:
    """Read the first word as the action; return it and the name with the object first.

    The first word is an action when it is a gerund ("Completing Order"), a
    past tense ("Viewed Dashboard") or a verb of the imperative list ("Click
    Button"). With a particle or a preposition after it ("Add to Cart") the
    object is unclear, so no rewrite is suggested.
    """
    lists = naming_words()
    first = words[0]
    lemmas = verb_lemmas(first)
    if len(words) < 2 or not lemmas or not first.isalpha():
        return None
    inflected = first != lemmas[0] and (first.endswith("ing") or is_past_tense(first))
    if not inflected and (first != lemmas[0] or lemmas[0] not in lists["imperative_words"]):
        return None
    rest = original[1:]
    if any(word.lower() in lists["prepositions"] or word.lower() in lists["particles"] for word in rest):
        return original[0], None
    participle = past_participle(first)
    return original[0], (title_case(rest + [participle]) if participle else None)


def _title_case(name: str) -> Problem | None:
    raw_words = name.split(" ")
    shapes = [_word_shape(word, position) for position, word in enumerate(raw_words)]
    shouting = all(shape == "acronym" for shape in shapes) and any(len(word) > 5 for word in raw_words)
    if "bad" not in shapes and "lower" not in shapes and not shouting:
        return None
    words = split_words(name.lower() if shouting else name)
    suggestion = title_case(words) if words else None
    text = f'event "{name}" is not in Title Case, the casing Segment recommends for event names.'
    if not suggestion or suggestion == name:
        return event_name_not_title_case.problem("event", text + " " + event_name_not_title_case.fix)
    return event_name_not_title_case.problem("event", text + f' Send "{suggestion}".', suggestion)


def _word_shape(word: str, position: int) -> str:
    """Classify one space-separated word: title, acronym, minor, number, lower or bad."""
    letters = word.replace("'", "")
    if not letters:
        return "bad"
    if letters.isdigit():
        return "number"
    if not letters.isalnum():
        return "bad"
    if letters.isupper():
        return "acronym"
    if position > 0 and word in naming_words()["minor_words"]:
        return "minor"
    if letters[0].isupper() and letters[1:] == letters[1:].lower():
        return "title"
    if _BRAND_SPELLING.fullmatch(letters):
        return "title"
    if letters[0].isdigit():
        return "title"
    return "lower" if letters == letters.lower() else "bad"


def check_property_names(message: dict, out: list[Problem], exempt: frozenset[str] = frozenset()) -> None:
    """Note property names that are not snake_case.

    ``exempt`` names are those a semantic event documents. Common fields sent
    as properties (userId) get the reserved-property verdict instead.
    """
    properties = message.get("properties")
    if not isinstance(properties, dict):
        return
    found = 0
    for key in properties:
        if key in exempt or key in RESERVED_FIELDS or _SNAKE_CASE.fullmatch(key):
            continue
        found += 1
        if found <= MAX_PROPERTY_NAME_NOTES:
            out.append(_property_name_problem(key))
    if found > MAX_PROPERTY_NAME_NOTES:
        out.append(property_name_not_snake_case.problem(
            "properties",
            f"{found - MAX_PROPERTY_NAME_NOTES} more property names are not snake_case; they are not listed one by one.",
        ))


@lru_cache(maxsize=4096)
def _property_name_problem(key: str) -> Problem:
    path = format_path(("properties", key))
    text = f"{path} is not snake_case, the casing Segment recommends for property names."
    suggestion = snake_case(key)
    if suggestion is None:
        return property_name_not_snake_case.problem(path, text + " " + property_name_not_snake_case.fix)
    return property_name_not_snake_case.problem(path, text + f' Rename it "{suggestion}".', suggestion)


def snake_case(key: str) -> str | None:
    """Return ``key`` in snake_case when only its case and separators change ("orderId" -> "order_id"), else None."""
    words = split_words(key)
    if not words or "".join(words) != _KEY_SEPARATORS.sub("", key):
        return None
    suggestion = "_".join(word.lower() for word in words)
    return suggestion if _SNAKE_CASE.fullmatch(suggestion) else None
