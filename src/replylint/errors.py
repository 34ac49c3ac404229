"""Exceptions that cross module boundaries, each able to say where and what went wrong."""
from __future__ import annotations


class ReplylintError(Exception):
    """Base for every error replylint reports to a user as one line."""

    def __reduce__(self):
        """Pickle by constructor arguments, so errors travel back from `--jobs` workers."""
        return (type(self), self._init_args)


class RuleFileError(ReplylintError):
    """A rule file that cannot be used: `path:line: key: problem (expected …)`."""

    def __init__(self, path: str, line: int, key: str, problem: str, expected: str = "") -> None:
        self.path, self.line, self.key, self.problem, self.expected = path, line, key, problem, expected
        self._init_args = (path, line, key, problem, expected)
        hint = f" (expected {expected})" if expected else ""
        super().__init__(f"{path}:{line}: {key}: {problem}{hint}")


class ConfigError(ReplylintError):
    """A configuration file or value that cannot be used; names the file and key."""

    def __init__(self, source: str, key: str, problem: str, expected: str = "") -> None:
        self.source, self.key = source, key
        self._init_args = (source, key, problem, expected)
        hint = f" (expected {expected})" if expected else ""
        super().__init__(f"{source}: {key}: {problem}{hint}")


class InputError(ReplylintError):
    """An input file that cannot be read as text."""

    def __init__(self, path: str, problem: str) -> None:
        self.path, self.problem = path, problem
        self._init_args = (path, problem)
        super().__init__(f"{path}: {problem}")


class DocumentError(ReplylintError, ValueError):
    """A document that cannot be read as its format, e.g. a bundle that does not parse."""

    def __init__(self, message: str) -> None:
        self._init_args = (message,)
        super().__init__(message)


class WriteError(ReplylintError, OSError):
    """A file replylint did not write (or rewrite), left as it was: `path: problem`.

    It is an OSError too, so callers that already handle failed writes keep handling it.
    """

    def __init__(self, path: str, problem: str) -> None:
        self.path, self.problem = path, problem
        self._init_args = (path, problem)
        shown = path if path.isprintable() else repr(path)
        super().__init__(f"{shown}: {problem}")
