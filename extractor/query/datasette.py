"""Datasette metadata for `serve`: descriptions, facets, sorting, canned queries, the views."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from ..store.schema import FACT_TABLES, data_table
from .guard import connect_readonly


# ---------------------------------------------------------------------------------------
# Datasette metadata for ``serve``
# ---------------------------------------------------------------------------------------
# A drug as typed (code or name, any spacing/case) -> the stored norms, inside SQL.
_DRUG_NORMS = """
select distinct norm from mentions
where label in ('DRUG_CODE', 'DRUG_NAME')
  and (upper(replace(replace(replace(norm, ' ', ''), '-', ''), '_', ''))
         = upper(replace(replace(replace(:drug, ' ', ''), '-', ''), '_', ''))
    or upper(replace(replace(replace(text, ' ', ''), '-', ''), '_', ''))
         = upper(replace(replace(replace(:drug, ' ', ''), '-', ''), '_', '')))
union select :drug
"""

# The CTEs ``typed`` (the norms above) and ``drug`` (those plus every norm drug_alias
# relations join to them, transitively and across documents). Follows ``with recursive``.
_DRUG_GROUP = f"""typed(norm) as ({_DRUG_NORMS.strip()}),
drug(norm) as (
  select norm from typed
  union
  select case when r.head = drug.norm then r.tail else r.head end
  from relations r join drug on r.head = drug.norm or r.tail = drug.norm
  where r.kind = 'drug_alias'
)"""

CANNED_QUERIES: dict[str, dict[str, Any]] = {
    "drug_profile": {
        "title": "Drug profile",
        "description": "Everything known about one drug (code, INN or brand, any spacing; every name "
        "drug_alias relations equate with it counts as the same drug): aliases, company, "
        "targets, trials with phase and NCT id, indications, doses and response rates, newest first, "
        "each with its source document and evidence sentence.",
        "params": ["drug"],
        "hide_sql": True,
        "sql": f"""with recursive {_DRUG_GROUP},
trial as (select distinct tail as name from relations where kind = 'drug_trial' and head in (select norm from drug))
select fact, value, detail, published, source, sentence from (
  select substr(r.kind, 6) as fact, r.tail as value, r.head as detail, d.published, d.source, r.sentence, r.id as ord
  from relations r join documents d on d.id = r.document_id
  where r.kind like 'drug\\_%' escape '\\' and r.head in (select norm from drug)
  union all
  select replace(r.kind, 'trial_', 'trial ') as fact, r.tail, r.head, d.published, d.source, r.sentence, r.id
  from relations r join documents d on d.id = r.document_id
  where r.kind in ('trial_phase', 'trial_nct') and r.head in (select name from trial)
  union all
  select 'dose', case when x.amount = cast(x.amount as integer) then printf('%,d', x.amount)
                      else printf('%g', x.amount) end || ' ' || x.unit,
         trim(coalesce(x.frequency, '') || ' ' || coalesce('dose level ' || x.dose_level, '') || ' ' || coalesce('regimen ' || x.regimen, '')),
         d.published, d.source, x.sentence, x.id
  from doses x join documents d on d.id = x.document_id where x.drug in (select norm from drug)
  union all
  select 'response', x.metric || ' ' || printf('%g%%', x.percent),
         trim(coalesce(x.n || '/' || x.total, '') || ' ' || coalesce(x.trial, '') || ' ' || coalesce('dose level ' || x.dose_level, '')),
         d.published, d.source, x.sentence, x.id
  from responses x join documents d on d.id = x.document_id where x.drug in (select norm from drug)
)
order by published desc, fact, ord""",
    },
    "assets_by_target": {
        "title": "Assets by target",
        "description": "Drugs directed at a target, given as HGNC symbol (TNFRSF17) or as written (BCMA), "
        "with company, trials and the latest document.",
        "params": ["target"],
        "hide_sql": True,
        "sql": """with target as (
  select distinct norm from mentions where label = 'TARGET'
    and (upper(norm) = upper(:target) or upper(text) = upper(:target))
  union select upper(:target)
)
select r.tail as target, r.head as drug,
  (select group_concat(tail, ', ') from (select distinct tail from relations
     where kind = 'drug_company' and head = r.head)) as company,
  (select group_concat(tail, ', ') from (select distinct tail from relations
     where kind = 'drug_trial' and head = r.head)) as trials,
  count(distinct r.document_id) as documents,
  max(d.published) as latest
