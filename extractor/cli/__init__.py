"""The ``extractor`` command line: a thin click layer over the library.

Every command parses options, calls one library function and prints. Errors from the
library (:class:`~extractor.errors.ExtractorError`) become one line on stderr and an
exit code; nothing else here knows about rules, HTML or SQL.
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..errors import ExtractorError, LockError

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}

#: Exit codes shared by every command: 0 done; 1 an input failed, or a usage, configuration,
#: rule or query error; 2 every due source of a crawl failed; 3 another writer holds the lock;
#: 130 stopped by Ctrl-C (the shell's code for SIGINT).
EXIT_OK, EXIT_FAILED, EXIT_ALL_FAILED, EXIT_LOCKED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

F = TypeVar("F", bound=Callable[..., Any])


#: The database every command uses when --db is not given, unless EXTRACTOR_DB names another.
DEFAULT_DB = "extractions.db"


def db_option(required: bool = False) -> Callable[[F], F]:
    """``--db FILE``, the same on every command: default ``extractions.db``, or ``$EXTRACTOR_DB``.
    (``required`` is kept for callers; a default always satisfies it.)"""
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False),
        default=DEFAULT_DB,
        envvar="EXTRACTOR_DB",
        show_default=True,
        show_envvar=True,
        help="SQLite database file.",
    )


def _set_verbose(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        logging.getLogger().setLevel(logging.INFO)


def verbose_option(func: F) -> F:
    """``-v`` after a command too (``extractor run -v …``): log every step to stderr."""
    return click.option(
        "-v", "--verbose", is_flag=True, expose_value=False, is_eager=True, callback=_set_verbose,
        help="Log every step to stderr.",
    )(func)


def handle_errors(func: F) -> F:
    """Turn library errors into one line on stderr and a non-zero exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except LockError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(EXIT_LOCKED)
        except ExtractorError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(EXIT_FAILED)

    return wrapper  # type: ignore[return-value]


class ExtractorGroup(click.Group):
    """A click group whose usage errors exit 1 (click's default, 2, means 'every source failed' here)."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            result = super().main(*args, **kwargs)
        except click.UsageError as exc:
            exc.show()
            sys.exit(EXIT_FAILED)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(EXIT_INTERRUPTED)
        sys.exit(result if isinstance(result, int) else EXIT_OK)


@click.group(cls=ExtractorGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="extractor")
@click.option("-v", "--verbose", is_flag=True, help="Log every step to stderr.")
def cli(verbose: bool) -> None:
    """Turn biotech and pharma news into a queryable SQLite database."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.ERROR,
        format="%(levelname)s %(name)s: %(message)s",
    )


# Commands live in one module per area; importing registers them on ``cli``.
from . import batch as _batch  # noqa: E402,F401
from . import query as _query  # noqa: E402,F401
from . import crawl as _crawl  # noqa: E402,F401
from . import doctor as _doctor  # noqa: E402,F401
from . import serve as _serve  # noqa: E402,F401
