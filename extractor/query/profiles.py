"""Profiles for `show`: a drug's, a target's or a trial's facts with their evidence, and the
one-screen summary of each section."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import QueryError
from .guard import _rows, connect_readonly
from .names import KIND_LABELS, Entity, drug_group, resolve, suggest


# ---------------------------------------------------------------------------------------
# Profiles for ``show``
# ---------------------------------------------------------------------------------------
@dataclass
class Fact:
    """One line of a profile: a value with its evidence."""

    value: str
    detail: str = ""
    source: str = ""
    published: str | None = None
    sentence: str = ""
    document_id: int | None = None
    basis: str = ""  # how the text ties a relation (see README: basis); empty for older databases


#: Bases of relations stated within one sentence (``show --same-sentence``).
SAME_SENTENCE_BASES = ("apposition", "clause", "sentence")


@dataclass
class Profile:
    kind: str  # drug, target, trial, company, indication
    name: str  # the norm
    aliases: list[str] = field(default_factory=list)
    sections: dict[str, list[Fact]] = field(default_factory=dict)
    also: list[Entity] = field(default_factory=list)  # other things the name could mean
    documents: int = 0

    def values(self, section: str) -> list[str]:
        return [f.value for f in self.sections.get(section, [])]

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "aliases": self.aliases,
            "documents": self.documents,
            "sections": {k: [f.__dict__ for f in v] for k, v in self.sections.items()},
            "also": [e.__dict__ for e in self.also],
        }


def _newest_first(facts: list[Fact]) -> list[Fact]:
    """Newest documents first; a fact a document states twice (its headline and its body) once."""
    seen: set[tuple[str, str, int | None]] = set()
    out = []
    for fact in sorted(facts, key=lambda f: (f.published or "", f.document_id or 0), reverse=True):
        key = (fact.value, fact.detail, fact.document_id)
        if fact.document_id is not None and key in seen:
            continue
        seen.add(key)
        out.append(fact)
    return out


@dataclass
class Summary:
    """One value of a profile section across documents: how many state it, the newest, one example."""

    value: str
    detail: str
    documents: int
    newest: str | None
    example: Fact


def summarize(facts: list[Fact], *, since: str | None = None) -> list[Summary]:
    """Group a section's facts by value: the newest first, then those most documents state."""
    groups: dict[tuple[str, str], list[Fact]] = {}
    for fact in facts:
        if since and (fact.published or "") < since:
            continue
        groups.setdefault((fact.value, fact.detail), []).append(fact)
    out = []
    for (value, detail), members in groups.items():
        newest = max(members, key=lambda f: (f.published or "", f.document_id or 0))
        documents = len({f.document_id for f in members})
        out.append(Summary(value, detail, documents, newest.published, newest))
    out.sort(key=lambda x: x.value)
    out.sort(key=lambda x: x.documents, reverse=True)
    out.sort(key=lambda x: x.newest or "", reverse=True)  # stable: newest, then most documents, then A-Z
    return out


def _has_column(conn: sqlite3.Connection, table: str, column: str) -> bool:
    return any(row[1] == column for row in conn.execute(f"pragma table_info([{table}])"))


def _relation_facts(
    conn: sqlite3.Connection, kind: str, keys: list[str], *, by: str = "head", same_sentence: bool = False
) -> list[Fact]:
    """Facts from relations of ``kind`` whose ``by`` side is one of ``keys`` (only those stated within
    one sentence when ``same_sentence``).

    The fact's value is the other side; its detail names the matching key when there are several.
    """
    if not keys:
        return []
    other = "tail" if by == "head" else "head"
    has_basis = _has_column(conn, "relations", "basis")
    basis = "r.basis" if has_basis else "''"
    strict = f" and r.basis in ({','.join(repr(b) for b in SAME_SENTENCE_BASES)})" if same_sentence and has_basis else ""
    sql = (
        f"select r.{other} as value, r.{by} as key, r.sentence, r.document_id, d.source, d.published, {basis} as basis "
        "from relations r join documents d on d.id = r.document_id "
        f"where r.kind = ? and r.{by} in ({','.join('?' * len(keys))}){strict} order by d.published desc, r.id"
    )
    return [
        Fact(r["value"], "" if len(keys) == 1 else r["key"], r["source"], r["published"], r["sentence"] or "",
             r["document_id"], r["basis"] or "")
        for r in _rows(conn, sql, [kind, *keys])
    ]


def _dedupe(facts: list[Fact]) -> list[Fact]:
    """One line per (value, detail, document): the newest evidence for each."""
    seen: set[tuple[str, str, int | None]] = set()
    out = []
    for fact in _newest_first(facts):
        key = (fact.value, fact.detail, fact.document_id)
        if key not in seen:
            seen.add(key)
            out.append(fact)
    return out


