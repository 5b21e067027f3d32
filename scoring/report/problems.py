"""Problems as lines a person reads, in the language the command speaks.

The engine writes every problem's message and hint in English, quoting the names and numbers concerned. A
line in English is the problem as the engine wrote it (``location: message — hint``). A line in another
language keeps that message and hint, and leads with a headline in the language: the problem's code (the
same in every language) and a title naming what is wrong, from the catalogue's ``problem:`` section —
``demo.yaml:4:10：[input-value] 输入值无效：input 'spent' must be a number …（提示：write 92.8 …）``.
"""

from __future__ import annotations

from ..errors import Problem
from ..language import Catalogue

#: The language the engine writes problems' messages and hints in: lines in it need no headline.
MESSAGES_LANGUAGE = "en"


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
    """One problem as one line in the language of ``texts`` (English, as the engine wrote it, when None)."""
    if texts is None or texts.language == MESSAGES_LANGUAGE:
        return str(problem)
    title = problem_title(problem.code, texts)
    text = texts.text("problem.line", code=problem.code, title=title, message=problem.message)
    if problem.location is not None:
        text = texts.text("problem.located", location=problem.location, text=text)
    if problem.hint:
        text = texts.text("problem.hinted", text=text, label=texts.text("problem.hint"), hint=problem.hint)
    return text
