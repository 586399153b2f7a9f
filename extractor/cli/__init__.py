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

from ..errors import ExtractorError, LockError, QueryError, RuleError

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}

#: Exit codes shared by every command.
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3

F = TypeVar("F", bound=Callable[..., Any])


def db_option(required: bool = True) -> Callable[[F], F]:
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False),
        required=required,
        default=None if required else "extractions.db",
        show_default=not required,
        help="SQLite database file.",
    )


def handle_errors(func: F) -> F:
    """Turn library errors into one line on stderr and a non-zero exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except LockError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(EXIT_LOCKED)
        except (RuleError, QueryError) as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(EXIT_USAGE)
        except ExtractorError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(EXIT_FAILED)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings=CONTEXT_SETTINGS)
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