def _trial_details(conn: sqlite3.Connection, trials: list[str]) -> dict[str, str]:
    """``trial -> "Phase 1 · NCT04696731"`` from trial_phase and trial_nct relations."""
    out: dict[str, str] = {}
    for trial in trials:
        phases = sorted({f.value for f in _relation_facts(conn, "trial_phase", [trial])})
        ncts = sorted({f.value for f in _relation_facts(conn, "trial_nct", [trial])})
        parts = []
        if phases:
            parts.append("Phase " + "/".join(phases))
        parts.extend(ncts)
        out[trial] = " · ".join(parts)
    return out


def _fmt_number(value: float | None) -> str:
    if value is None:
        return ""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.6g}"


def _response_facts(conn: sqlite3.Connection, column: str, keys: list[str]) -> list[Fact]:
    if not keys:
        return []
    sql = (
        "select r.*, d.source as source_, d.published as published_ from responses r "
        f"join documents d on d.id = r.document_id where r.[{column}] in ({','.join('?' * len(keys))}) "
        "order by d.published desc, r.id"
    )
    facts = []
    for r in _rows(conn, sql, keys):
        value = f"{r['metric']} {_fmt_number(r['percent'])}%" if r["percent"] is not None else str(r["metric"])
        bits = []
        if r["n"] is not None and r["total"] is not None:
            bits.append(f"{r['n']}/{r['total']}")
        if column == "drug" and r["trial"]:
            bits.append(r["trial"])
        if column == "trial" and r["drug"]:
            bits.append(r["drug"])
        if r["dose_level"]:
            bits.append(f"dose level {r['dose_level']}")
        if r["population"]:
            bits.append(r["population"])
        if r.get("partners"):
            bits.append(f"with {r['partners']}")
        if r.get("arm") and r["arm"] != "investigational":
            bits.append(f"{r['arm']} arm")
        facts.append(Fact(value, " · ".join(bits), r["source_"], r["published_"], r["sentence"] or "", r["document_id"],
                          r.get("basis") or ""))
    return facts


def _dose_facts(conn: sqlite3.Connection, keys: list[str]) -> list[Fact]:
    if not keys:
        return []
    sql = (
        "select x.*, d.source as source_, d.published as published_ from doses x "
        f"join documents d on d.id = x.document_id where x.drug in ({','.join('?' * len(keys))}) "
        "order by d.published desc, x.id"
    )
    facts = []
    for r in _rows(conn, sql, keys):
        amount = _fmt_number(r["amount"])
        if r["amount_max"] is not None:
            amount += "–" + _fmt_number(r["amount_max"])
        value = f"{amount} {r['unit']}"
        bits = [b for b in (r["frequency"], r["duration"]) if b]
        if r["dose_level"]:
            bits.append(f"dose level {r['dose_level']}")
        if r["regimen"]:
            bits.append(f"regimen {r['regimen']}")
        if r["text"] and r["text"] != value:
            bits.append(f"“{r['text']}”")
        facts.append(Fact(value, " · ".join(bits), r["source_"], r["published_"], r["sentence"] or "", r["document_id"]))
    return facts


def _aliases(conn: sqlite3.Connection, labels: tuple[str, ...], norm: str | list[str]) -> list[str]:
    """Other names of ``norm`` (or of a group of norms, the first being the name shown): the
    group's other norms, then every surface seen, most frequent first."""
    norms = [norm] if isinstance(norm, str) else list(norm)
    marks = ",".join("?" * len(labels))
    rows = conn.execute(
        f"select text, count(*) as n from mentions where label in ({marks}) "
        f"and norm in ({','.join('?' * len(norms))}) group by text order by n desc, text",
        [*labels, *norms],
    ).fetchall()
    out = [n for n in norms[1:]]
    out += [r[0] for r in rows if r[0] != norms[0] and r[0] not in out]
    return out


def _surfaces_in(conn: sqlite3.Connection, label: str, norm: str, document_id: int | None) -> list[str]:
    """How one document writes ``norm``: its surfaces (with the variant it names: "KRAS G12C"), most
    frequent first."""
    rows = conn.execute(
        "select case when variant is null or instr(text, variant) > 0 then text else text || ' ' || variant end as surface, "
        "count(*) as n from mentions where label = ? and norm = ? and document_id = ? group by surface order by n desc, surface",
        [label, norm, document_id],
    ).fetchall()
    return [r[0] for r in rows]


