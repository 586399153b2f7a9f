"""SQL views over the fact tables, as data. docs/querying.md documents each one.

:func:`ensure_views` creates them (or replaces one whose SQL changed); ``Store.ensure_schema``
calls it after the tables exist. Their descriptions (for Datasette) are in
``extractor.query.VIEW_DESCRIPTIONS``. Views hold no data, so they are always in step with the
tables and never need migrating.
"""

from __future__ import annotations

import sqlite_utils

__all__ = ["VIEWS", "ensure_views"]

#: name -> SELECT statement. Every list column is ", "-separated and sorted.
VIEWS: dict[str, str] = {
    # One row per drug: names that drug_alias relations join (transitively, across
    # documents) are one drug, shown under its INN before a code, then the most mentioned
    # name, then the first alphabetically (the rule of extractor.query.canonical_drug).
    # Every drug norm that drug_alias relations join to others (transitively, across documents),
    # with the one name its group is shown under: the INN before a code, then the most mentioned
    # name, then the first alphabetically (the rule of extractor.query.canonical_drug).
    "drug_names": """
with recursive
alias_edge(a, b) as (
  select head, tail from relations where kind = 'drug_alias'
  union select tail, head from relations where kind = 'drug_alias'
),
reach(norm, member) as (
  select a, a from alias_edge
  union
  select reach.norm, e.b from reach join alias_edge e on e.a = reach.member
),
ranked(norm, is_name, n) as (
  select norm, max(label = 'DRUG_NAME'), count(*) from mentions
  where label in ('DRUG_CODE', 'DRUG_NAME') and norm in (select a from alias_edge)
  group by norm
)
select norm, member as drug from (
  select r.norm, r.member, row_number() over (
    partition by r.norm order by coalesce(k.is_name, 0) desc, coalesce(k.n, 0) desc, r.member) as rank
  from reach r left join ranked k on k.norm = r.member)
where rank = 1
""",
    # One row per drug, every name of its group merged (see drug_names).
    "drug_summary": """
with
named(drug, norm, label, document_id, published) as (
  select coalesce(c.drug, m.norm), m.norm, m.label, m.document_id, d.published
  from mentions m
  join documents d on d.id = m.document_id
  left join drug_names c on c.norm = m.norm
  where m.label in ('DRUG_CODE', 'DRUG_NAME')
),
members(drug, norm) as (select distinct drug, norm from named),
facts(drug, kind, tail) as (
  select distinct mb.drug, r.kind, r.tail
  from members mb join relations r on r.head = mb.norm
  where r.kind in ('drug_target', 'drug_trial', 'drug_indication', 'drug_company')
  order by mb.drug, r.kind, r.tail
),
lists(drug, targets, trials, indications, company) as (
  select drug,
    group_concat(case when kind = 'drug_target' then tail end, ', '),
    group_concat(case when kind = 'drug_trial' then tail end, ', '),
    group_concat(case when kind = 'drug_indication' then tail end, ', '),
    group_concat(case when kind = 'drug_company' then tail end, ', ')
  from facts group by drug
),
aliases(drug, aliases) as (
  select drug, group_concat(norm, ', ') from (
    select drug, norm from members where norm <> drug order by drug, norm)
  group by drug
)
select
  n.drug as drug,
  coalesce(max(case when n.norm = n.drug then n.label end), max(n.label)) as label,
  count(distinct n.document_id) as documents,
  l.targets as targets,
  l.trials as trials,
  l.indications as indications,
  l.company as company,
  max(n.published) as latest,
  a.aliases as aliases
from named n
left join lists l on l.drug = n.drug
left join aliases a on a.drug = n.drug
group by n.drug
""",
    "drug_targets": """
select
  coalesce(c.drug, r.head) as drug,
  group_concat(distinct r.head) as drug_as_written,
  r.tail as target,
  (select group_concat(text, ', ') from (select distinct t.text from mentions t
     where t.label = 'TARGET' and t.norm = r.tail order by t.text)) as target_text,
  count(distinct r.document_id) as documents,
  max(d.published) as latest
from relations r
join documents d on d.id = r.document_id
left join drug_names c on c.norm = r.head
where r.kind = 'drug_target'
group by coalesce(c.drug, r.head), r.tail
""",
    "response_rates": """
select
  coalesce(c.drug, r.drug) as drug,
  r.drug as drug_as_written,
  r.trial as trial,
  r.metric as metric,
  r.percent as percent,
  r.n as n,
  r.total as total,
  r.dose_level as dose_level,
  r.population as population,
  r.arm as arm,
  r.partners as partners,
  r.basis as basis,
  d.source as source,
  d.published as published,
  r.sentence as sentence,
  r.document_id as document_id
from responses r
join documents d on d.id = r.document_id
left join drug_names c on c.norm = r.drug
""",
    # Every relation with what a reader needs to check it: how the text ties it, whether one
    # sentence states it, and the evidence with the words naming each end.
    "relation_evidence": """
select
  r.kind as kind,
  r.head as head,
  r.tail as tail,
  r.basis as basis,
  r.basis in ('apposition', 'clause', 'sentence') as same_sentence,
  substr(d.text, r.head_start + 1, r.head_end - r.head_start) as head_text,
  substr(d.text, r.tail_start + 1, r.tail_end - r.tail_start) as tail_text,
  r.sentence as evidence,
  r.section as section,
  d.source as source,
  d.published as published,
  r.document_id as document_id
from relations r
join documents d on d.id = r.document_id
""",
    # Catalysts with their source: the calendar's rows, in date order within a document.
    "catalysts": """
select
  e.date_start as date_start,
  e.date as date,
  e.date_precision as date_precision,
  e.status as status,
  e.kind as kind,
  e.detail as detail,
  coalesce(c.drug, e.drug) as drug,
  e.drug as drug_as_written,
  e.trial as trial,
  e.indication as indication,
  e.agency as agency,
  e.date_text as date_text,
  d.title as title,
  d.source as source,
  d.published as published,
  e.sentence as sentence,
  e.document_id as document_id
from events e
join documents d on d.id = e.document_id
left join drug_names c on c.norm = e.drug
""",
    "trials": """
select
  m.norm as trial,
  (select group_concat(tail, ', ') from (select distinct tail from relations
     where kind = 'trial_phase' and head = m.norm order by tail)) as phases,
  (select group_concat(tail, ', ') from (select distinct tail from relations
     where kind = 'trial_nct' and head = m.norm order by tail)) as nct_ids,
  (select group_concat(head, ', ') from (select distinct head from relations
     where kind = 'drug_trial' and tail = m.norm order by head)) as drugs,
  (select group_concat(tail, ', ') from (select distinct tail from relations
     where kind = 'trial_indication' and head = m.norm order by tail)) as indications,
  count(distinct m.document_id) as documents,
  max(d.published) as latest
from mentions m
join documents d on d.id = m.document_id
where m.label = 'TRIAL'
group by m.norm
""",
}



def _normalise(sql: str | None) -> str:
    return " ".join((sql or "").split()).lower()


def ensure_views(db: sqlite_utils.Database) -> None:
    """Create every view in :data:`VIEWS`; replace one whose stored SQL differs."""
    existing = {
        name: sql
        for name, sql in db.execute("select name, sql from sqlite_master where type = 'view'").fetchall()
    }
    for name, body in VIEWS.items():
        if name in existing:
            stored = existing[name]
            if _normalise(stored).endswith(_normalise(body)):
                continue
        db.create_view(name, body.strip(), replace=True)
