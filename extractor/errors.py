"""The exception tree. Third-party errors are mapped to these at the stage that meets them.

    ExtractorError
    ├── InputError        a file or record that cannot be read (per item: recorded, batch goes on)
    ├── CleanError        HTML that cannot be turned into an article (per item)
    ├── RuleError         a malformed rule file (fatal, before any work); carries path and line
    ├── StoreError        the database cannot be opened or written
    ├── FetchError        a network result that is not a page (per item); carries url
    │   └── BlockedError  a 403 or bot-challenge page
    ├── ConfigError       a bad sources file or setting (fatal)
    ├── LockError         another writer holds the database lock
    └── QueryError        a statement refused by the read-only query guard
"""

from __future__ import annotations


class ExtractorError(Exception):
    """Base class of every error this package raises on purpose."""


class InputError(ExtractorError):
    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.message = message


class CleanError(ExtractorError):
    pass


class RuleError(ExtractorError):
    def __init__(self, path: str, line: int | None, message: str) -> None:
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line
        self.message = message


class StoreError(ExtractorError):
    pass


class FetchError(ExtractorError):
    def __init__(self, url: str, message: str) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url
        self.message = message


class BlockedError(FetchError):
    pass


class ConfigError(ExtractorError):
    pass


class LockError(ExtractorError):
    pass


class QueryError(ExtractorError):
    pass