from relations r join documents d on d.id = r.document_id
where r.kind = 'drug_target' and r.tail in (select norm from target)
group by r.tail, r.head
order by latest desc, drug""",
    },
    "responses_by_drug": {
        "title": "Response rates by drug",
        "description": "Response rates for one drug (any alias: code, INN, brand, or a name drug_alias relations "
        "equate with it), by dose level, with trial, the name recorded, n/N and population.",
        "params": ["drug"],
        "hide_sql": True,
        "sql": f"""with recursive {_DRUG_GROUP}
select x.dose_level, x.metric, x.percent, x.n, x.total, x.trial, x.drug, x.population,
       d.published, d.source, x.sentence
from responses x join documents d on d.id = x.document_id
where x.drug in (select norm from drug)
order by x.dose_level is null, x.dose_level, x.metric, d.published desc""",
    },
}

CANNED_QUERIES["upcoming_catalysts"] = {
    "title": "Upcoming catalysts",
    "description": "Expected events (IND clearances, trial starts, readouts, PDUFA dates, presentations, ...) whose date "
    "falls on or after a day (default: today), in date order, with drug, trial, source and evidence. "
    "An expected event with no date is listed last: its date was not stated.",
    "params": ["from"],
    "hide_sql": True,
    "sql": """select e.date, e.kind, e.detail, e.drug, e.trial, e.indication, e.agency, e.date_text,
       d.published, d.source, e.sentence
from events e join documents d on d.id = e.document_id
where e.status = 'expected'
  and (e.date_end is null or e.date_end >= coalesce(nullif(:from, ''), date('now')))
