"""Entity finding: regex candidates + ruler/gazetteer spans → resolved, normalised facts.

Registered as the spaCy component ``biotech_entities``. Reads ``doc.spans["ruler"]``
(from the two SpanRulers built from ``rules/*.jsonl`` and the gazetteers), adds regex
candidates for codes, NCT ids, phases, trials, targets and companies, resolves overlaps
by priority, and writes the result to ``doc.spans["facts"]`` and ``doc._.cands``.
"""

from __future__ import annotations

import bisect
import dataclasses
import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from . import normalize as N
from .abbreviations import Abbreviation, find_abbreviations
from .context import POPULATION_BEFORE, POPULATION_HEADING, ContextRules, DocumentContext
from .rules import RuleSet
from ..models import section_at
from .text import NAME_LIST_GAP, Cand, doc_text, mask_clauses, sentence_char_bounds

# Priority when two candidates overlap (higher wins; then longer wins).
PRIORITY = {
    "NCT_ID": 90, "PHASE": 80, "TRIAL": 70, "DRUG_CODE": 60, "DRUG_NAME": 50,
    "TARGET": 45, "COMPANY": 40, "INDICATION": 30,
}

#: Context cue labels (rules/context.jsonl) under which a mention is not a fact of its label.
CONTEXT_VETOES = {
    "INDICATION": {"CONTEXT_ADVERSE", "CONTEXT_HISTORY", "CONTEXT_NEGATED", "CONTEXT_BIOMARKER"},
    "TARGET": {"CONTEXT_PRIOR", "CONTEXT_BIOMARKER"},
}
#: A substance's misuse after its name: "methamphetamine use disorder", "cocaine addiction", "opioid overdose".
SUBSTANCE_USE_AFTER = re.compile(
    r"(?i)[\s\-]+(?:use\s+disorders?|addiction|dependence|abuse|misuse|withdrawal|overdoses?|poisoning|intoxication|"
    r"users?|cravings?|-?induced\s+psychosis)\b"
)
#: Counter-ions a vocabulary lists as substances of their own, which after a drug's name are part of its
#: salt form ("abiraterone acetate", "LY3295668 erbumine", "fentanyl citrate").
SALT_FORMS = frozenset({"acetate", "erbumine", "citrate", "propionate", "palmitate", "tromethamine", "meglumine", "mesylate",
                        "hydrochloride", "tartrate", "maleate", "fumarate", "succinate", "besylate", "tosylate", "sulfate",
                        "phosphate", "bromide", "hyclate"})
#: The word before a salt form, which must be a drug's name or code ("abiraterone ", "LY3295668 ").
SALT_OF_BEFORE = re.compile(r"\b([\w\-]+)[ ]$")
#: A disease written as the patients' past: "defined as prior myocardial infarction, prior ischemic stroke".
HISTORY_BEFORE = re.compile(r"(?i)\bprior\s+$")
#: ... unless what follows makes it the subject of earlier work: "prior melanoma trials", "prior migraine treatments".
TREATMENT_NOUN_AFTER = re.compile(r"(?i)\s+(?:trials?|stud(?:y|ies)|treatments?|therap(?:y|ies)|preventive)\b")
#: A dose right after a name: "phosphorus 250 mg" uses it as a drug.
DOSE_AFTER = re.compile(r"^\s*\(?\s*\d[\d.,]*\s?(?:mg|mcg|µg|μg|ug|g|mL|IU|units?|mmol|mEq)\b", re.I)

#: A gazetteer hit glued to a longer name: "SARS" in "SARS-CoV-2", "HIV" in "HIV-1-infected" is fine.
GLUED_AFTER = re.compile(r"^[\-‐](?:[A-Z][a-z]*[A-Z]|[A-Za-z]*\d)")
#: A disease span that starts inside a modifier: "cell RCC" of "non-clear cell RCC".
CUT_DISEASE_START = re.compile(r"cell\s")
#: The words of a disease's name, for its initials: "Alzheimer's disease" → AD, "type 2 diabetes" → T2D.
INITIALS_SPLIT = re.compile(r"[\s\-‐]+")
#: Initials that may stand for a disease the document names without defining them (EntityFinder._implicit_initials).
IMPLICIT_INITIALS = re.compile(r"[A-Z][A-Z0-9]{1,4}")
#: Initials that are also words, degrees or places ("Jesse Richards, DO", "IT", "US"): never a disease's.
NOT_INITIALS = frozenset({"DO", "MD", "PA", "NP", "RN", "IT", "OR", "US", "UK", "EU", "AM", "PM", "NO", "IN", "ON", "AT", "TO", "BE", "BY", "IF", "OF", "SO", "UP", "WE", "GO", "ME", "MY", "AN"})
#: A word in capitals beside a short form: a heading written in capitals ("AS A RESULT"), where "AS" is a word; a
#: capitalised word after it: a proper name ("UC San Diego", "the CLL Society").
CAPITALISED_AROUND = re.compile(r"\b[A-Z]+[ \t]+$")
CAPITALISED_AFTER = re.compile(r"[ \t]+[A-Z]")
#: Before initials that then mean something else: a name or a city and its comma ("said Jane Smith, MS", "VANCOUVER,
#: BC"), a ticker ("(Nasdaq: AA)"), pharmacokinetics ("PK and PD").
OTHER_INITIALS_BEFORE = re.compile(r"(?:\b[A-Z][a-z]+|\b[A-Z]{5,}),[ \t]+$|\b(?:Nasdaq|NYSE|TSX|ASX|LSE|AMEX|OTC\w*)[^:]{0,12}:\s*$|\bPK\s*(?:and|/|,)\s*$")
#: After initials that then name an agency acting ("The EC approved") or pharmacokinetics ("PD and PK").
OTHER_INITIALS_AFTER = re.compile(r"\s+(?:approved|granted|authori[sz]ed|adopted|issued)\b|\s*(?:and|/|,)\s*PK\b")
#: A protocol number after a drug code: "V940-001" (drug V940, study 001).
PROTOCOL_NUMBER_AFTER = re.compile(r"[-‐]P?\d{3}(?![\w\-])")  # "V116-001", Merck's "MK-8591A-P054"
#: A substance's name as the first part of a class's name: "glucagon-like peptide-1", "insulin-like growth factor".
LIKENESS_AFTER = re.compile(r"[\-‐](?:like|related|derived|mimetic|analog|analogue)\b", re.I)
#: A protein named after the substance it binds or makes: "sphingosine kinase-2", "glucagon receptor", "thymidine
#: kinase", "sphingosine-1-phosphate receptor": the word is part of a target's name, not a drug.
PROTEIN_NAMED_AFTER = re.compile(
    r"(?i)(?:-\d-phosphate)?[\s\-‐](?:kinase|receptor|synthase|transporter|channel|lyase|dehydrogenase|oxidase|reductase|"
    r"phosphatase|transferase|ligase|esterase|peptidase|cyclase)s?\b"
)
#: Short all-caps disease abbreviations (AS, PAH, SCC) name a disease only where the text defines them
#: or uses them in a disease's place: "patients with PAH", "PAH patients", "treatment of PAH".
SHORT_ABBREVIATION = re.compile(r"^[A-Z][A-Z0-9\-]{1,4}$")
DISEASE_SLOT_BEFORE = re.compile(
    r"(?i)(?:patients|people|adults|children|participants|subjects|individuals|those)\s+(?:with|who\s+have)\s+(?:[\w\-]+\s+){0,3}$"
    r"|(?:treatment|treating|prevention|therapy)\s+(?:of|for)\s+(?:[\w\-]+\s+){0,2}$"
)
DISEASE_SLOT_AFTER = re.compile(r"^\s+(?:patients|subjects|participants)\b")
#: Words of a long form that say it names a study ("Semaglutide Effects on Cardiovascular Outcomes").
TRIAL_LONG_FORM = re.compile(r"(?i)\b(?:trial|study|studies|outcomes?|evaluation|efficacy|safety|effects?|comparison|assessment|"
                             r"registry|investigation|intervention|randomi[sz]ed|versus|vs)\b")
#: A long form that states a study's purpose: "PrEvention of IllNesS DUe to InfLuenza A (PENINSULA)".
PURPOSE_LONG_FORM = re.compile(r"(?i)(?:prevention|treatment|reduction)\s+of\b")
#: Heads of long forms that name an organisation, a designation or a measure, never a study.
NOT_TRIAL_LONG_FORM_HEAD = re.compile(
    r"(?i)\b(?:institutes?|agency|administration|association|society|foundation|university|center|centre|council|"
    r"organi[sz]ation|network|consortium|group|department|committee|alliance|commission|authority|program|programme|"
    r"prophylaxis|designation|therapy|treatment|response|survival|rate|score|scale|index|test|procedure|technology|"
    r"platform|pathway|designation|exemption|voucher|meeting|congress|conference|summit|symposium)$"
)

#: Words that make a Title Case name an organisation or a meeting, whatever disease it names
#: ("Society for Immunotherapy of Cancer (SITC)", "American Diabetes Association"): not an indication.
ORGANISATION_WORD = re.compile(
    r"\b(?:Society|Association|Foundation|Institute|Center|Centre|Congress|Conference|Meeting|Symposium|Alliance|"
    r"Network|Consortium|Forum|Journal|Hospital|Clinic|University|College|Council|Coalition|Federation|Summit|"
    r"Workshop|Organi[sz]ation|Agency|Academy|Registry|Initiative|Fund|Trust|Sessions|Day|Month|Week)\b"
)
#: Words that name people, not a disease: a long form starting so is a population ("patients with VHL disease").
POPULATION_WORDS = {"patients", "people", "adults", "children", "participants", "subjects", "individuals", "those", "women", "men"}
#: Words of a long form that say it names a protein, so its short form may be a target.
PROTEIN_LONG_FORM = re.compile(
    r"(?i)(?:receptor|ligand|antigen|kinase|protein|factor|enzyme|channel|transporter|synthase|ase|in|interleukin[\w\- ]*|"
    r"cluster of differentiation \d+|molecule|domain|subunit|hormone|peptide|cytokine|integrin|\d)$"
)

#: A vaccine sentence, the infections vaccines prevent, and the slots that name who is vaccinated.
VACCINE_WORD = re.compile(r"(?i)\b(?:vaccines?|vaccinat\w*|boosters?|immuni[sz]ation)\b")
PREVENTED_INFECTION = re.compile(
    r"(?i)\b(?:COVID(?:-19)?|SARS-CoV-2|coronavirus|influenza|flu|pneumococcal|pneumonia|RSV|respiratory\s+syncytial|mpox|"
    r"monkeypox|smallpox|HPV|papillomavirus|hepatitis\s+[AB]|shingles|zoster|meningococcal|meningitis|Ebola|dengue|"
    r"chikungunya|measles|polio|rotavirus|cholera|typhoid|rabies|malaria|tuberculosis|pertussis|diphtheria|tetanus)\b"
)
POPULATION_SLOT_BEFORE = re.compile(
    r"(?i)\b(?:patients|people|persons|adults|children|individuals|those|participants|recipients|populations?)\s"
    r"(?:[\w\-]+\s){0,3}?(?:with|living\s+with|who\s+have|suffering\s+from)\s(?:[\w\-/,]+\s){0,4}?\(?$"
)
#: A vaccine named with the infection it prevents, anywhere in the document: "a COVID-19 vaccine".
INFECTION_VACCINE = re.compile(
    r"(?i)\b(?:COVID(?:-19)?|SARS-CoV-2|influenza|RSV|mpox|smallpox|HPV|zoster|Ebola|dengue)\s+(?:booster\s+)?vaccines?\b"
)
#: Vaccines that treat a disease rather than prevent an infection.
THERAPEUTIC_VACCINE = re.compile(r"(?i)\b(?:cancer|tumou?r|therapeutic|neoantigen|oncolytic|personali[sz]ed)\s+(?:\w+\s+)?vaccines?\b")
#: A disease naming people ("CLL patients", "cancer survivors"), for the population a vaccine is given to.
VACCINEE_POPULATION_AFTER = re.compile(r"(?i)\s+(?:patients|survivors|populations?)\b")
#: Words after a disease that name its subtype: "heart failure with preserved ejection fraction".
#: A body site after a disease name: "squamous cell carcinoma of the esophagus", "cancer of the head and neck".
#: Tissue types that name no cancer by themselves: kept only with the words that say which ("pancreatic
#: ductal adenocarcinoma"), never alone (judged too broad).
BARE_HISTOLOGY = frozenset({"adenocarcinoma", "adenocarcinomas", "carcinoma", "carcinomas"})
#: Disease heads that name a kind of tumour found at many sites (not "melanoma", which names its own).
SITE_FREE_HEADS = frozenset({"carcinoma", "carcinomas", "cancer", "cancers", "adenocarcinoma", "neoplasm", "tumor", "tumour", "sarcoma"})
SITE_AFTER = re.compile(r"\s+of\s+the\s+(?P<site>[A-Za-z]+(?:\s+(?:and\s+)?[A-Za-z]+){0,2})")
SUBTYPE_AFTER = re.compile(r"(?i)\s+with\s+(?:preserved|reduced|mildly\s+reduced|mid-range|improved)\s+ejection\s+fraction\b")
#: A disease's lettered type right after its name: "hepatitis B", "hemophilia A".
LETTER_TYPE_AFTER = re.compile(r" ([A-E])(?![\w\-‐])")
#: The word right before a position, joined to it by a space or a slash.
WORD_BEFORE = re.compile(r"(?<![\w\-'‐‑–—])([A-Za-z][\w\-']*)[ /]$")  # not glued by a dash: "PD-L1–Positive NSCLC"
#: A defined short form in parentheses right before a position: "Gastroesophageal Junction (GEJ) ".
PAREN_SHORT_BEFORE = re.compile(r"\(([A-Z][\w\-]{1,9})\) $")
#: Conditions named by one word the vocabulary files under longer names: "diabetes and heart disease"
#: joins two conditions, it does not qualify "disease" twice.
STANDALONE_CONDITION = re.compile(r"\b(?:diabetes|hypertension|death|dementia|epilepsy|migraine|sepsis|gout|cancer)$")
#: Head words two sets of qualifying words share: "breast or ovarian cancer", "heart and kidney failure".
SHARED_HEAD = re.compile(r"cancers?|carcinomas?|adenocarcinomas?|tumou?rs?|lymphomas?|leuka?emias?|sarcomas?|neoplasms?|diseases?|disorders?|infections?|failure")
PAREN_SHORT = re.compile(r" ?\(([A-Z][\w\-]{1,9})\)")
#: A comma list of qualifying words right before a disease: "ovarian, fallopian tube, or " (items of one to
#: three words, the last joined by "or"/"and").
LISTED_BEFORE = re.compile(r"(?P<items>(?:[A-Za-z][\w\-]*(?:\s+[A-Za-z][\w\-]*){0,2},\s+)+(?:[A-Za-z][\w\-]*(?:\s+[A-Za-z][\w\-]*){0,2},?\s+)?)(?:or|and)\s+$")
#: "or" / "and" joining two sets of qualifying words before one disease head.
CONJUNCTION_BEFORE = re.compile(r"(?<=\w )(?:or|and) $")
#: Words that stand before disease names in the vocabulary but do not narrow one in a release.
NOT_DISEASE_MODIFIER = re.compile(
    r"^(?:[ivx]+[abc]?|including|without|from|with|into|after|before|during|among|fourth|third|second|first|"
    r"critical|receptor|human|other|certain|several|various|multiple|many|some|all|both|each|most|numerous|known|new|novel|early|late|stage|grade|type|"
    r"moderate|severe|mild|acute|chronic|active|primary|secondary|advanced|resectable|unresectable|metastatic|"
    r"recurrent|refractory|relapsed|high|low|risk|treatment|associated|related|induced|like|symptomatic|asymptomatic)$"
)

#: A capitalised disease name closing the name of a meeting or a body: "Congress of … Infectious Diseases".
ORGANISATION_BEFORE = re.compile(
    r"\b(?:Congress|Conference|Society|Association|Institute|Foundation|Journal|Meeting|Summit|Symposium|Center|Centre|"
    r"Council|Academy|College|Federation|Alliance|Network|Consortium|Workshop|Forum|Colloquium|Professor|Chair|Chief|"
    r"Director|Department|Division|Section|Criteria|(?i:professor|chair|chief|director|head))\s+(?:of|for|on|in)\s+"
    r"(?:[A-Z][\w\-']*\s+|&\s+|and\s+){0,6}$"
    r"|\b(?:published|publication)\s+(?:online\s+)?in\s+(?:the\s+)?(?:journal\s+)?$"  # "published in Allergy": a journal
)
#: Capitalised words after a disease that make it part of an organisation's or a campaign's name.
ORGANISATION_AFTER = re.compile(r"\s+(?:(?:Research|Cancer|Disease)\s+)?(?:Foundation|Association|Society|Alliance|Coalition|Institute|"
                                r"Center|Centre|Program|Programme|Network|Consortium|Awareness|Month|Day|Group|"
                                r"(?:(?:Poster|Oral|Plenary|Abstract|Educational|Scientific|Rapid|Mini|Late-Breaking|Clinical|Science)\s+){1,3}"
                                r"(?:Session|Presentation|Discussion)|Session|Track|"
                                r"(?:International\s+|Annual\s+|World\s+)?(?:Conference|Congress|Summit|Symposium|Meeting|Week|Forum|Workshop))\b")
NON_PREFIX = re.compile(r"(?i)\bnon[-‐ ]$")
#: A negated qualifying word right before a disease: it belongs to the name ("non-muscle invasive", "non-metastatic").
NON_WORD_BEFORE = re.compile(r"(?i)(?<![\w\-])non[-‐](?!hospitali[sz]ed|fatal|responders?|smokers?|serious)[a-z]+\s$")
#: Words after a disease that make it the name of an antigen: "diphtheria toxoid", "pertussis antigens".
ANTIGEN_AFTER = re.compile(r"(?i)[\s\-]+(?:toxoids?|antigens?|conjugate)\b")
#: Words after a disease that make it a noun's modifier, not a disease treated: "circulating tumor DNA", "tumor tissue",
#: "a positive COVID-19 test" (not "tests" or "testing", which are also verbs: "the program in Alzheimer's disease tests
#: donanemab", "the trial in type 2 diabetes testing AB-101").
SPECIMEN_AFTER = re.compile(r"(?i)[\s\-]+(?:DNA|RNA|tissues?|samples?|biops(?:y|ies)|specimens?|microenvironment|mutational\s+burden|"
                            r"test(?!\s+(?:whether|if|the|a|an|its|their|how)\b))\b")
#: A disease name that opens the name of a rating instrument ("Psoriasis Area and Severity Index").
INSTRUMENT_AFTER = re.compile(r"^\s+(?:(?:[A-Z][a-z]+|and|of)\s+){0,4}(?:Index|Scale|Score|Questionnaire|Inventory|Rating)\b")

#: Sections whose text changes what a mention means: a fact of the label whose every mention in the
#: document lies in these sections is dropped (a disease named only in safety text is a side effect or
#: a warning; a code-shaped string only in the contacts block is a document number).
SECTION_ONLY_VETO = {
    "INDICATION": {"safety", "forward_looking", "contacts", "references"},
    "TARGET": {"safety", "forward_looking", "contacts", "references"},
    "DRUG_CODE": {"forward_looking", "contacts", "references"},
    "COMPANY": {"forward_looking", "contacts", "references"},  # a publisher of a cited label, a disclaimer's promoter
}

#: How label text opens a sentence about one trial: "In KEYNOTE-012, …", "In the Phase 3 REACH-2 study, …".
TRIAL_OPENING = re.compile(r"(?i)\W*in\s+(?:the\s+)?(?:[\w\-]+\s+){0,3}$")


#: A disease's type where a type is written: "HIV-1 infection", "type 2 diabetes", "influenza A", "hepatitis B"
#: (not the "b" of "b-cell" or a number inside a name).
DISEASE_TYPE = re.compile(r"^(?P<name>\w+)-[1-4](?= |$)|^type [1-4] | [a-e]$")


#: "invasive disease caused by the *Streptococcus pneumoniae* serotypes …", "invasive disease and pneumonia caused
#: by S. pneumoniae": the pathogen names the disease.
PATHOGEN_AFTER = re.compile(r"[^.;:\n()]{0,120}?\bcaused\s+by\s*(?:the\s*)?\W*(?:(?P<pneumo>Streptococcus|S\.)\s*pneumoniae|(?P<mening>Neisseria|N\.)\s*meningitidis)", re.I)


def _named_by_pathogen(text: str, cands: list[Cand]) -> list[Cand]:
    """'Invasive disease caused by S. pneumoniae' is invasive pneumococcal disease, not a disease unnamed."""
    out = []
    for c in cands:
        m = PATHOGEN_AFTER.match(text, c.end) if c.label == "INDICATION" and c.norm in ("invasive disease", "disease") else None
        if m:
            adjective = "pneumococcal" if m.group("pneumo") else "meningococcal"
            c = dataclasses.replace(c, norm=f"invasive {adjective} disease" if c.norm.startswith("invasive") else f"{adjective} disease")
        out.append(c)
    return out


def _one_typed_sense(cands: list[Cand]) -> list[Cand]:
    """'People living with HIV' in a release about HIV-1 infection: where a document names one type of a
    disease, its untyped name there means that type (one sense per document). A document naming two types
    ("HIV-1 and HIV-2", "hepatitis B and C") keeps the untyped name as written."""
    typed: dict[str, set[str]] = {}
    for norm in {c.norm for c in cands if c.label == "INDICATION"}:
        bare = DISEASE_TYPE.sub(lambda m: m.group("name") or "", norm).strip()
        if bare != norm:
            typed.setdefault(bare, set()).add(norm)
    if not typed:
        return cands
    return [
        dataclasses.replace(c, norm=next(iter(typed[c.norm]))) if c.label == "INDICATION" and len(typed.get(c.norm, ())) == 1 else c
        for c in cands
    ]


#: Words that name a company, or what it is, in a description of it ("a leading developer of …").
COMPANY_WORDS = (r"leader|leading|company|companies|developer|pioneer|provider|specialist|innovator|maker|manufacturer|"
                 r"biotech\w*|pharma\w*|firm|partner|organi[sz]ation")
#: A company described by what it works on: "BioCardia, a developer of cellular therapeutics for the treatment of
#: cardiovascular and pulmonary diseases, today announced …", "Corbus, an oncology and obesity company with …": an
#: apposition or a predicate ("Acme is a company focused on …"; not "the company completed studies in liver cancer"),
#: which ends at its closing comma, a bracket, the sentence's verb or its end ("Acme, a clinical-stage company,
#: initiated a trial in ulcerative colitis" describes no disease).
MISSION = re.compile(
    r"(?:,\s+|\bis\s+)(?:a|an)\s+(?:[\w\-/&]+\s+){0,6}?(?:" + COMPANY_WORDS + r")\b"
    r"(?P<rest>(?:(?!\b(?:today|announced|announces|reported|reports|said|says|is|was|has|will)\b)[^,.;()“”\"])*)"
)


#: Verbs whose perfect follows "patients who have" ("who have exhausted standard options"): no disease follows them.
PERFECT_VERBS = frozenset({"received", "failed", "exhausted", "completed", "progressed", "undergone", "tried", "used", "taken",
                           "experienced", "achieved", "demonstrated", "shown", "been", "had", "stopped", "discontinued"})
#: A sentence that sets a rate beside another disease's or another time's: "Similar to results seen in melanoma",
#: "By comparison, the response rate to chemotherapy in small cell lung cancer is about 15%".
RATE_COMPARED = re.compile(r"(?i)\b(?:similar\s+to|as\s+seen\s+in|compared\s+(?:with|to)|by\s+comparison|in\s+contrast|"
                           r"historical(?:ly)?|previously\s+(?:seen|reported|observed)|benchmark|standard\s+of\s+care)\b")


def _reports_rate(text: str, sent: tuple[int, int]) -> bool:
    """Whether a sentence reports a response rate of its own ("Colorectal cancer, the ORR was 34%"), not one
    set beside another's."""
    return (bool(N.PERCENT_VALUE.search(text, sent[0], sent[1])) and bool(N.METRIC_RE.search(text, sent[0], sent[1]))
            and not RATE_COMPARED.search(text, sent[0], sent[1]))


def _missions(text: str, cands: list[Cand]) -> list[Cand]:
    """A disease named only as an area a company works in ("a company focused on central nervous system
    disorders") is the organisation's mission, not an indication of a drug or trial; a description that names
    a drug ("a company developing briquilimab for chronic urticaria") says what that drug is for, and stays."""
    drugs = sorted(c.start for c in cands if c.label in ("DRUG_CODE", "DRUG_NAME", "TRIAL"))
    out = []
    spans = [(m.start(), m.end()) for m in MISSION.finditer(text)]
    for c in cands:
        if c.label == "INDICATION":
            span = next(((a, b) for a, b in spans if a <= c.start and c.end <= b), None)
            if span is not None:
                i = bisect.bisect_left(drugs, span[0])
                if not (i < len(drugs) and drugs[i] < span[1]):
                    continue
        out.append(c)
    return out


