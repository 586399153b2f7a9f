"""`python -m extractor` → the command line."""

from .cli import cli

cli()
