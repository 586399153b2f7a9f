"""What the user typed to a stored norm: name keys, drug alias groups, resolution, suggestions."""

from __future__ import annotations

import difflib
import re
import sqlite3
from dataclasses import dataclass



# ---------------------------------------------------------------------------------------
# Names: resolving what the user typed to a stored norm
# ---------------------------------------------------------------------------------------
def name_key(value: str) -> str:
    """Matching key: case-folded, without spaces, hyphens, dots or other punctuation.

    "AMG 510", "AMG-510" and "amg510" share a key; so do "Sotorasib" and "sotorasib".
    """
    return re.sub(r"[\W_]+", "", value).casefold()


KIND_LABELS = {
    "drug": ("DRUG_CODE", "DRUG_NAME"), "target": ("TARGET",), "trial": ("TRIAL",),
    "company": ("COMPANY",), "indication": ("INDICATION",),
}
_KIND_ORDER = {"drug": 0, "target": 1, "trial": 2, "company": 3, "indication": 4}


@dataclass(frozen=True)
class Entity:
    kind: str  # drug, target, trial, company, indication
    norm: str


def _known_names(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """``(kind, norm, surface)`` for every drug, target, trial, company and disease the database knows."""
    out = []
    for row in conn.execute(
        "select distinct label, norm, text from mentions "
        "where label in ('DRUG_CODE', 'DRUG_NAME', 'TARGET', 'TRIAL', 'COMPANY', 'INDICATION')"
    ):
        kind = next(k for k, labels in KIND_LABELS.items() if row[0] in labels)
        out.append((kind, row[1], row[2]))
    for table, kind in (("responses", "drug"), ("doses", "drug"), ("responses", "trial")):
        column = "trial" if kind == "trial" else "drug"
        for (value,) in conn.execute(f"select distinct [{column}] from [{table}] where [{column}] is not null"):
            out.append((kind, value, value))
    return out


def drug_groups(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """``norm -> every norm of its drug`` for the drugs ``drug_alias`` relations join.

    The relations are followed transitively and across documents ("sotorasib" ↔ "AMG-510" in
    one article and "AMG-510" ↔ "AMG510X" in another make one drug of three norms). A norm no
    alias relation mentions is absent: it is a drug of its own.
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    for head, tail in conn.execute("select head, tail from relations where kind = 'drug_alias'"):
        if not head or not tail:
            continue
        a, b = find(head), find(tail)
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        if a != b:
            parent[max(a, b)] = min(a, b)
    members: dict[str, list[str]] = {}
    for norm in list(parent):
        members.setdefault(find(norm), []).append(norm)
    return {norm: sorted(group) for group in members.values() for norm in group}


def _drug_ranks(conn: sqlite3.Connection, norms: list[str]) -> dict[str, tuple[int, int]]:
    """``norm -> (is an INN, mentions)`` for the drug norms given."""
    marks = ",".join("?" * len(norms))
    return {
        r[0]: (int(r[1]), int(r[2]))
        for r in conn.execute(
            f"select norm, max(label = 'DRUG_NAME'), count(*) from mentions "
            f"where label in ('DRUG_CODE', 'DRUG_NAME') and norm in ({marks}) group by norm",
            norms,
        )
    }


def canonical_drug(conn: sqlite3.Connection, group: list[str]) -> str:
    """The name an alias group is shown under: its INN (a ``DRUG_NAME`` norm) before a code,
    then the most mentioned, then the first alphabetically. The ``drug_summary`` view uses
    the same rule."""
    if len(group) == 1:
        return group[0]
    ranks = _drug_ranks(conn, group)
    return min(group, key=lambda n: (-ranks.get(n, (0, 0))[0], -ranks.get(n, (0, 0))[1], n))


def drug_group(conn: sqlite3.Connection, norm: str, groups: dict[str, list[str]] | None = None) -> list[str]:
    """Every norm of the drug ``norm`` names, canonical name first (just ``[norm]`` without aliases)."""
    group = (groups if groups is not None else drug_groups(conn)).get(norm, [norm])
    first = canonical_drug(conn, group)
    return [first, *(n for n in group if n != first)]


def resolve(conn: sqlite3.Connection, name: str) -> list[Entity]:
    """Every entity ``name`` may mean, best first (a norm match before a surface match,
    drugs before targets before trials).

    A drug is returned under the canonical name of its alias group (:func:`drug_group`), so
    "AMG 510", "sotorasib" and "LUMAKRAS" all resolve to one ``Entity("drug", "sotorasib")``
    when the texts equate them.
    """
    key = name_key(name)
    if not key:
        return []
    scored: dict[Entity, int] = {}
    for kind, norm, surface in _known_names(conn):
        entity = Entity(kind, norm)
        if name_key(norm) == key:
            score = 0
        elif name_key(surface) == key:
            score = 1
        else:
            continue
        scored[entity] = min(score, scored.get(entity, 9))
    if any(e.kind == "drug" for e in scored):
        groups = drug_groups(conn)
        if groups:
            merged: dict[Entity, int] = {}
            for entity, score in scored.items():
                if entity.kind == "drug" and entity.norm in groups:
                    entity = Entity("drug", drug_group(conn, entity.norm, groups)[0])
                merged[entity] = min(score, merged.get(entity, 9))
            scored = merged
    return sorted(scored, key=lambda e: (scored[e], _KIND_ORDER[e.kind], e.norm))


def suggest(conn: sqlite3.Connection, name: str, n: int = 5) -> list[str]:
    """The closest known drug, target and trial names (norms and surfaces) to ``name``."""
    by_lower: dict[str, str] = {}
    for _kind, norm, surface in _known_names(conn):
        for value in (norm, surface):
            by_lower.setdefault(value.casefold(), value)
    matches = difflib.get_close_matches(name.casefold(), list(by_lower), n=n * 2, cutoff=0.5)
    # also compare on keys, so "allo 3166" finds ALLO-316
    keyed = {name_key(k): k for k in by_lower}
    matches += [keyed[k] for k in difflib.get_close_matches(name_key(name), list(keyed), n=n, cutoff=0.6)]
    out: list[str] = []
    for m in matches:
        value = by_lower[m]
        if value not in out:
            out.append(value)
    return out[:n]