#: Between two diseases, an apposition that says what class the first belongs to: "multiple myeloma, a bone marrow
#: cancer", "Crohn's disease, a form of inflammatory bowel disease". The class is not what the drug treats.
DISEASE_CLASS_GAP = re.compile(r"(?i)^\s*,\s*(?:an?\s+(?:(?:form|type|kind|subtype|group|class)\s+of\s+)?(?:[\w\-]+\s+){0,3}"
                               r"|the\s+most\s+common\s+(?:form|type|kind)\s+of\s+)$")
#: The class such an apposition names ends in a generic head; words of a list or a setting are no apposition.
CLASS_HEAD = re.compile(r"(?i)\b(?:cancer|disease|disorder|condition|tumou?r|malignancy|infection|illness)s?$")
CLASS_OF = re.compile(r"(?i)\b(?:form|type|kind|subtype)\s+of\s+$")
CLASS_GAP_NOT = re.compile(r"(?i)\b(?:treatment|therapy|approval|setting|trial|study|indication|first|second)\b")
#: Between two diseases, another name for the first: "atopic dermatitis, commonly called eczema" (a comma or a bracket
#: first: "a lung disease known as idiopathic pulmonary fibrosis" names the specific disease after its class).
DISEASE_ALIAS_GAP = re.compile(r"(?i)^\s*(?:,|\()\s*(?:(?:commonly|also|often|sometimes|otherwise)\s+)?(?:called|known\s+as|referred\s+to\s+as)\s+$")


def _disease_appositions(text: str, cands: list[Cand]) -> list[Cand]:
    """A disease in apposition to the disease before it: its class is dropped, its other name takes its norm."""
    out: list[Cand] = []
    previous: Cand | None = None
    for c in cands:
        if c.label == "INDICATION" and previous is not None and 0 <= c.start - previous.end <= 60:
            gap = text[previous.end : c.start]
            if DISEASE_CLASS_GAP.match(gap) and not CLASS_GAP_NOT.search(gap) and (
                CLASS_HEAD.search(text[c.start : c.end]) or CLASS_OF.search(gap)
            ):
                continue
            if DISEASE_ALIAS_GAP.match(gap):
                c = dataclasses.replace(c, norm=previous.norm, also=())
        if c.label == "INDICATION":
            previous = c
        out.append(c)
    return out


#: Right before a name: the name is what something was compared with, an arm's product ("compared to PCV20").
COMPARED_BEFORE = re.compile(r"(?i)\b(?:compared\s+(?:to|with)|versus|vs\.?|relative\s+to)\s+(?:the\s+)?$")


def _has_anchor(anchors: list[int], span: tuple[int, int]) -> bool:
    """Whether a drug, trial or target (sorted starts ``anchors``) stands in ``span``."""
    i = bisect.bisect_left(anchors, span[0])
    return i < len(anchors) and anchors[i] < span[1]


def trial_population(text: str, at: int, sent_start: int, trial_starts: list[int]) -> bool:
    """Whether the disease at ``at`` is the population of the trial its sentence opens with ("In KEYNOTE-012,
    KEYTRUDA was discontinued … in 17% of 192 patients with HNSCC"); not a subgroup's condition in a
    sentence that only cites a trial ("Based on safety data from REACH-2, in patients with … cirrhosis")."""
    j = bisect.bisect_left(trial_starts, sent_start)
    if j >= len(trial_starts) or trial_starts[j] >= at or not TRIAL_OPENING.fullmatch(text, sent_start, trial_starts[j]):
        return False
    return bool(POPULATION_BEFORE.search(text, max(sent_start, at - 80), at))


# --- regexes (named data) -----------------------------------------------------------------

NCT_RE = re.compile(r"\bNCT\d{8}\b")
PHASE_RE = re.compile(
    r"(?i)\b(?:phase|ph\.?)\s?(?:[1-4]|iv|i{1,3})(?:[ab])?\b"
    r"(?:\s?(?:/|-|–|and|or|to)\s?(?:phase\s?)?(?:[1-4]|iv|i{1,3})(?:[ab])?\b)?"
)
# prefix, optional letter block, separator, 2–8 digits, optional suffix (domain guide §2.1)
CODE_RE = re.compile(
    r"(?<![\w\-/.])"
    r"(?P<prefix>mRNA|bb|[A-Z][A-Za-z]?[A-Z]{0,4}|[A-Z]{2}x)"
    r"(?P<block>-[A-Z]{1,4}|(?<=[A-Z]{2})-[A-Z][a-z][A-Za-z]?(?=\d))?"  # "LY-CoV555": a mixed-case block runs into the digits
    r"(?P<sep>[-‐‑ ]?)"
    r"(?P<num>\d{2,8})"
    r"(?P<suffix>[a-z]\d?|[A-Z]\d{0,2}(?![a-z]))?"
    r"(?![\w\-‐‑]|\.\d|/\d)"
)
#: The same shape where a slash joins it to a code before it ("mRNA-4157/V940").
CODE_BODY = re.compile(CODE_RE.pattern.replace(r"(?<![\w\-/.])", "", 1))
#: Endings of INN stems (WHO's stem list, the ones releases use): a word with one names a drug.
INN_STEMS = (
    "mab", "tinib", "ciclib", "parib", "rasib", "toclax", "estrant", "glipron", "glutide", "tide", "siran", "rsen",
    "cel", "leucel", "temcel", "parvovec", "gene", "tug", "bart", "mig", "lisib", "degib", "fenib", "zomib", "lutamide",
    "platin", "taxel", "rubicin", "vudine", "navir", "previr", "buvir", "asvir", "tegravir", "gliflozin", "gliptin",
    "sartan", "pril", "olol", "statin", "conazole", "plon", "pirdine", "dustat", "lukast", "setron", "tecan", "vedotin",
    "mafodotin", "emtansine", "deruxtecan", "govitecan", "tirumotecan", "cept", "kinra", "ermin", "ase", "alfa", "beta",
    "tirom", "fermin", "anib", "gepant", "triptan", "prazole", "cillin", "mycin", "floxacin", "cycline", "dronate",
    "semide", "azepam", "oxetine", "fungin", "relin", "grastim", "poetin", "parin", "sertib", "glitazar", "vaptan",
    "tegrast", "orexant", "dotin", "rafenib", "bulin", "giline",
)
#: Endings too many ordinary words share ("disease", "gene", "tide"): such a word counts only as a gazetteer hit.
WEAK_INN_STEMS = ("ase", "alfa", "beta", "gene", "cept", "pril", "olol", "tide", "cel")
#: Stems that make a capitalised word ("Zorvumab is …") a drug; others end surnames too ("Halvorsen", "-rsen").
CAPITAL_INN_STEMS = ("mab", "tinib", "ciclib", "parib", "rasib", "toclax", "lisib", "degib", "fenib", "zomib", "gliflozin",
                     "gliptin", "glutide", "previr", "buvir", "asvir", "tegravir", "navir", "vudine", "giline")
#: The short form of a cell or gene therapy's INN: "reni-cel" (renizgamglogene autogedtemcel), "tisa-cel".
SHORT_CELL_NAME = re.compile(r"(?<![\w\-])([A-Za-z][a-z]{2,5})-cel(?![\w\-])")
#: The small words a feed runs into the next one when it drops the markup's space ("withdupilumab",
#: "ofabemaciclib"); participles ("discontinuingdupilumab") are read by their ending.
GLUE_WORDS = frozenset({"with", "of", "for", "from", "and", "the", "to", "in", "on", "by", "as", "at", "or", "an", "after",
                        "before", "including", "plus", "versus", "than"})
INN_STEM_RE = re.compile(
    r"(?<![\w\-])(?P<word>[A-Za-z][a-z]{2,}(?:" + "|".join(INN_STEMS) + r"))\b"
    r"(?:[- ][a-z]+(?:vedotin|deruxtecan|govitecan|tirumotecan|mafodotin|emtansine|leucel|"
    r"autoleucel|vicleucel|ciloleucel|maraleucel|autotemcel|moxeparvovec|ziclumeran|zamikeracel|autogene))?"
    r"(?:-[a-z]{4}(?![\w\-]))?"  # FDA suffix: vonsetamig-kpzt
)
#: A receptor's ligands named after it as what a drug targets: "engineered to target NKG2D ligands" are not NKG2D (a
#: "PSMA ligand", a "ligand-binding domain" or "binds VEGF-A and PlGF ligands" keep their target).
LIGAND_AFTER = re.compile(r"[\s\-‐]+ligands\b", re.I)
TARGETING_VERB_BEFORE = re.compile(r"(?i)\b(?:target(?:s|ing|ed)?|recogni[sz](?:e|es|ing|ed))\s+(?:the\s+)?$")
#: Enzymes and transporters that handle drugs ("inhibitors of CYP3A4 increase exposure"): never the target.
DRUG_HANDLING_GENES = re.compile(r"^(?:CYP\d|UGT\d|ABC[BCG]\d|SLCO\d|SLC22A[678]|SLC47A)")
IMPLIED_RECEPTOR = re.compile(r"(?i)(?:adrenergic|opioid|adrenoceptor)$")
FUNCTION_WORDS = {"a", "an", "the", "is", "are", "was", "as", "of", "and", "or", "to", "with", "for", "be", "its", "their",
                  "selective", "potent", "novel", "oral", "first", "new", "investigational", "which", "that", "this",
                  # "… with weight-related conditions, except type 2 diabetes": an exclusion, not a qualifier of the disease
                  "except", "excluding", "than"}
RECEPTOR_CLASS = re.compile(
    r"(?<![\w\-])(?P<name>(?:[A-Za-z0-9][\w\-]*\s){0,2}?[A-Za-z0-9][\w\-]*\s(?:receptor|channel)"
    r"|(?:alpha|beta|α|β|mu|kappa|delta)[\s\-]?\d?[\s\-]?(?:adrenergic|opioid|adrenoceptor))s?\s"
    r"(?:(?:selective|partial|full|inverse|positive|negative|allosteric)\s)?"
    r"(?:agonists?|antagonists?|blockers?|inhibitors?|modulators?|activators?|potentiators?|openers?)\b"
)
#: What every RECEPTOR_CLASS match contains: a text without it is not searched (a third of the cost of targets).
RECEPTOR_CLASS_ANCHOR = re.compile(
    r"(?:receptor|channel|adrenergic|opioid|adrenoceptor)s?\s(?:(?:selective|partial|full|inverse|positive|negative|allosteric)\s)?"
    r"(?:agonists?|antagonists?|blockers?|inhibitors?|modulators?|activators?|potentiators?|openers?)\b"
)
CLOSE_PAREN_AFTER = re.compile(r"\s?\)")
TITLE_CASE_SERIES = re.compile(r"(?<![\w\-])([A-Z][a-z]{3,})[-‐ ](\d{1,4}[A-Za-z]?)(?![\w\-])")
#: What follows a study's name and nothing else's: its population ("EMPULSE, in adults hospitalized for …")
#: or its readout ("SHIELD II Top-line Results").
POPULATION_AFTER = re.compile(r"^,?\s+(?:in|enrolling|evaluating|which\s+enrolled)\s+(?:\d[\d,]*\s+)?(?:adults|patients|people|participants|children|subjects|adolescents|infants|women|men)\b", re.I)
TOPLINE_AFTER = re.compile(r"^\s+(?:top-?line|interim|final|primary)\s+(?:results|data|analysis|readout)\b", re.I)
#: A city in capitals opening a release: "KENILWORTH, N.J.--", "BOSTON, March 4, 2024 /PRNewswire/".
DATELINE_AFTER = re.compile(
    r"^,\s*(?:[A-Z][A-Za-z.]*\.?,?\s*){0,3}(?:[-–—]{1,4}(?!\s*\d)|\(|/|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d)"
)
#: A product, not a study: "VAXNEUVANCE (Pneumococcal 15-valent Conjugate Vaccine)", "RECARBRIO (imipenem, cilastatin,
#: and relebactam)", "DELSTRIGO is indicated", "VAQTA is Merck's vaccine".
PRODUCT_AFTER = re.compile(
    r"\s*[®™]?\s*(?:\((?:[^)]*\b(?:[Vv]accine|[Ii]njection|[Tt]ablets?|[Cc]apsules?)\b|\s*[a-z]+(?:mab|nib|vir|tide|cel|lin|zole|cillin|"
    r"mycin|penem|bactam|tam|sone|stat)\b)"
    r"|(?<=\s)(?:is|are)\s+(?:indicated|(?:\w+['’]s\s+)?(?:vaccine|medicine|treatment|therapy)\b)"
    # "DELSTRIGO, a once-daily fixed-dose combination tablet of doravirine, …": described as a dosage form
    r"|,\s+(?:an?|the)\s+(?:[\w\-]+\s+){0,4}?(?:tablets?|capsules?|injections?|infusions?|oral\s+solution|formulation)\b)"
)
#: Endpoint abbreviations (survival, response, progression measures) and agencies' programmes are not study names.
ENDPOINT_NAME = re.compile(r"^(?:[A-Z]{0,3}(?:FS|OS)|[A-Z]?(?:ORR|DCR|CBR|DoR|DOR|TTP|TTF|TTNT|CRR|pCR))$"
                           r"|^(?:FDA|EMA|NIH|CDC|WHO|MHRA|PMDA)[-‐][A-Z][a-z]+$")  # and an agency's programme ("FDA-Initiated")
#: A product name in apposition to a drug's INN: "BRIUMVI® (ublituximab-xiiy)" and "ublituximab (BRIUMVI)".
BRAND_BEFORE = re.compile(r"(?<![\w\-])(?P<brand>[A-Z][A-Za-z0-9\-]{2,}[A-Z0-9a-z])\s?[®™]?\s*\(\s*$")
#: After a drug: another joined to it ("sitagliptin and metformin", "/ metformin", "plus …").
COMBINATION_AFTER = re.compile(r"\s*(?:,|and\b|\+|/|plus\b|with\b)")
#: A sentence that says which drug a product name is: "LYFNUA is the planned trademark for gefapixant".
BRAND_STATED = re.compile(r"(?<![\w\-])(?P<brand>[A-Z][A-Za-z0-9\-]{2,}[A-Za-z0-9])\s?[®™]?\s+(?:is|will\s+be)\s+the\s+"
                          r"(?:[a-z]+\s+){0,2}?(?:trademark|trade\s+name|brand\s+name|brand|proprietary\s+name)\s+(?:for|of)\s+$")
BRAND_AFTER = re.compile(r"^\s*\(\s*(?P<brand>[A-Z][A-Za-z0-9\-]{2,}[A-Za-z0-9])\s?[®™]?\s*[),;]")
#: A device or diagnostic named right before a code ("one medical device (ABV-1701/…)"): the code is not a drug's.
DEVICE_BEFORE = re.compile(r"(?i)\b(?:devices?|diagnostics?|assays?|implants?|stents?|instruments?|software)\s*[(:,]?\s*$")
RESIDUE_AFTER = re.compile(r"\s*(?:mutation|mutations|mutant|substitution|residue|variant|position)s?\b", re.I)
#: After a residue-shaped code (one letter and digits: C481), a few words may come first: "C481 acquired resistance mutations".
RESIDUE_SHAPED_AFTER = re.compile(r"[\s\-]*(?:[a-z]+\s+){0,2}(?:mutation|mutant|mutated|substitution|residue|variant|position|status|resistance)s?\b", re.I)
TRUNCATED_NCT = re.compile(r"^C?T\d{8}$")
MUTATION_RE = re.compile(r"^[A-Z]\d{1,4}[A-Z]$")
YEAR_RE = re.compile(r"^(?:19|20)\d\d$")
ABSTRACT_BEFORE = re.compile(r"(?i)(?:abstract|poster|LBA|#|booth|presentation|session|No\.|number|form|item|rule|schedule|exhibit|table|figure|"
                             r"room|hall|stand|board)\s*[#:]?\s*$")

#: What follows a meeting's short form on its line: "(CTAD) Conference", "(ASCO) 2024 Annual Meeting" (not a
#: "Conference Call" on the next line).
MEETING_AFTER = re.compile(r"[ \t]*\)?[ \t]*(?:(?:19|20)\d\d[ \t]+)?(?:Annual[ \t]+)?(?:Conference(?![ \t]+[Cc]all)|Congress|Meeting|Symposium|Summit|Workshop|Forum)\b")

#: A meeting's number before its name: "the 16th Clinical Trials on Alzheimer's Disease (CTAD)".
ORDINAL_BEFORE = re.compile(r"\b\d{1,3}(?:st|nd|rd|th)\s+(?:[Aa]nnual\s+)?$")
#: A short form that qualifies a disease's head as a word would: "GEJ cancer" in "gastric or GEJ cancer".
SHORT_FORM_HEAD = re.compile(r"([A-Z][A-Z0-9\-]+) (.+)$")

#: A session's time before a room in a presentation schedule: "10:57-11:09 a.m. CT, E450", "8:24 a.m. CDT; S406".
ROOM_SHAPE = re.compile(r"[A-Z]{1,2}\d{2,4}[A-Z]?")  # "E450", "S406": no hyphen, no longer prefix (not "ACM-303")
TIME_SLOT_BEFORE = re.compile(r"(?i)\d\s*[ap]\.?m\.?\s*(?:[A-Z]{1,4}T)?\s*[,;]\s*$")

#: An About heading naming studies, over a paragraph that opens on them: "About BRAVE-AA1 and BRAVE-AA2\n\nIn these
#: double-blind, placebo-controlled Phase 3 trials, …".
ABOUT_STUDIES = re.compile(
    r"(?m)^About (?P<names>[A-Z][\w\-]*\d[\w\-]*(?:(?:,\s*|\s+and\s+|\s*&\s*)[A-Z][\w\-]*\d[\w\-]*)*)\s*\n+"
    r"(?:In\s+)?(?:this|these|the|both)\s+(?:[\w\-,]+\s+){0,6}?(?:trials?|stud(?:y|ies))\b",
    re.I,
)
#: A name the text defines as a study: "GY004 is an open-label, randomized, multicenter Phase 3 trial". The
#: words between are a study's descriptors only: "ALLO-316 is a CAR T candidate in the TRAVERSE trial" and
#: "X is an antibody studied in a trial" define a drug.
#: What reads a name as a biomarker a tumour carries: "whose tumors express PD-L1 is a … Phase 3 trial" (the
#: study is the longer phrase's, not PD-L1's).
BIOMARKER_BEFORE = re.compile(r"(?i)\b(?:(?:over)?express(?:es|ing|ed)?|positive\s+for|negative\s+for)\s+$")
DEFINED_AS_STUDY = re.compile(
    r"\s+(?:is|was)\s+(?:a|an)\s+(?:(?!(?:in|of|with|for|being|that|which|to|by|from|at|candidate|therapy|therapeutic|"
    r"antibody|inhibitor|drug|vaccine|product|agent|treatment|molecule|compound|medicine)\b)[\w\-/]+,?\s+){0,8}?(?:clinical\s+)?(?:trial|study)\b",
    re.I,
)
#: Names the text defines together as studies: "COUGH-1 and COUGH-2 are international Phase 3, randomized …
#: studies", the words between only a study's descriptors (not "AB-101 and AB-202 are antibodies studied in trials",
#: "ZX-101 and ZX-202 were well tolerated across both studies"). The predicate is found first; the names are
#: read back from it, within STUDIES_NAMES_REACH characters (a listing of thousands of codes costs one pass).
STUDIES_PREDICATE = re.compile(
    r"\s+(?:are|were)\s+(?:both\s+)?(?:(?:two|identical|international|global|multi-?cent(?:er|re)|multinational|randomi[sz]ed|"
    r"double-blind(?:ed)?|single-blind(?:ed)?|open-label|placebo-controlled|active-controlled|controlled|parallel-group|pivotal|"
    r"confirmatory|registrational|ongoing|\d+-week|Phase\s+(?:\d[ab]?|I{1,3}V?|IV)(?:/(?:\d[ab]?|I{1,3}V?))?|and),?\s+){1,12}"
    r"(?:clinical\s+)?(?:trials|studies)\b",
    re.I,
)
_STUDY_NAME = r"[A-Z][A-Za-z\-‐]*\d[\w\-‐]*"
STUDIES_NAMES_BEFORE = re.compile(r"(?<![\w\-])(?P<names>(?:" + _STUDY_NAME + r"\s*,\s*){0,4}" + _STUDY_NAME + r",?\s+(?:and|&)\s+" + _STUDY_NAME + r")$")
STUDIES_NAMES_REACH = 120
#: A protocol name over a reference's title: "MK-8591A-P054 – A Phase 3 Open-label Clinical Study of …", "BMT-801: A
#: Phase II, Randomized … Study". Not an abstract's number ("TPS2654: A phase Ia/b study") nor a drug an abstract's
#: title names again ("ARV-471: A Phase 1b Study of ARV-471 …").
TITLED_AS_STUDY = re.compile(DEFINED_AS_STUDY.pattern.replace(r"\s+(?:is|was)\s+", r"\s*[–—:]\s*", 1), re.I)
ABSTRACT_NUMBER_SHAPE = re.compile(r"(?:TPS|LBA|CT|PO|OA|P)\d+[A-Z]?")
#: A code-like name the strict pattern leaves out: one digit ("OPC1", "KETAMIR-2"), a lettered block ("IGC-AD1").
LOOSE_CODE = re.compile(r"(?<![\w\-/.])([A-Z][A-Za-z]{1,7}(?:-[A-Z]{1,3})?-?\d[A-Za-z0-9]{0,2})(?![\w\-‐])")
#: What the text says such a name is: "IGC-AD1 is an investigational drug", "KETAMIR-2 is a novel ketamine analog".
DEFINED_AS_DRUG = re.compile(
    r"\s+(?:is|was)\s+(?:a|an|our|its|the)\s+(?:(?!(?:trials?|stud(?:y|ies)|genes?|proteins?|receptors?|antigens?|targets?|company|patients?|diseases?)\b)"
    r"[\w\-]+,?\s+){0,5}?(?:drug|candidate|therapy|therapeutic|vaccine|antibody|inhibitor|analog|analogue|agonist|antagonist|"
    r"molecule|compound|formulation|medicine|conjugate|degrader)\b"
)
#: A name shaped like a prefix and a year ("KDS2010", but also "ASCO2024", "FY2025") that the text says is a drug:
#: "KDS2010 (Tisolagiline) is a new reversible selective monoamine oxidase B (MAO-B) inhibitor".
YEAR_CODE_DEFINED = re.compile(
    r"(?:\s*\([^()]{1,40}\))?\s+(?:is|was)\s+(?:a|an|our|its)\s+(?:(?!(?:trials?|stud(?:y|ies)|company|meeting|congress|conference|"
    r"venue|year|period|quarter|to|for|on|of|at|in|where|which|that|with)\b)[^\s.;]+\s+){0,8}?(?:drug|candidate|therapy|therapeutic|"
    r"vaccine|antibody|inhibitor|analog|analogue|agonist|antagonist|molecule|compound|formulation|medicine|conjugate|degrader)\b"
)
#: ... or names it as one: "with its drug, IGC-AD1", "the lead candidate OPC1".
DRUG_WORD_BEFORE = re.compile(r"\b(?:its|our|the|lead|investigational)\s+(?:[\w\-]+\s+){0,2}?(?:drug|candidate|vaccine|compound|asset)\s*,?\s*$")
#: A name in parentheses right after a study word, the drug it tests named after it: "a Phase 2 trial (AdPNP-203)
#: evaluating Gedeptin + …" (not "a Phase 1 study (CTX-310)", a drug, nor "(ASCO 2024)", a meeting).
#: A list the text says is of studies: "five head-to-head studies across PsA and PsO, including SPIRIT-H2H,
#: IXORA-S, UNCOVER-2 and IXORA-R", "the trials (KEYNOTE-189 and KEYNOTE-407)".
STUDY_LIST_INTRO = re.compile(r"(?i)\b(?:studies|trials)\b(?:[^.;:()]{0,60}?,?\s+(?:including|such\s+as|namely)\s+|\s*\(|\s*:\s*)")
LIST_SEPARATOR = r"\s*,\s*(?:and\s+)?|\s+and\s+"
STUDY_LIST_ITEMS = re.compile(rf"(?:[^\s,;()]+(?:\s[A-Z0-9]{{1,4}}(?![\w\-]))?(?:{LIST_SEPARATOR}|\s*(?=[.;)]|$)))+")
STUDY_LIST_SEPARATOR = re.compile(LIST_SEPARATOR)
#: A name shaped like a drug code: a short prefix and a number of three digits or more ("VX-880", "RLS-0071").
CODE_SHAPED = re.compile(r"[A-Z]{1,5}[-‐]?\d{3,}[A-Z]?")
STUDY_PARENTHESIS_BEFORE = re.compile(r"\b(?:trial|study)\s*\($", re.I)
STUDY_PARENTHESIS_AFTER = re.compile(r"\)\s*,?\s*(?:evaluating|investigating|testing|assessing|examining|of)\b")
#: ... or what it will do: "a Phase 2 trial (AdPNP-203) will evaluate Gedeptin …" (not "(CTX310) will assess CTX310").
STUDY_PARENTHESIS_PLAN = re.compile(r"\)\s*,?\s*(?:will|is\s+designed\s+to|aims\s+to)\s+"
                                    r"(?:evaluate|investigate|test|assess|examine)\s+(?:the\s+)?(?P<next>\S+)")
