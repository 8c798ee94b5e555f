"""The exceptions of wfsim (pure Python: importable without the engine).

Every failure of the engine is a :class:`WfsimError` carrying where the
problem is: ``path`` (the file, or ``"census"`` for a census given as a
table), ``line`` and ``column`` (1-based; for a table census, the data
row and the column position), ``key`` (a configuration key such as
``"workforce.termination_rate"``) and ``message``. Parts that do not
apply are ``None``. The status is the command-line tool's exit code.
"""

from __future__ import annotations


class WfsimError(Exception):
    """Base class of the engine's failures."""

    status = 1

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 column: int | None = None, key: str | None = None,
                 text: str | None = None) -> None:
        super().__init__(text or message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.key = key


class InputError(WfsimError, ValueError):
    """Bad census, configuration or parameter table (exit status 2)."""

    status = 2


class FileError(WfsimError, OSError):
    """A file could not be read or written (exit status 3)."""

    status = 3


class OutOfMemoryError(WfsimError, MemoryError):
    """The engine ran out of memory (exit status 4)."""

    status = 4


class ModelError(WfsimError, RuntimeError):
    """The model refused a state, e.g. a salary above the top income
    segment (exit status 5)."""

    status = 5


class UsageError(WfsimError, ValueError):
    """A call the engine cannot serve, such as the snapshot of a run that
    kept none (exit status 64)."""

    status = 64


_BY_STATUS = {c.status: c for c in (InputError, FileError, OutOfMemoryError, ModelError,
                                    UsageError)}


def from_engine(args: tuple) -> WfsimError:
    """The exception for the engine's (status, file, line, column, key,
    message, text)."""
    status, path, line, column, key, message, text = args
    cls = _BY_STATUS.get(status, WfsimError)
    return cls(message, path=path or None, line=line or None, column=column or None,
               key=key or None, text=text)