def _document_count(conn: sqlite3.Connection, labels: tuple[str, ...], norm: str | list[str]) -> int:
    norms = [norm] if isinstance(norm, str) else list(norm)
    marks = ",".join("?" * len(labels))
    return int(
        conn.execute(
            f"select count(distinct document_id) from mentions where label in ({marks}) "
            f"and norm in ({','.join('?' * len(norms))})",
            [*labels, *norms],
        ).fetchone()[0]
    )


def _drug_relation_facts(conn: sqlite3.Connection, kind: str, keys: list[str], same_sentence: bool = False) -> list[Fact]:
    """Relations of ``kind`` headed by any name of the drug, one line per value and document."""
    facts = _relation_facts(conn, kind, keys, same_sentence=same_sentence)
    for fact in facts:
        fact.detail = ""  # which alias a fact was recorded under does not split it
    return _dedupe(facts)


def _drug_profile(conn: sqlite3.Connection, norm: str, same_sentence: bool = False) -> Profile:
    """The profile of the drug ``norm`` names, merged over every name of its alias group."""
    keys = drug_group(conn, norm)
    name = keys[0]
    p = Profile("drug", name, _aliases(conn, KIND_LABELS["drug"], keys))
    p.documents = _document_count(conn, KIND_LABELS["drug"], keys)
    p.sections["company"] = _drug_relation_facts(conn, "drug_company", keys, same_sentence)
    targets = _drug_relation_facts(conn, "drug_target", keys, same_sentence)
    for fact in targets:
        # as the fact's own document writes the target ("KRAS G12C"), not as any other document does
        fact.detail = ", ".join(s for s in _surfaces_in(conn, "TARGET", fact.value, fact.document_id) if s != fact.value)
    p.sections["targets"] = targets
    trials = _drug_relation_facts(conn, "drug_trial", keys, same_sentence)
    details = _trial_details(conn, sorted({f.value for f in trials}))
    for fact in trials:
        fact.detail = details.get(fact.value, "")
    p.sections["trials"] = trials
    p.sections["indications"] = _drug_relation_facts(conn, "drug_indication", keys, same_sentence)
    p.sections["doses"] = _newest_first(_dose_facts(conn, keys))
    p.sections["responses"] = _newest_first(_response_facts(conn, "drug", keys))
    p.sections["timeline"] = _event_facts(conn, "drug", keys)
    return p


#: Profile sections listed in date order, one line per fact, rather than grouped by value.
DATED_SECTIONS = ("timeline",)


def _event_facts(conn: sqlite3.Connection, column: str, keys: list[str]) -> list[Fact]:
    """The drug's or trial's events in date order (undated expected events last): its dated timeline."""
    if not keys or not conn.execute("select 1 from sqlite_master where name = 'events'").fetchone():
        return []  # a database from before events were extracted
    rows = conn.execute(
        f"""select e.date, e.status, e.kind, e.detail, e.drug, e.trial, d.source, d.published, e.sentence, e.document_id
            from events e join documents d on d.id = e.document_id
            where e.{column} in ({','.join('?' * len(keys))})
            order by e.date_end is null, e.date_end, e.date_start, e.kind, d.published""",
        keys,
    ).fetchall()
    facts = []
    seen: set[tuple[str, str]] = set()
    for date, status, kind, detail, drug, trial, source, published, sentence, document_id in rows:
        value = f"{date or 'undated'} {kind.replace('_', ' ')}" + (f" ({detail})" if detail else "")
        other = trial if column == "drug" else drug
        extra = ", ".join(x for x in (status, other) if x)
        if (value, extra) in seen:
            continue  # the same event told by another release
        seen.add((value, extra))
        facts.append(Fact(value, extra, source, published, sentence, document_id))
    return facts


def _target_profile(conn: sqlite3.Connection, norm: str, same_sentence: bool = False) -> Profile:
    p = Profile("target", norm, _aliases(conn, ("TARGET",), norm))
    p.documents = _document_count(conn, ("TARGET",), norm)
    drugs = _drugs_of(conn, "drug_target", norm, same_sentence, detail="drug_company")
    drug_names = sorted({f.value for f in drugs})
    p.sections["drugs"] = drugs
    p.sections["trials"] = _trials_of(conn, drug_names)
    p.sections["indications"] = _dedupe(_relation_facts(conn, "drug_indication", drug_names))
    p.sections["responses"] = _newest_first(_response_facts(conn, "drug", drug_names))
    return p