TRIAL_CUE_AFTER = re.compile(
    r"^\)?(?:\s*\([^)]{0,40}\))?(?:\s*(?:,|and|or|&)\s+[A-Z][\w\-]*[A-Z0-9][\w\-]*(?:\s+\([^)]{0,20}\))?){0,3}[\s,]*(?:(?:pivotal|global|registrational|confirmatory|randomi[sz]ed|open-label|double-blind|"
    r"placebo-controlled|multicenter|multi-center|international|basket|clinical|long-term|extension|"
    r"adult|adults|pediatric|paediatric|adolescent|development|outcomes?|cardiovascular|observational|"
    r"open|label|safety|efficacy|monotherapy|long|term|maintenance|"  # "the ADore adolescent open label safety study"
    r"phase\s?[1-4IV/ab]+|dose[- ]escalation|first-in-human|ongoing|potentially|ph\s?[1-4])[\s,\-]+){0,4}"
    r"(?:trials?|stud(?:y|ies)|program(?:me)?|cohort|substudy|sub-study)\b(?!\s+(?:populations?|drugs?)\b)",  # not "the dMMR study population"
    re.I,
)
DISEASE_BEFORE_PAREN = re.compile(r"(?i)(?:disease|syndrome|cancer|virus|disorder|infection|carcinoma|tumou?rs?|deficiency|leuka?emia|lymphoma)\s*\(\s*$")
CREDENTIAL_BEFORE = re.compile(r"(?:M\.D\.|Ph\.D\.|MD|PhD|MPH|MBA|RN|PharmD|DPhil|MSc|FRCP|FACC|FACP|FAHA|FASCO),\s*$")
TRIAL_CUE_BEFORE = re.compile(r"(?i)\b(?:(?:trial|study|studies)(?:,(?:\s*or)?|\s+(?:called|named|known\s+as|dubbed))"
                              r"|(?:trials|studies|program(?:me)?)\s+under\s+the\s+name"
                              # label text: "in clinical trials of LYNPARZA in the maintenance setting for SOLO-2"
                              r"|\bsetting\s+for)\s*$"
                              r"|(?-i:\bStud(?:y|ies))[ ]$")  # label text: "in Study JMDB", "In Studies JMEN, PARAMOUNT, and JMEI"
#: A study's results by arm, after "in NAME,": "in DRIVE-FORWARD, 2% of adult subjects …", "In DRIVE-AHEAD, mean changes".
IN_BEFORE = re.compile(r"(?i)\bin\s+$")
ARM_RESULT_AFTER = re.compile(r"^,\s+(?:\d+(?:\.\d+)?\s?%\s+of\s+(?:\w+\s+){0,2}(?:subjects|patients|participants)|"
                              r"(?:the\s+)?(?:mean|median)\s+(?:changes?|reductions?|increases?)\s+from\s+baseline)\b")
#: Label text naming the trial a population was treated in: "patients who received LYNPARZA in the maintenance
#: setting for SOLO-2 were: …", "were excluded from enrollment in REGARD and RAINBOW".
LABEL_TRIAL_BEFORE = re.compile(r"(?i)(?:\bpatients\s+(?:who\s+)?(?:received|receiving|were\s+treated\s+with|treated\s+with)\s+[^.;:]{0,80}?\b(?:for|in)"
                                r"|\bexcluded\s+from\s+enrollment\s+in)(?:\s+(?-i:[A-Z][\w\-]+)\s+(?:and|or))?\s+$")
#: ... and what the label says of them next: "… for PROfound were: anemia, …", "… in REGARD and RAINBOW;".
LABEL_TRIAL_AFTER = re.compile(r"^(?:\s+(?:and|or)\s+[A-Z][\w\-]+)?(?:\s+were\b|\s*[;:])")
#: Regions a label's population sentence may name in the trial's slot ("patients who received X in EMEA were …").
REGION_CODES = frozenset({"EMEA", "APAC", "LATAM", "MENA", "ROW", "EU", "US", "UK"})
#: "In this study, CLBP was defined as …": a clause opener, not a study named in apposition.
IN_THE_STUDY_BEFORE = re.compile(r"(?i)\bin\s+(?:this|the|that|each|our|a|both)\s+(?:[\w\-]+\s+){0,2}(?:trial|study|studies|trials),\s*$")
#: "adverse reactions in ≥20% of patients in OlympiAD": a study's population (label text names
#: studies this way), unless an analysis set follows ("patients in the MITT population").
POPULATION_IN_BEFORE = re.compile(r"(?i)\b(?:patients|participants|subjects)\s+(?:enrolled\s+|treated\s+|randomi[sz]ed\s+)?in\s+(?:the\s+)?$")
ANALYSIS_SET_AFTER = re.compile(r"(?i)^[\s\-]+(?:population|set|analysis|group|arm|cohort)s?\b")
TRIAL_APPOSITION_AFTER = re.compile(
    r"^\s*(?:\([^)]{0,40}\)\s*)?(?:,\s*(?:which\s+(?:is|was)\s+)?|\s+(?:is|was)\s+)(?:a|an|the|our|its|their|[A-Z][\w\-]+['’]s)\s+(?:[\w\-/]+,?\s+){0,7}?(?:phase|trial|study)\b", re.I
)
PHASE_CUE_STRICT = re.compile(r"(?i)(?:phase\s?(?:[1-4]|iv|i{1,3})[ab]?(?:\s?/\s?(?:[1-4]|iv|i{1,3})[ab]?)?|pivotal|registrational)[\s,\-]+(?:[\w\-]+\s+){0,1}$")
#: "the VAX-31 Phase 1/2 study", "VAX-24 Adult Phase 3 study": a code before a phase names the drug the
#: study tests, not the study ("the KRONOS-101 trial" names the study).
PHASE_OF_DRUG_AFTER = re.compile(r"(?i)\)?\s+(?:[a-z]+\s+)?phase\s?(?:[1-4]|iv|i{1,3})\b")
#: "the AWARD-11 trial", "AWARD-11 study": a study word right after the name.
STUDY_WORD_AFTER = re.compile(r"(?i)\s+(?:clinical\s+)?(?:trial|study)\b")
NCT_AFTER = re.compile(r"^\s*(?:trial|study)?\s*\(\s*NCT\d{8}")
TRIAL_WORD_RE = re.compile(
    r"(?<![\w\-])"
    r"(?P<name>"
    r"[A-Z]{2,6}[-‐]?\d{2,5}[A-Za-z]?[-‐]\d{2,4}(?![\w\-‐])|"  # ONCT-808-101, V940-001: a protocol used as the study's name
    r"[A-Z]{2,6}[-‐][A-Z]{2,6}[-‐]\d{3,5}(?![\w\-‐])|"  # LOXO-RAS-20001: sponsor, programme and protocol number
    r"(?:[A-Z][A-Za-z]*[A-Z][A-Za-z]*|[a-z]{1,2}[A-Z]{2,}[A-Za-z]*|[a-z]{3,}[A-Z][A-Za-z]*)"  # TRAVERSE, CodeBreaK, iMMagine, monarchE
    r"(?:[-‐][A-Z][A-Za-z]*(?:[-‐ ]?\d{1,4}[A-Za-z]?)?(?![\w\-‐]))?"  # DESTINY-Breast03, HARBOR-CM, ELEVATE-DMD
    r"(?:[-‐ ]?\d{1,4}[A-Za-z]?|\s(?:I{1,3}|IV)(?![\w\-])|\s(?:[A-Z]{4,}|CV|HF|CKD)(?![\w\-])|"  # -189, 227, SHIELD II, CLEAR SYNERGY, VERTIS CV
    # "the PHOENYCS GO study": a short second word right before the study word (not a qualifier: "a PK study", "EU trial")
    r"\s(?!(?:PK|PD|US|EU|UK|SC|IV|IM|PO|QD|BID|TID|QW|HV|ADA|DDI|FIH|OLE|MAD|SAD|RWE)\b)[A-Z]{2,3}(?=\s+(?:study|trial)\b))?"
    r")(?![\w\-])"
)
TARGET_TOKEN = (r"(?:c-|[a-z](?=[A-Z]))?[A-Zα-ω](?:[A-Za-z0-9α-ω]|[\-‐.](?=[A-Z0-9α-ω]))*"
                # "CDK4/6", and "MEK 1/2" (a capitalised family name, a space, numbered members)
                r"(?:(?<=[A-Z]{2})\s\d{1,2}(?:/\d{1,2})+(?![\w\-/])|(?:/\d{1,2}(?![\w\-]))*)"
                # "IL-23/p19": a cytokine and the subunit acted on
                r"(?:/p\d{2}(?![\w\-]))?")
VARIANT_RE = re.compile(r"^[\s\-]?(?:p\.)?(?P<v>[A-Z]\d{1,4}[A-Z](?:/[A-Z])?)\b")
#: Words that make a name a person's: "BioMX CEO Jonathan Solomon".
PERSON_TITLE = re.compile(r"\b(?:CEO|CFO|COO|CMO|CSO|President|Chairman|Chair|Chief|Director|Dr|Professor|Founder)\b")
#: A headline or paragraph opening on its subject and a verb only a company is the subject of: "Vaxcyte Provides
#: Clinical and Regulatory Progress Update", "-- BioCardia announced today that …", "Annovis Bio Announces …".
ISSUER_VERB = (
    r"(?:Announces|Reports|Provides|Appoints|Presents|Enters|Secures|Signs|Closes|Raises|Submits|Initiates|Completes|Doses|Begins|"
    r"Publishes|Highlights|Unveils|Shares|to\s+Present|to\s+Host|to\s+Report|(?:today\s+)?announce[sd]|announced\s+today|"
    r"(?:today\s+)?reported|reports)\b"
)
ISSUER_SUBJECT = re.compile(
    r"(?:^|\n|--\s)(?P<name>(?:(?!" + ISSUER_VERB + r")[A-Z][\w&'’\-]*[ ]+){0,3}[A-Z][\w&'’\-]*)(?:,?\s+(?:Inc|Ltd|Corp|plc|AG|SE|LLC|AB|ASA|A/S)\.?)?[ ]+"
    + ISSUER_VERB
)
TICKER_RE = re.compile(
    r"\((?:NASDAQ|Nasdaq|NYSE|NYSE American|HKEX(?:\s+Code)?|HKG|SHE|SSE|TSE|TSX|Tokyo|LSE|ASX|SIX|Euronext(?:\s+\w+)?|"
    r"OTCQB|OTCQX|OTCPK|OTC|NASD|Nasdaq\s+(?:Global|Capital)\s+\w+|(?:Nasdaq|NASDAQ|OMX)\s+[A-Z][a-z]+|NASDAQ\s+GS|KOSDAQ|KRX)(?:/[A-Za-z]+)*\s*:\s*[A-Z0-9.]{1,8}"
    r"(?:\s*[;,]\s*[A-Za-z ]+:\s*[A-Z0-9.]{1,8})*(?:\)|\s*[,;]\s*[“\"(])"  # "(Nasdaq: SCLX, “Scilex”)": the short name after it
)
COMPANY_SUFFIX = (
    r"Therapeutics|Pharmaceuticals?|Pharma|Biosciences|BioSciences|Bioscience|Biotherapeutics|Biotherapies|"
    r"Biopharma|BioPharma|Biopharmaceuticals?|Biologics|Medicines|Genomics|Biotech|Biotechnology|"
    r"Laboratories|Labs|Immunotherapeutics|Therapies|Diagnostics|Genetics"
)
# Health, Medical, Sciences, Holdings name hospitals and agencies as often as companies: only with a legal suffix.
COMPANY_WEAK_SUFFIX = r"Health|Healthcare|Medical|Sciences|Holdings|Group|Oncology|Vaccines|Bio"
#: A word after the suffix that continues another kind of name: "Biologics License Application",
#: "Oncology Group", "Vaccines Alliance" are not companies.
COMPANY_CONTINUATION = re.compile(
    r"^,?[ ]+(?:License|Licence|Application|Center|Centre|Institute|Group|Society|Association|Alliance|Network|"
    r"Conference|Congress|Symposium|Foundation|Program|Programme|Division|Unit|Department|Summit|Forum|Meeting|"
    r"Awards?|Accelerator|Initiative|Consortium|Journal|Index|Fund|ETF|Sector|Market|Industry|Space|Stocks?|"
    r"Companies|Company's|Firms?|Landscape|Pipeline|Segment)\b"
)
COMPANY_RE = re.compile(
    r"(?<![\w&])(?P<name>(?:[A-Z][A-Za-z0-9&'’\-]*[ ]+){1,3}(?:(?:" + COMPANY_SUFFIX + r")(?![\w])"
    r"|(?:" + COMPANY_WEAK_SUFFIX + r")(?=,?[ ]+(?:Inc|Corp|Corporation|Ltd|Limited|LLC|plc|PLC|AG|SE|AB|ASA|A/S|GmbH|BV|Oy|SpA)\b)))"
    r"(?P<legal>,?[ ]+(?:Inc|Corp|Corporation|Ltd|Limited|LLC|plc|PLC|AG|SE|S\.A|N\.V|GmbH|AB|ASA|A/S|BV|Oy|SpA|Co\.,?[ ]*Ltd)\.?)?(?![\w])"
)
#: The parties a collaboration names: "the collaboration between Lilly and AbCellera", "a partnership with OncoX"
#: (up to the clause's end); a party that opens on a camel-case word is a company's coined name, with the capitalised
#: words after it ("PreCheck Health Services", "ForSeeCon Eye Corporation").
PARTNERS_NAMED = re.compile(r"\b(?:collaborat(?:ion|ions|ed|ing)|partner(?:ship|ships|ed|ing)|alliance|joint\s+venture)\s+(?:between|with)\s+(?P<parties>[^.;:()]{1,80})")
PARTY_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*")
CAMEL_PARTY = re.compile(r"(?P<name>[A-Z][a-z]+[A-Z][A-Za-z]*)(?P<rest>(?:[ ]+[A-Z][A-Za-z]+){0,3})(?![\w\-‐]|\.\w)")
#: The last word of the capitalised words after a camel-case party that makes them part of its name; and words that
#: make the party an institution, not a company ("McGill University", "LaJolla Institute").
PARTY_NAME_END = re.compile(r"(?:" + COMPANY_SUFFIX + "|" + COMPANY_WEAK_SUFFIX + r"|Services|" + N.LEGAL_FORM + r")$")
INSTITUTION_WORD = re.compile(r"\b(?:University|Hospital|Institute|Foundation|College|School|Center|Centre|Clinic|Society|Association|"
                              r"Network|Council|Agency|Ministry|Platform|Core|Consortium)\b")
#: A numbered population code after a series name: "BRUIN MCL-321" (mantle cell lymphoma, trial 321).
SERIES_POPULATION_CODE = re.compile(r" [A-Z]{2,5}[-‐]\d{2,4}\b(?![-‐]\w)")
#: A company-suffix word on its own ("Diagnostics", "Therapeutics"): the tail of a longer name, no name itself.
SUFFIX_WORD = re.compile(COMPANY_SUFFIX + "|" + COMPANY_WEAK_SUFFIX)
#: A proper name with only a legal form after it: "Almirall S.A.", "USWM, LLC", "Bayer AG" (no "Pharma" word).
LEGAL_NAME_RE = re.compile(
    r"(?<![\w&.])(?P<name>(?:[A-Z][A-Za-z0-9&'’\-]*[ ]+){0,2}[A-Z][A-Za-z0-9&'’\-]*)"
    r"(?P<legal>,?[ ]+(?:Inc|Corp|Corporation|Ltd|Limited|LLC|plc|PLC|AG|S\.A|N\.V|GmbH|A/S|S\.p\.A|Co\.,?[ ]*Ltd)\.?)(?![\w/])"
)
# An indication is a disease some drug or trial in the text is for: these cues say so.
INDICATION_CUE_BEFORE = re.compile(
    r"(?i)(?:\b(?:patients|people|adults|children|adolescents|participants|subjects|individuals|those|women|men|infants)\s(?:[\w\-]+\s){0,4}?"
    r"(?:with|who\s+have|suffering\s+from|living\s+with|diagnosed\s+with|at\s+risk\s+(?:of|for))"
    r"|\b(?:treat|treats|treating|treatment|therapy|therapies|therapeutic|indicated|indication|indications|approved|approval|"
    r"designation|study|studies|trial|trials|candidate|program|programme|drug|vaccine|prevent\w*|cure|"
    r"tested|testing|studied|studying|evaluated|evaluating|investigated|investigating|enrolled|enrolling|dosed|"
    r"improve\w*|management|manage)\s(?:[\w\-]+\s){0,3}?(?:of|for|in|against)"
    # "development of novel small molecules for Parkinson's disease" (not "development of ovarian cancer")
    r"|\bdevelop\w*\s(?:[\w\-]+\s){0,4}?(?:for|in|against)|\bdevelop\w*\s(?:[\w\-]+\s){1,4}?of"
    r"|\b(?:treats?|treating|prevents?|preventing|cures?|(?:protects?|protecting|protection)\s+against)"  # "prevents Ebola virus disease"
    r")\s(?:the\s)?(?:[\w\-/'()]+[\s,(]+){0,6}$"
)
#: A sentence that speaks of a disease in general, not of a drug or trial for it: an epidemiology statement ("it is
#: estimated that more than 191,000 people will be diagnosed with prostate cancer", "up to 30 percent of people with
#: psoriasis also develop PsA") or a company's mission ("Merck has an extensive clinical development program in lung
#: cancer", "Lilly has been committed to helping people suffering from headache disorders"). Without a drug or trial
#: in the sentence, a cue such as "people with" or "treatment of" does not make its disease an indication there.
GENERAL_STATEMENT = re.compile(
    r"(?i)\b(?:it\s+is\s+estimated|(?:are|is)\s+estimated\s+to\s+(?:have|be\s+diagnosed|live|develop|die|affect)|"
    r"an\s+estimated\s+[\d,.]+\s+(?:million\s+|billion\s+)?(?:people|Americans|adults|individuals|men|women|children|patients)\s+"
    r"(?:worldwide|globally|in\s+the|are|have|live|suffer|die)|"
    r"prevalence|epidemiolog\w*|leading\s+cause|die\s+(?:of|from)|"
    r"diagnosed\s+(?:each|every|per|a)\s+year|(?:also|go\s+on\s+to)\s+develop|"
    r"(?:patients|people|men|women|adults|children)\s+with\s+[^.;]{1,60}?\s+will\s+develop|"
    r"occurs\s+when|(?:is|are)\s+(?:often\s+)?driven\s+by|committed|commitment|mission|heritage|legacy|steadfast|dedicated\s+to|"
    r"(?:extensive|broad|robust|comprehensive)\s+(?:clinical\s+)?(?:development\s+|research\s+)?(?:program|programme|portfolio)|"
    r"(?:make|making|made)\s+(?:meaningful\s+|important\s+|significant\s+)?advances\s+in|"
    # "approximately 75% of patients with bladder cancer are diagnosed with non-muscle invasive bladder cancer"
    r"(?:%|percent)\s+of\s+(?:all\s+)?(?:patients|people|men|women|adults|children|cases)\s+with\s+[^.;]{1,80}?\b(?:are|were)\s+diagnosed\s+with)\b"
)
#: A release's news sentence, where a company's description may stand in apposition ("X, an organization dedicated
#: to …, today announced a collaboration to develop a vaccine for the prevention of COVID-19"): not a general statement.
NEWS_SENTENCE = re.compile(r"(?i)\b(?:announced|announces|announce)\b")
DISEASE_HEAD = (
    r"cancers?|carcinomas?|adenocarcinomas?|tumou?rs?|lymphomas?|leuka?emias?|myelomas?|sarcomas?|melanomas?|gliomas?|"
    r"glioblastomas?|neoplasms?|diseases?|disorders?|syndromes?|infections?|deficiency|atrophy|urticaria|dermatitis|"
    r"arthritis|sclerosis|fibrosis|failure|stroke|pain|depression|nephropathy|neuropathy|myopathy|dystrophy|anemia|"
    r"hepatitis|colitis|psoriasis|lupus|asthma|obesity|insomnia|anxiety|withdrawal|amyloidosis|cardiomyopathy|lesions|cough"
)
#: a word of a disease's surface that may be a short form the document defines ("NSCLC", "CLL/SLL")
DEFINED_WORD = re.compile(r"(?<![\w\-])[A-Za-z0-9][\w\-]*")
#: A word of a disease phrase: not a verb that opens a clause ("people who have HPV will develop cancer").
PHRASE_WORD = r"(?!(?-i:will|would|may|might|can|could|should|must|is|are|was|were|be|been|being|has|have|had|do|does|did|"\
              r"develop|developed|develops|get|gets|got|who|which|that|whose)(?![\w\-]))[a-z][\w\-'/]*"
INDICATION_PHRASE = re.compile(
    r"(?i)\b(?:patients|people|adults|children|participants|individuals)\s(?:[\w\-]+\s){0,2}?(?:with|who\s+have|suffering\s+from|living\s+with)\s"
    r"(?P<d>(?:" + PHRASE_WORD + r"\s){0,5}?(?:" + DISEASE_HEAD + r"))\b"
    r"|\b(?:treatment|treat|treating|prevention|prevent|management)\s(?:of|for)\s"
    r"(?P<d2>(?:" + PHRASE_WORD + r"\s){0,5}?(?:" + DISEASE_HEAD + r"))\b"
)
#: A measure of a disease after a phrase guessed from its head: "adults with a median disease duration of 6 years",
#: "patients with initial radiographic disease progression": the words before name the measure, not a disease.
MEASURE_AFTER = re.compile(r"(?i)[\s\-]+(?:duration|activity|severity|burden|progression|course|characteristics|status|onset|flares?|scores?)\b")
#: Words after a disease name that make it a class: "tumor types", "cancer indications".
KINDS_AFTER = re.compile(r"(?i)[\s\-]+(?:types|subtypes|indications|areas)\b")
#: A quantifier before a disease in the plural names a class loosely, not a disease treated: "various immunological
#: diseases", "other types of difficult-to-treat cancers", "a variety of autoimmune diseases".
CLASS_QUANTIFIER_BEFORE = re.compile(r"(?i)\b(?:various|variety\s+of|number\s+of|range\s+of|host\s+of|other\s+(?:types|kinds|forms)\s+of|"
                                     r"many|numerous|several|multiple)\s+(?:[\w\-]+\s+){0,1}$")
PLURAL_DISEASE = re.compile(r"(?i)(?:diseases|disorders|cancers|tumou?rs|conditions|malignancies|infections|illnesses)$")
#: The patients a "treatment of" phrase names before their disease: "(adult) patients with", "people who have".
POPULATION_LEAD = re.compile(r"(?i)^(?:[\w\-]+\s){0,2}?(?:patients|people|adults|children|participants|individuals)\s+"
                             r"(?:with|who\s+have|who\s+develop|suffering\s+from|living\s+with)\s+")
STAGE_WORDS = re.compile(
    r"(?i)^(?:(?:the|a|an|their|advanced|metastatic|locally|unresectable|relapsed|refractory|recurrent|or|and|r/r|"
    r"moderate(?:ly)?|severe(?:ly)?|mild|to|active|previously|treated|untreated|newly|diagnosed|early|late|stage|"
    r"high-risk|low-risk|adult|pediatric|paediatric|chronic(?=\s+(?:phase))|persistent|certain|various|other|"
    r"rare|serious|life-threatening|debilitating|new|existing|pre-?existing|[IV]{1,3}[ABC]?|[1-4][ABC]?|"
    r"(?:first|second|third|later|front|(?:1st|2nd|3rd|[4-9]th))[\s\-]line|frontline)[\s,\-]+)+"
)
PHRASE_INTRO = re.compile(r"(?i)^.*?\b(?:like|such\s+as|including|symptoms\s+of|signs\s+of|forms\s+of|types\s+of|those\s+with|"
                          r"(?:range|variety|number|host|spectrum|array)\s+of)\s+")
GENERIC_LEAD = {"this", "these", "those", "such", "their", "its", "other", "certain", "various", "several", "many", "some",
                "history", "risk", "signs", "symptoms", "conditions", "condition", "related", "associated", "underlying",
                "no", "without", "any", "all", "both",  # "no EGFR or ALK genomic tumor aberrations": a selection criterion
                # a patient's history or a stage in general, not a disease: "patients with previous biologic failure",
                # "patients with earlier stages of cancer"
                "previous", "prior", "earlier", "past", "stages"}
GENERIC_DISEASE_WORDS = {"chronic", "acute", "mental", "health", "disease", "diseases", "disorder", "disorders", "condition",
                         "conditions", "illness", "illnesses", "serious", "rare", "common", "other", "related", "infection",
                         "infections", "cancer", "cancers", "tumor", "tumors", "tumours", "syndrome", "syndromes", "pain",
                         "inflammatory", "autoimmune", "metabolic", "neurological", "cardiovascular", "infectious", "life-threatening"}
