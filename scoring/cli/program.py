"""The ``scoring`` command's parser, with the sub-parser each command module registers, and its run.

The parser speaks the command's language: ``--lang`` (read before parsing), else the locale. In Chinese its
help (the description, each command's line and each option's help, from the catalogue's ``text.cli``) and
argparse's own phrases (``用法：``, the usage errors ``scoring：错误：…``, from ``text.argparse``) are
Chinese. argparse looks its phrases up through ``gettext`` at the moment it says them; while the parser is
built and while it parses, :func:`speaking` puts the catalogue in gettext's place, and puts gettext back.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator, Sequence
from typing import Any

from ..engine.evaluate import engine_version
from ..errors import OptionError, ScoringError
from ..language import LANGUAGES, Catalogue, catalogue, choose_language
from . import (
    batch,
    check,
    explain,
    margins,
    montecarlo,
    panel,
    reproduce,
    schema,
    score,
    sensitivity,
    tune,
    weights,
)
from .common import check_encoding, print_problems, reading_options
from .exits import EXIT_INTERRUPTED, EXIT_INVALID, EXIT_OK, EXIT_USAGE

#: The commands, in the order ``scoring --help`` lists them.
COMMANDS = (
    check,
    score,
    batch,
    explain,
    reproduce,
    tune,
    weights,
    margins,
    sensitivity,
    montecarlo,
    panel,
    schema,
)


#: argparse's own phrases (the message ids it passes to gettext) by their names in ``text.argparse``.
ARGPARSE_PHRASES = {
    "usage: ": "usage",
    "positional arguments": "positionals",
    "options": "options",
    "show this help message and exit": "help",
    "show program's version number and exit": "version",
    "%(prog)s: error: %(message)s\n": "error",
    "argument %(argument_name)s: %(message)s": "argument",
    "the following arguments are required: %s": "required",
    "unrecognized arguments: %s": "unrecognized",
    "invalid choice: %(value)r (choose from %(choices)s)": "invalid_choice",
    "invalid %(type)s value: %(value)r": "invalid_value",
    "expected one argument": "expected_one",
    "expected at most one argument": "expected_at_most_one",
    "expected at least one argument": "expected_at_least_one",
    "expected %s argument": "expected_n",
    "expected %s arguments": "expected_n_many",
    "not allowed with argument %s": "not_allowed",
    "ignored explicit argument %r": "ignored",
    "one of the arguments %s is required": "one_required",
    "ambiguous option: %(option)s could match %(matches)s": "ambiguous",
    "unexpected option string: %s": "unexpected",
}


@contextlib.contextmanager
def speaking(texts: Catalogue) -> Iterator[None]:
    """argparse says its phrases in the words of ``texts`` (English: as it does) until the block ends."""
    if texts.language == "en":
        yield
        return
    known = texts.keys()

    def phrase(message: str) -> str:
        key = f"text.argparse.{ARGPARSE_PHRASES.get(message)}"
        return texts.text(key) if key in known else message

    def phrases(singular: str, plural: str, n: int) -> str:
        return phrase(singular if n == 1 else plural)

    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = phrase, phrases  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def _parser_class(texts: Catalogue) -> type[argparse.ArgumentParser]:
    """A parser class that parses and formats its help in the words of ``texts`` (its sub-parsers are of the
    same class)."""

    class Parser(argparse.ArgumentParser):
        def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
            with speaking(texts):
                return super().parse_known_args(args, namespace)

        def format_help(self) -> str:
            with speaking(texts):
                return super().format_help()

        def format_usage(self) -> str:
            with speaking(texts):
                return super().format_usage()

    return Parser


def parser(language: str = "en") -> argparse.ArgumentParser:
    """The argument parser of the ``scoring`` command, with every command's sub-parser, speaking
    ``language``."""
    texts = catalogue(language)
    with speaking(texts):
        top = _parser_class(texts)(prog="scoring", description=texts.text("text.cli.description"))
        version = f"scoring {engine_version()}"  # its help is not looked up when said, so it is given here
        top.add_argument(
            "--version", action="version", version=version, help=texts.text("text.argparse.version")
        )
        commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
        reading = reading_options()
        for command in COMMANDS:
            command.register(commands, reading)
    if language != "en":  # the English helps are the commands' own
        _translate_helps(commands, texts)
    return top


def _translate_helps(commands: Any, texts: Catalogue) -> None:
    """Each command's line and description, and each option's help, from the catalogue's ``text.cli`` (an
    option's help by ``option.<command>.<dest>``, else ``option.<dest>``; left as it is when neither)."""
    known = texts.keys()
    for line in commands._choices_actions:
        if f"text.cli.command.{line.dest}" in known:
            line.help = texts.text(f"text.cli.command.{line.dest}")
    for name, command in commands.choices.items():
        if f"text.cli.command.{name}" in known:
            command.description = texts.text(f"text.cli.command.{name}")
        for action in command._actions:
            if action.help is None or action.dest == "help":
                continue
            for key in (f"text.cli.option.{name}.{action.dest}", f"text.cli.option.{action.dest}"):
                if key in known:
                    action.help = texts.text(key)
                    break


def requested_language(argv: Sequence[str]) -> str | None:
    """The ``--lang`` of the command line, read before it is parsed (so that the parser speaks it)."""
    for index, argument in enumerate(argv):
        if argument == "--lang" and index + 1 < len(argv):
            return argv[index + 1] if argv[index + 1] in LANGUAGES else None
        if argument.startswith("--lang="):
            value = argument.partition("=")[2]
            return value if value in LANGUAGES else None
    return None


def run(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments and run the command; returns the exit status."""
    _utf8_stdout()
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = parser(choose_language(requested_language(arguments), None)).parse_args(arguments)
    try:
        check_encoding(getattr(args, "encoding", None))
        status: int = args.run(args)
        return status
    except OptionError as exc:
        print_problems(exc.problems, f"scoring {args.command}: ", _problem_texts(args))
        return EXIT_USAGE
    except ScoringError as exc:
        print_problems(exc.problems, texts=_problem_texts(args))
        return EXIT_INVALID
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        print(_problem_texts(args).text("text.cli.interrupted", command=args.command), file=sys.stderr)
        return EXIT_INTERRUPTED


def _problem_texts(args: argparse.Namespace) -> Catalogue:
    """The language problems print in: ``--lang``, else the locale (the set may not have loaded)."""
    return catalogue(choose_language(getattr(args, "lang", None), None))


def _utf8_stdout() -> None:
    """Chinese labels must print even where the locale is not UTF-8 (Windows consoles, CI)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (stream.encoding or "").lower().replace("-", "") != "utf8":
            reconfigure(encoding="utf-8")
