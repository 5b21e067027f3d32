"""Problems and the error hierarchy.

Detection and presentation are kept apart: checks produce :class:`Problem` values (what, where, how to fix),
and an error carries every problem found in one pass, so a user sees all of them at once.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import limits


@dataclass(frozen=True, slots=True)
class Location:
    """Where a problem is: a file (or the name of data given in memory) and, when known, a 1-based line and
    column — or, for data without positions (a Python mapping, a sheet later), the keys leading to the value."""

    file: str
    line: int | None = None
    column: int | None = None
    #: Keys and list positions inside data that has no lines and columns (``values.staff``).
    keys: tuple[str | int, ...] | None = None

    def __str__(self) -> str:
        if self.keys:
            return f"{self.file}: {'.'.join(map(str, self.keys))}"
        if self.keys is not None:  # the data as a whole
            return self.file
        if self.line is None:
            return self.file
        if self.column is None:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a definition or with data.

    ``code`` is a stable identifier for the kind of problem (for tools and tests); ``subject`` names the
    indicator, input or key concerned; ``hint`` says how to fix it.
    """

    code: str
    message: str
    location: Location | None = None
    subject: str | None = None
    hint: str | None = None
    #: Keys and list positions leading to the problem inside the document, when known.
    path: tuple[str | int, ...] | None = None

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        return f"{text} — {self.hint}" if self.hint else text

    __json__ = ("code", "message", "file", "line", "column", "subject", "hint", "path")

    @property
    def file(self) -> str | None:
        return self.location.file if self.location else None

    @property
    def line(self) -> int | None:
        return self.location.line if self.location else None

    @property
    def column(self) -> int | None:
        return self.location.column if self.location else None


class ScoringError(Exception):
    """Base of every error the library raises on purpose; carries one or more problems.

    At most ``limits.MAX_PROBLEMS`` problems are kept, the last of them saying how many more there were
    (:attr:`omitted`): a file made of nothing but errors costs a bounded amount to report.
    """

    def __init__(self, problems: Sequence[Problem] | Problem, skipped: int = 0) -> None:
        found = (problems,) if isinstance(problems, Problem) else tuple(problems)
        #: How many problems were found beyond those kept (``skipped``: found but never made into problems).
        self.omitted = max(0, len(found) - limits.MAX_PROBLEMS) + skipped
        if self.omitted:
            more = Problem(
                "more-problems",
                f"… and {self.omitted} more {'problem' if self.omitted == 1 else 'problems'} not shown",
                hint="fix these first; the rest are reported when they are gone",
            )
            found = (*found[: limits.MAX_PROBLEMS], more)
        self.problems: tuple[Problem, ...] = found
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    @property
    def kept(self) -> tuple[Problem, ...]:
        """The problems kept, without the last line counting the others (to pass on with ``omitted``)."""
        return self.problems[:-1] if self.omitted else self.problems


class DefinitionError(ScoringError):
    """An indicator set (or the unit file's structure) is invalid."""


class FormulaError(DefinitionError):
    """A formula does not parse or uses something outside the allowed language."""


class DataError(ScoringError):
    """Unit data is invalid or does not fit the indicator set."""


class EvaluationError(DataError):
    """A formula or rule failed on this unit's data (division by zero, overflow, ...)."""


class OptionError(DefinitionError):
    """The parameters of an analysis or of a command are invalid (``subject`` names the parameter): new
    weights that do not fit the set, a Δ or an interval out of range.

    The command line reports it as a usage error (exit status 2).
    """


@dataclass
class ProblemList:
    """Collects problems during a validation pass; raise them together at the end."""

    items: list[Problem] = field(default_factory=list)
    #: Problems found past the cap without being made (:meth:`skip`), counted in the error's ``omitted``.
    skipped: int = 0

    def add(self, problem: Problem) -> None:
        self.items.append(problem)

    def skip(self) -> bool:
        """Whether the list is full; if so, count one more problem instead of making it (a check over many
        items calls this first, so that a file of nothing but errors costs no more than the cap)."""
        if len(self.items) <= limits.MAX_PROBLEMS:
            return False
        self.skipped += 1
        return True

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    def __bool__(self) -> bool:
        return bool(self.items)

    @property
    def full(self) -> bool:
        """Whether more problems than are reported have been found (so costly hints can be skipped)."""
        return len(self.items) >= limits.MAX_PROBLEMS

    def raise_if_any(self, error_type: type[ScoringError]) -> None:
        if self.items:
            raise error_type(self.items, self.skipped)


#: Longest piece of the user's own text a message repeats (a key, a name, a value).
ECHO_LIMIT = 80
#: Names longer than this get no 'did you mean' (comparing long strings costs time quadratic in length).
_SUGGEST_LIMIT = 64


def clip(text: str, limit: int = ECHO_LIMIT) -> str:
    """``text`` as a message repeats it: at most ``limit`` characters, the cut marked with '…'."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def clip_middle(text: str, limit: int = 2 * ECHO_LIMIT) -> str:
    """``text`` (a path) as a message repeats it: its start and its end, which names the file, kept."""
    if len(text) <= limit:
        return text
    half = (limit - 1) // 2
    return text[:half] + "…" + text[len(text) - (limit - 1 - half) :]


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate a misspelt name most likely meant, or None when nothing is close."""
    if len(name) > _SUGGEST_LIMIT:
        return None
    close = difflib.get_close_matches(
        name, [c for c in candidates if len(c) <= _SUGGEST_LIMIT], n=1, cutoff=0.6
    )
    return close[0] if close else None


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """A 'did you mean ...?' hint for a misspelt name, or None when nothing is close."""
    meant = closest(name, candidates)
    return f"did you mean '{meant}'?" if meant is not None else None


def describe(value: object) -> str:
    """A value as a message shows it: true/false, plain numbers, 'a list' — never a Python repr of containers."""
    from decimal import Decimal

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        if not value.is_finite() or (not value.is_zero() and not -40 < value.adjusted() < 40):
            return f"{value:E}" if value.is_finite() else str(value)
        return format(value, "f")
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if value is None:
        return "nothing"
    return repr(clip(value)) if isinstance(value, str) else clip(repr(value))


def import_extra(module: str, code: str, message: str, extra: str) -> Any:
    """An optional dependency, imported on first use, or a :class:`ScoringError` (``code``, ``message``)
    saying which extra of the package installs it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        hint = f"install the {extra} extra: pip install '.[{extra}]' (or scoring-engine[{extra}])"
        raise ScoringError(Problem(code, message, hint=hint)) from None
