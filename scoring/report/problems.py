"""Problems as lines a person reads, in the language the command speaks.

The engine writes every problem's message and hint in English, quoting the names and numbers concerned. A
line in English is the problem as the engine wrote it (``location: message — hint``). A line in another
language leads with a headline in the language: the problem's code (the same in every language) and a title
naming what is wrong, from the catalogue's ``problem:`` section. The message and hint follow, translated
when the catalogue's ``problem.from_english`` section knows them, else as the engine wrote them:
``demo.yaml:4:10：[input-value] 输入值无效：输入 'spent' 须为数字，不能是文本 '92.8%'（提示：…）``.

A translation is a pair: an English pattern (a regular expression that must match the engine's whole
text, with named groups for the names, numbers and quoted parts in it) and the template that says the same
with those groups, quoted exactly as the engine wrote them. Messages are translated per problem code;
hints are shared by every code (``did you mean 'x'?`` follows many codes). A frame is a pattern around a
``body`` that is itself a message of the same code — the ``(indicator 'a')`` a shape problem ends with, the
formula a formula problem quotes — so one frame serves every message it can wrap. A group named
``word_…`` holds one of a few English words the engine picks from (a kind, an operating system's error),
said by the section's ``words``; a group named ``sub_…`` holds a clause said by its ``clauses`` (the parts
of a hint joined by ``;``, a rounding explanation). The findings of ``scoring reproduce`` are said the same
way, per check (:func:`finding_text`). A text no pattern matches in full keeps its English: a line is never
translated in part or wrongly.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

import yaml

from ..errors import Problem
from ..language import Catalogue

#: The language the engine writes problems' messages and hints in: lines in it need no headline.
MESSAGES_LANGUAGE = "en"
#: The catalogue section holding the patterns that translate the engine's English (absent in English).
PATTERNS_KEY = "problem.from_english"
#: A group of a pattern whose English word is looked up in the section's ``words``, not quoted.
WORD_PREFIX = "word_"
#: A group of a pattern holding a clause said by the catalogue's ``clauses`` (see :class:`Translations`).
SUB_PREFIX = "sub_"
#: The catalogues' folder: read here as well as by :mod:`..language`, which flattens the files to texts,
#: while the patterns are lists of pairs.
_LOCALES = Path(__file__).resolve().parent.parent / "locales"


class Translation(NamedTuple):
    """One pair of a catalogue's ``problem.from_english`` section: an English pattern, its template.

    A group named ``word_…`` holds one of a few English words the engine picks from (``text``, ``a date``,
    an OS error such as ``Is a directory``): the template gets its entry in ``words``, and a word the
    section does not list leaves the text untranslated."""

    pattern: re.Pattern[str]
    template: str
    words: Mapping[str, str] | None = None

    def apply(self, text: str) -> str | None:
        """The template filled with the groups of ``text`` when the pattern matches all of it, else None."""
        match = self.pattern.fullmatch(text)
        return None if match is None else self.fill(match)

    def fill(self, match: re.Match[str], **values: str) -> str | None:
        """The template filled with ``match``'s groups (and ``values``); None when it names a group the
        match left empty."""
        groups = {name: value for name, value in match.groupdict().items() if value is not None}
        for name, value in groups.items():
            if name.startswith(WORD_PREFIX) and name not in values:
                if value not in (self.words or {}):
                    return None
                groups[name] = (self.words or {})[value]
        try:
            return self.template.format(**{**groups, **values})
        except (KeyError, IndexError):
            return None


class Translations(NamedTuple):
    """The patterns of one language: messages per problem code, frames around a message, shared hints, the
    messages of ``scoring reproduce``'s findings per check, and the clauses any of them may hold.

    A group named ``sub_KEY`` (or ``sub_KEY__2`` for a second one) holds a clause said in turn by the
    ``clauses`` under KEY — a rounding explanation, a row's name, one of the pairs of a formula hint — or,
    for KEY ``hint``, by the hints: a clause nothing says leaves the whole text untranslated."""

    messages: Mapping[str, tuple[Translation, ...]]
    frames: tuple[Translation, ...]
    hints: tuple[Translation, ...]
    findings: Mapping[str, tuple[Translation, ...]] = {}
    clauses: Mapping[str, tuple[Translation, ...]] = {}

    def message(self, code: str, text: str) -> str | None:
        """``text``, a message of ``code``, in the language; None when no pattern translates all of it.
        Frames come first, so that a message pattern ending in a wide group cannot swallow a frame's
        ``(indicator 'a')``."""
        for frame in self.frames:
            match = frame.pattern.fullmatch(text)
            # A frame's body is shorter than the text it lies in, so this ends.
            if match is None or (body := self.message(code, match.group("body"))) is None:
                continue
            if (done := frame.fill(match, body=body)) is not None:
                return done
        return self._say(self.messages.get(code, ()), text)

    def hint(self, text: str) -> str | None:
        """``text``, a hint, in the language; None when no pattern translates all of it."""
        return self._say(self.hints, text)

    def finding(self, check: str, text: str) -> str | None:
        """``text``, the message of a finding of ``check``, in the language; None when no pattern translates
        all of it."""
        return self._say(self.findings.get(check, ()), text)

    def _say(self, translations: tuple[Translation, ...], text: str) -> str | None:
        """``text`` by the first of ``translations`` that matches all of it and whose clauses are said."""
        for translation in translations:
            match = translation.pattern.fullmatch(text)
            if match is None:
                continue
            clauses = {}
            for name, clause in match.groupdict().items():
                if clause is not None and name.startswith(SUB_PREFIX):
                    key = name.removeprefix(SUB_PREFIX).split("__")[0]
                    pool = self.hints if key == "hint" else self.clauses.get(key, ())
                    # a clause is shorter than the text it lies in, so this ends
                    if (said := self._say(pool, clause)) is None:
                        break
                    clauses[name] = said
            else:
                if (done := translation.fill(match, **clauses)) is not None:
                    return done
        return None


def _pairs(node: object, where: str, words: Mapping[str, str] | None = None) -> tuple[Translation, ...]:
    """A list of ``[pattern, template]`` pairs compiled (the catalogue is ours: a bad entry is a bug)."""
    if not isinstance(node, list):
        raise ValueError(f"{where}: expected a list of [pattern, template] pairs")
    pairs: list[Translation] = []
    for pair in node:
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(part, str) for part in pair)):
            raise ValueError(f"{where}: {pair!r} is not a [pattern, template] pair")
        pairs.append(Translation(re.compile(pair[0]), pair[1], words))
    return tuple(pairs)


@functools.cache
def translations(language: str) -> Translations:
    """The compiled ``problem.from_english`` patterns of ``language``'s catalogue, read once; none for
    English and for a catalogue without the section."""
    if language == MESSAGES_LANGUAGE:
        return Translations({}, (), ())
    data = yaml.safe_load((_LOCALES / f"{language}.yaml").read_text(encoding="utf-8"))
    section = data.get("problem", {}).get(PATTERNS_KEY.rsplit(".", 1)[1], {})
    words = {str(english): str(word) for english, word in (section.get("words") or {}).items()}

    def keyed(name: str) -> dict[str, tuple[Translation, ...]]:
        node = section.get(name) or {}
        return {key: _pairs(pairs, f"{PATTERNS_KEY}.{name}.{key}", words) for key, pairs in node.items()}

    frames = _pairs(section.get("frames") or [], f"{PATTERNS_KEY}.frames", words)
    if unframed := [frame.pattern.pattern for frame in frames if "body" not in frame.pattern.groupindex]:
        raise ValueError(f"{PATTERNS_KEY}.frames: no 'body' group in {unframed}")
    hints = _pairs(section.get("hints") or [], f"{PATTERNS_KEY}.hints", words)
    return Translations(keyed("messages"), frames, hints, keyed("findings"), keyed("clauses"))


def finding_text(check: str, message: str, texts: Catalogue | None = None) -> str:
    """The message of a finding of ``scoring reproduce`` (``check``: the finding's check) in the language of
    ``texts``: translated when the catalogue's ``findings`` patterns match it in full, else as the audit
    wrote it in English."""
    if texts is None or texts.language == MESSAGES_LANGUAGE:
        return message
    return translations(texts.language).finding(check, message) or message


def problem_title(code: str, texts: Catalogue) -> str:
    """The title of a problem code in ``texts``' language; else its English title; else the code in words
    (a code the catalogues do not know yet still prints)."""
    key = f"problem.titles.{code}"
    for catalogue in (texts, Catalogue(MESSAGES_LANGUAGE)):
        try:
            return catalogue.text(key)
        except KeyError:
            continue
    return code.replace("-", " ")


def problem_text(problem: Problem, texts: Catalogue | None = None) -> str:
    """One problem as one line in the language of ``texts`` (English, as the engine wrote it, when None):
    its message and hint translated when the catalogue's patterns match them in full, else in English."""
    if texts is None or texts.language == MESSAGES_LANGUAGE:
        return str(problem)
    known = translations(texts.language)
    title = problem_title(problem.code, texts)
    message = known.message(problem.code, problem.message) or problem.message
    text = texts.text("problem.line", code=problem.code, title=title, message=message)
    if problem.location is not None:
        text = texts.text("problem.located", location=problem.location, text=text)
    if problem.hint:
        hint = known.hint(problem.hint) or problem.hint
        text = texts.text("problem.hinted", text=text, label=texts.text("problem.hint"), hint=hint)
    return text
