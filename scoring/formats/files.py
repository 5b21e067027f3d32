"""Reading a file's text: UTF-8 (a BOM is fine), or another encoding when asked, with clear errors."""

from __future__ import annotations

from pathlib import Path

from .. import limits
from ..errors import DefinitionError, Location, Problem


def read_text(path: Path, encoding: str | None = None) -> str:
    """Read a YAML file as UTF-8 (a BOM is fine), with a helpful error for other encodings.

    With ``encoding`` (e.g. ``"gbk"``, for files saved by Windows tools), a file that is not UTF-8 is read
    in that encoding; UTF-8 files are still read as UTF-8, so one option serves a mix of files.
    """
    source = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DefinitionError(Problem("file-not-found", "file not found", Location(source))) from None
    except OSError as exc:
        raise DefinitionError(
            Problem("file-unreadable", f"cannot read file: {exc.strerror}", Location(source))
        ) from None
    if len(raw) > limits.MAX_BYTES:
        raise DefinitionError(
            Problem(
                "file-too-large",
                f"file is {len(raw)} bytes; the limit is {limits.MAX_BYTES}",
                Location(source),
            )
        )
    if encoding is not None and not encoding.lower().replace("-", "").startswith(("utf16", "utf32")):
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:4096]:
            raise DefinitionError(
                Problem(
                    "encoding",
                    f"file is UTF-16 or UTF-32, not {encoding}",
                    Location(source, 1),
                    hint="save the file as UTF-8",
                )
            )
        try:
            return raw.decode("utf-8-sig")  # UTF-8 files stay UTF-8; the encoding is for the others
        except UnicodeDecodeError:
            return _decode_as(raw, encoding, source)
    if encoding is not None:
        return _decode_as(raw, encoding, source)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:4096]:
        raise DefinitionError(
            Problem(
                "encoding",
                "file is UTF-16 or UTF-32, not UTF-8",
                Location(source, 1),
                hint="save the file as UTF-8 (in Excel or Notepad: Save As → Encoding: UTF-8)",
            )
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        hint = "save the file as UTF-8"
        try:
            raw.decode("gb18030")
            hint = (
                "the file looks like GBK/GB18030 (common on Windows): save it as UTF-8, or read it with "
                "--encoding gbk"
            )
        except UnicodeDecodeError:
            pass
        raise DefinitionError(
            Problem("encoding", "file is not valid UTF-8", Location(source, line), hint=hint)
        ) from None


def _decode_as(raw: bytes, encoding: str, source: str) -> str:
    import codecs

    try:
        codecs.lookup(encoding)
    except LookupError:
        raise DefinitionError(
            Problem("encoding", f"unknown encoding '{encoding}'", Location(source))
        ) from None
    try:
        return raw.decode(encoding).removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DefinitionError(
            Problem(
                "encoding", f"file is not valid {encoding}", Location(source, line), hint="check the encoding"
            )
        ) from None
