"""Rule-based extraction with spaCy: the only package that imports spaCy."""

from .nlp import Extractor, build_extractor
from .rules import RuleSet, load_rules

__all__ = ["Extractor", "RuleSet", "build_extractor", "load_rules"]