order by e.date_end is null, e.date_end, e.date_start, e.kind, e.drug""",
}

TABLE_DESCRIPTIONS: dict[str, str] = {
    "documents": "One row per article: source path or URL, title, date, clean text (full-text indexed).",
    "mentions": "Labelled spans of a document's text with their normalised form (norm) and sentence.",
    "doses": "Doses found in a document, with amount, unit, frequency, dose level and regimen.",
    "responses": "Response rates (ORR, CR, ...) with percent, n/N, population, dose level, drug and trial.",
    "relations": "Links between facts of one sentence, e.g. drug_target, drug_trial, trial_nct.",
    "failures": "Inputs that could not be read, cleaned, extracted or stored, with the reason.",
    "sentences": "Each sentence the facts quote, stored once (their sentence column reads it).",
    "events": "Catalysts: IND clearances, designations, submissions, PDUFA dates, approvals, trial starts, readouts, "
              "presentations and deals, occurred or expected, with the date at the precision the text gives.",
}

COLUMN_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "documents": {
        "source": "Path or URL as given (path#N for the Nth record of a JSONL/CSV file)",
        "url": "Canonical URL when known",
        "published": "Publication date (YYYY-MM-DD)",
        "text": "Clean article text; every offset refers to it",
        "content_hash": "SHA-256 of content and metadata, to skip unchanged inputs",
        "rules_version": "Version of the rules that produced the facts",
    },
    "mentions": {
        "label": "DRUG_CODE, DRUG_NAME, TARGET, TRIAL, NCT_ID, PHASE, INDICATION or COMPANY",
        "text": "The span as written",
        "norm": "Normalised form: drug code (ALLO-316), INN (sotorasib), HGNC symbol (TNFRSF17), trial (TRAVERSE)",
        "start": "Start offset in documents.text",
        "end": "End offset in documents.text",
        "sentence": "Sentence holding the span (the evidence)",
        "variant": "Variant of a target, e.g. G12C",
        "section": "title, body, about, forward_looking or contacts",
    },
    "doses": {
        "drug": "Norm of the drug dosed",
        "amount": "Amount (lower bound of a range)",
        "amount_max": "Upper bound of a range",
        "dose_level": "Dose level, e.g. DL2",
        "regimen": "Regimen a component belongs to, e.g. FC500",
        "text": "The dose as written",
    },
    "responses": {
        "drug": "Norm of the drug",
        "trial": "Norm of the trial",
        "metric": "ORR, CR, DCR, ...",
        "percent": "Rate in percent",
        "n": "Responders",
        "total": "Evaluable patients",
        "population": "Population as written",
        "dose_level": "Dose level, e.g. DL2",
        "text": "The rate as written",
    },
    "relations": {
        "kind": "drug_target, drug_trial, trial_nct, trial_phase, trial_indication, drug_indication, drug_company "
        "or drug_alias (head and tail are two names of one drug)",
        "head": "Norm of the head fact (a drug or trial)",
        "tail": "Norm of the tail fact",
        "sentence": "Sentence stating the relation (the evidence)",
    },
    "events": {
        "kind": "ind_clearance, designation, submission, action_date, adcom, approval, crl, trial_start, "
                "enrollment_complete, topline_data, presentation or deal",
        "status": "occurred or expected (as of the document's date)",
        "detail": "The designation, approving agency or region, filing type, congress or deal partner",
        "date": "At the precision the text gives: 2024-11-05, 2024-11, 2025-Q2, 2026-H1 or 2025",
        "date_text": "The date as written (mid-2025, the first half of 2026)",
        "date_precision": "day, month, quarter, half or year",
        "date_start": "First day the date covers",
        "date_end": "Last day the date covers",
        "amount": "A deal's total value (or upfront plus milestones)",
        "sentence": "Sentence stating the event (the evidence)",
    },
}

#: One line per view of :data:`extractor.store.views.VIEWS` (tests check the names match).
VIEW_DESCRIPTIONS: dict[str, str] = {
    "drug_names": "Every drug norm that drug_alias relations join to other names, with the name its group is shown under "
                  "(drug); the other views merge aliases through it.",
    "drug_summary": "One row per drug (names equated by drug_alias relations count as one, shown under the INN): "
    "documents, targets, trials, indications, company, latest date and the other names (aliases).",
    "drug_targets": "Drug-target pairs from drug_target relations (a drug's aliases merged: drug_as_written lists the names "
                    "stored), with the target's surface forms and document count.",
    "response_rates": "Every response rate (drug under its group's name, drug_as_written as stored) with its trial, arm (investigational, control, placebo, benchmark), combination "
                      "partners, dose level, population, how its drug and trial are tied (basis), source document, date and sentence.",
    "relation_evidence": "Every relation with its basis (apposition, clause, sentence, paragraph, document, nearest, vocabulary), "
                         "same_sentence (1 when one sentence states it), the words naming each end, the evidence and its source.",
    "trials": "One row per trial name: phases, NCT ids, drugs and indications.",
    "catalysts": "Every event with its source document and date, for a calendar (drug under its group's name): filter "
                 "status = expected for what is coming.",
}

TABLE_FACETS: dict[str, list[str]] = {
    "mentions": ["label", "section", "norm"],
    "relations": ["kind", "section"],
    "responses": ["metric", "drug", "arm"],
    "doses": ["unit", "drug"],
    "failures": ["stage"],
    "events": ["kind", "agency", "status"],
    "catalysts": ["kind", "agency", "status", "drug"],
    "drug_summary": ["label"],
    "drug_targets": ["target", "drug"],
    "trials": ["phases"],
    "response_rates": ["metric", "drug", "arm"],
}
#: Tables and views Datasette shows largest first (by this column, descending).
TABLE_SORT_DESC: dict[str, str] = {
    "documents": "published",
    "drug_summary": "documents",
    "drug_targets": "documents",
    "trials": "documents",
    "catalysts": "date_start",
}


def datasette_metadata(db_path: str | Path, *, title: str = "extractor: biotech press releases") -> dict[str, Any]:
    """Datasette metadata for the database: descriptions, facets, view docs, canned queries."""
    conn = connect_readonly(db_path)
    try:
        present = {r[0] for r in conn.execute("select name from sqlite_master where type in ('table', 'view')")}
    finally:
        conn.close()
    tables: dict[str, Any] = {}
    for name, description in {**TABLE_DESCRIPTIONS, **VIEW_DESCRIPTIONS}.items():
        if name not in present:
            continue
        entry: dict[str, Any] = {"description": description}
        if name in COLUMN_DESCRIPTIONS:
            entry["columns"] = COLUMN_DESCRIPTIONS[name]
        if name in TABLE_FACETS:
            entry["facets"] = TABLE_FACETS[name]
        if name in TABLE_SORT_DESC:
            entry["sort_desc"] = TABLE_SORT_DESC[name]
        tables[name] = entry
    for name in FACT_TABLES:  # the stored rows behind the fact views: browse the views instead
        if data_table(name) in present:
            tables[data_table(name)] = {"hidden": True}
    queries = {name: dict(query) for name, query in CANNED_QUERIES.items()}
    database = Path(db_path).stem
    listed = {**{n: TABLE_DESCRIPTIONS[n] for n in FACT_TABLES if n in TABLE_DESCRIPTIONS}, **VIEW_DESCRIPTIONS}
    views = "".join(
        f'<li><a href="/{html.escape(database)}/{name}">{name}</a>: {html.escape(description)}</li>'
        for name, description in listed.items() if name in present
    )
    return {
        "title": title,
        # the index page names the views (Datasette lists only tables there)
        "description_html": "<p>Drugs, targets, trials, doses and response rates extracted from biotech and pharma "
        "news. Every fact links to its document and evidence sentence.</p><p>Views:</p><ul>" + views + "</ul>",
        "databases": {database: {"tables": tables, "queries": queries}},
    }
