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
    "drug_summary": """
select
  m.norm as drug,
  m.label as label,
  count(distinct m.document_id) as documents,
  (select group_concat(tail, ', ') from (select distinct tail from relations
     where kind = 'drug_target' and head = m.norm order by tail)) as targets,
  (select group_concat(tail, ', ') from (select distinct tail from relations
     where kind = 'drug_trial' and head = m.norm order by tail)) as trials,
  (select group_concat(tail, ', ') from (select distinct tail from relations
     where kind = 'drug_indication' and head = m.norm order by tail)) as indications,
  (select group_concat(tail, ', ') from (select distinct tail from relations
     where kind = 'drug_company' and head = m.norm order by tail)) as company,
  max(d.published) as latest
from mentions m
join documents d on d.id = m.document_id
where m.label in ('DRUG_CODE', 'DRUG_NAME')
group by m.norm, m.label
""",
    "drug_targets": """
select
  r.head as drug,
  r.tail as target,
  (select group_concat(text, ', ') from (select distinct t.text from mentions t
     where t.label = 'TARGET' and t.norm = r.tail order by t.text)) as target_text,
  count(distinct r.document_id) as documents,
  max(d.published) as latest
from relations r
join documents d on d.id = r.document_id
where r.kind = 'drug_target'
group by r.head, r.tail
""",
    "response_rates": """
select
  r.drug as drug,
  r.trial as trial,
  r.metric as metric,
  r.percent as percent,
  r.n as n,
  r.total as total,
  r.dose_level as dose_level,
  r.population as population,
  d.source as source,
  d.published as published,
  r.sentence as sentence,
  r.document_id as document_id
from responses r
join documents d on d.id = r.document_id
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
