"""Reading a file's text: only regular files, never more than the size limit, UTF-8 (a BOM is fine) or another
text encoding when asked, with clear errors.

A file named by a stranger's data (a unit's ``set:``) may be a symbolic link to ``/dev/zero``, a FIFO or a
directory: it is opened without blocking, checked to be a regular file, and read in a bounded loop, so
nothing but a regular file's first bytes is ever read.
"""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

from .. import limits
from ..errors import DefinitionError, Location, Problem

#: Open flags: read only, never wait for a writer (a FIFO), never become a controlling terminal.
_OPEN_FLAGS = (
    os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
)
_UTF16_OR_32 = ("utf16", "utf32")


def _refuse(code: str, message: str, where: Location, hint: str | None = None) -> DefinitionError:
    return DefinitionError(Problem(code, message, where, hint=hint))


def read_bytes(path: Path) -> bytes:
    """The bytes of a regular file of at most ``limits.MAX_BYTES`` (a :class:`DefinitionError` otherwise)."""
    source = str(path)
    if "\0" in source:
        where = Location(source.replace("\0", "\\0"))
        raise _refuse("file-name", "the file name holds a NUL character", where, "name the file without it")
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise _refuse("file-not-found", "file not found", Location(source)) from None
    except OSError as exc:
        raise _refuse("file-unreadable", f"cannot read file: {exc.strerror}", Location(source)) from None
    try:
        status = os.fstat(descriptor)
        mode = status.st_mode
        if stat.S_ISDIR(mode):
            hint = "name one file in it (the commands over many units — check, tune, weights, margins — take folders)"
            raise _refuse("file-unreadable", "this is a folder, not a file", Location(source), hint)
        if not stat.S_ISREG(mode):
            raise _refuse(
                "file-kind",
                "not a regular file (a device, a pipe or a socket): only files are read",
                Location(source),
                "name the YAML file itself",
            )
        if status.st_size > limits.MAX_BYTES:
            message = f"file is {status.st_size} bytes; the limit is {limits.MAX_BYTES}"
            raise _refuse("file-too-large", message, Location(source))
        return _read_bounded(descriptor, source)
    finally:
        os.close(descriptor)


def _read_bounded(descriptor: int, source: str) -> bytes:
    limit = limits.MAX_BYTES
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = os.read(descriptor, min(1 << 20, limit + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
    raise _refuse(
        "file-too-large", f"file is more than {limit} bytes; the limit is {limit}", Location(source)
    )


def read_text(path: Path, encoding: str | None = None) -> str:
    """Read a YAML file as UTF-8 (a BOM is fine), with a helpful error for other encodings.

    With ``encoding`` (e.g. ``"gbk"``, for files saved by Windows tools), a file that is not UTF-8 is read
    in that encoding; UTF-8 files are still read as UTF-8, so one option serves a mix of files.
    """
    raw = read_bytes(path)
    source = str(path)
    wide = raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:4096]
    if encoding is not None:
        name = _text_encoding(encoding, source)
        if name.startswith(_UTF16_OR_32):
            if not wide:
                message = f"file is not {encoding}: it has no byte-order mark and no zero bytes"
                raise _refuse(
                    "encoding", message, Location(source, 1), "it looks like UTF-8: leave out the encoding"
                )
            return _decode_as(raw, encoding, source)
        if wide:
            message = f"file is UTF-16 or UTF-32, not {encoding}"
            raise _refuse("encoding", message, Location(source, 1), "save the file as UTF-8")
        try:
            return raw.decode("utf-8-sig")  # UTF-8 files stay UTF-8; the encoding is for the others
        except UnicodeDecodeError:
            return _decode_as(raw, encoding, source)
    if wide:
        hint = "save the file as UTF-8 (in Excel or Notepad: Save As → Encoding: UTF-8)"
        raise _refuse("encoding", "file is UTF-16 or UTF-32, not UTF-8", Location(source, 1), hint)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        hint = "save the file as UTF-8"
        try:
            raw.decode("gb18030")
            hint = "the file looks like GBK/GB18030 (common on Windows): save it as UTF-8, or read it with --encoding gbk"
        except UnicodeDecodeError:
            pass
        raise _refuse("encoding", "file is not valid UTF-8", Location(source, line), hint) from None


def _text_encoding(encoding: str, source: str) -> str:
    """The normalised name of a text encoding (``utf16`` for ``UTF-16``); refuses unknown names and codecs
    that are not text encodings (rot13, base64, zlib)."""
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise _refuse("encoding", f"unknown encoding '{encoding[:40]}'", Location(source)) from None
    if not getattr(info, "_is_text_encoding", True):
        message = f"'{encoding}' is not a text encoding"
        raise _refuse(
            "encoding", message, Location(source), "name the file's character encoding, e.g. gbk or utf-8"
        )
    return info.name.replace("-", "").replace("_", "")


def _decode_as(raw: bytes, encoding: str, source: str) -> str:
    try:
        return raw.decode(encoding).removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        message = f"file is not valid {encoding}"
        raise _refuse("encoding", message, Location(source, line), "check the encoding") from None