#: A name ending in a disease head ("… lymphoma", "atherosclerosis"); and ending in one as a whole word.
ENDS_IN_DISEASE_HEAD = re.compile(r"(?:" + DISEASE_HEAD + r")$")
ENDS_IN_DISEASE_WORD = re.compile(r"\b(?:" + DISEASE_HEAD + r")$")
#: "alcohol and opioid use disorders", "Esophageal and Gastroesophageal Junction Cancer", "esophageal and GEJ cancer":
#: qualifying words joined before a shared head (any case: headlines are Title Case, short forms upper case).
COORDINATED_PHRASE = re.compile(r"(?P<a>[A-Za-z][\w\-']*)\s+(?:and|or)\s+(?P<b>[A-Za-z][\w\-']*)\s+(?P<head>(?:[A-Za-z][\w\-']*\s+)?(?:" + DISEASE_HEAD + r"))",
                                re.IGNORECASE)
COMPANY_LEADING_NOISE = re.compile(r"^(?:The|And|About|With|From|By|For|Of|In|At|To|Today|Both|Under|Between|Its|Our|This|As|While|When|If)\s+")
TARGET_CUES = [
    # "targeting angiopoietin-like protein 3 (ANGPTL3)": the symbol after the name
    re.compile(
        r"\b(?:target(?:s|ing|ed)?|inhibit(?:s|ing|ion\s+of)|block(?:s|ing)|silenc(?:es|ing)|edit(?:s|ing)|against)\s+(?:the\s+)?"
        r"(?:\w[\w\-]*\s+){0,5}?\((?P<t>" + "(?:c-)?[A-Z](?:[A-Za-z0-9]|[\\-‐.](?=[A-Z0-9]))*" + r")\)"
    ),
    # anti-X, anti X
    re.compile(r"(?<![\w])[Aa]nti[-‐ ](?P<t>" + TARGET_TOKEN + r")"),
    # X-directed / X-targeted / X-targeting / X-specific / X-redirected / X CAR / X-CAR
    re.compile(
        r"(?<![\w\-])(?P<t>" + TARGET_TOKEN + r")(?:\s?[/x×]\s?(?P<t2>" + TARGET_TOKEN + r"))?"
        r"[-‐ ](?i:directed|targeted|targeting|specific|redirected|CAR(?:[- ]?T)?\b|bispecific|dual)"
    ),
    # targets/targeting (both) X (and Y)
    re.compile(
        r"\b(?:target(?:s|ing|ed)?|directed\s+(?:against|at|to)|binds?(?:\s+to)?|recogni[sz](?:es|ing)|inhibit(?:s|ing)|"
        r"activat(?:es|ing)|block(?:s|ing)|antagoni[sz](?:es|ing)|degrad(?:es|ing)|silenc(?:es|ing)|inhibition\s+of|"
        r"inhibitors?\s+of|antagonists?\s+of|agonists?\s+of)\s+(?:both\s+|the\s+|a\s+)?"
        r"(?P<t>" + TARGET_TOKEN + r")(?:\+)?(?:(?:\s+[\w\-]+){0,5}?(?:,\s*|\s+and\s+|\s*/\s*|\s+or\s+)(?P<t2>" + TARGET_TOKEN + r"))?"
    ),
    # X inhibitor / antagonist / agonist / degrader / antibody / ADC / bispecific / T-cell engager
    re.compile(
        r"(?<![\w\-])(?P<t>" + TARGET_TOKEN + r")(?:\s?(?:/|x|×|and)\s?(?P<t2>" + TARGET_TOKEN + r"))?"
        r"(?:[\s\-]?(?:p\.)?[A-Z]\d{1,4}[A-Z])?"
        r"[\s\-](?:(?:selective|targeted|oral|small[- ]molecule|covalent|allosteric|monoclonal|bispecific|dual|next-generation|"
        r"potent|highly|reversible|irreversible|non-covalent|(?:tyrosine\s+)?kinase|[\w\-]+-(?:in-class|generation))[\s\-]+){0,3}"
        r"(?:inhibitors?|antagonists?|agonists?|degraders?|blockers?|antibod(?:y|ies)|mAbs?|ADCs?|antibody[- ]drug conjugates?|"
        r"T[- ]cell engagers?|engagers?|bispecifics?|modulators?|siRNAs?|silencers?|CAR[- ]T|CAR\b|vaccines?|PROTACs?|"
        r"ligands?|radioligands?|conjugates?|fusion proteins?|traps?|medicines?|medications?|drugs?|agents?|therap(?:y|ies)|treatments?)\b"
    ),
]


#: Before a class phrase, the parties' own products that the text does not name: "the companies will develop these
#: products in combination with their respective PD-L1 and PD-1 medicines" (not "with its own PD-1 inhibitor,
#: sasanlimab": one product, which the text goes on to name).
OTHERS_UNNAMED_CLASS_BEFORE = re.compile(r"(?i)\b(?:their|its)\s+respective\s+$")
#: ... unless the class phrase goes on to name them: "their respective PD-1 inhibitors, Libtayo and Keytruda".
NAMED_AFTER_CLASS = re.compile(r"(?i)\s*(?:,|\(|:|—|–)\s*(?!(?:and|or|which|that|as|in|to|for|with|the|a|an|each|both|respectively|"
                               r"will|are|were|is|was)\b)[a-z]")


#: What a drug does to a target, as a verb or a noun ("inhibits", "inhibition of", "agonist of").
TARGETING_VERB = (
    r"(?:target(?:s|ing|ed)?|directed\s+(?:against|at|to)|binds?(?:\s+\w+ly)?(?:\s+to)?|binding(?:\s+\w+ly)?\s+to|recogni[sz](?:es|ing)|"
    r"edit(?:s|ing)|"
    r"inhibit(?:s|ing|ed)?|activat(?:es|ing)|block(?:s|ing)|antagoni[sz](?:es|ing)|degrad(?:es|ing)|silenc(?:es|ing)|"
    r"knock(?:s|ing)?\s+down|modulat(?:es|ing)|stimulat(?:es|ing)|inhibition\s+of|blockade\s+of|activation\s+of|"
    # "a molecular glue degrader (MGD) of VAV1"
    r"(?:inhibitors?|antagonists?|agonists?|degraders?|blockers?|modulators?)\s+(?:\([\w\-]{2,10}\)\s+)?of|acts?\s+on|neutrali[sz](?:es|ing)|eliminat(?:es|ing)|deplet(?:es|ing)|"
    # an antisense or siRNA drug: "designed to reduce expression of ataxin-2 (ATXN2) protein"
    r"reduc(?:e|es|ing)\s+(?:the\s+)?(?:expression|production)\s+of)"
)
#: "targets both CD19 and CD20", "inhibition of three enzymes (SPHK2, DES1 and GCS)": the objects of a targeting verb,
#: after at most a few words of the same clause.
VERB_OBJECT_TARGETS = re.compile(
    r"\b" + TARGETING_VERB + r"\s+(?:(?!(?:in|with|for|and|but|while|which|who|by|from|to)\s)[\w\-]+\s+){0,6}?\(?"
    r"(?P<t>" + TARGET_TOKEN + r")(?P<list>(?:\s*(?:,|/|,?\s+and|,?\s+or)\s*" + TARGET_TOKEN + r"){0,4})"
)
#: "inhibits the kinase activities of vascular endothelial growth factor receptors VEGFR1, VEGFR2 and VEGFR3":
#: symbols listed after a family noun that a targeting verb of the same clause governs.
FAMILY_LIST_TARGETS = re.compile(
    r"\b" + TARGETING_VERB + r"\b[^.;:()]{0,220}?\b(?:receptors?|kinases?|enzymes?|isoforms?|including)\s+"
    r"(?P<t>" + TARGET_TOKEN + r")(?P<list>(?:\s*(?:,|/|,?\s+and|,?\s+or)\s*" + TARGET_TOKEN + r"){0,6})"
)
#: "simultaneous inhibition of three enzymes in human cells (SPHK2, DES1 and GCS)": a bracketed list of symbols
#: closing a targeting verb's phrase.
BRACKETED_TARGETS = re.compile(
    r"\b" + TARGETING_VERB + r"\s+(?:[\w\-]+\s+){0,10}?\("
    r"(?P<t>" + TARGET_TOKEN + r")(?P<list>(?:\s*(?:,|/|,?\s+and|,?\s+or)\s*" + TARGET_TOKEN + r"){1,6})\)"
)
#: What goes on a target list after its symbols stop: a protein's written name ("including FGFR1-4, the
#: platelet derived growth factor receptor alpha, KIT and RET"), looked up by its spelling.
LIST_CONTINUATION = re.compile(
    r"\s*(?:,|/|,?\s+and|,?\s+or)\s*(?P<item>" + TARGET_TOKEN + r"|(?:the\s+)?(?:[a-z][\w\-]*\s+){1,6}?[a-z][\w\-]*(?=\s*(?:,|\s+and\s|\s+or\s)))"
)
#: "FGFR1-4", "VEGFR1/2", "CDK4/6": one symbol naming several numbered members of a family.
NUMBERED_MEMBERS = re.compile(r"(?P<base>.*?[A-Za-z])(?P<first>\d{1,2})(?P<rest>(?:/\d{1,2})+|[-‐–]\d{1,2})")
#: "BCR-ABL1", "EML4-ALK": a fusion of two genes (not "CD3-CD20", which names two targets of a bispecific).
FUSION = re.compile(r"(?!CD\d)([A-Z][A-Z0-9]{2,})[-‐](?!CD\d)([A-Z][A-Z0-9]{2,})")
#: "IL23", "IL-23", "interleukin 23": a cytokine, under its HGNC symbol (IL23A when HGNC names only the subunits).
INTERLEUKIN = re.compile(r"(?i)(?:IL|interleukin)[\s\-‐]?(?P<n>\d{1,2})(?P<sub>[A-F])?")
INTERLEUKIN_NAME = re.compile(r"\binterleukin[\s\-‐]\d{1,2}[A-F]?\b")
#: What makes a spelled-out interleukin a drug's target: a targeting verb earlier in its clause, or a class after it.
TARGETING_VERB_RE = re.compile(r"(?i)" + TARGETING_VERB)
CYTOKINE_CLASS_AFTER = re.compile(r"\s*(?:inhibitors?|antagonists?|blockers?|antibod)")
LIST_TOKEN = re.compile(TARGET_TOKEN)
TARGETED_BEFORE = re.compile(r"(?i)\b" + TARGETING_VERB + r"\s+(?:the\s+)?$")
#: A ligand list before "receptor(s)": "GLP-1 receptor", "GIP/GLP-1 receptor", "FGF21, glucagon and GLP-1 receptors".
_LIGAND = r"(?:" + TARGET_TOKEN + r"|[a-z][a-z0-9\-]{3,})"
RECEPTOR_PHRASE = re.compile(
    r"(?<![\w\-])(?P<list>" + _LIGAND + r"(?:\s*(?:/|,|,?\s+and|,?\s+or)\s*" + _LIGAND + r"){0,3})[\s\-](?i:receptors?)\b"
    r"(?P<role>[\s\-]+(?:(?:selective|partial|full|dual|triple|co-?|positive|negative|allosteric)[\s\-]+)*"
    r"(?:agonists?|antagonists?|modulators?|blockers?|inhibitors?|activators?|ligands?|degraders?|targeting|targeted|directed)\b)?"
)
LIGAND_SPLIT = re.compile(r"\s*(?:/|,|,?\s+and\s+|,?\s+or\s+)\s*")
RECEPTOR_VERB_BEFORE = re.compile(r"(?i)(?:" + TARGETING_VERB + r"|dual|triple|co-?agonist)\b(?:\s+(?!interaction|with\b)[\w\-]+){0,5}\s*:?\s*$")
#: Words that describe a drug before the receptor it acts on: "a well-established, oral, selective … receptor agonist".
RECEPTOR_DESCRIPTION = frozenset({"oral", "novel", "selective", "potent", "highly", "well-established", "established",
                                  "investigational", "potential", "new", "next-generation", "long-acting", "once-weekly",
                                  "once-daily", "injectable", "peripherally", "centrally", "acting", "small-molecule"})
#: A pathogen's surface protein, stored by that name whatever virus it is written with ("the SARS-CoV-2 surface spike
#: protein" is the spike protein).
PATHOGEN_PROTEIN = r"(?:spike|nucleocapsid|envelope)\s+(?:glyco)?protein"  # not a gene therapy vector's capsid
#: A descriptive target after a targeting verb: "inhibits sphingosine kinase 2", "blocks the viral terminase complex".
PROTEIN_HEAD = (r"kinase|receptor|synthase|desaturase|transcriptase|polymerase|protease|integrase|terminase|complex|"
                r"channel|enzyme|transporter|peptidase|esterase|oxidase|reductase|ligase|phosphatase|cyclase|isomerase|"
                r"convertase|deacetylase|methyltransferase|transferase|helicase|factor\s+[IVX]+a?|"
                # a pathogen's surface protein: "directed against the spike protein of SARS-CoV-2"
                + PATHOGEN_PROTEIN)
DESCRIPTIVE_TARGET = re.compile(
    r"\b" + TARGETING_VERB + r"\s+(?:the\s+|a\s+|an\s+|both\s+|its\s+)?(?P<t>(?:[a-z][\w\-]*\s+){0,4}?(?:" + PROTEIN_HEAD + r")(?:\s+complex)?(?:[\s\-]?\d[A-Za-z]?)?)\b",
    re.I,
)
#: What every RECEPTOR_PHRASE and DESCRIPTIVE_TARGET match contains: texts without it skip those searches.
RECEPTOR_WORD = re.compile(r"(?i)receptor")
PROTEIN_HEAD_RE = re.compile(r"(?i)" + PROTEIN_HEAD)
#: Heads of targets that are not human proteins: kept as written, with no HGNC norm.
NON_HUMAN_TARGET = re.compile(r"(?i)\b(?:viral|virus|bacterial|fungal|spike|capsid|terminase|reverse transcriptase|integrase|neuraminidase|hemagglutinin)\b")


#: A roman series number ("SHIELD II") and any series number ("-010", "3b", "II").
ROMAN = r"I{1,3}|IV|V"
SERIES_NUMBER = r"\d{1,4}[A-Za-z]?|" + ROMAN
#: A preposition glued to a month where a space was lost: "InOctober 2017", "OnMay 13".
GLUED_DATE = re.compile(r"(?:In|On|At|By|Since|Until|From)(?:January|February|March|April|May|June|July|August|September|October|November|December)\b")
#: A numbered study name as series write them ("KEYLYNK-012", "KEYVIBE-006", "SURMOUNT-5"): letters, a hyphen, a number.
LISTED_TRIAL_SHAPE = re.compile(r"[A-Z][A-Za-z]{3,}[-‐]\d{1,3}[A-Za-z]?")
#: A series name and a letter ("COAST-V"): a trial when listed beside a study of the same series ("COAST-W").
LETTERED_TRIAL_SHAPE = re.compile(r"([A-Z]{3,}[-‐])[A-Z]")
#: A further number coordinated after a numbered trial: ", -010", " and -024", " & II", " and 2".
SIBLING_AFTER = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+|&\s*)?|\s+(?:and|or)\s+|\s*&\s*|\s*/\s*)[-‐]?(?P<num>" + SERIES_NUMBER + r")\b(?![-‐.,]?\d)")
#: A coordinated sibling's whole surface ("-010", "II"): never propagated as a trial name.
SIBLING_NUMBER = re.compile(r"[-‐]?(?:" + SERIES_NUMBER + ")")
#: What makes a number after a trial name a quantity, not a sibling: "In ADvocate 1, 43 percent".
QUANTITY_AFTER = re.compile(r"\s*(?:%|percent|per\s?cent|patients|participants|subjects|people|weeks?|months?|years?|days?|mg|mcg)\b|\s*%")
#: A name the text describes as a product: "RYONCIL, a … therapy that …", "Natrunix as a new treatment for".
PRODUCT_DESCRIBED = re.compile(
    r"(?<![\w\-])(?P<name>[A-Z][a-z]{4,}|[A-Z]{5,})(?:®|™)?(?:\s*,\s*(?:an?|the|its|our)\s+|\s+as\s+(?:an?|the)\s+)"
    r"(?:[\w\-()]+\s+){0,5}?(?i:therapy|therapeutic|antibody|vaccine|drug|treatment|medicine|gene\s+therapy|cell\s+therapy|"
    r"product\s+candidate|drug\s+candidate|candidate\s+therapy|investigational\s+\w+)\b(?!\s+(?:platform|business|area|space))"  # makers: MAKER_WORDS
)
#: A name the text introduces by its role, after it: "its lead compound buntanetap", "our product candidate, Hutrukin".
PRODUCT_NAMED_AFTER = re.compile(
    r"\b(?:its|our)\s+(?:(?:lead|investigational|novel|first|proprietary)\s+)*(?:compound|drug\s+candidate|"
    r"product\s+candidate|clinical\s+candidate|candidate|(?<=investigational\s)(?:product|therapy|medicine))\s*,?\s+"
    r"(?P<name>[a-z]{6,}|[A-Z][a-z]{4,}(?:-[A-Z0-9]{1,2})?)(?![\w\-'’])"  # "Lomecel-B"; not "Alzheimer's vaccine"
)
#: A name followed by its product's description in brackets: "VAXNEUVANCE (Pneumococcal 15-valent Conjugate Vaccine)".
PRODUCT_PARENTHESISED = re.compile(
    r"(?<![\w\-])(?P<name>[A-Z][a-z]{4,}|[A-Z]{5,})(?:®|™)?\s*\([^()]{0,60}?\b(?:[Vv]accine|[Ii]njection|[Tt]ablets?|[Cc]apsules?|"
    r"[Ss]olution|[Ss]uspension|[Ii]mplant|[Oo]intment|[Cc]ream|[Ii]nhalation\s+[Pp]owder|[Ff]or\s+[Ii]njection)\b[^()]{0,40}\)"
)
#: A name the text uses as a drug: "a study for Natrunix in combination with chemotherapy", "Natrunix monotherapy".
PRODUCT_IN_USE = re.compile(
    r"(?<![\w\-])(?P<name>[A-Z][a-z]{4,}|[A-Z]{5,})(?:®|™)?\s+(?:in\s+combination\s+with|monotherapy)\b"
)
#: Words that make a described name a company or a person, not a product: "Mesoblast, a leader in cell therapy",
#: "Teresa Lambe, a principal investigator at the Oxford Vaccine Group".
MAKER_WORDS = re.compile(r"(?i)\b(?:" + COMPANY_WORDS + r")\b"
                         # a person's post, as a word of its own ("physician-administered" describes a product)
                         r"|(?<![\w\-])(?:investigator|professor|director|scientist|physician|researcher|officer|founder|chair(?:man|woman|person)?)(?![\w\-])")


def series_base(name: str) -> str:
    """'KRONOS-301' → 'KRONOS'; 'SHIELD II' → 'SHIELD'; 'TRAVERSE' → 'TRAVERSE'."""
    return re.sub(r"[-‐ ]?(?:\d{1,4}[A-Za-z]?|I{1,3}|IV)$", "", name)


def _set_ext() -> None:
    if not Doc.has_extension("cands"):
        Doc.set_extension("cands", default=None)
    if not Doc.has_extension("abbreviations"):
        Doc.set_extension("abbreviations", default=None)
    if not Span.has_extension("variant"):
        Span.set_extension("variant", default=None)


#: Small words a Title Case headline leaves in lower case.
HEADLINE_SMALL_WORDS = frozenset("a an and as at by for from in into of on or the to with vs via per".split())


