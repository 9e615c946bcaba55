"""
The semantic event catalog, loaded once from ``data/semantic_events.json``.

    >>> match = lookup("completed_order")
    >>> match.event.name, match.kind
    ('Order Completed', 'variant')
    >>> lookup("Completed Order").kind
    'alias'

A field's type is written as in the data file: ``string``, ``number``,
``integer``, ``boolean``, ``object``, ``array``, ``date`` (an ISO-8601
string), ``array<T>``, an object name of the file's ``objects``, or ``A|B``.
"""
import json
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from .words import word_set_key

BASE_TYPES = frozenset({"string", "number", "integer", "boolean", "object", "array", "date"})


@dataclass(frozen=True)
class FieldSpec:
    """The documented type of one property: its base types, and what its items or fields must be."""

    types: tuple[str, ...]
    # For array<T>: the item's spec; for an object name: the object's fields.
    items: "FieldSpec | None" = None
    fields: "ObjectSpec | None" = None
    values: tuple[Any, ...] = ()

    def describe(self) -> str:
        """Name the type in words: "a number", "an array of objects"."""
        if self.values:
            return "one of " + ", ".join(str(value) for value in self.values)
        return " or ".join(_TYPE_WORDS[kind] for kind in self.types)


@dataclass(frozen=True)
class ObjectSpec:
    name: str
    fields: dict[str, FieldSpec]
    # Groups of property names; each group needs one of its names present.
    expected: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class SemanticEvent:
    name: str
    category: str
    reference: str
    aliases: tuple[str, ...]
    properties: ObjectSpec
    context: ObjectSpec
    # Property names the spec documents for this event, exempt from the reserved-field and casing notes.
    documented: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Match:
    event: SemanticEvent
    # "exact": the spec's name; "alias": a v1 name; "variant": differs only in case, separators or word order.
    kind: str


_TYPE_WORDS = {
    "string": "a string",
    "number": "a number",
    "integer": "an integer",
    "boolean": "a boolean",
    "object": "an object",
    "array": "an array",
    "date": "an ISO-8601 date string",
}


class Catalog:
    """Every semantic event by name, by v1 alias and by its set of words."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._raw_objects: dict[str, Any] = data["objects"]
        self.objects: dict[str, ObjectSpec] = {}
        self.events: dict[str, SemanticEvent] = {}
        self.aliases: dict[str, SemanticEvent] = {}
        self.by_words: dict[str, SemanticEvent] = {}
        self.categories: list[tuple[str, list[SemanticEvent]]] = []
        for category in data["categories"]:
            events = [self._event(entry, category) for entry in category["events"]]
            self.categories.append((category["name"], events))
        self._index()

    def _index(self) -> None:
        for _, events in self.categories:
            for event in events:
                if event.name in self.events:
                    raise ValueError(f"Semantic event {event.name!r} is declared twice")
                self.events[event.name] = event
                for alias in event.aliases:
                    self.aliases[alias] = event
        # Spec names win over aliases when both have the same words.
        for event in self.events.values():
            self.by_words.setdefault(word_set_key(event.name), event)
        for alias, event in self.aliases.items():
            self.by_words.setdefault(word_set_key(alias), event)

    def _event(self, entry: dict[str, Any], category: dict[str, Any]) -> SemanticEvent:
        fields: dict[str, FieldSpec] = {}
        expected: list[tuple[str, ...]] = []
        for included in entry.get("includes", ()):
            spec = self.object_spec(included)
            fields.update(spec.fields)
            expected.extend(spec.expected)
        fields.update({name: self.field_spec(kind) for name, kind in entry.get("properties", {}).items()})
        expected.extend(_groups(entry.get("expected", ())))
        properties = ObjectSpec("properties", fields, tuple(expected))
        context = ObjectSpec(
            "context",
            {name: self.field_spec(kind) for name, kind in entry.get("context", {}).items()},
            _groups(entry.get("context_expected", ())),
        )
        return SemanticEvent(
            name=entry["name"],
            category=category["name"],
            reference=category.get("reference", ""),
            aliases=tuple(entry.get("aliases", ())),
            properties=properties,
            context=context,
            documented=frozenset(fields),
        )

    def object_spec(self, name: str) -> ObjectSpec:
        if name not in self.objects:
            raw = self._raw_objects[name]
            fields = {key: self.field_spec(kind) for key, kind in raw["fields"].items()}
            self.objects[name] = ObjectSpec(name, fields, _groups(raw.get("expected", ())))
        return self.objects[name]

    def field_spec(self, kind: Any) -> FieldSpec:
        if isinstance(kind, dict):
            return FieldSpec((kind["type"],), values=tuple(kind["values"]))
        if "|" in kind:
            parts = [self.field_spec(part) for part in kind.split("|")]
            return FieldSpec(tuple(part.types[0] for part in parts))
        if kind.startswith("array<") and kind.endswith(">"):
            return FieldSpec(("array",), items=self.field_spec(kind[6:-1]))
        if kind in BASE_TYPES:
            return FieldSpec((kind,))
        if kind in self._raw_objects:
            return FieldSpec(("object",), fields=self.object_spec(kind))
        raise ValueError(f"Unknown type {kind!r} in the semantic event catalog")


def _groups(entries: Any) -> tuple[tuple[str, ...], ...]:
    return tuple((entry,) if isinstance(entry, str) else tuple(entry) for entry in entries)


@cache
def catalog() -> Catalog:
    text = resources.files(__package__).joinpath("data/semantic_events.json").read_text(encoding="utf-8")
    return Catalog(json.loads(text))


@lru_cache(maxsize=4096)
def lookup(name: str) -> Match | None:
    """Find the semantic event an event name stands for, exactly, as a v1 alias or as a variant spelling."""
    events = catalog()
    if name in events.events:
        return Match(events.events[name], "exact")
    if name in events.aliases:
        return Match(events.aliases[name], "alias")
    event = events.by_words.get(word_set_key(name))
    return Match(event, "variant") if event is not None else None
