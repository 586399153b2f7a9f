"""Load and validate the rule files in ``rules/``.

Two kinds of file:

* ``rules/*.jsonl`` — one spaCy ruler pattern per line, in spaCy's own format plus two
  optional keys::

      {"label": "DRUG_NAME", "pattern": "olomorasib", "id": "olomorasib"}
      {"label": "TRIAL_SERIES", "pattern": [{"LOWER": "keynote"}]}
      {"label": "TARGET", "pattern": "BCMA", "id": "TNFRSF17", "case_sensitive": true}

  ``label`` must be one of ``rules/labels.json``; ``id`` is the normalised form.
* ``rules/gazetteers/*.tsv`` — generated ``surface<TAB>norm`` tables (see
  ``rules/build_gazetteers.py``); lines starting with ``#`` are comments.

Any malformed line raises :class:`RuleError` naming the file and line, before any work: invalid
JSON or UTF-8, an overlong line, an unknown key, label or token attribute, a token value of the wrong
type, a REGEX that does not compile or repeats a repeated atom ("(a+)+"), and a pattern that an
earlier line (of any file) gives under the same label with another ``id``.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import RuleError
from ..models import EVENT_KINDS
from .normalize import disease_label, squash

DEFAULT_RULES_DIR = Path(__file__).resolve().parents[2] / "rules"
#: Labels whose ``id`` is an event kind (see ``extract/events.py``).
EVENT_KIND_LABELS = ("EVENT", "EVENT_VETO")
#: A cue's scope when not the default: its whole sentence, or only the mention right beside it.
CUE_SCOPES = ("sentence", "adjacent")
ALLOWED_KEYS = {"label", "pattern", "id", "case_sensitive", "comment", "direction", "scope", "reach"}
DIRECTIONS = ("forward", "backward", "both")
TOKEN_KEYS = {
    "ORTH", "TEXT", "LOWER", "NORM", "LENGTH", "IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER",
    "IS_UPPER", "IS_TITLE", "IS_PUNCT", "IS_SPACE", "IS_STOP", "LIKE_NUM", "SHAPE", "OP",
}

#: Gazetteer file → the label its entries get (targets are a lookup table, not patterns).
GAZETTEERS = {
    "drug_names.tsv": "DRUG_NAME",
    "drug_names_contextual.tsv": "DRUG_NAME_CONTEXTUAL",
    "diseases.tsv": "INDICATION",
    "trial_acronyms.tsv": "TRIAL_NAME",
    "targets.tsv": None,
    "target_names.tsv": None,
    "english_words.tsv": None,
    "drug_code_aliases.tsv": None,
}


@dataclass
class RuleSet:
    """Everything the pipeline is built from; ``version`` changes when any file changes."""

    directory: Path
    labels: dict[str, str]
    patterns: list[dict[str, Any]] = field(default_factory=list)  # for the spaCy rulers
    gazetteers: dict[str, dict[str, str]] = field(default_factory=dict)
    version: str = ""

    def by_label(self, label: str) -> list[dict[str, Any]]:
        return [p for p in self.patterns if p["label"] == label]

    def target_table(self) -> dict[str, str]:
        """Target alias → HGNC symbol: the HGNC gazetteer, curated TARGET rules over it, NOT_TARGET removed."""
        table = dict(self.gazetteers.get("targets.tsv", {}))
        table.update(self.terms("TARGET"))
        for word in self.terms("NOT_TARGET"):
            table.pop(word, None)
        return table

    def spelled_target_table(self) -> dict[str, str]:
        """Multi-word curated target names by spelling-free key ("alpha 2-adrenergic receptor")."""
        table = dict(self.gazetteers.get("target_names.tsv", {}))
        table.update({squash(k): v for k, v in self.terms("TARGET").items() if " " in k})
        return table

    def disease_table(self) -> dict[str, str]:
        """Disease surface (lower case) → canonical name: the Disease Ontology plus curated INDICATION rules."""
        table = {disease_label(k): disease_label(v) for k, v in self.gazetteers.get("diseases.tsv", {}).items()}
        table.update({disease_label(k): disease_label(v) for k, v in self.terms("INDICATION").items()})
        return table

    def drug_table(self) -> dict[str, str]:
        """Drug surface (lower case) → INN: the drug gazetteer plus curated DRUG_NAME rules."""
        table = {k.lower(): v for k, v in self.gazetteers.get("drug_names_contextual.tsv", {}).items()}
        table.update({k.lower(): v for k, v in self.gazetteers.get("drug_names.tsv", {}).items()})
        table.update({k.lower(): v for k, v in self.terms("DRUG_NAME").items()})
        return table

    def terms(self, label: str) -> dict[str, str]:
        """Plain-string patterns of ``label`` mapped to their id (or themselves)."""
        return {p["pattern"]: p.get("id", p["pattern"]) for p in self.by_label(label) if isinstance(p["pattern"], str)}


def load_rules(directory: str | Path | None = None) -> RuleSet:
    directory = Path(directory) if directory else DEFAULT_RULES_DIR
    labels_path = directory / "labels.json"
    if not labels_path.is_file():
        raise RuleError(str(labels_path), None, "missing: every rules folder needs labels.json")
    try:
        labels = json.loads(labels_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise RuleError(str(labels_path), exc.lineno, f"invalid JSON: {exc.msg}") from None
    if not isinstance(labels, dict) or not all(isinstance(v, str) for v in labels.values()):
        raise RuleError(str(labels_path), None, 'expected {"LABEL": "description", ...}')
    digest = hashlib.sha256(labels_path.read_bytes())
    rules = RuleSet(directory=directory, labels=labels)
    files = sorted(directory.glob("*.jsonl"))
    if not files:
        raise RuleError(str(directory), None, "no *.jsonl rule files")
    seen: dict[tuple[str, str, bool], tuple[str, int, str | None]] = {}  # one meaning per pattern, across files
    for path in files:
        digest.update(path.name.encode() + path.read_bytes())
        rules.patterns.extend(_load_jsonl(path, labels, seen))
    for name in GAZETTEERS:
        path = directory / "gazetteers" / name
        if path.is_file():
            digest.update(name.encode() + path.read_bytes())
            rules.gazetteers[name] = _load_tsv(path)
    rules.version = digest.hexdigest()[:12]
    return rules


def _lines(path: Path) -> list[str]:
    """A rule file's lines; undecodable bytes and overlong lines are errors naming the line."""
    lines = []
    for line_no, raw in enumerate(path.read_bytes().splitlines(), start=1):
        if len(raw) > MAX_LINE_BYTES:
            raise RuleError(str(path), line_no, f"line of {len(raw):,} bytes; a rule line is at most {MAX_LINE_BYTES:,}")
        try:
            lines.append(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise RuleError(str(path), line_no, f"not UTF-8 (byte {exc.start + 1})") from None
    return lines


def _load_jsonl(
    path: Path, labels: dict[str, str], seen: dict[tuple[str, str, bool], tuple[str, int, str | None]] | None = None
) -> list[dict[str, Any]]:
    """The file's validated entries; ``seen`` maps (label, pattern, case) to the first (file, line, id) that gave it."""
    patterns = []
    seen = {} if seen is None else seen
    for line_no, line in enumerate(_lines(path), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RuleError(str(path), line_no, f"invalid JSON: {exc.msg} at column {exc.colno}") from None
        except RecursionError:
            raise RuleError(str(path), line_no, "invalid JSON: nested too deep") from None
        patterns.append(validate_entry(entry, labels, str(path), line_no))
        key = (entry["label"], json.dumps(entry["pattern"], sort_keys=True), bool(entry.get("case_sensitive")))
        earlier = seen.setdefault(key, (path.name, line_no, entry.get("id")))
        if earlier[2] != entry.get("id"):
            where = f"line {earlier[1]}" if earlier[0] == path.name else f"{earlier[0]}:{earlier[1]}"
            raise RuleError(
                str(path), line_no,
                f"{entry['label']} pattern already on {where} with id {earlier[2]!r}; this line gives {entry.get('id')!r}",
            )
    if not patterns:
        raise RuleError(str(path), None, "empty rule file")
    return patterns


def validate_entry(entry: Any, labels: dict[str, str], path: str, line_no: int) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise RuleError(path, line_no, "expected a JSON object")
    unknown = set(entry) - ALLOWED_KEYS
    if unknown:
        raise RuleError(path, line_no, f"unknown key(s) {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(ALLOWED_KEYS))}")
    label = entry.get("label")
    if label not in labels:
        raise RuleError(path, line_no, f"unknown label {label!r}; add it to labels.json or use one of {', '.join(sorted(labels))}")
    pattern = entry.get("pattern")
    if isinstance(pattern, str):
        if not pattern.strip():
            raise RuleError(path, line_no, "empty pattern")
    elif isinstance(pattern, list) and pattern:
        for position, token in enumerate(pattern):
            if not isinstance(token, dict) or not token:
                raise RuleError(path, line_no, f"token {position} of the pattern is not a non-empty object")
            bad = set(token) - TOKEN_KEYS
            if bad:
                raise RuleError(path, line_no, f"token {position}: unknown attribute(s) {', '.join(sorted(bad))}")
            for attr, value in token.items():
                problem = _token_value_problem(attr, value)
                if problem:
                    raise RuleError(path, line_no, f"token {position}: {attr} {problem}")
    else:
        raise RuleError(path, line_no, "pattern must be a non-empty string or a list of token objects")
    if "id" in entry and not (isinstance(entry["id"], str) and entry["id"].strip()):
        raise RuleError(path, line_no, "id must be a non-empty string")
    if label in EVENT_KIND_LABELS and str(entry.get("id", "")).partition(":")[0] not in EVENT_KINDS:
        raise RuleError(path, line_no, f"{label} id must name an event kind (kind or kind:detail), one of {', '.join(EVENT_KINDS)}")
    if "case_sensitive" in entry and not isinstance(entry["case_sensitive"], bool):
        raise RuleError(path, line_no, "case_sensitive must be true or false")
    is_cue = label.startswith("CONTEXT_") or label == "DRUG_USE"
    if is_cue and entry.get("direction") not in DIRECTIONS:
        raise RuleError(path, line_no, f"a {label} cue needs \"direction\": one of {', '.join(DIRECTIONS)}")
    if not is_cue and "direction" in entry:
        raise RuleError(path, line_no, "direction is only for CONTEXT_* and DRUG_USE cues")
    if "scope" in entry and (not is_cue or entry["scope"] not in CUE_SCOPES):
        raise RuleError(path, line_no, "scope is only for CONTEXT_* and DRUG_USE cues: \"sentence\" or \"adjacent\"")
    if "reach" in entry and (label != "EVENT_VETO" or not isinstance(entry["reach"], int) or isinstance(entry["reach"], bool) or entry["reach"] < 0):
        raise RuleError(path, line_no, "reach is only for EVENT_VETO, a number of characters (0 or more)")
    return entry


#: Token attributes by the type of value they take; a dict value holds spaCy's predicates.
BOOL_ATTRS = {"IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_PUNCT", "IS_SPACE", "IS_STOP", "LIKE_NUM"}
OPS = {"!", "?", "+", "*"}
SET_PREDICATES = {"IN", "NOT_IN", "IS_SUBSET", "IS_SUPERSET", "INTERSECTS"}
NUMBER_PREDICATES = {"==", "!=", ">=", "<=", ">", "<"}
#: A group that repeats something that itself repeats ("(a+)+", "(\\w*)*"): backtracking grows exponentially.
NESTED_QUANTIFIER = re.compile(r"\((?:\?:)?(?:\\.|\[[^\]]*\]|[^()\\|])[+*]\)[+*{]")
MAX_LINE_BYTES = 100_000


def _token_value_problem(attr: str, value: Any) -> str | None:
    """Why a token attribute's value cannot work, or None."""
    if attr == "OP":
        return None if value in OPS or (isinstance(value, str) and re.fullmatch(r"\{\d*,?\d*\}", value)) else f"must be one of {sorted(OPS)} or {{n,m}}"
    if attr in BOOL_ATTRS:
        return None if isinstance(value, bool) else "must be true or false"
    if attr == "LENGTH":
        if isinstance(value, int) and not isinstance(value, bool):
            return None
        if isinstance(value, dict) and value and all(k in NUMBER_PREDICATES | SET_PREDICATES for k in value):
            return None
        return "must be an integer or a comparison"
    if isinstance(value, str):
        return None
    if not isinstance(value, dict) or not value:
        return "must be a string or an object of predicates (REGEX, IN, NOT_IN, …)"
    for predicate, argument in value.items():
        if predicate == "REGEX":
            if not isinstance(argument, str):
                return "REGEX must be a string"
            try:
                re.compile(argument)
            except re.error as exc:
                return f"REGEX does not compile: {exc}"
            if NESTED_QUANTIFIER.search(argument):
                return "REGEX repeats a repeated group (catastrophic backtracking)"
        elif predicate in SET_PREDICATES:
            if not (isinstance(argument, list) and all(isinstance(a, str) for a in argument)):
                return f"{predicate} must be a list of strings"
        elif predicate not in ("FUZZY",):
            return f"unknown predicate {predicate}"
    return None


def _load_tsv(path: Path) -> dict[str, str]:
    table: dict[str, str] = {}
    for line_no, line in enumerate(_lines(path), start=1):
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0] or not parts[1]:
            raise RuleError(str(path), line_no, "expected two tab-separated columns: surface, norm")
        table[parts[0]] = parts[1]
    return table


_CACHE: dict[str, RuleSet] = {}


def load_rules_cached(directory: str | Path | None = None) -> RuleSet:
    """Load a rules folder once per process (components of one pipeline share it)."""
    key = str(Path(directory).resolve() if directory else DEFAULT_RULES_DIR)
    if key not in _CACHE:
        _CACHE[key] = load_rules(directory)
    return _CACHE[key]