def _title_case_line(text: str, offset: int) -> bool:
    """Whether the line holding ``offset`` is a Title Case headline ("Windtree Provides Update on
    Istaroxime Clinical Development"): there every word is capitalized, so a capitalized word after a
    drug name does not make the drug a person's first name."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    words = re.findall(r"[A-Za-z][\w'’-]*", text[start : end if end != -1 else len(text)])
    content = [w for w in words if w.lower() not in HEADLINE_SMALL_WORDS]
    return len(content) >= 4 and sum(w[0].isupper() for w in content) >= 0.8 * len(content)


WORD_CHAR = re.compile(r"[\w\-]")


def _whole_word_starts(text: str, name: str) -> list[int]:
    """Where ``name`` stands in ``text`` as a whole word (no word character or hyphen on either side)."""
    starts, at = [], text.find(name)
    while at != -1:
        end = at + len(name)
        if (at == 0 or not WORD_CHAR.match(text, at - 1)) and not WORD_CHAR.match(text, end):
            starts.append(at)
            at = text.find(name, end)
        else:
            at = text.find(name, at + 1)
    return starts


#: Histologies that name a kind of a disease though the vocabulary's names rarely use them: "nonsquamous NSCLC".
HISTOLOGY_MODIFIERS = frozenset({"nonsquamous", "non-squamous",
                                 # where an infection was caught names its kind: "hospital-acquired bacterial pneumonia"
                                 "hospital-acquired", "ventilator-associated", "community-acquired", "healthcare-associated"})


class _Covers:
    """Whether any of a set of character spans covers ``[s, e)``: a sort and a running maximum, so each
    question costs a binary search rather than a pass over every span."""

    def __init__(self, spans) -> None:
        ordered = sorted(spans)
        self.starts = [a for a, _ in ordered]
        self.reach: list[int] = []  # the furthest end among the spans starting at or before each one
        furthest = -1
        for _, b in ordered:
            furthest = max(furthest, b)
            self.reach.append(furthest)

    def __call__(self, s: int, e: int) -> bool:
        i = bisect.bisect_right(self.starts, s) - 1
        return i >= 0 and self.reach[i] >= e


class EntityFinder:
    """Finds and resolves the eight entity kinds; one instance per pipeline."""

    def __init__(self, rules: RuleSet, nlp: Language) -> None:
        _set_ext()
        self.code_prefixes = set(rules.terms("CODE_PREFIX"))
        self.not_code_prefixes = set(rules.terms("NOT_CODE_PREFIX"))
        self.not_codes = {N.code_key(t) for t in rules.terms("NOT_DRUG_CODE")}
        self.not_trials = set(rules.terms("NOT_TRIAL"))
        self.congresses = {t for t in rules.terms("EVENT_CONGRESS") if " " not in t}  # "IAS 2021" is a meeting
        self.trial_series = set(rules.terms("TRIAL_SERIES"))
        self.trial_series_upper = {s.upper() for s in self.trial_series}
        # series that are ordinary words (VISION, CLEAR) get no title-case variants ("Vision-1" is not a trial)
        self.coined_series_upper = {p["pattern"].upper() for p in rules.by_label("TRIAL_SERIES") if p.get("id") != "common-word"}
        self.known_trials = set(rules.gazetteers.get("trial_acronyms.tsv", {}))
        self.context = ContextRules(rules, nlp)
        self.not_drug_names = {t.lower() for t in rules.terms("NOT_DRUG_NAME")}
        self.not_indications = set(rules.terms("NOT_INDICATION"))
        self.curated_indications = set(rules.terms("INDICATION"))
        self.curated_indications_lower = {t.lower() for t in self.curated_indications}
        self.not_indications_lower = {t.lower() for t in self.not_indications if not t.isupper()}
        self.targets = rules.target_table()
        self.squashed_targets = rules.spelled_target_table()
        self.receptor_symbols = {symbol for name, symbol in rules.gazetteers.get("target_names.tsv", {}).items() if "receptor" in name}
        multi = sorted((t for t in rules.terms("TARGET") if not re.fullmatch(TARGET_TOKEN, t)), key=len, reverse=True)
        self.multi_targets = re.compile(r"(?<![\w\-])(?:" + "|".join(re.escape(t) for t in multi) + r")(?![\w])") if multi else None
        self.drug_names = {k.lower(): v for k, v in rules.terms("DRUG_NAME").items()}
        self.drug_norms = rules.drug_table()  # every drug surface the vocabulary knows, in lower case -> its norm
        self.diseases = rules.disease_table()
        self.disease_spellings = N.by_spelling(self.diseases)  # the vocabulary's names by spelling key (hyphen = space)
        self.squashed_diseases = {N.squash(name) for name in self.diseases}
        # "head and neck": coordinated words that open a disease's own name, not two diseases
        self.disease_name_openings = {
            " ".join(name.split()[:3]) for name in self.diseases if re.match(r"\S+ (?:and|or) \S+ ", name)
        }
        # words that qualify a disease in the vocabulary's own names ("pulmonary", "arterial", "junction"):
        # a gazetteer hit right after such words is a narrower disease than the hit alone says
        modifier_counts: dict[str, int] = {}
        for name in self.diseases:
            for w in name.split()[:-1]:
                modifier_counts[w] = modifier_counts.get(w, 0) + 1
        self.disease_modifiers = {
            w for w, n in modifier_counts.items()
            if n >= 3 and re.fullmatch(r"[a-z][a-z\-']{3,}", w) and not NOT_DISEASE_MODIFIER.match(w)
            and w not in FUNCTION_WORDS and w not in GENERIC_LEAD and not STAGE_WORDS.match(w + " ")
        } | HISTOLOGY_MODIFIERS
        self.companies = rules.terms("COMPANY")
        self.english = rules.gazetteers.get("english_words.tsv", {})
        self.curated_company_norms = {N.company_norm(c) for c in self.companies}
        self.not_company_words = set(rules.terms("NOT_COMPANY_WORD"))
        self.inn_stem = INN_STEM_RE

    # -- main ----------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        context = self.context.cues(doc)
        abbreviations = find_abbreviations(text)
        doc._.abbreviations = abbreviations
        cands: list[Cand] = []
        ruler = self._ruler_spans(doc)
        cands += self._from_ruler(doc, ruler, context, abbreviations)
        cands += self._nct(text)
        cands += self._phases(text)
        codes = self._codes(text)
        codes += self._sibling_codes(text, codes)
        trials = self._trials(text, {c.start for c in codes}, abbreviations) + self._numbered_studies(text, codes)
        cands += codes + trials
        cands += self._inn_stems(text)
        cands += self._companies(text)
        cands += self._targets(text)
        cands = self._abbreviations(text, cands, abbreviations)
        resolved = self._resolve(cands)
        resolved = self._resolve(resolved + self._premodifier_targets(text, resolved))
        resolved = self._resolve(resolved + self._brands_in_apposition(text, resolved))
        resolved = self._resolve(resolved + self._products_described(text, resolved))
        resolved = self._propagate_trials(text, resolved)
        resolved = _joint_study_names(text, resolved)
        resolved = self._propagate_defined(text, resolved)
        resolved = self._implicit_initials(text, resolved, abbreviations)
        resolved = self._context_vetoes(resolved, context)
        resolved = _missions(text, resolved)
        sentences = sentence_char_bounds(doc)
        resolved = self._section_vetoes(doc._.sections, resolved, text, sentences)
        resolved = self._indications_in_context(text, resolved, sentences)
        resolved = self._spell_out_diseases(text, resolved, abbreviations)
        resolved = _disease_appositions(text, sorted(resolved, key=lambda c: (c.start, c.end)))
        resolved = _one_typed_sense(resolved)
        resolved = _named_by_pathogen(text, resolved)
        # "cell RCC" cut from "clear cell and non-clear cell RCC": a disease's name does not start with its head's word
        resolved = [c for c in resolved if not (c.label == "INDICATION" and CUT_DISEASE_START.match(text, c.start, c.end))]
        # "CTAD" (Clinical Trials on Alzheimer's Disease) names a meeting, whatever its long form says
        resolved = [c for c in resolved if not (c.label in ("INDICATION", "TRIAL") and text[c.start : c.end] in self.congresses)]
        # "non-clear cell renal cell carcinoma": the complement of the disease named, not that disease
        resolved = [c for c in resolved if not (c.label == "INDICATION" and NON_PREFIX.search(text[max(0, c.start - 4) : c.start]))]
        # "FGFR1-4": one surface, one fact per member it names
        resolved += [dataclasses.replace(c, norm=norm, also=()) for c in resolved if c.also for norm in c.also]
        doc._.cands = resolved
        group = []
        for cand in resolved:
            span = doc.char_span(cand.start, cand.end, label=cand.label, kb_id=cand.norm, alignment_mode="expand")
            if span is not None:
                group.append(span)
        doc.spans["facts"] = group
        return doc

    # -- ruler spans ---------------------------------------------------------------------
    @staticmethod
    def _ruler_spans(doc: Doc) -> list[Span]:
        return list(doc.spans.get("ruler", []))

    def _from_ruler(self, doc: Doc, spans: list[Span], context: DocumentContext, abbreviations: dict[str, Abbreviation]) -> list[Cand]:
        cands = []
        text = doc_text(doc)
        defined_names = {N.spelling_key(N.disease_label(a.long)) for a in abbreviations.values()
                         if not _names_meeting(text, a)}  # not "the 16th Clinical Trials on Alzheimer's Disease (CTAD)"
        covers = _Covers(
            (s.start_char, s.end_char)
            for s in spans
            if s.label_ in ("NOT_DRUG_NAME", "NOT_INDICATION")
        )
        # "methamphetamine use disorder", "cocaine users": a substance people misuse, not a medicine, anywhere in
        # the document, unless the text doses it
        abused = {
            text[s.start_char : s.end_char].lower() for s in spans
            if s.label_ in ("DRUG_NAME", "DRUG_NAME_CONTEXTUAL") and SUBSTANCE_USE_AFTER.match(text, s.end_char)
        }
        for span in spans:
            label = span.label_
            s, e = span.start_char, span.end_char
            surface = text[s:e]
            if label in ("DRUG_NAME", "DRUG_NAME_CONTEXTUAL") and surface.lower() in abused and not DOSE_AFTER.match(text[e : e + 20]):
                continue
            if label in ("DRUG_NAME", "DRUG_NAME_CONTEXTUAL", "INDICATION") and GLUED_AFTER.match(text[e : e + 8]):
                continue  # "SARS" in "SARS-CoV-2": part of a longer name
            if label in ("DRUG_NAME", "DRUG_NAME_CONTEXTUAL") and (LIKENESS_AFTER.match(text, e) or PROTEIN_NAMED_AFTER.match(text, e)):
                continue  # "glucagon-like peptide-1", "sphingosine kinase-2", "glucagon receptor": named after the substance
            if label == "DRUG_NAME_CONTEXTUAL":
                # hemoglobin, phosphorus, grapefruit: a drug only where the text uses it as one
                if "DRUG_USE" not in context.of(s, e) and not DOSE_AFTER.match(text[e : e + 20]):
                    continue
                label = "DRUG_NAME"
            if label == "DRUG_NAME":
                if covers(s, e) and surface.lower() not in self.drug_names:
                    continue
                if surface.isupper() and len(surface) <= 4:
                    continue  # short all-caps gazetteer hits are abbreviations, not drugs
                if surface.islower() and surface in self.not_drug_names:
                    continue
                if surface.lower() in SALT_FORMS and (before := SALT_OF_BEFORE.search(text, max(0, s - 40), s)) and (
                        before.group(1).lower() in self.drug_norms or CODE_BODY.fullmatch(before.group(1))):
                    continue  # "abiraterone acetate", "LY3295668 erbumine": the salt form of the drug named before it
                if surface.istitle() and surface.lower() not in self.drug_names and (
                    (re.match(r"\s+[A-Z][a-z]", text[e : e + 3]) and not _title_case_line(text, s))
                    or re.search(r"(?:Dr|Mr|Ms|Mrs|Prof)\.?\s+$", text[max(0, s - 6) : s])
                ):
                    continue  # "Dr. Hana Novak": a brand that is also a first name (not in a Title Case headline)
                norm = span.id_ or surface.lower()
                cands.append(Cand("DRUG_NAME", s, e, N.inn_norm(norm), PRIORITY["DRUG_NAME"]))
            elif label == "INDICATION":
                if covers(s, e):
                    continue
                if surface in self.not_indications or surface.lower() in self.not_indications_lower:
                    continue
                if INSTRUMENT_AFTER.match(text[e : e + 60]):
                    continue  # "Psoriasis Area and Severity Index" is a scale
                if KINDS_AFTER.match(text, e):
                    continue  # "multiple tumor types", "several cancer types": a class of diseases, not one
                if PLURAL_DISEASE.search(surface) and CLASS_QUANTIFIER_BEFORE.search(text[max(0, s - 40) : s]):
                    continue  # "various immunological diseases": a class named loosely
                if SPECIMEN_AFTER.match(text, e):
                    continue  # "patients with available circulating tumor DNA data": a specimen, not a disease
                if ANTIGEN_AFTER.match(text, e):
                    continue  # "diphtheria toxoid", "tetanus toxoid": a vaccine's ingredient, not a disease treated
                if surface[:1].isupper() and (ORGANISATION_BEFORE.search(text[max(0, s - 80) : s]) or ORGANISATION_AFTER.match(text, e)):
                    continue  # "European Congress of Clinical Microbiology & Infectious Diseases", "Lymphoma Research
                    # Foundation", "Professor of Lymphoma and Myeloma": an organisation's or a title's name
                if SHORT_ABBREVIATION.match(surface) and surface not in self.curated_indications and surface not in abbreviations and not (
                    DISEASE_SLOT_BEFORE.search(text[max(0, s - 60) : s]) or DISEASE_SLOT_AFTER.match(text[e : e + 14])
                ):
                    continue  # an undefined short form used outside a disease's slot: SCC, AS, PAH may be anything
                start = self._disease_modifiers_before(text, s, abbreviations)
                start = self._known_name_before(text, start, e, defined_names)
                if HISTORY_BEFORE.search(text, max(0, start - 20), start) and not TREATMENT_NOUN_AFTER.match(text, e):
                    continue  # "defined as prior myocardial infarction": history, not what the trial treats
                negated = NON_WORD_BEFORE.search(text, max(0, start - 30), start)
                if negated and start < e:  # "non-muscle invasive bladder cancer" is not "invasive bladder cancer"
                    start = negated.start()
                    cands.append(Cand("INDICATION", start, e, self._disease_norm(text[start:e]), PRIORITY["INDICATION"]))
                    continue
                lettered = LETTER_TYPE_AFTER.match(text, e)
                if lettered and f"{surface.lower().split()[-1]} {lettered.group(1).lower()}" in self.diseases:
                    # "chronic hepatitis B" is not "chronic hepatitis": the letter names the disease's type
                    e = lettered.end()
                    cands.append(Cand("INDICATION", start, e, self._disease_norm(text[start:e]), PRIORITY["INDICATION"]))
                    continue
                coordinated = self._coordinated_before(text, start, s, e, abbreviations)
                if coordinated:  # "gastric or GEJ adenocarcinoma": two diseases, one surface
                    other, name = coordinated
                    if not name:
                        cands.append(Cand("INDICATION", other, e, self._disease_norm(text[other:e]), PRIORITY["INDICATION"]))
                        continue
                    near = self._disease_norm(self._spelled(text[start:e], abbreviations))
                    cands.append(Cand("INDICATION", other, e, near, PRIORITY["INDICATION"], also=(self._disease_norm(self._spelled(name, abbreviations)),)))
                    continue
                site = self._site_after(text, e, text[start:e])
                if site is not None:  # "squamous cell carcinoma of the esophagus" is esophagus squamous cell carcinoma
                    cands.append(Cand("INDICATION", start, site[0], site[1], PRIORITY["INDICATION"]))
                    continue
                subtype = SUBTYPE_AFTER.match(text, e)
                if subtype:  # "heart failure with reduced ejection fraction" is not "heart failure"
                    e = subtype.end()
                    cands.append(Cand("INDICATION", start, e, self._disease_norm(text[start:e]), PRIORITY["INDICATION"]))
                    continue
                if start == s and surface.lower() in BARE_HISTOLOGY:
                    continue  # "adenocarcinoma" alone: a tissue type, not which cancer
                if start < s:  # "Pulmonary Arterial Hypertension" is not "hypertension"
                    cands.append(Cand("INDICATION", start, e, self._disease_norm(text[start:e]), PRIORITY["INDICATION"]))
                    continue
                cands.append(Cand("INDICATION", s, e, N.disease_label(span.id_ or surface), PRIORITY["INDICATION"]))
            elif label == "COMPANY":
                cands.append(Cand("COMPANY", s, e, span.id_ or N.company_norm(surface), PRIORITY["COMPANY"]))
            elif label == "TRIAL_NAME":
                pass  # known acronyms only raise a trial candidate's score (see _trials)
        return self._listed_before_head(text, cands) + self._indication_phrases(text)

    def _listed_before_head(self, text: str, cands: list[Cand]) -> list[Cand]:
        """'epithelial ovarian, fallopian tube, or primary peritoneal cancer': a comma list of qualifying words
        before a disease whose last word is a head ("cancer") names one disease per item, each item with that
        head. An item counts only as far as it and the head make a disease the vocabulary holds ("epithelial
        ovarian" → ovarian cancer); read from the item nearest the head, the list stops at the first that does not."""
        out = []
        for cand in cands:
            if cand.label != "INDICATION":
                out.append(cand)
                continue
            head = re.search(r"(\w+)$", text[cand.start : cand.end])
            listed = LISTED_BEFORE.search(text, max(0, cand.start - 120), cand.start) if head and SHARED_HEAD.fullmatch(head.group(1).lower()) else None
            if not listed:
                out.append(cand)
                continue
            names, start = [], cand.start
            items = [(m.start(), m.group(0)) for m in re.finditer(r"[A-Za-z][\w\-]*(?:\s+[A-Za-z][\w\-]*)*", listed.group("items"))]
            for offset, item in reversed(items):  # nearest the head first
                words = list(re.finditer(r"[A-Za-z][\w\-]*", item))
                first = next((w for i, w in enumerate(words) if self._names_disease_exactly(
                    " ".join(x.group(0) for x in words[i:]).lower() + " " + head.group(1).lower())), None)
                if first is None or self._names_disease(" ".join(w.group(0) for w in words).lower()):
                    break  # "diabetes, heart disease": items that are diseases themselves share nothing
                names.append(self._disease_norm(" ".join(item[first.start() :].split()) + " " + head.group(1)))
                start = listed.start("items") + offset + first.start()
            if not names:
                out.append(cand)
                continue
            out.append(dataclasses.replace(cand, start=start, also=tuple(dict.fromkeys((*cand.also, *names)))))
        return out

    def _site_after(self, text: str, end: int, name: str) -> tuple[int, str] | None:
        """'carcinoma of the esophagus', 'cancer of the head and neck': the disease at that site, when the
        vocabulary names it ("esophagus squamous cell carcinoma"). Returns where the site ends and the norm."""
        m = SITE_AFTER.match(text, end)
        if not m or name.lower().split()[-1] not in SITE_FREE_HEADS:
            return None
        words = m.group("site").split()
        for n in range(len(words), 0, -1):
            site = " ".join(words[:n]).lower()
            label = N.disease_label(f"{site} {name}")
            if label in self.diseases:
                return m.start("site") + len(" ".join(words[:n])), self.diseases[label]
        return None

    def _indication_phrases(self, text: str) -> list[Cand]:
        """'patients with opioid use disorder', 'treatment of dry eye disease': cue-anchored disease phrases."""
        out = []
        for m in INDICATION_PHRASE.finditer(text):
            group = "d" if m.group("d") else "d2"
            phrase, start = m.group(group), m.start(group)
            intro = PHRASE_INTRO.search(phrase)  # "conditions like depression" → "depression"
            if intro:
                phrase, start = phrase[intro.end() :], start + intro.end()
            population = POPULATION_LEAD.match(phrase)  # "treatment of adult patients with VHL disease" → "VHL disease"
            if population:
                phrase, start = phrase[population.end() :], start + population.end()
            lead = STAGE_WORDS.match(phrase)
            if lead:
                phrase, start = phrase[lead.end() :], start + lead.end()
            words = phrase.lower().split()
            if not words or len(phrase) < 5 or phrase.lower() in self.not_indications_lower:
                continue
            if words[0] in PERFECT_VERBS and re.search(r"(?i)\bwho\s+have\s+$", text[max(0, start - 20) : start]):
                continue  # "patients who have exhausted standard options": a verb's perfect, not who have a disease
            if KINDS_AFTER.match(text, start + len(phrase)) or SPECIMEN_AFTER.match(text, start + len(phrase)):
                continue  # "treatment of multiple tumor types": a class of diseases; "circulating tumor DNA": a specimen
            if MEASURE_AFTER.match(text, start + len(phrase)) and not self._names_disease_exactly(phrase.lower()):
                continue  # "a median disease duration": a measure; "kidney disease progression" keeps its known name
            if words[0] in GENERIC_LEAD or all(w in GENERIC_DISEASE_WORDS or w.endswith("-related") for w in words):
                continue  # "this chronic disease", "mental health disorders", "history of ..."
            coordinated = COORDINATED_PHRASE.fullmatch(phrase)
            low = phrase.lower()
            if coordinated and (low in self.diseases or N.disease_singular(low) in self.diseases):
                coordinated = None  # "head and neck cancer" is one disease's name
            if coordinated and any(
                    (self._names_disease_exactly(coordinated.group(part).lower().replace("’", "'")) or coordinated.group(part).lower().endswith(("'s", "’s")))
                    and not self._names_disease_exactly(f"{coordinated.group(part)} {coordinated.group('head')}".lower()) for part in ("a", "b")):
                # "Hypertension or Heart Failure", "Crohn's and ulcerative colitis": two names, no shared head ("migraine and
                # headache disorders" shares one: "migraine disorders" is a name too)
                coordinated = None
            if coordinated and not all(
                    _plain_word(coordinated.group(part)) or self._names_disease_exactly(f"{coordinated.group(part)} {coordinated.group('head')}".lower())
                    for part in ("a", "b")):
                coordinated = None  # "PsA and plaque psoriasis", "MSI-H or dMMR cancer": a short form is a name of its own
            if coordinated:  # "alcohol and opioid use disorders" → two indications
                head = coordinated.group("head")
                names = [f"{coordinated.group(part)} {head}" for part in ("a", "b")]
                core = head.split()[-1]
                if core != head and not self._names_disease_exactly(names[0].lower()) and self._names_disease_exactly(f"{coordinated.group('a')} {core}".lower()):
                    # "esophageal and gastroesophageal junction cancer": esophageal cancer, and the other's own name
                    names[0] = f"{coordinated.group('a')} {core}"
                # "inflammatory and autoimmune diseases": classes of disease, not diseases
                norms = [self._disease_norm(n) for n in names if not all(w in GENERIC_DISEASE_WORDS for w in n.lower().split())]
                if norms:  # one surface, one fact per disease it names
                    out.append(Cand("INDICATION", start, start + len(phrase), norms[0], PRIORITY["INDICATION"] + 1, also=tuple(norms[1:])))
                continue
            out.append(Cand("INDICATION", start, start + len(phrase), self._disease_norm(phrase), PRIORITY["INDICATION"] - 1))
        return out

    def _spell_out_diseases(self, text: str, cands: list[Cand], abbreviations: dict[str, Abbreviation]) -> list[Cand]:
        """Name each disease as its words say, with the document's own definitions spelled out.

        "squamous NSCLC" where the text defines NSCLC is "squamous non-small cell lung cancer", not a
        norm with the short form in it; "CLL/SLL" (or its long form) names two diseases, one per side of
        the slash, when each side is a disease on its own ("attention-deficit/hyperactivity disorder"
        is one disease: "attention-deficit" alone is none).
        """
        for cand in cands:
            if cand.label != "INDICATION":
                continue
            surface = text[cand.start : cand.end]
            if cand.also:
                continue  # already named part by part ("gastric or GEJ adenocarcinoma")
            defined = abbreviations.get(surface)
            if defined is not None and "/" in defined.long:
                cand.norm = self._disease_norm(defined.long)
            elif defined is None and any(w in abbreviations for w in DEFINED_WORD.findall(surface)):
                cand.norm = self._disease_norm(self._spelled(surface, abbreviations))
            parts = [p.strip() for p in cand.norm.split("/")]
            if len(parts) > 1 and all(self._names_disease(p) for p in parts):
                cand.norm, cand.also = self._disease_norm(parts[0]), tuple(self._disease_norm(p) for p in parts[1:])
        return cands

    @staticmethod
    def _spelled(phrase: str, abbreviations: dict[str, Abbreviation]) -> str:
        """``phrase`` with each short form the document defines replaced by its long form."""
        phrase = PAREN_SHORT.sub(lambda m: "" if m.group(1) in abbreviations else m.group(0), phrase)
        return DEFINED_WORD.sub(lambda m: abbreviations[m.group(0)].long if m.group(0) in abbreviations else m.group(0), phrase)

    def _names_disease_exactly(self, name: str) -> bool:
        """A name the vocabulary holds as it is (or in the singular), not one merely ending in a disease word."""
        return name in self.diseases or N.disease_singular(name) in self.diseases

    def _names_disease(self, name: str) -> bool:
        """A name that is a disease by itself: in the vocabulary, or ending in a disease word."""
        return self._names_disease_exactly(name) or bool(ENDS_IN_DISEASE_WORD.search(name))

    def _disease_modifiers_before(self, text: str, start: int, abbreviations: dict[str, Abbreviation] | None = None) -> int:
        """Start of the qualifying words ("gastric/gastroesophageal junction") right before a disease name.

        A short form the document defines by such words counts as them ("GEJ adenocarcinoma"), and so
        does the definition itself ("Gastroesophageal Junction (GEJ) Adenocarcinoma")."""
        while True:
            window = text[max(0, start - 40) : start]
            paren = PAREN_SHORT_BEFORE.search(window)
            if paren and abbreviations and paren.group(1) in abbreviations:
                inner = start - len(paren.group(0))
                if self._modifier_word(WORD_BEFORE.search(text[max(0, inner - 40) : inner]), abbreviations):
                    start = inner
                    continue
            m = WORD_BEFORE.search(window)
            if not self._modifier_word(m, abbreviations):
                return start
            start -= len(m.group(0))

    def _known_name_before(self, text: str, start: int, end: int, defined: set[str]) -> int:
        """'triple negative breast cancer', 'non-muscle invasive bladder cancer': the words before a disease hit
        that make, with it, a name the vocabulary knows in another spelling ('triple-negative breast cancer')
        or one the document defines ('Non-Muscle Invasive Bladder Cancer (NMIBC)') belong to it. ``defined``:
        the spelling keys of the document's long forms, read once per document."""
        best, at = start, start
        for _ in range(3):  # up to three words: "extensive stage small cell lung cancer"
            m = WORD_BEFORE.search(text[max(0, at - 40) : at])
            if m is None:
                break
            at -= len(m.group(0))
            longer = N.spelling_key(N.disease_label(text[at:end]))
            if longer in self.disease_spellings or longer in defined:
                best = at
        return best

    def _modifier_word(self, m: re.Match | None, abbreviations: dict[str, Abbreviation] | None) -> bool:
        if m is None:
            return False
        word = m.group(1)
        if word.lower() in self.disease_modifiers:
            return True
        defined = abbreviations.get(word) if abbreviations else None
        return defined is not None and all(w.lower() in self.disease_modifiers for w in defined.long.split())

    def _coordinated_before(self, text: str, start: int, s: int, e: int, abbreviations: dict[str, Abbreviation]) -> tuple[int, str] | None:
        """'breast or ovarian cancer', 'gastric or GEJ adenocarcinoma': qualifying words joined by "or" /
        "and" to those of a disease name share its head. Returns where they start and the other disease
        they name, or None.

        The words joined are parallel to the qualifying words nearest them: those before the hit
        ("Classic and Endemic Kaposi sarcoma" → classic Kaposi sarcoma), else the hit's own ("breast or
        ovarian cancer" → breast cancer). Nothing is shared when the joined words are a disease
        themselves ("diabetes and heart disease"), are longer than their parallel ("cardiovascular
        death or heart failure"), or open a disease's own name ("head and neck cancer")."""
        conj = CONJUNCTION_BEFORE.search(text[max(0, start - 6) : start])
        if not conj:
            return None
        end = start - len(conj.group(0))  # just after "gastric "
        other = self._disease_modifiers_before(text, end, abbreviations)
        if other == end:
            return None
        end -= 1
        joined = text[other:end].lower()
        if (
            self._names_disease(joined) or joined in self.curated_indications_lower or joined.split()[-1] in self.diseases
            or STANDALONE_CONDITION.search(joined)
        ):
            return None
        if start < s:
            parallel, head = text[start:s], text[s:e]
        else:
            head_start = s
            while True:
                m = re.match(r"([A-Za-z][\w\-']*) ", text[head_start:e])
                if not m or m.group(1).lower() not in self.disease_modifiers:
                    break
                head_start += len(m.group(0))
            parallel, head = text[s:head_start], text[head_start:e]
            short = SHORT_FORM_HEAD.match(text[s:e])
            if not SHARED_HEAD.fullmatch(head.lower()) and short and SHARED_HEAD.fullmatch(short.group(2).lower()):
                # "gastric or GEJ cancer": a short form qualifies the head as a word would
                parallel, head = text[s : s + len(short.group(1))], short.group(2)
            if not SHARED_HEAD.fullmatch(head.lower()):
                return None  # only a head word ("cancer", "adenocarcinoma") is shared
        parallel_words = PAREN_SHORT.sub("", parallel).split()
        if not parallel_words or len(joined.split()) > len(parallel_words):
            return None
        if f"{joined} {conj.group(0).strip()} {parallel_words[0].lower()}" in self.disease_name_openings:
            return other, ""  # "head and neck squamous cell cancer": one disease, named whole
        return other, f"{text[other:end]} {head}"
    def _disease_norm(self, phrase: str) -> str:
        return N.disease_norm(phrase, self.diseases)

    def _indications_in_context(self, text: str, cands: list[Cand], sentences: list[tuple[int, int]]) -> list[Cand]:
        """Drop diseases named in passing: keep those in a sentence about a drug or trial, or after a cue."""
        anchors = sorted(c.start for c in cands if c.label in ("DRUG_CODE", "DRUG_NAME", "TRIAL", "NCT_ID", "PHASE", "TARGET"))
        starts = [a for a, _ in sentences]
        # "GEO-CM04S1, a COVID-19 vaccine": the document's vaccine protects against an infection
        infection_vaccine = bool(INFECTION_VACCINE.search(text))
        kept = []
        for cand in cands:
            if cand.label != "INDICATION":
                kept.append(cand)
                continue
            i = bisect.bisect_right(starts, cand.start) - 1
            sent = sentences[i] if i >= 0 and cand.start < sentences[i][1] else (0, len(text))
            if self._vaccine_population(text, cand, sent, infection_vaccine):
                continue
            first = bisect.bisect_left(anchors, sent[0])
            in_sentence = first < len(anchors) and anchors[first] < sent[1]
            if in_sentence or (
                # "Colorectal cancer, the ORR was 34%": a sentence that reports a response rate is about results
                _reports_rate(text, sent) and not GENERAL_STATEMENT.search(text, sent[0], sent[1])
            ) or (
                INDICATION_CUE_BEFORE.search(text[max(sent[0], cand.start - 120) : cand.start])
                and not (GENERAL_STATEMENT.search(text, sent[0], sent[1]) and not NEWS_SENTENCE.search(text, sent[0], sent[1]))
            ):
                kept.append(cand)
            elif POPULATION_HEADING.match(text, sent[0]) and i + 1 < len(sentences) and _has_anchor(anchors, sentences[i + 1]):
                kept.append(cand)  # a label's adverse-reactions heading over a paragraph about a trial or a drug
        return kept

    @staticmethod
    def _vaccine_population(text: str, cand: Cand, sent: tuple[int, int], infection_vaccine: bool = False) -> bool:
        """'a COVID-19 booster for immunocompromised patients such as those with CLL': in a sentence about a
        vaccine against an infection, the disease of the people vaccinated is their condition, not what the
        vaccine is for. The infection may be named elsewhere in the document ("X, a COVID-19 vaccine" …
        "X versus another vaccine in patients with CLL"), unless the sentence is about a cancer vaccine."""
        if not VACCINE_WORD.search(text, sent[0], sent[1]):
            return False
        if not PREVENTED_INFECTION.search(text, sent[0], sent[1]) and not (
            infection_vaccine and not THERAPEUTIC_VACCINE.search(text, sent[0], sent[1])
        ):
            return False
        if PREVENTED_INFECTION.search(text[cand.start : cand.end]):
            return False
        before = text[max(sent[0], cand.start - 80) : cand.start]
        return bool(POPULATION_SLOT_BEFORE.search(before) or VACCINEE_POPULATION_AFTER.match(text, cand.end))

    @staticmethod
    def _context_vetoes(cands: list[Cand], context: DocumentContext) -> list[Cand]:
        """Mark each mention with the context cues that modify it; drop those CONTEXT_VETOES rules out."""
        kept = []
        starts = sorted(c.start for c in cands)
        for cand in cands:
            later = bisect.bisect_left(starts, cand.end)
            cand.context = frozenset(context.of(cand.start, cand.end, starts[later] if later < len(starts) else None))
            if not (cand.context & CONTEXT_VETOES.get(cand.label, set())):
                kept.append(cand)
        return kept

    @staticmethod
    def _section_vetoes(sections: tuple, cands: list[Cand], text: str, sentences: list[tuple[int, int]]) -> list[Cand]:
        """Drop facts named only in sections that change their meaning (SECTION_ONLY_VETO). A named trial's
        population is the exception: "In KEYNOTE-012, KEYTRUDA was discontinued … in 17% of 192 patients
        with HNSCC" is label safety text, and still says which disease that trial studied."""
        if not sections:
            return cands
        starts = [a for a, _ in sentences]
        trial_starts = sorted(c.start for c in cands if c.label == "TRIAL")

        def counts(c: Cand) -> bool:
            if section_at(sections, c.start) not in SECTION_ONLY_VETO[c.label]:
                return True
            i = bisect.bisect_right(starts, c.start) - 1
            return c.label == "INDICATION" and trial_population(text, c.start, sentences[i][0] if i >= 0 else 0, trial_starts)

        seen_elsewhere = {(c.label, c.norm) for c in cands if c.label in SECTION_ONLY_VETO and counts(c)}
        return [c for c in cands if c.label not in SECTION_ONLY_VETO or (c.label, c.norm) in seen_elsewhere]

    # -- regex families --------------------------------------------------------------------
    @staticmethod
    def _nct(text: str) -> list[Cand]:
        return [Cand("NCT_ID", m.start(), m.end(), m.group(0), PRIORITY["NCT_ID"]) for m in NCT_RE.finditer(text)]

    @staticmethod
    def _phases(text: str) -> list[Cand]:
        out = []
        for m in PHASE_RE.finditer(text):
            norm = N.phase_norm(m.group(0))
            if norm:
                out.append(Cand("PHASE", m.start(), m.end(), norm, PRIORITY["PHASE"]))
        return out

    def _codes(self, text: str) -> list[Cand]:
        out = []
        for m in CODE_RE.finditer(text):
            if self._rejected_code(text, m):
                continue
            out.append(Cand("DRUG_CODE", m.start(), m.end(), N.drug_code_norm(m.group(0)), PRIORITY["DRUG_CODE"]))
            if text[m.end() : m.end() + 1] == "/" and (alias := CODE_BODY.match(text, m.end() + 1)) and not self._rejected_code(text, alias):
                # "mRNA-4157/V940": the same drug under its partner's code, held to the same tests
                out.append(Cand("DRUG_CODE", alias.start(), alias.end(), N.drug_code_norm(alias.group(0)), PRIORITY["DRUG_CODE"]))
        # "IGC-AD1 is an investigational drug", "with its drug, IGC-AD1": a name of a shape the code
        # pattern leaves out (one digit, a long prefix) that the text itself defines as a drug, at each mention;
        # never a target's symbol
        found = {text[c.start : c.end] for c in out}
        defined = {m.group(1) for m in LOOSE_CODE.finditer(text) if m.group(1) not in found and not CODE_RE.fullmatch(m.group(1))
                   and not self._lookup_target(m.group(1)) and not text.startswith("/", m.end())  # IL-6, "PD-1/VEGF"
                   and (DEFINED_AS_DRUG.match(text, m.end()) or DRUG_WORD_BEFORE.search(text, max(0, m.start() - 40), m.start()))}
        for name in defined:
            for at in _whole_word_starts(text, name):
                out.append(Cand("DRUG_CODE", at, at + len(name), N.drug_code_norm(name), PRIORITY["DRUG_CODE"]))
        return out

    def _rejected_code(self, text: str, m: re.Match[str]) -> bool:
        """Whether a code-shaped string is something else: a vetoed code or prefix, a mutation or a target, a
        time, a year, an abstract number, a document number, a device, a residue."""
        surface = m.group(0)
        prefix, num, sep = m.group("prefix"), m.group("num"), m.group("sep")
        key = N.code_key(surface)
        if key in self.not_codes or prefix in self.not_code_prefixes or prefix.upper() in self.not_code_prefixes:
            return True
        if MUTATION_RE.match(surface) or surface in self.targets:
            return True
        if TRUNCATED_NCT.match(surface):
            return True  # "CT05543681": an NCT id that lost its N
        if prefix.upper() in ("AM", "PM") and re.search(r"\d{1,2}[:.]\d{2}\s?$", text[max(0, m.start() - 8) : m.start()]):
            return True  # "11:30 AM-12:30 PM": a time range
        if sep == " " and (prefix not in self.code_prefixes or YEAR_RE.match(num)):
            return True
        if YEAR_RE.match(num) and not m.group("block") and sep in ("", " ") and not (
                sep == "" and not m.group("suffix") and prefix not in self.congresses and prefix.upper() not in ("FY", "CY", "JPM")
                and self._year_code_defined(text, surface)):
            return True  # "ASCO2024", "FY2025"; not "KDS2010 (Tisolagiline) is a … inhibitor"
        if len(prefix) == 1 and len(num) < 3:
            return True  # "E12", "T20"
        if prefix.isupper() and len(prefix) >= 5 and not sep and not any(ch.isdigit() for ch in prefix) and prefix not in self.code_prefixes and prefix in self.trial_series_upper:
            return True
        before = text[max(0, m.start() - 25) : m.start()]
        if ABSTRACT_BEFORE.search(before) or (TIME_SLOT_BEFORE.search(before) and ROOM_SHAPE.fullmatch(m.group(0))):
            return True
        if text[m.end() : m.end() + 1] == "%":
            return True
        if RESIDUE_AFTER.match(text, m.end()):
            return True  # "the C481 mutation": a residue, not a code
        block = (m.group("block") or "").lstrip("-")
        if block and block in self.not_code_prefixes:
            return True  # "MPR-US-102413": a document number with a country block
        if DEVICE_BEFORE.search(before):
            return True  # "a medical device (ABV-1701)": not a drug
        if len(prefix) == 1:
            if RESIDUE_SHAPED_AFTER.match(text, m.end()):
                return True
            word = re.search(r"(" + TARGET_TOKEN + r")\s+$", before)
            if word and self._lookup_target(word.group(1)):
                return True  # "BTK C481": a residue of the target named before it
        return False

    @staticmethod
    def _year_code_defined(text: str, name: str) -> bool:
        """Whether a mention of ``name`` is followed by the text saying it is a drug (YEAR_CODE_DEFINED)."""
        return any(YEAR_CODE_DEFINED.match(text, at + len(name)) for at in _whole_word_starts(text, name))

    def _sibling_codes(self, text: str, codes: list[Cand]) -> list[Cand]:
        """'GEO-MVA' beside 'GEO-CM04S1': a letters-only product name sharing a found code's hyphenated prefix."""
        prefixes = {m.group(1) for c in codes if (m := re.match(r"([A-Z][A-Za-z]{1,5})-", text[c.start : c.end]))}
        prefixes -= self.not_code_prefixes
        if not prefixes:
            return []
        pattern = re.compile(r"(?<![\w\-])(" + "|".join(map(re.escape, sorted(prefixes))) + r")-[A-Z][A-Za-z]{1,5}(?![\w\-])")
        taken = {(c.start, c.end) for c in codes}
        # a code needs a digit: the letters-only sibling is a product name
        return [
            Cand("DRUG_NAME", m.start(), m.end(), m.group(0), PRIORITY["DRUG_CODE"])
            for m in pattern.finditer(text)
            if (m.start(), m.end()) not in taken and m.group(0) not in self.targets
        ]

    def _listed_studies(self, text: str, names: list[re.Match[str]]) -> set[str]:
        """Names in a list the text introduces as studies ('studies …, including SPIRIT-H2H, IXORA-S,
        UNCOVER-2 and IXORA-R'). Every item must be a study-shaped name (not a drug, disease, gene or
        meeting), or none is taken: 'trials in diseases including RA and PsA' lists diseases."""
        out: set[str] = set()
        by_start = {m.start("name"): m.group("name") for m in names}
        for intro in STUDY_LIST_INTRO.finditer(text):
            items = STUDY_LIST_ITEMS.match(text, intro.end())
            if not items:
                continue
            listed, at = [], items.start()
            for sep in [*STUDY_LIST_SEPARATOR.finditer(text, items.start(), items.end()), None]:
                item = text[at : sep.start() if sep else items.end()].strip()
                if item:
                    listed.append((at, item))
                at = sep.end() if sep else at
            if len(listed) < 2:
                continue
            ok = []
            for start, item in listed:
                name = by_start.get(start)
                if name != item or name.lower() in self.drug_norms or name.lower() in self.diseases or name in self.congresses:
                    break
                if self._lookup_target(name) or name in self.not_trials or not (re.search(r"\d|[-‐]", name) or len(name) >= 5):
                    break
                ok.append(name)
            else:
                # "clinical studies across its pipeline, including VX-880, VX-264 and VX-548": its drugs' codes, when
                # every item is shaped like one or the text calls one a drug ("VX-880 is an investigational therapy")
                coded = [n for n in ok if CODE_SHAPED.fullmatch(n) and n.split("-")[0] not in self.trial_series]
                if coded and (len(coded) == len(ok) or any(DEFINED_AS_DRUG.match(text, at + len(n))
                                                          for n in coded for at in _whole_word_starts(text, n))):
                    continue
                out.update(ok)
        return out

    def _trial_score(self, text: str, start: int, end: int, name: str) -> int:
        after = text[end : end + 80]
        before = text[max(0, start - 40) : start]
        if DATELINE_AFTER.match(after):
            return -5  # "KENILWORTH, N.J.--": a dateline
        score = 0
        if self._lookup_target(name) and not re.search(r"\d{2}", name):
            score -= 2  # "the PD-L1 study": a gene names a biomarker study only with more cues
        if TRIAL_CUE_AFTER.match(after):
            score += 2
        elif TRIAL_APPOSITION_AFTER.match(after):
            score += 2
        if PHASE_CUE_STRICT.search(before) or (TRIAL_CUE_BEFORE.search(before) and not IN_THE_STUDY_BEFORE.search(before)):
            score += 2
        elif POPULATION_IN_BEFORE.search(before) and name[:1].isupper() and not ANALYSIS_SET_AFTER.match(after):
            score += 2
        if NCT_AFTER.match(after):
            score += 2
        if POPULATION_AFTER.match(after) or TOPLINE_AFTER.match(after):
            score += 2  # "EMPEROR-Reduced, in adults with …", "SHIELD II top-line results"
        if IN_BEFORE.search(before) and ARM_RESULT_AFTER.match(after):
            score += 2  # label text: "By Week 96 in DRIVE-FORWARD, 2% of adult subjects in the PIFELTRO group …"
        if (LABEL_TRIAL_BEFORE.search(text, max(0, start - 140), start) and LABEL_TRIAL_AFTER.match(after)
                and name not in REGION_CODES and name.lower() not in self.diseases):
            score += 2  # label text: "adverse reactions in patients who received LYNPARZA for PROfound were: …"
        base = re.split(r"[-‐ ]?\d", name)[0]
        if base in self.trial_series or base.upper() in self.trial_series_upper or name.split("-")[0] in self.trial_series:
            score += 1 if not re.search(r"\d", name) else 2
        if name in self.known_trials:
            score += 1
        if name in self.not_trials or base in self.not_trials:
            score -= 3
        if name.lower() in self.diseases:
            score -= 3  # "VHL-associated ccRCC": a disease's short form, not a study's name
        if start > 0 and text[start - 1] == "(" and CLOSE_PAREN_AFTER.match(text, end):  # "(NAME)"
            if self._is_initials(text, start, name):
                score -= 2
            if DISEASE_BEFORE_PAREN.search(text[max(0, start - 40) : start]):
                score -= 3  # "Ebola virus disease (EBOV)": an abbreviation, not a trial
        if CREDENTIAL_BEFORE.search(before):
            score -= 3  # "Steven E. Nissen, M.D., FAHA": a credential
        if BIOMARKER_BEFORE.search(before):
            score -= 3  # "patients whose tumors express PD-L1": a biomarker
        return score

    @staticmethod
    def _always_a_study(text: str, name: str) -> bool:
        """A code-shaped name the text uses as a study's ("the KRONOS-101 trial of QRN-6120"): every mention
        has a trial cue after it or a phase cue before it, or two mentions or more do ("the AWARD-11 trial
        … AWARD-11, a phase 3 study … AWARD-11 showed")."""
        starts = _whole_word_starts(text, name)
        cued = [
            bool((TRIAL_CUE_AFTER.match(text[at + len(name) : at + len(name) + 80]) and not PHASE_OF_DRUG_AFTER.match(text, at + len(name)))
                 or NCT_AFTER.match(text[at + len(name) : at + len(name) + 80])
                 or PHASE_CUE_STRICT.search(text[max(0, at - 40) : at]))
            for at in starts
        ]
        named = sum(bool(STUDY_WORD_AFTER.match(text, at + len(name)) or TRIAL_APPOSITION_AFTER.match(text[at + len(name) : at + len(name) + 120]))
                    for at in starts)
        return bool(starts) and (all(cued) or named >= 2)

    @staticmethod
    def _is_initials(text: str, start: int, name: str) -> bool:
        """'Regenerative Medicine Advanced Therapy (RMAT)': the word spells the words before it."""
        words = re.findall(r"[A-Za-z]+", text[max(0, start - 80) : start])
        letters = "".join(w[0] for w in words[-len(name) :]).upper()
        return letters == re.sub(r"[^A-Z]", "", name.upper())

    def _trials(self, text: str, code_starts: set[int], abbreviations: dict[str, Abbreviation]) -> list[Cand]:
        out = []
        always_a_study: dict[str, bool] = {}
        accepted_bases: set[str] = set()
        pending: list[re.Match[str]] = []
        tickers = {t.group(1) for t in re.finditer(r"(?:NASDAQ|Nasdaq|NYSE|TSX|ASX|OTC[A-Z]*)(?:\s\w+)?\s?:\s?([A-Z]{2,6})", text)}
        names = list(TRIAL_WORD_RE.finditer(text))
        products = {m.group("name") for m in names if PRODUCT_AFTER.match(text, m.end("name"))}
        # "the safety of V116 compared to PCV20": the other arm's product, unless the text calls it a study
        products |= {m.group("name") for m in names if COMPARED_BEFORE.search(text, max(0, m.start() - 25), m.start())
                     and not TRIAL_CUE_AFTER.match(text[m.end() : m.end() + 80])}
        # "GY004 is an open-label, randomized Phase 3 trial": the text itself says the name is a study's
        # ("Abstract #TPS2654: A phase Ia/b study of …" numbers an abstract, not a study)
        defined_studies = {m.group("name") for m in names if DEFINED_AS_STUDY.match(text, m.end("name"))
                           and not ABSTRACT_BEFORE.search(text, max(0, m.start() - 20), m.start())
                           and not BIOMARKER_BEFORE.search(text, max(0, m.start() - 30), m.start())}
        defined_studies |= {m.group("name") for m in names if (titled := TITLED_AS_STUDY.match(text, m.end("name")))
                            and not ABSTRACT_BEFORE.search(text, max(0, m.start() - 20), m.start())
                            and not ABSTRACT_NUMBER_SHAPE.fullmatch(m.group("name"))
                            and m.group("name") not in text[titled.end() : titled.end() + 200]}
        defined_studies |= self._about_studies(text)
        for m in STUDIES_PREDICATE.finditer(text):
            listed = STUDIES_NAMES_BEFORE.search(text, max(0, m.start() - STUDIES_NAMES_REACH), m.start())
            if listed:
                defined_studies |= {n.strip() for n in re.split(r",|\band\b|&", listed.group("names")) if n.strip()}
        defined_studies |= {m.group("name") for m in names if STUDY_PARENTHESIS_AFTER.match(text, m.end("name"))
                            and STUDY_PARENTHESIS_BEFORE.search(text, max(0, m.start() - 12), m.start())
                            and m.group("name") not in self.congresses}
        listed_studies = self._listed_studies(text, names)
        planned_studies = {m.group("name") for m in names if (plan := STUDY_PARENTHESIS_PLAN.match(text, m.end("name")))
                           and STUDY_PARENTHESIS_BEFORE.search(text, max(0, m.start() - 12), m.start())
                           and not plan.group("next").startswith(m.group("name")) and m.group("name") not in self.congresses}
        for m in names:
            name = m.group("name")
            if name in planned_studies - defined_studies and re.search(r"\d", name) and name not in products:
                out.append(Cand("TRIAL", m.start(), m.end(), N.trial_norm(name), PRIORITY["TRIAL"]))
                continue  # its series is not thereby studies: "trial (ABC-201) will evaluate ABC-101"
            if name in listed_studies and name not in products:
                out.append(Cand("TRIAL", m.start(), m.end(), N.trial_norm(name), PRIORITY["TRIAL"]))
                accepted_bases.add(series_base(name))
                continue
            if name in defined_studies and re.search(r"\d", name) and name not in products:
                out.append(Cand("TRIAL", m.start(), m.end(), N.trial_norm(name), PRIORITY["TRIAL"]))
                accepted_bases.add(series_base(name))
                continue
            if GLUED_DATE.match(name):
                continue  # "InOctober 2017": a preposition glued to a month by a lost space, not a name
            letters = re.sub(r"[^A-Za-z]", "", name)
            uppers = sum(ch.isupper() for ch in letters)
            coined = (uppers == 2 and re.fullmatch(r"[A-Z]{2}[a-z]{3,}|[A-Z][a-z]{3,}[A-Z]", name)) or (  # ADjoin, OlympiA
                uppers == 1 and re.fullmatch(r"[a-z]{4,}[A-Z]", name))  # monarchE
            if coined and name.lower() in self.english and re.search(r"\b[a-z]+[A-Z]{1,3}[a-z]{2,}", text[m.end() : m.end() + 80]):
                continue  # "DIabetes study of liNAgliptin": a word of a spelled-out acronym, not a name
            if uppers < 3 and not (uppers >= 2 and re.search(r"\d", name)) and not coined:
                continue
            if len(letters) < 3 or (letters.isupper() and len(letters) < 4 and not re.search(r"\d", name)):
                continue
            if name.lower() in self.drug_norms or series_base(name).lower() in self.drug_norms or name.split(" ")[0].lower() in self.drug_norms:
                continue  # "KEYTRUDA", "LENVIMA 24 mg", "the LUMAKRAS XR study": a brand, not a trial
            if re.split(r"[-‐ ]?\d", name)[0] in tickers:
                continue  # "MIRA-55" beside "(Nasdaq: MIRA)" is the company's drug code
            if (name in products and not TRIAL_CUE_AFTER.match(text[m.end() : m.end() + 80])) or ENDPOINT_NAME.match(name) or name in self.congresses or (series_base(name) in self.congresses and re.search(r"(?:19|20)\d\d$", name)):
                continue  # a product the text names as one ("VAQTA is Merck's vaccine"), an endpoint (IDFS), a meeting (IAS 2021)
            score = self._trial_score(text, m.start(), m.end(), name)
            defined = abbreviations.get(name)
            if defined and not TRIAL_LONG_FORM.search(defined.long) and not PURPOSE_LONG_FORM.match(defined.long) and (
                self._long_form_disease(defined.long) or NOT_TRIAL_LONG_FORM_HEAD.search(defined.long)
                or ORGANISATION_WORD.search(defined.long)
            ):
                score -= 3  # "pre-exposure prophylaxis (PrEP)", "National Institute of … (NIAID)": not studies
            if m.start() in code_starts and name not in always_a_study:  # one answer per name: it reads every mention
                always_a_study[name] = self._always_a_study(text, name)
            study = m.start() in code_starts and always_a_study[name]
            if m.start() in code_starts and PHASE_OF_DRUG_AFTER.match(text, m.end()) and TRIAL_CUE_AFTER.match(text[m.end() : m.end() + 80]):
                score -= 2  # "the QRN-612 Phase 1 study": the study of the drug QRN-612, no cue for a study's name
            if m.start() in code_starts and re.fullmatch(r"[A-Z]{2,5}[-‐]?\d{3,}", name) and name.split("-")[0] not in self.trial_series:
                if not study:
                    score -= 1  # "RLS-0071" is shaped like a drug code: a trial needs more than one cue
            if score >= 2:
                # "LEAP-015", "COAST-1": a known trial series' member, whatever its shape (not "ION-363", a code prefix too,
                # nor a name the text describes as a product: "lead candidate EMBER-201 is an oral SERD")
                base = re.split(r"[-‐ ]?\d", name)[0]
                series = (base in self.trial_series and base not in self.code_prefixes and len(base) >= 4
                          and not PRODUCT_WORD_BEFORE.search(text[max(0, m.start() - 30) : m.start()])
                          and not PRODUCT_DESCRIPTION_AFTER.match(text, m.end()))
                priority = PRIORITY["TRIAL"] if score >= 3 or m.start() not in code_starts or study or series else PRIORITY["DRUG_CODE"] - 1
                if priority == PRIORITY["TRIAL"]:  # a name that may yet be a drug code ("VAX-31") makes no siblings trials
                    accepted_bases.add(series_base(name))
                out.append(Cand("TRIAL", m.start(), m.end(), N.trial_norm(name), priority))
            elif series_base(name) != name:
                pending.append(m)
        # news case variants of a known series: "Keynote-024", "Checkmate-227" (domain guide C4)
        for m in TITLE_CASE_SERIES.finditer(text):
            if m.group(1).upper() in self.coined_series_upper and m.group(0) not in self.not_trials:
                out.append(Cand("TRIAL", m.start(), m.end(), N.trial_norm(m.group(0)), PRIORITY["TRIAL"]))
        # a series member seen once as a trial makes its siblings trials: KRONOS-101 → KRONOS-301
        for m in pending:
            name = m.group("name")
            if series_base(name) in accepted_bases and name not in self.not_trials:
                out.append(Cand("TRIAL", m.start(), m.end(), N.trial_norm(name), PRIORITY["TRIAL"]))
        # "BRUIN MCL-321", "BRUIN CLL-314": a series name and a numbered population code name one trial
        out = [dataclasses.replace(c, end=m.end(), norm=N.trial_norm(text[c.start : m.end()]))
               if not re.search(r"\d", text[c.start : c.end]) and (m := SERIES_POPULATION_CODE.match(text, c.end)) else c
               for c in out]
        out += self._listed_with_trials(text, names, out, tickers)
        out += self._coordinated_siblings(text, out)
        # one sense per series: where a member is plainly a study ("the LEAP-002 trial"), a code-shaped
        # sibling ("LEAP-006") is a study too, not a drug code
        studies = {series_base(text[c.start : c.end]) for c in out if c.priority >= PRIORITY["TRIAL"]}
        for cand in out:
            if series_base(text[cand.start : cand.end]) in studies:
                cand.priority = PRIORITY["TRIAL"]
        return out

    @staticmethod
    def _about_studies(text: str) -> set[str]:
        """'About BRAVE-AA1 and BRAVE-AA2' over 'In these double-blind Phase 3 trials, …': an About heading
        whose paragraph opens on the trials it describes names those trials."""
        out: set[str] = set()
        for m in ABOUT_STUDIES.finditer(text):
            out.update(n.strip() for n in re.split(r",|\band\b|&", m.group("names")) if re.search(r"\d", n))
        return out

    @staticmethod
    def _numbered_studies(text: str, codes: list[Cand]) -> list[Cand]:
        """'the V940-001 Phase 3 trial', 'the ONCT-808-101 study', 'V116-001 is a … Phase 1/2 study': a drug code
        with a protocol number, named or defined as a study, is that study's name (one sense per name: each
        mention of it is the trial)."""
        named = set()
        for code in {text[c.start : c.end] for c in codes}:
            at = text.find(code)
            while at != -1:
                m = PROTOCOL_NUMBER_AFTER.match(text, at + len(code))
                if m and (at == 0 or not WORD_CHAR.match(text, at - 1)) and (
                        TRIAL_CUE_AFTER.match(text[m.end() : m.end() + 80]) or DEFINED_AS_STUDY.match(text, m.end())
                        or TITLED_AS_STUDY.match(text, m.end())):
                    named.add(text[at : m.end()])
                at = text.find(code, at + 1)
        return [Cand("TRIAL", at, at + len(name), N.trial_norm(name), PRIORITY["TRIAL"])
                for name in sorted(named) for at in _whole_word_starts(text, name)]

    def _listed_with_trials(self, text: str, names: list[re.Match[str]], trials: list[Cand], tickers: set[str]) -> list[Cand]:
        """'Key studies include KEYNOTE-671, KEYNOTE-091, KEYNOTE-867, KEYLYNK-012 and KEYVIBE-006': a numbered
        name listed beside a study's name is a study's name too, unless a vocabulary knows it as a drug."""
        studies = sorted((c.start, c.end) for c in trials if c.priority >= PRIORITY["TRIAL"])
        if not studies:
            return []
        taken = {c.start for c in trials}
        out: list[Cand] = []
        for pass_ in ("forward", "back"):  # a list grows from each study it holds, both ways
            ordered = names if pass_ == "forward" else names[::-1]
            for m in ordered:
                name = m.group("name")
                lettered = LETTERED_TRIAL_SHAPE.fullmatch(name)
                if m.start() in taken or not (LISTED_TRIAL_SHAPE.fullmatch(name) or lettered) or name.lower() in self.drug_norms:
                    continue
                if re.split(r"[-‐ ]?\d", name)[0] in tickers or name in self.not_trials:
                    continue
                i = bisect.bisect_left(studies, (m.start(), m.end()))
                before = studies[i - 1] if i > 0 else None
                after = studies[i] if i < len(studies) else None
                if lettered:  # "COAST-V, COAST-W and COAST-X trials": a letter names a member only beside its series
                    prefix = lettered.group(1)
                    before = before if before and text[before[0] : before[1]].startswith(prefix) else None
                    after = after if after and text[after[0] : after[1]].startswith(prefix) else None
                if (before and NAME_LIST_GAP.fullmatch(text, before[1], m.start())) or (
                    after and NAME_LIST_GAP.fullmatch(text, m.end(), after[0])
                ):
                    out.append(Cand("TRIAL", m.start(), m.end(), N.trial_norm(name), PRIORITY["TRIAL"]))
                    taken.add(m.start())
                    bisect.insort(studies, (m.start(), m.end()))
        return out

    @staticmethod
    def _coordinated_siblings(text: str, trials: list[Cand]) -> list[Cand]:
        """'KEYNOTE-001, -010 and -024', 'ULTIMATE I & II', 'OASIS-1 and 2': the numbers coordinated after a
        numbered trial name the series' other trials; each is a trial mention of its own (its text is
        the number as written)."""
        out = []
        for trial in trials:
            name = text[trial.start : trial.end]
            base = series_base(name)
            number = name[len(base) :]
            if base == name or not number.strip("-‐ "):
                continue
            roman = bool(re.fullmatch(r"[-‐ ]?(?:" + ROMAN + ")", number))
            sep = number[0] if number[0] in "-‐ " else ""
            at, chain, listed = trial.end, [], False
            while m := SIBLING_AFTER.match(text, at):
                value = m.group("num")
                if roman != bool(re.fullmatch(ROMAN, value)):
                    break
                digits = number.strip("-‐ ")
                if not roman and len(digits) >= 3 and len(value) != len(digits):
                    break  # "KEYNOTE-189 and 4 other studies": not a sibling of a three-digit number
                if QUANTITY_AFTER.match(text, m.end()):
                    break  # "In ADvocate 1, 43 percent of patients": a number of the sentence, not a trial
                listed = listed or not m.group(0).lstrip().startswith(",") or "-" in m.group(0) or "and" in m.group(0) or "or" in m.group(0)
                chain.append(Cand("TRIAL", m.start("num"), m.end("num"), N.trial_norm(base + (sep or "-") + value), trial.priority))
                at = m.end()
            if listed:  # a bare ", 33" is a list only when "and", "or", "&" or a dash says so
                out += chain
        return out

    def _inn_stems(self, text: str) -> list[Cand]:
        out = []
        for m in self.inn_stem.finditer(text):
            word = m.group(0)
            if word.lower() in self.not_drug_names or len(word) < 7:
                continue
            if m.group("word").endswith(WEAK_INN_STEMS) and m.group("word").lower() not in self.drug_names:
                continue  # too many ordinary words end so ("disease-free"); only gazetteer hits count
            if word[0].isupper() and not m.group("word").endswith(CAPITAL_INN_STEMS) and m.group("word").lower() not in self.drug_names:
                continue  # "Halvorsen Genetics": a name, not an antisense drug
            cut = self._glued_word(word)
            if not cut and word[:1] == "s" and text[m.start() - 1 : m.start()] in ("'", "’") and word[1:].lower() in self.drug_norms:
                cut = 1  # "Lilly'spirtobrutinib": a possessive's s the scrape glued to the name
            out.append(Cand("DRUG_NAME", m.start() + cut, m.end(), N.inn_norm(word[cut:]), PRIORITY["DRUG_NAME"] - 2))
        # "reni-cel", "cilta-cel": the short form cell and gene therapies go by; the vocabulary knows the older ones
        for m in SHORT_CELL_NAME.finditer(text):
            if m.group(0).lower() in self.not_drug_names or m.group(1).lower() in self.english:
                continue  # "pre-cel", "non-cel": a word of the language before the suffix
            if re.search(r"cel\s*\(\s*$", text[max(0, m.start() - 12) : m.start()]):
                continue  # "tisagenlecleucel (tisa-cel)": the short form of the name just written, not a second drug
            out.append(Cand("DRUG_NAME", m.start(), m.end(), m.group(0).lower(), PRIORITY["DRUG_NAME"] - 2))
        return out

    def _glued_word(self, word: str) -> int:
        """Where a known drug name starts inside ``word`` after a word of the language a feed glued to it
        ("withdupilumab", "ofabemaciclib": the markup's space lost); 0 when the word is a name of its own."""
        lower = word.lower()
        if lower in self.drug_norms:
            return 0
        for cut in range(2, len(lower) - 5):
            head = lower[:cut]
            if (head in GLUE_WORDS or (cut >= 5 and head.endswith(("ing", "ed")))) and lower[cut:] in self.drug_norms:
                return cut
        return 0

    def _trim_company(self, name: str) -> tuple[int, str]:
        """Drop leading words that cannot start a company name ('Clinical', 'Answer', 'European')."""
        cut = 0
        words = name.split(" ")
        while len(words) > 1 and (
            words[0] in self.not_company_words or COMPANY_LEADING_NOISE.match(words[0] + " ") or words[0].endswith("-based")
            or (len(words) > 2 and self._common_word(words[0]) and not self._common_word(words[1])
                and len(words[1].strip(",.")) > 2)  # not "Spectral AI, Inc." → "AI"
        ):
            cut += len(words[0]) + 1
            words = words[1:]
        bare = [w.rstrip(",.") for w in words]
        if bare and bare[-1] in ("Inc", "Ltd", "Corp", "plc", "AG", "SE", "LLC", "AB", "ASA", "A/S"):
            bare = bare[:-1]  # "Ascentage Pharma Ascentage Pharma, Inc.": the doubled name before its legal form
        half = len(bare) // 2
        if len(bare) >= 4 and len(bare) % 2 == 0 and bare[:half] == bare[half:]:
            cut += len(" ".join(words[:half])) + 1  # "About Ascentage Pharma Ascentage Pharma (NASDAQ: AAPG)": a heading glued on
            words = words[half:]
        if len(words) > 1 and words[0] == words[1]:
            cut += len(words[0]) + 1  # "GeoVax GeoVax Labs": a headline word glued to the name
            words = words[1:]
        return cut, " ".join(words)

    @staticmethod
    def _plausible_company(name: str, *, single_word_ok: bool = False) -> bool:
        words = name.split()
        if not words or (len(words) < 2 and not single_word_ok):
            return False
        if any(w in ("Nasdaq", "NASDAQ", "NYSE", "Market", "Exchange") for w in words):
            return False
        # "Advance Japan's Biotech": a possessive inside a name is a headline fragment
        return not any(re.search(r"['’]s$", w) for w in words[:-1])

    def _common_word(self, word: str) -> bool:
        return word.lower() in self.english and not word.isupper()

    def _companies(self, text: str) -> list[Cand]:
        """Company names: a name with a legal suffix or a ticker is anchored; a bare '<Name> Therapeutics'
        counts when its distinctive words are a proper name, not English ('Supplemental Biologics',
        'Merck Research Laboratories', 'Thoracic Oncology'), or when the document anchors it elsewhere."""
        out = []
        bare: list[Cand] = []
        for m in COMPANY_RE.finditer(text):
            cut, name = self._trim_company(m.group("name"))
            start = m.start("name") + cut
            if not self._plausible_company(name) or COMPANY_CONTINUATION.match(text[m.end() : m.end() + 30]):
                continue
            end = m.end()
            cand = Cand("COMPANY", start, end, N.company_norm(text[start:end]), PRIORITY["COMPANY"])
            (out if m.group("legal") else bare).append(cand)
        for m in TICKER_RE.finditer(text):
            # "Allogene Therapeutics, Inc. (Nasdaq: ALLO)": the name before the ticker
            before = text[max(0, m.start() - 90) : m.start()]
            # a comma only before a legal form ("Acme Pharma, Incorporated"), not after a headline's words: "With Rise In
            # Pancreatic Cancer, Oncotelic Therapeutics (OTCQB: OTLC)"
            nm = re.search(r"(?<![\w/])((?:[A-Z][\w&'’\-]*[ ]+){0,4}[A-Z][\w&'’\-]*(?:,?[ ]+" + N.LEGAL_FORM + r"\.?)?)[ ]*$", before)
            if nm:
                _, name = self._trim_company(nm.group(1).strip())
                name = POSSESSIVE_END.sub("", name)  # "Novo Nordisk’s (NYSE: NVO) Ozempic": the name, not its possessive
                if not self._plausible_company(name, single_word_ok=True) or name.rstrip(",") in self.not_company_words:
                    continue  # "… in Phase 2 Topline Data (NYSE: PTN)": a headline's words before the ticker, not a name
                s = m.start() - len(before) + before.rfind(name)
                if name and s >= 0:
                    out.append(Cand("COMPANY", s, s + len(name), N.company_norm(name), PRIORITY["COMPANY"]))
        for m in LEGAL_NAME_RE.finditer(text):
            cut, name = self._trim_company(m.group("name"))
            words = name.split()
            if (not self._plausible_company(name, single_word_ok=True) or any(self._common_word(w) for w in words) or len(words[0]) < 3
                    or SUFFIX_WORD.fullmatch(words[0])  # "Diagnostics, Inc.": the tail of a longer name
                    or "--" in name or text[max(0, m.start() - 2) : m.start()].strip() == "&"):  # "Merck Sharp & Dohme LLC"
                continue
            start = m.start("name") + cut
            out.append(Cand("COMPANY", start, m.end(), N.company_norm(text[start : m.end()]), PRIORITY["COMPANY"]))
        out += self._issuer_subjects(text, out)
        out += self._camel_partners(text, out)
        anchored = {c.norm for c in out} | self.curated_company_norms
        for cand in bare:
            words = N.company_norm(text[cand.start : cand.end]).split()
            distinctive = words[:-1] or words  # the words before the suffix
            if cand.norm in anchored or not (self._common_word(distinctive[0]) or self._common_word(distinctive[-1])):
                out.append(cand)
        # "Almirall S.A." anchors "Almirall" elsewhere in the document
        taken = {(c.start, c.end) for c in out}
        for norm in sorted({c.norm for c in out if " " not in c.norm and len(c.norm) >= 4 and not self._common_word(c.norm)}):
            for at in _whole_word_starts(text, norm):
                if text[at - 1 : at] != "&" and not any(s <= at < e for s, e in taken):
                    out.append(Cand("COMPANY", at, at + len(norm), norm, PRIORITY["COMPANY"]))
        return out

    def _camel_partners(self, text: str, found: list[Cand]) -> list[Cand]:
        """'Bamlanivimab emerged from the collaboration between Lilly and AbCellera': a camel-case name among a
        collaboration's parties is a company (a coined name, not a word of English), unless the vocabulary
        knows it as a drug, target, trial series or disease."""
        out = []
        for m in PARTNERS_NAMED.finditer(text):
            starts = [m.start("parties")] + [sep.end() for sep in PARTY_SEPARATOR.finditer(text, m.start("parties"), m.end("parties"))]
            for at in starts:  # each party's first word: not "UnitedHealth" in "OptumLabs, the research arm of UnitedHealth"
                party = CAMEL_PARTY.match(text, at)
                if not party or INSTITUTION_WORD.search(party.group(0)):
                    continue
                word = party.group("name")
                # the capitalised words after it are its name's only when they end as a company's name does ("PreCheck
                # Health Services", not "BioNTech To Evaluate")
                end = party.end() if party.group("rest") and PARTY_NAME_END.search(party.group("rest")) else party.end("name")
                if text[end : end + 1] not in ("", " ", ",", ";", ".", ")", "’", "'"):
                    continue  # "BioNTech/Pfizer", "OncoX:" (CAMEL_PARTY already leaves "ClinicalTrials.gov", "BioNTech-made")
                if (any(c.start < end and party.start() < c.end for c in found) or word.lower() in self.drug_norms
                        or self._lookup_target(word) or word in self.trial_series or word.upper() in self.trial_series_upper
                        or N.disease_label(word) in self.diseases):
                    continue
                out.append(Cand("COMPANY", party.start(), end, N.company_norm(text[party.start() : end]), PRIORITY["COMPANY"]))
        return out

    def _issuer_subjects(self, text: str, found: list[Cand]) -> list[Cand]:
        """'Vaxcyte Provides Clinical … Update', 'BioCardia announced today that …': the name a release opens its
        headline or a paragraph with, as the subject of what only a company does (announces, reports,
        appoints, presents), is a company. Not a word of English ('Company Doses …'), a drug the
        vocabulary knows, a short upper-case word (FDA, NIH), or a name with a digit; a product "receives"
        and "achieves", so those verbs are no cue."""
        taken = {(c.start, c.end) for c in found}
        out = []
        for m in ISSUER_SUBJECT.finditer(text):
            name = m.group("name")
            words = name.split()
            if (
                any(ch.isdigit() for ch in name) or not self._plausible_company(name, single_word_ok=True)
                or words[0] in self.not_company_words or COMPANY_LEADING_NOISE.match(words[0] + " ")
                or all(self._common_word(w) for w in words)
                or name.lower() in self.drug_norms or (len(words) == 1 and name.isupper() and len(name) <= 4)  # FDA, NIH: agencies
                or N.disease_label(name) in self.diseases or PERSON_TITLE.search(name)  # "Retinoblastoma Presents …", "… CEO Jane Doe"
                or len(name) < 3 or name.lower() in FUNCTION_WORDS  # "As reported previously"
            ):
                continue
            start = m.start("name")
            if (start, start + len(name)) in taken:
                continue
            # "GeoVax Announces …" beside "GeoVax Labs, Inc.": the short form of the one name found whole
            norm = N.company_norm(name)
            whole = {c.norm for c in found if c.norm.lower().startswith(norm.lower() + " ")}
            out.append(Cand("COMPANY", start, start + len(name), whole.pop() if len(whole) == 1 else norm, PRIORITY["COMPANY"]))
        return out

    def _lookup_target(self, token: str) -> str | None:
        token = token.rstrip(".-")
        # a lower-case lead letter is part of the name ("sGC" is not the alias SGC of another gene)
        upper = token.upper() if not token[:1].islower() or " " in token else token
        latin = N.latin_letters(upper)
        for form in (token, token.replace("‐", "-"), upper, token.replace("-", ""), upper.replace("-", ""), latin, latin.replace("-", "")):
            if form in self.targets:
                return self.targets[form]
        if " " in token:  # multi-word names: "alpha 2-adrenergic receptor" = "alpha-2 adrenergic receptor"
            symbol = self.squashed_targets.get(N.squash(token))
            if symbol:
                return symbol
        cytokine = INTERLEUKIN.fullmatch(token)
        if cytokine:
            name = "IL" + cytokine.group("n") + (cytokine.group("sub") or "").upper()
            return self.targets.get(name) or (None if cytokine.group("sub") else self.targets.get(name + "A"))
        return None

    def _target_norms(self, surface: str) -> list[str]:
        """The symbols one written target names: 'KDR' → [KDR]; 'FGFR1-4' → FGFR1 … FGFR4; 'CDK4/6' → CDK4, CDK6."""
        symbol = self._lookup_target(surface)
        if symbol:
            return [symbol]
        if re.search(r"/p\d{2}$", surface):  # "IL-23/p19" is "IL-23p19"
            return self._target_norms(surface.replace("/p", "p"))
        fusion = FUSION.fullmatch(surface)
        if fusion and all(self._lookup_target(part) for part in fusion.groups()):
            return [surface.upper()]  # "BCR-ABL1": a fusion protein, as written
        m = NUMBERED_MEMBERS.fullmatch(re.sub(r"(?<=[A-Z])\s(?=\d)", "", surface))  # "MEK 1/2" is "MEK1/2"
        if not m:
            return []
        first, rest = int(m.group("first")), m.group("rest")
        if rest.startswith("/"):
            numbers = [first, *(int(n) for n in rest[1:].split("/"))]
        else:
            last = int(rest[1:])
            numbers = list(range(first, last + 1)) if first < last <= first + 6 else []
        norms = [self._lookup_target(m.group("base") + str(n)) for n in numbers]
        return [n for n in norms if n] if norms and norms[0] else []

    def _targets(self, text: str) -> list[Cand]:
        out: list[Cand] = []
        seen: set[tuple[int, int]] = set()

        def add(start: int, surface: str) -> None:
            surface = surface.rstrip(".-+")
            norms = self._target_norms(surface)
            symbol, also = (norms[0], tuple(norms[1:])) if norms else (None, ())
            variant = None
            glued = re.fullmatch(r"([A-Z][A-Z0-9]+?)([A-Z]\d{1,4}[A-Z])", surface)  # KRASG12C
            if symbol is None and glued and self._lookup_target(glued.group(1)):
                surface, variant = glued.group(1), glued.group(2)
                symbol = self._lookup_target(surface)
            if symbol is None or (start, start + len(surface)) in seen or DRUG_HANDLING_GENES.match(symbol):
                return
            end = start + len(surface)
            if LIGAND_AFTER.match(text, end) and TARGETING_VERB_BEFORE.search(text, max(0, start - 25), start):
                return  # "engineered to target NKG2D ligands": the ligands are the target, not NKG2D
            vm = None if variant else VARIANT_RE.match(text[end : end + 12])
            if vm:
                variant = vm.group("v")
            seen.add((start, end))
            out.append(Cand("TARGET", start, end, symbol, PRIORITY["TARGET"], variant, also=also))

        masked = mask_clauses(text)
        listed = mask_clauses(text, keep_lists=True)
        families = list(FAMILY_LIST_TARGETS.finditer(listed))
        for m in (*VERB_OBJECT_TARGETS.finditer(masked), *families, *BRACKETED_TARGETS.finditer(masked)):
            add(m.start("t"), m.group("t"))
            base = m.start("list")
            for t in LIST_TOKEN.finditer(m.group("list")):
                add(base + t.start(), t.group(0))
        for m in families:
            out += self._list_continuation(listed, m.end(), seen, add)
        for m in INTERLEUKIN_NAME.finditer(masked):
            clause = re.split(r"[.;:]", masked[max(0, m.start() - 80) : m.start()])[-1]
            if TARGETING_VERB_RE.search(clause) or CYTOKINE_CLASS_AFTER.match(masked, m.end()):
                add(m.start(), m.group(0))
        out += self._receptor_targets(masked, seen)
        out += self._descriptive_targets(masked, seen)
        for pattern in TARGET_CUES:
            for m in pattern.finditer(masked):
                if OTHERS_UNNAMED_CLASS_BEFORE.search(masked, max(0, m.start() - 40), m.start()) and not NAMED_AFTER_CLASS.match(masked, m.end()):
                    continue  # "with their respective PD-L1 and PD-1 medicines": drugs the document does not name
                for group in ("t", "t2"):
                    if m.groupdict().get(group):
                        add(m.start(group), m.group(group))
        for m in RECEPTOR_CLASS.finditer(masked) if RECEPTOR_CLASS_ANCHOR.search(masked) else ():
            # "an alpha-2 adrenergic receptor agonist", "a mineralocorticoid receptor antagonist"
            name, start = m.group("name"), m.start("name")
            while name.split(" ", 1)[0].lower() in FUNCTION_WORDS and " " in name:
                first = name.split(" ", 1)[0]
                name, start = name[len(first) + 1 :], start + len(first) + 1
            words = name.lower().split()
            if words[0] in GENERIC_LEAD or words[0] in FUNCTION_WORDS or (len(words) < 2 and not IMPLIED_RECEPTOR.search(name)):
                continue
            end = start + len(name)
            if IMPLIED_RECEPTOR.search(name) and "receptor" not in name:
                name = name + " receptor"  # "alpha 2-adrenergic agonist": the receptor is implied
            if (start, end) in seen or any(c.start <= start < c.end for c in out):
                continue
            symbol = self._lookup_target(name) or self.targets.get(name.lower())
            if symbol is None:
                previous = re.search(r"([A-Za-z][\w\-]*)\s+$", masked[max(0, start - 30) : start])
                if previous and previous.group(1).islower() and previous.group(1) not in FUNCTION_WORDS:
                    continue  # "vascular | endothelial growth factor receptor": a fragment of a longer name
                # "a well-established glucagon-like peptide-1 receptor agonist", "a first-in-class oral orexin receptor
                # antagonist": the drug's description leads; the receptor's name is the shortest known ending, else
                # what follows the describing words
                named, start = self._receptor_ending(name, start)
                symbol = self._lookup_target(named) or named.lower()
                name = named
            seen.add((start, end))
            out.append(Cand("TARGET", start, end, symbol, PRIORITY["TARGET"] - 1))
        if self.multi_targets is not None:
            for m in self.multi_targets.finditer(text):
                if re.match(r"\s+receptors?\b", text[m.end() : m.end() + 12], re.I):
                    continue  # "vascular endothelial growth factor receptor inhibitor": the receptor, not the ligand
                window = text[max(0, m.start() - 40) : m.end() + 60]
                if re.search(r"(?i)target|directed|anti-|inhibit|antagon|agonist|degrad|bispecific|engager|CAR|\bbind", window):
                    add(m.start(), m.group(0))
        return out

    def _list_continuation(self, text: str, end: int, seen: set[tuple[int, int]], add) -> list[Cand]:
        """Items of a target list after its first run of symbols: more symbols, and proteins by their
        written names ('…, the platelet derived growth factor receptor alpha, KIT, and RET')."""
        out = []
        while m := LIST_CONTINUATION.match(text, end):
            item, start = m.group("item"), m.start("item")
            end = m.end()
            if re.fullmatch(TARGET_TOKEN, item):
                add(start, item)
                continue
            if item.startswith("the "):
                item, start = item[4:], start + 4
            symbol = self.squashed_targets.get(N.squash(item)) if len(item.split()) >= 2 else None
            if symbol and (start, start + len(item)) not in seen:
                seen.add((start, start + len(item)))
                out.append(Cand("TARGET", start, start + len(item), symbol, PRIORITY["TARGET"]))
        return out

    def _receptor_ending(self, name: str, start: int) -> tuple[str, int]:
        """(name, start) of the receptor a longer phrase ends in: a known name, else the words after the leading
        description ("first-in-class oral orexin receptor" → "orexin receptor")."""
        words = name.split(" ")
        for k in range(1, len(words) - 1):
            ending = " ".join(words[k:])
            if self._lookup_target(ending):
                return ending, start + len(name) - len(ending)
        k = 0
        while k < len(words) - 2 and (words[k].lower() in RECEPTOR_DESCRIPTION or words[k].lower().endswith("-in-class")):
            k += 1
        ending = " ".join(words[k:])
        return ending, start + len(name) - len(ending)

    def _receptor_name(self, ligand: str) -> str | None:
        """'GLP-1' → GLP1R, 'glucagon' → GCGR (HGNC names), 'FGF21' → 'FGF21 receptor' (as written), 'the' → None."""
        symbol = self._lookup_target(ligand + " receptor") or self._lookup_target(ligand + "R") or self._lookup_target(ligand + "-R")
        if symbol:
            return symbol
        own = self._lookup_target(ligand)
        if own and (ligand.endswith("R") or own in self.receptor_symbols):
            return own  # "A3AR receptor", "TIGIT receptor": the token already names the receptor
        if re.fullmatch(TARGET_TOKEN, ligand) and (self._lookup_target(ligand) or re.search(r"\d", ligand)):
            return f"{ligand} receptor"
        return None

    def _receptor_targets(self, text: str, seen: set[tuple[int, int]]) -> list[Cand]:
        """A drug acting on a receptor: the receptor is the target ('GIP/GLP-1 receptor agonist' → GIPR, GLP1R)."""
        out = []
        if not RECEPTOR_WORD.search(text):
            return out
        for m in RECEPTOR_PHRASE.finditer(text):
            if not m.group("role") and not RECEPTOR_VERB_BEFORE.search(text[max(0, m.start() - 100) : m.start()]):
                continue  # a receptor named, not acted on
            offset = m.start("list")
            parts = LIGAND_SPLIT.split(m.group("list"))
            receptor_end = m.end() - len(m.group("role") or "")
            for k, part in enumerate(parts):
                start = text.index(part, offset)
                offset = start + len(part)
                end = receptor_end if k == len(parts) - 1 else offset  # the last ligand carries the word "receptor"
                norm = self._receptor_name(part)
                if norm is None or (start, end) in seen:
                    continue
                seen.add((start, end))
                out.append(Cand("TARGET", start, end, norm, PRIORITY["DRUG_NAME"] + 5))
        return out

    def _descriptive_targets(self, text: str, seen: set[tuple[int, int]]) -> list[Cand]:
        """'inhibits sphingosine kinase 2' → SPHK2; 'blocks the viral terminase complex' → kept as written."""
        out = []
        if not PROTEIN_HEAD_RE.search(text):
            return out
        for m in DESCRIPTIVE_TARGET.finditer(text):
            phrase, start = m.group("t"), m.start("t")
            verbs = list(TARGETING_VERB_RE.finditer(phrase))
            if verbs:  # "neutralizing antibody directed against the spike protein": the last verb's object
                inner = verbs[-1]
                cut = inner.end() + len(phrase[inner.end() :]) - len(phrase[inner.end() :].lstrip())
                phrase, start = phrase[cut:], start + cut
            while phrase.split(" ", 1)[0].lower() in FUNCTION_WORDS and " " in phrase:
                first = phrase.split(" ", 1)[0]
                phrase, start = phrase[len(first) + 1 :], start + len(first) + 1
            if len(phrase.split()) < 2 and not NON_HUMAN_TARGET.search(phrase):
                continue  # "inhibits kinase": too vague
            if (start, start + len(phrase)) in seen or any(a <= start < b for a, b in seen):
                continue
            symbol = self._lookup_target(phrase)
            if symbol is None and not NON_HUMAN_TARGET.search(phrase):
                continue
            seen.add((start, start + len(phrase)))
            pathogen = re.search(r"(?i)" + PATHOGEN_PROTEIN + r"$", phrase)
            norm = symbol or (re.sub(r"(?i)\s+(?:glyco)?protein$", " protein", pathogen.group(0)) if pathogen else phrase).lower()
            out.append(Cand("TARGET", start, start + len(phrase), norm, PRIORITY["DRUG_NAME"] + 5))
        return out

    def _brands_in_apposition(self, text: str, cands: list[Cand]) -> list[Cand]:
        """'BRIUMVI® (ublituximab)', 'ublituximab (BRIUMVI)': a product name beside a drug's INN is its brand,
        and so is every other mention of that name the trial finder took for a study's ("DELSTRIGO in people
        living with HIV" reads like "EMPEROR-Reduced, in adults with …")."""
        # a trial candidate may stand where a brand does, unless its name looks like a study's (a number, a known series)
        taken = [(c.start, c.end) for c in cands if c.label != "TRIAL" or not self._brand_shaped(text[c.start : c.end])]
        out = []
        spreadable: set[tuple[int, int]] = set()  # brands said before their ingredients, or written in capitals
        for drug in (c for c in cands if c.label == "DRUG_NAME"):
            before = BRAND_BEFORE.search(text[max(0, drug.start - 40) : drug.start])
            after = BRAND_AFTER.match(text[drug.end : drug.end + 40])
            stated = BRAND_STATED.search(text[max(0, drug.start - 80) : drug.start])
            if stated and COMBINATION_AFTER.match(text, drug.end):
                stated = None  # "ACMEVY is the brand name for sitagliptin and metformin": a combination's, not one drug's
            for m, base in ((before, max(0, drug.start - 40)), (after, drug.end), (stated, max(0, drug.start - 80))):
                if not m:
                    continue
                start, end = base + m.start("brand"), base + m.end("brand")
                brand = m.group("brand")
                if self._common_word(brand) or any(a < end and start < b for a, b in taken) or brand.lower() == drug.norm:
                    continue
                if series_base(brand) in self.trial_series or brand in self.known_trials:
                    continue  # "the KEYNOTE-189 (pembrolizumab plus chemotherapy) trial": the study of that drug
                if brand in self.targets and (re.search(r"\d", brand) or brand.isupper()):
                    continue  # "Imsidolimab (IL-36R)": the drug's target in parentheses, not another name of it
                out.append(Cand("DRUG_NAME", start, end, drug.norm, PRIORITY["DRUG_NAME"]))
                if m is not after or brand.isupper():
                    spreadable.add((start, end))
        brands = {text[c.start : c.end]: c.norm for c in out if self._brand_shaped(text[c.start : c.end])}
        for cand in cands:
            if cand.label == "TRIAL" and text[cand.start : cand.end] in brands:
                cand.label, cand.norm, cand.priority = "DRUG_NAME", brands[text[cand.start : cand.end]], PRIORITY["TRIAL"]
        # the brand is the product wherever else the document names it: "RECARBRIO (imipenem, cilastatin, and
        # relebactam)" in the headline, "Recarbrio was initially approved … in July 2019" in the body; not a name in
        # parentheses after a drug that may be its partner company ("pembrolizumab (Vantis)"), nor an English word
        # ("PLUS" of "BRAVECTO PLUS")
        spread = {text[c.start : c.end].lower(): c.norm for c in out
                  if (c.start, c.end) in spreadable and text[c.start : c.end] in brands and text[c.start : c.end].lower() not in self.english}
        if spread:
            seen = {(c.start, c.end) for c in out}
            every = [(c.start, c.end) for c in cands] + sorted(seen)
            names = "|".join(re.escape(b) for b in sorted(spread, key=len, reverse=True))
            for m in re.finditer(r"(?i)(?<![\w\-])(?:" + names + r")(?![\w\-])", text):
                if (m.start(), m.end()) not in seen and not any(a < m.end() and m.start() < b for a, b in every):
                    out.append(Cand("DRUG_NAME", m.start(), m.end(), spread[m.group(0).lower()], PRIORITY["DRUG_NAME"]))
        return out

    def _brand_shaped(self, name: str) -> bool:
        """A name that may be a product's rather than a study's: no digit, no known trial or series."""
        return not re.search(r"\d", name) and name not in self.known_trials and series_base(name) not in self.trial_series

    def _products_described(self, text: str, cands: list[Cand]) -> list[Cand]:
        """A name no vocabulary knows that the text itself describes as a product: "RYONCIL, a mesenchymal
        stromal cell therapy", "Natrunix as a new treatment for arthritis". Every mention of it counts
        (norm: the name in lower case); words of the language, and names already something else, never."""
        taken = [(c.start, c.end) for c in cands]
        names: set[str] = set()
        for m in (*PRODUCT_DESCRIBED.finditer(text), *PRODUCT_PARENTHESISED.finditer(text), *PRODUCT_IN_USE.finditer(text),
                  *PRODUCT_NAMED_AFTER.finditer(text)):
            name = m.group("name")
            if self._common_word(name) or name.lower() in self.english or any(a < m.end("name") and m.start("name") < b for a, b in taken):
                continue
            rest = re.split(r"[,.;:()]", text[m.end() : m.end() + 40], maxsplit=1)[0]
            if MAKER_WORDS.search(m.group(0) + rest):
                continue  # "Mesoblast, a leader in cell therapy": a company described by what it makes
            names.add(name)
        companies = {text[c.start : c.end] for c in cands if c.label == "COMPANY"}
        names = {n for n in names if not any(n in company for company in companies)}
        if not names:
            return []
        pattern = re.compile(r"(?<![\w\-])(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?:®|™)?(?![\w\-])")
        # a name the vocabulary knows keeps its norm there ("Trulicity" is dulaglutide wherever it is found)
        return [Cand("DRUG_NAME", m.start(), m.start() + len(m.group(0).rstrip("®™")),
                     self.drug_norms.get(m.group(0).rstrip("®™").lower(), m.group(0).rstrip("®™").lower()), PRIORITY["DRUG_NAME"] - 1)
                for m in pattern.finditer(text)
                if not any(a < m.end() and m.start() < b for a, b in taken)]

    def _premodifier_targets(self, text: str, cands: list[Cand]) -> list[Cand]:
        """'GLP-1/GIP tirzepatide', 'MC4R bremelanotide': target symbols written just before a drug."""
        out = []
        for drug in (c for c in cands if c.label in ("DRUG_NAME", "DRUG_CODE")):
            window_start = max(0, drug.start - 30)
            m = re.search(r"(?<![\w\-])(" + TARGET_TOKEN + r")(?:\s?/\s?(" + TARGET_TOKEN + r"))? $", text[window_start : drug.start])
            if not m:
                continue
            for group in (1, 2):
                surface = m.group(group)
                symbol = self._lookup_target(surface) if surface else None
                if symbol:
                    start = window_start + m.start(group)
                    out.append(Cand("TARGET", start, start + len(surface), symbol, PRIORITY["TARGET"]))
        return out

    # -- abbreviations ("long form (SF)") -----------------------------------------------------
    def _abbreviations(self, text: str, cands: list[Cand], abbreviations: dict[str, Abbreviation]) -> list[Cand]:
        """A definition decides what a short form means in this document, over any gazetteer.

        A short form defined by a disease's name is that disease wherever it stands, and the long form
        is one indication with the norm its own words give ("Pulmonary Arterial Hypertension (PAH)" is
        not "hypertension"). A short form defined by a drug's name is that drug ("efruxifermin (EFX)").
        A short form defined as anything else is not a disease or a target there.
        """
        if not abbreviations:
            return cands
        out: list[Cand] = []
        extra: list[Cand] = []
        disease_of: dict[str, str] = {}
        for abbr in abbreviations.values():
            norm = self._long_form_disease(abbr.long)
            if norm is None or self._targeted_gene(text, abbr):
                continue  # "targeting Kirsten rat sarcoma (KRAS)": what a drug targets is a gene, whatever it is named after
            if _names_meeting(text, abbr):
                continue  # "the Clinical Trials on Alzheimer's Disease (CTAD) Conference": a meeting's name, not a disease
            disease_of[abbr.short] = norm
            extra.append(Cand("INDICATION", abbr.long_start, abbr.long_end, norm, PRIORITY["INDICATION"] + 1))
            for hit in re.finditer(r"(?<![\w\-])" + re.escape(abbr.short) + r"(?![\w\-])", text):
                extra.append(Cand("INDICATION", hit.start(), hit.end(), norm, PRIORITY["INDICATION"]))
        drugs = {(c.start, c.end): c.norm for c in cands if c.label == "DRUG_NAME"}
        for abbr in abbreviations.values():
            drug = drugs.get((abbr.long_start, abbr.long_end))
            if drug is None or abbr.short in disease_of or len(abbr.short) < 2:
                continue  # "efruxifermin (EFX)": the short form is that drug wherever it stands
            for hit in re.finditer(r"(?<![\w\-])" + re.escape(abbr.short) + r"(?![\w\-])", text):
                extra.append(Cand("DRUG_NAME", hit.start(), hit.end(), drug, PRIORITY["DRUG_NAME"] + 1))
        for cand in cands:
            surface = text[cand.start : cand.end]
            defined = abbreviations.get(surface)
            if defined is not None:
                if cand.label == "INDICATION" and surface not in disease_of:
                    continue  # defined as something other than a disease
                if (
                    cand.label == "TARGET" and self._lookup_target(defined.long) != cand.norm and not self._names_protein(defined.long)
                    and not self._targeted_gene(text, defined)
                ):
                    continue  # "CTCL" defined as a lymphoma is not the gene alias CTCL
            out.append(cand)
        return out + extra

    def _targeted_gene(self, text: str, abbr: Abbreviation) -> bool:
        """'targeting Kirsten rat sarcoma (KRAS)': a gene symbol whose long form follows a targeting verb and
        is no disease's name ('targets cutaneous T-cell lymphoma (CTCL)' is a disease)."""
        return (
            N.squash(abbr.long) not in self.squashed_diseases
            and bool(TARGETED_BEFORE.search(text[max(0, abbr.long_start - 40) : abbr.long_start]))
        )

    def _names_protein(self, long: str) -> bool:
        """'programmed death-ligand 1', 'B-cell maturation antigen': a long form that reads as a protein."""
        return bool(PROTEIN_LONG_FORM.search(long)) and self._long_form_disease(long) is None

    def _long_form_disease(self, long: str) -> str | None:
        """The norm of a long form that names a disease, or None."""
        if ORGANISATION_WORD.search(long) or PURPOSE_LONG_FORM.match(long):
            return None  # "Society for Immunotherapy of Cancer (SITC)": a society; "PrEvention of … Influenza A": a study
        low = re.sub(r"\s+", " ", long.lower().replace("’", "'")).strip()
        if low in self.diseases:
            return self._disease_norm(low)
        words = low.split()
        if not words or words[0] in GENERIC_LEAD or words[0] in POPULATION_WORDS or len(words) > 8:
            return None
        ends_as_disease = ENDS_IN_DISEASE_HEAD.search(low) or any(" ".join(words[-k:]) in self.diseases for k in (1, 2, 3))
        if ends_as_disease:
            return self._disease_norm(low)
        # "heart failure with preserved ejection fraction (HFpEF)": a disease and the subtype that narrows it
        subtype = re.match(r"(?P<d>.+?) (?:with|without) \S", low)
        if subtype and (subtype.group("d") in self.diseases or ENDS_IN_DISEASE_HEAD.search(subtype.group("d"))):
            return low
        return None

    # -- resolution ----------------------------------------------------------------------------
    @staticmethod
    def _resolve(cands: list[Cand]) -> list[Cand]:
        """Keep the best of overlapping candidates (priority, then length), in one sort and a
        bisect per candidate over the kept spans, which never overlap one another."""
        ordered = sorted(cands, key=lambda c: (-c.priority, -(c.end - c.start), c.start))
        starts: list[int] = []
        kept: list[Cand] = []  # sorted by start, parallel to ``starts``
        for cand in ordered:
            i = bisect.bisect_left(starts, cand.start)
            if i < len(kept) and kept[i].start < cand.end:
                continue  # a kept span starts inside this one
            if i > 0 and kept[i - 1].end > cand.start:
                continue  # the kept span before reaches into this one
            starts.insert(i, cand.start)
            kept.insert(i, cand)
        return kept

    def _propagate_trials(self, text: str, cands: list[Cand]) -> list[Cand]:
        """One sense per document: every other mention of an accepted trial name is a trial."""
        # a coordinated sibling's surface ("-010", "II") names the trial only where it stands
        names = {text[c.start : c.end]: c.norm for c in cands if c.label == "TRIAL" and not SIBLING_NUMBER.fullmatch(text[c.start : c.end])}
        if not names:
            return cands
        pattern = re.compile(r"(?<![\w\-])(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?![\w\-])")
        extra = [Cand("TRIAL", m.start(), m.end(), names[m.group(0)], PRIORITY["TRIAL"]) for m in pattern.finditer(text)]
        return self._resolve(cands + extra)

    def _propagate_defined(self, text: str, cands: list[Cand]) -> list[Cand]:
        """Codes and targets found once are found everywhere in the document."""
        extra = []
        for label in ("DRUG_CODE",):
            names = {text[c.start : c.end]: c.norm for c in cands if c.label == label}
            if not names:
                continue
            pattern = re.compile(r"(?<![\w\-])(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?![\w\-])")
            extra += [Cand(label, m.start(), m.end(), names[m.group(0)], PRIORITY[label]) for m in pattern.finditer(text)]
        resolved = self._resolve(cands + extra) if extra else cands
        # one spelling per code in a document: the first the text uses ("AMG 510" … "AMG-510")
        spelling: dict[str, str] = {}
        for cand in resolved:
            if cand.label == "DRUG_CODE":
                cand.norm = spelling.setdefault(N.code_key(cand.norm), cand.norm)
        return resolved

    def _implicit_initials(self, text: str, cands: list[Cand], abbreviations: dict[str, Abbreviation]) -> list[Cand]:
        """A disease's initials stand for it where the text never defines them (a definition lost in scraping,
        or never written): with "severe alopecia areata" in the document, "patients with severe AA" names it.

        The initials (IMPLICIT_INITIALS) of a disease written as its own norm ("Alopecia Areata", not "advanced
        solid tumors" → solid tumor), of two or more words, that no other disease of the document shares ("AD"
        with atopic dermatitis and Alzheimer's disease named, "BC" with bladder and breast cancer; not one
        disease and its subtype, "castration-resistant prostate cancer" in "metastatic CRPC") and no
        definition gives another meaning. Not where the same letters mean something else: a degree ("Jane Smith,
        MS"), a dateline ("VANCOUVER, BC"), a ticker, "PK and PD", an agency acting ("The EC approved"), a proper
        name ("UC San Diego", "the CLL Society"), a heading in capitals, a short form joined to other words
        ("BRAVE-AA", "AD/PD"; "AS/radiographic axSpA" is read).
        """
        norms: dict[str, set[str]] = {}
        own: dict[str, str] = {}  # initials -> the disease written as its own norm that they may stand for
        for cand in cands:
            if cand.label != "INDICATION":
                continue
            surface = text[cand.start : cand.end].strip()
            words = INITIALS_SPLIT.split(surface.replace("’", "'"))
            if " ".join(w.lower() for w in words) == " ".join(INITIALS_SPLIT.split(cand.norm)) and len(words) >= 2:
                own["".join(w[0] for w in words).upper()] = cand.norm
            lead = STAGE_WORDS.match(surface)  # "metastatic thyroid cancer" is no MTC: its leading stage words are no name's
            named = INITIALS_SPLIT.split(surface[lead.end() :] if lead else surface)
            if len(named) >= 2:
                norms.setdefault("".join(w[0] for w in named).upper(), set()).add(cand.norm)
        unique = {
            short: norm for short, norm in own.items()
            if all(_same_disease(other, norm) for other in norms.get(short, ()))
            and IMPLICIT_INITIALS.fullmatch(short) and short not in abbreviations and short not in NOT_INITIALS
        }
        if not unique:
            return cands
        taken = [(c.start, c.end) for c in cands]
        extra = []
        pattern = re.compile(r"(?<![\w\-‐/+])(?:" + "|".join(sorted(unique, key=len, reverse=True)) + r")(?![\w\-‐+])(?!/[A-Z0-9])")
        for m in pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue  # already a fact of some kind
            if CAPITALISED_AROUND.search(text[max(0, m.start() - 12) : m.start()]) or CAPITALISED_AFTER.match(text, m.end()):
                continue  # "RA PATIENTS TREATED …", "UC San Diego": a heading in capitals or a proper name
            if OTHER_INITIALS_BEFORE.search(text[max(0, m.start() - 30) : m.start()]) or OTHER_INITIALS_AFTER.match(text, m.end()):
                continue  # "safety, PK and PD", "said Jane Smith, MS", "(Nasdaq: AA)", "The EC approved": another meaning
            extra.append(Cand("INDICATION", m.start(), m.end(), unique[m.group(0)], PRIORITY["INDICATION"]))
        return sorted(cands + extra, key=lambda c: (c.start, c.end)) if extra else cands


@Language.factory("biotech_entities", default_config={"rules_dir": None})
def make_entity_finder(nlp: Language, name: str, rules_dir: str | None) -> EntityFinder:
    from .rules import load_rules_cached

    return EntityFinder(load_rules_cached(rules_dir), nlp)


#: Words beside a code-shaped name that make it a product, not a study: "lead candidate EMBER-201", "GLOW-301 is an
#: oral therapy".
PRODUCT_WORD_BEFORE = re.compile(r"(?i)\b(?:candidates?|compounds?|molecules?)\s+$")
PRODUCT_DESCRIPTION_AFTER = re.compile(
    r"(?i)\s*,?\s+(?:is|was)\s+an?\s+(?:[\w\-]+\s+){0,3}?"
    r"(?:therapy|inhibitor|agonist|antagonist|antibody|SERD|degrader|vaccine|drug|medicine|treatment|molecule|compound)\b"
)


def _same_disease(one: str, other: str) -> bool:
    """Two norms of one disease for its initials: one names the other's subtype ("castration-resistant prostate cancer",
    "metastatic castration-resistant prostate cancer") or they differ in cancer/carcinoma only."""
    one, other = (re.sub(r"\bcarcinoma\b", "cancer", n) for n in (one, other))
    return one in other or other in one


#: A possessive at a name's end: "Novo Nordisk’s", "Cardiol Therapeutics’".
POSSESSIVE_END = re.compile(r"['’]s?$")
#: A study's title word opening a line, a table cell or a sentence just before its name: "| Study EV-103 Cohort K:",
#: "Study A4091059 was …" (not a headline's "Initiates Pivotal Trial ACM-101" nor a heading run into its paragraph,
#: "About the Study ACM-101 is …").
STUDY_TITLE_BEFORE = re.compile(r"(?:^|[\n|]|\*\*|[.:;]\s)\s*(?:Study|Trial) $")
#: What joins a study's two names: "EV-302/KEYNOTE-A39", "EV-303 / KEYNOTE-905".
JOINT_NAME_GAP = re.compile(r"[ \t]*/[ \t]*")


def _joint_study_names(text: str, cands: list[Cand]) -> list[Cand]:
    """A code-shaped name joined by a slash to a trial's name is the same study's other name, not a drug:
    "EV-302/KEYNOTE-A39" (the sponsor's and the partner's numbers for one trial); so is one titled as a study
    ("Study EV-103 Cohort K", "Study A4091059 was …"). One sense per name: every other mention of it in the
    document is that study too ("the Phase 1b/2 EV-103 clinical trial")."""
    ordered = sorted(cands, key=lambda c: c.start)
    studies: set[str] = set()
    for left, right in zip(ordered, ordered[1:]):
        if not JOINT_NAME_GAP.fullmatch(text, left.end, right.start):
            continue
        for code, trial in ((left, right), (right, left)):
            if code.label == "DRUG_CODE" and trial.label == "TRIAL":
                studies.add(text[code.start : code.end])
    studies |= {text[c.start : c.end] for c in ordered if c.label == "DRUG_CODE" and STUDY_TITLE_BEFORE.search(text, max(0, c.start - 12), c.start)}
    for code in ordered:
        if code.label == "DRUG_CODE" and text[code.start : code.end] in studies:
            code.label, code.norm, code.priority = "TRIAL", N.trial_norm(text[code.start : code.end]), PRIORITY["TRIAL"]
    return cands


def _plain_word(word: str) -> bool:
    """A word in lower or Title Case ("gastric", "Esophageal"), not a short form ("PsA", "MSI-H", "GEJ")."""
    return word.islower() or (word[:1].isupper() and word[1:].islower())


def _names_meeting(text: str, abbr: Abbreviation) -> bool:
    """A long form that names a meeting, numbered before or headed after ("… (CTAD) Conference")."""
    return bool(MEETING_AFTER.match(text, abbr.short_start + len(abbr.short))
                or ORDINAL_BEFORE.search(text, max(0, abbr.long_start - 20), abbr.long_start))