def _trial_profile(conn: sqlite3.Connection, norm: str, same_sentence: bool = False) -> Profile:
    p = Profile("trial", norm, _aliases(conn, ("TRIAL",), norm))
    p.documents = _document_count(conn, ("TRIAL",), norm)
    p.sections["phases"] = _dedupe(_relation_facts(conn, "trial_phase", [norm], same_sentence=same_sentence))
    p.sections["NCT ids"] = _dedupe(_relation_facts(conn, "trial_nct", [norm], same_sentence=same_sentence))
    p.sections["drugs"] = _dedupe(_relation_facts(conn, "drug_trial", [norm], by="tail", same_sentence=same_sentence))
    p.sections["indications"] = _dedupe(_relation_facts(conn, "trial_indication", [norm], same_sentence=same_sentence))
    p.sections["responses"] = _newest_first(_response_facts(conn, "trial", [norm]))
    p.sections["timeline"] = _event_facts(conn, "trial", [norm])
    return p


def _drugs_of(conn: sqlite3.Connection, kind: str, norm: str, same_sentence: bool, *, detail: str = "drug_target") -> list[Fact]:
    """The drugs a relation of ``kind`` ties to ``norm`` (its tail), each with the tails of its
    ``detail`` relations (its targets, or its companies) as detail."""
    drugs = _dedupe(_relation_facts(conn, kind, [norm], by="tail", same_sentence=same_sentence))
    names = sorted({f.value for f in drugs})
    tails: dict[str, set[str]] = {}
    for fact in _relation_facts(conn, detail, names):
        tails.setdefault(fact.detail or names[0], set()).add(fact.value)
    for fact in drugs:
        fact.detail = ", ".join(sorted(tails.get(fact.value, ())))
    return drugs


def _trials_of(conn: sqlite3.Connection, drug_names: list[str]) -> list[Fact]:
    """The trials of these drugs, each with the drug (when several) and its phase and NCT id."""
    trials = _dedupe(_relation_facts(conn, "drug_trial", drug_names))
    details = _trial_details(conn, sorted({f.value for f in trials}))
    for fact in trials:
        fact.detail = " · ".join(b for b in (fact.detail, details.get(fact.value, "")) if b)
    return trials


def _company_profile(conn: sqlite3.Connection, norm: str, same_sentence: bool = False) -> Profile:
    """A company's pipeline: its drugs (with their targets), their trials, indications and responses."""
    p = Profile("company", norm, _aliases(conn, ("COMPANY",), norm))
    p.documents = _document_count(conn, ("COMPANY",), norm)
    drugs = _drugs_of(conn, "drug_company", norm, same_sentence)
    names = sorted({f.value for f in drugs})
    p.sections["pipeline"] = drugs
    p.sections["trials"] = _trials_of(conn, names)
    p.sections["indications"] = _dedupe(_relation_facts(conn, "drug_indication", names))
    p.sections["responses"] = _newest_first(_response_facts(conn, "drug", names))
    return p


def _indication_profile(conn: sqlite3.Connection, norm: str, same_sentence: bool = False) -> Profile:
    """A disease's drugs (with their targets) and trials, and the response rates of those trials."""
    p = Profile("indication", norm, _aliases(conn, ("INDICATION",), norm))
    p.documents = _document_count(conn, ("INDICATION",), norm)
    drugs = _drugs_of(conn, "drug_indication", norm, same_sentence)
    p.sections["drugs"] = drugs
    trials = _dedupe(_relation_facts(conn, "trial_indication", [norm], by="tail", same_sentence=same_sentence))
    details = _trial_details(conn, sorted({f.value for f in trials}))
    for fact in trials:
        fact.detail = details.get(fact.value, "")
    p.sections["trials"] = trials
    # the rates of this disease's trials (a drug's rates in other diseases are not this disease's)
    p.sections["responses"] = _newest_first(_response_facts(conn, "trial", sorted({f.value for f in trials})))
    return p


class UnknownName(QueryError):
    """``show`` found nothing; carries the closest known names."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"no drug, target or trial called {name!r}{hint}")
        self.name = name
        self.suggestions = suggestions


def profile(db_path: str | Path, name: str, *, same_sentence: bool = False) -> Profile:
    """Everything known about a drug, target, trial, company or disease; :class:`UnknownName` when
    nothing matches.
    With ``same_sentence``, relations count only where one sentence states them."""
    conn = connect_readonly(db_path)
    try:
        matches = resolve(conn, name)
        if not matches:
            raise UnknownName(name, suggest(conn, name))
        best = matches[0]
        build = {"drug": _drug_profile, "target": _target_profile, "trial": _trial_profile,
                 "company": _company_profile, "indication": _indication_profile}[best.kind]
        p = build(conn, best.norm, same_sentence)
        p.also = matches[1:]
        return p
    finally:
        conn.close()
