"""Names that look alike but are not: ``rate`` and ``rаte`` (with a Cyrillic а) must not both be declared.

Two names are confusable when their skeletons are equal (Unicode TR39: every character replaced by the
prototype of the characters it can be confused with). The confusable pairs come from Unicode's
confusables data, as shipped by the ``confusable-homoglyphs`` package; every character is mapped to one
representative of the characters linked to it. Names made of ASCII characters alone are compared only
with names that are not (``l1`` and ``ll`` are the author's own choice, not a disguise).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cache


@cache
def _representatives() -> dict[str, str]:
    """Each confusable character → one representative of all the characters it is linked to."""
    from confusable_homoglyphs.confusables import confusables_data

    parent: dict[str, str] = {}

    def find(ch: str) -> str:
        root = ch
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(ch, ch) != root:  # path compression
            parent[ch], ch = root, parent[ch]
        return root

    for character, entries in confusables_data.items():
        for entry in entries:
            other = entry["c"]
            if len(character) == 1 and len(other) == 1:
                a, b = find(character), find(other)
                if a != b:
                    parent[max(a, b)] = min(a, b)  # the smaller code point represents the class
    return {ch: find(ch) for ch in list(parent)}


def skeleton(name: str) -> str:
    """The name as it looks: each character replaced by its confusable class's representative."""
    representatives = _representatives()
    return "".join(representatives.get(ch, ch) for ch in unicodedata.normalize("NFD", name))


def confusable_pairs(names: Iterable[str]) -> list[tuple[str, str]]:
    """(earlier name, later name) for every later name that looks like an earlier one."""
    candidates = list(names)
    if all(name.isascii() for name in candidates):
        return []
    pairs = []
    seen: dict[str, str] = {}
    for name in candidates:
        key = skeleton(name)
        first = seen.get(key)
        if first is not None and first != name and not (first.isascii() and name.isascii()):
            pairs.append((first, name))
        seen.setdefault(key, name)
    return pairs
