"""Named fields below an XML element, found in one walk over the element's subtree.

A field is one or more child paths in one namespace (``"RltdPties/Cdtr/Nm"``); a field with several
paths is their union. Like XPath, a field's value is its first match in document order, and a
repeated field keeps every match in order. One walk that looks at each child's tag once costs
about half of one compiled XPath per field (~1.3 µs each in lxml, most of it set-up); what is
left is mostly lxml making a proxy and a tag string for every element visited (~0.3 µs each).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from lxml import etree


class _Step(NamedTuple):
    field: str | None  # the field this path ends at, if any
    repeated: bool
    below: dict[str, _Step]  # the steps that continue under this child, keyed by exact tag


class Fields:
    """The elements one walk found, by field name."""

    __slots__ = ("_every", "_first")

    def __init__(
        self, first: dict[str, etree._Element], every: dict[str, list[etree._Element]]
    ) -> None:
        self._first = first
        self._every = every

    def first(self, field: str) -> etree._Element | None:
        return self._first.get(field)

    def every(self, field: str) -> list[etree._Element]:
        return self._every.get(field, [])

    def text(self, field: str) -> str:
        """The first match's string value (XPath ``string()``: all its text), ``""`` if none."""
        element = self._first.get(field)
        if element is None:
            return ""
        return string_value(element) if len(element) else element.text or ""


class FieldPaths:
    """Where each field lives below an element, compiled into one tree of exact tags."""

    def __init__(
        self,
        namespace: str,
        fields: Mapping[str, Sequence[str]],
        *,
        repeated: frozenset[str] = frozenset(),
    ) -> None:
        self._root: dict[str, _Step] = {}
        for field, paths in fields.items():
            for path in paths:
                self._add(namespace, field, path.split("/"), repeated=field in repeated)

    def _add(self, namespace: str, field: str, names: list[str], *, repeated: bool) -> None:
        steps = self._root
        for depth, name in enumerate(names):
            tag = f"{{{namespace}}}{name}"
            step = steps.get(tag) or _Step(None, repeated=False, below={})
            if depth == len(names) - 1:
                if step.field not in {None, field}:
                    raise ValueError(f"{'/'.join(names)!r} already ends field {step.field!r}")
                step = step._replace(field=field, repeated=repeated)
            steps[tag] = step
            steps = step.below

    def read(self, element: etree._Element) -> Fields:
        first: dict[str, etree._Element] = {}
        every: dict[str, list[etree._Element]] = {}
        _walk(element, self._root, first, every)
        return Fields(first, every)


def _walk(
    element: etree._Element,
    steps: dict[str, _Step],
    first: dict[str, etree._Element],
    every: dict[str, list[etree._Element]],
) -> None:
    """Depth-first, so the first match of a field met is its first in document order."""
    for child in element:
        step = steps.get(child.tag)
        if step is None:
            continue
        field, repeated, below = step
        if field is not None:
            if repeated:
                every.setdefault(field, []).append(child)
            else:
                first.setdefault(field, child)
        if below:
            _walk(child, below, first, every)


def string_value(element: etree._Element) -> str:
    """All text inside ``element`` in document order, as XPath's ``string()`` gives it (every
    child is an element: the statement parsers drop comments and processing instructions)."""
    if not len(element):
        return element.text or ""
    parts = [element.text or ""]
    for child in element:
        parts.append(string_value(child))
        parts.append(child.tail or "")
    return "".join(parts)
