"""The cleaning heuristics as named data: tags, class/id tokens, templates, headings, thresholds.

Data only: :mod:`extractor.clean` holds every function. Adding a boilerplate class, a section
heading or a publisher template is a one-line change here. Tokens are lower case; a *class/id
token* matches when it occurs inside one lower-cased class name or id (substring), a *word*
only when it is a whole class name or id. Thresholds carry their reason inline.
"""

from __future__ import annotations

import re

# ── 1. Raw-HTML shrinking (regular expressions run before any tree is built) ────────────────

#: Elements cut out of the raw HTML with their content before parsing (never hold article text).
STRIP_ELEMENTS = (
    "script", "style", "svg", "noscript", "template", "iframe", "head", "select", "button",
    "textarea", "object", "video", "audio", "canvas", "map", "math", "dialog",
)  # fmt: skip

#: Elements cut out with their content when they hold no more than MAX_CUT_SHARE of the page's
#: characters: site navigation, page header and footer, sidebars. (A page that wraps its whole
#: article in <header> or <aside> keeps it.)
CUT_ELEMENTS = ("nav", "footer", "aside", "header", "form", "menu")
MAX_CUT_SHARE = 0.45  # a <nav>/<footer>/… larger than this share of the page is a wrapper, not chrome

#: Empty (void) elements, never closed.
VOID_ELEMENTS = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()
)

# ── 2. Tree pruning ─────────────────────────────────────────────────────────────────────────

#: Elements dropped with their content wherever they appear in the article container.
DROP_TAGS = frozenset(
    {
        "script", "style", "svg", "noscript", "template", "iframe", "head", "select", "button",
        "textarea", "object", "video", "audio", "canvas", "map", "math", "dialog", "nav", "aside",
        "footer", "input", "label", "fieldset", "img", "picture", "figure", "menu", "embed",
    }
)  # fmt: skip

#: Class/id substrings of boilerplate blocks: navigation, sharing, consent, adverts, promotion,
#: related content, comments, newsletter sign-up, bylines, tags.
BOILERPLATE_TOKENS = (
    # navigation and page chrome
    "navbar", "navigation", "menu", "breadcrumb", "masthead", "skip-link", "skiplink", "pagination",
    "pager", "site-header", "site-footer", "page-footer", "page-header", "global-header", "topbar",
    "footer", "sidebar", "side-bar", "toolbar", "drawer", "offcanvas", "off-canvas",
    # sharing and social
    "share", "sharing", "social", "sociable", "addthis", "follow-us", "followus",
    # consent, cookies, overlays
    "cookie", "consent", "gdpr", "onetrust", "cmp-", "popup", "pop-up", "modal", "overlay", "lightbox",
    "paywall", "regwall", "interstitial", "notification",
    # adverts, sponsors, promotion
    "advert", "sponsor", "promo", "dfp-", "gpt-", "adslot", "ad-slot", "ad-unit", "adunit", "ad-container",
    "ad-wrapper", "adwrapper", "-ad-", "outbrain", "taboola", "zergnet", "revcontent",
    "commercial", "affiliate", "shopping", "marketing", "teaser",
    # related / recommended / more
    "related", "recommend", "more-stories", "more-news", "morenews", "more-from", "read-more",
    "readmore", "read-next", "readnext", "up-next", "upnext", "trending", "popular", "most-read",
    "mostread", "most-viewed", "mostviewed", "latest-news", "latest-stories", "recirc", "jumplink",
    "video-list", "videolist", "recent-videos", "playlist", "carousel", "slider", "tickers",
    # comments and community
    "comment", "disqus", "discussion", "respond", "reply", "reactions", "vote",
    # newsletter and sign-up
    "newsletter", "subscribe", "subscription", "signup", "sign-up", "registration", "login",
    # metadata around the article
    "byline", "author-bio", "authorbio", "author-info", "author-box", "about-author", "dateline-",
    "tag-list", "taglist", "tags-", "post-tags", "article-tags", "entry-tags", "keywords",
    "categories", "post-meta", "entry-meta", "article-meta", "meta-data", "timestamp", "print-",
    "copyright", "disclaimer-", "credit", "caption", "figcaption", "photo-", "image-", "gallery",
    "visually-hidden", "visuallyhidden", "sr-only", "screen-reader", "offscreen", "skip-to",
    "widget", "banner", "toast",
)  # fmt: skip

#: Whole class names / ids (too short or too common to match as substrings).
BOILERPLATE_WORDS = frozenset(
    {
        "nav", "ad", "ads", "adv", "advert", "advertisement", "meta", "tags", "tag", "share", "social",
        "hide", "hid", "print", "related", "aside", "sidebar", "promo", "footer", "header", "menu",
        "author", "date", "dateline", "byline", "subscribe", "newsletter", "comments", "cta", "rail",
        "hidden", "alert", "modal", "toc",
    }
)  # fmt: skip

#: Class-name prefixes of CMS taxonomy labels (WordPress puts ``tag-share-prices`` and
#: ``category-social-media`` on the post element itself): not read as furniture on an element
#: that also carries one of POST_CLASS_MARKERS.
TAXONOMY_CLASS_PREFIXES = ("tag-", "category-", "format-", "status-", "type-", "author-")
POST_CLASS_MARKERS = frozenset({"hentry", "status-publish", "type-post", "type-page", "h-entry"})

#: Class/id substrings that mark the article body itself: they cancel a boilerplate match on the
#: same element (``article-body has-share-bar``).
KEEP_TOKENS = (
    "article-body", "article__body", "articlebody", "article-content", "article__content",
    "articlecontent", "article-text", "articletext", "entry-content", "post-content", "post-body",
    "story-body", "storybody", "story-content", "main-content", "maincontent", "content-body",
    "body-text", "main-body", "release-body", "module_body", "news--body", "news-body", "node__content",
    "bw-release-story", "rich-text", "page-content", "field-body", "text-content",
)  # fmt: skip
#: A boilerplate-marked element holding a KEEP_TOKENS element with at least this much text is a
#: wrapper (``<div class="page has-sidebar">``), not furniture. (Teaser cards reuse "post-content"
#: for a headline and a line, and must not protect the sidebar around them.)
MIN_KEEPER_CHARS = 200
#: A boilerplate-marked element holding at least this share of the page's text is a wrapper
#: with a layout name (``content-with-sidebar``, ``sliderBox``, ``non-ad-column``) and is kept…
PROTECT_SHARE = 0.5
#: …unless its name is one of these, which never wrap an article (a long comment thread can
#: hold most of a page's text).
HARD_BOILERPLATE_TOKENS = (
    "comment", "disqus", "cookie", "consent", "gdpr", "related", "recommend", "newsletter",
    "outbrain", "taboola", "breadcrumb", "respond", "reply",
)  # fmt: skip
#: Elements never dropped for their class names.
NEVER_JUNK_TAGS = frozenset({"html", "body", "main", "article"})

#: Inline styles that hide an element from readers.
HIDDEN_STYLE_TOKENS = ("display:none", "display: none", "visibility:hidden", "visibility: hidden")

#: ARIA roles of page chrome.
BOILERPLATE_ROLES = frozenset(
    {"navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alert", "menu", "menubar", "toolbar"}
)

#: Class/id substrings that raise a container's score (readability's "positive" names)…
CONTENT_TOKENS = (
    "article", "body", "content", "entry", "main", "post", "story", "text", "blog", "release",
    "news", "detail", "page", "column", "prose", "rich",
)  # fmt: skip
#: …and those that lower it (readability's "negative" names).
NEGATIVE_TOKENS = (
    "-ad-", "banner", "combx", "comment", "com-", "contact", "foot", "masthead", "media", "meta",
    "outbrain", "promo", "related", "scroll", "share", "shoutbox", "sidebar", "skyscraper", "sponsor",
    "shopping", "tags", "tool", "widget", "hidden", "nav", "menu", "teaser", "recommend",
)  # fmt: skip

# ── 3. Known article-body containers (tried in order on the raw HTML, before parsing) ───────
#
# (attribute, substring of the attribute's value). A container found here is parsed on its own;
# the generic scorer runs when none is found or the container holds too little text.

#: Publisher and IR-platform detail templates, recognised by their markup:
#: (name, within, parts). ``within`` (attribute, token) names the element the parts must be
#: inside, or None. A template applies when its first part is found (inside ``within``); the
#: page is then reduced to its parts, in this order (Business Wire keeps its contacts outside
#: the story). Parts are (attribute, token).
TEMPLATES = (
    ("globenewswire", None, (("id", "main-body-container"),)),
    ("businesswire", None, (("class", "bw-release-story"), ("class", "bw-release-contact"))),
    ("prnewswire", None, (("class", "release-body"),)),
    ("q4", ("class", "module-news-details"), (("class", "module_body"),)),
    ("q4", ("class", "module-details"), (("class", "module_body"),)),
    ("q4", None, (("class", "q4-news-body"),)),
    ("notified", None, (("class", "nir-widget--news--body"),)),
    ("notified", None, (("class", "nir-widget--news-body"),)),
    ("notified", None, (("class", "field--name-field-nir-news-body"),)),
    ("notified", ("class", "node--nir-news--full"), (("class", "node__content"),)),
    ("notified", ("class", "node--type-nir-news"), (("class", "node__content"),)),
)

#: Elements whose text is the publication date on templates that have no machine-readable date
#: (Q4 "module_date-text", Notified "nir-widget--news--date-time"): (attribute, token).
DATE_TEXT_CONTAINERS = (
    ("class", "module_date-text"),
    ("class", "module_date-time"),
    ("class", "nir-widget--news--date-time"),
    ("class", "nir-widget--news--date"),
    ("class", "field--name-field-nir-news-date"),
    ("class", "bw-release-timestamp"),
    ("class", "article-published"),
    ("class", "release-date"),
    ("class", "news-date"),
    ("class", "date-time"),
    ("class", "publish-date"),
    ("class", "published-date"),
    ("class", "post-date"),
    ("class", "entry-date"),
)

#: Generic article-body containers (from common CMS themes), tried after the templates.
BODY_CONTAINERS = (
    ("itemprop", "articlebody"),
    ("class", "article-body"),
    ("class", "article__body"),
    ("class", "articlebody"),
    ("class", "article-content"),
    ("class", "article__content"),
    ("class", "articlecontent"),
    ("class", "article-text"),
    ("class", "articletext"),
    ("class", "story-body"),
    ("class", "storybody"),
    ("class", "story-content"),
    ("class", "entry-content"),
    ("class", "post-content"),
    ("class", "post-body"),
    ("class", "post-text"),
    ("class", "postcontent"),
    ("class", "post_content"),
    ("class", "content-body"),
    ("class", "body-text"),
    ("class", "field-body"),
    ("class", "rich-text"),
    ("id", "article-body"),
    ("id", "articlebody"),
    ("id", "article-content"),
    ("id", "story-body"),
    ("id", "entry-content"),
)

MIN_ARTICLE_WORDS = 2  # fewer words than this (symbols, numbers, nothing) is not an article
MIN_CONTAINER_CHARS = 400  # a known container with less text than this is a teaser; fall back to scoring
CONTAINER_SHARE = 0.5  # …or one holding less than this share of the page's paragraph text

# ── 4. Container scoring (readability-style) ───────────────────────────────────────────────

#: Elements whose text is scored as a paragraph; the score goes to the parent and grandparent.
PARAGRAPH_TAGS = frozenset({"p", "pre", "blockquote", "td", "dd", "li", "h2", "h3", "h4"})
#: Elements that may be chosen as the article container.
CONTAINER_TAGS = frozenset({"div", "article", "section", "main", "td", "body", "span", "font", "center"})
MIN_PARAGRAPH_CHARS = 25  # shorter <p>s are captions, labels, buttons
ANCESTOR_DIVIDERS = (1.0, 2.0, 6.0)  # a paragraph's score goes to its parent, ½ to the grandparent, ⅙ above
CLASS_WEIGHT = 25.0  # bonus/malus for content/boilerplate class names
SIBLING_SHARE = 0.2  # siblings scoring this share of the best container join it
SIBLING_MIN_SCORE = 10.0
MAX_SIBLING_LINK_DENSITY = 0.25  # a paragraph beside the best container joins it when longer than MIN_PROSE_CHARS
MIN_PROSE_CHARS = 80  # a paragraph this long with few links is prose, not a teaser or a label
MAX_PROSE_LINK_DENSITY = 0.3
MAX_CLIMB = 8  # ancestors examined above the best container…
CLIMB_GAIN = 1.5  # …one holding this many times its prose is the real container…
CLIMB_MAX_LINK_DENSITY = 0.35  # …unless it is mostly links
CLOSE_SHARE = 0.75  # candidates this close to the best one, under a common ancestor, mean a split article
TAG_WEIGHTS = {"article": 10.0, "main": 5.0, "div": 5.0, "section": 3.0, "td": 3.0, "body": -5.0}

# ── 5. Block and paragraph filters ─────────────────────────────────────────────────────────

#: Elements that start a new paragraph.
BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6", "ul",
        "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "table", "thead", "tbody", "tfoot", "tr",
        "address", "center", "hr", "figcaption", "details", "summary", "hgroup", "caption", "body",
        "html", "aside", "footer", "nav", "form", "fieldset", "legend", "dir",
    }
)  # fmt: skip
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
LIST_TAGS = frozenset({"ul", "ol", "dl", "menu", "dir"})
CELL_TAGS = frozenset({"td", "th"})

MAX_LINK_DENSITY = 0.5  # a block whose text is mostly link text is navigation
MAX_LIST_LINK_DENSITY = 0.6  # lists of links ("Related articles") are near 1.0; headline-plus-summary lists are below
SHORT_BLOCK_CHARS = 200  # link-density tests apply to blocks shorter than this…
LONG_BLOCK_LINK_DENSITY = 0.7  # …and to longer ones only above this

#: Headings after which the rest of a container is promotion, not article.
END_HEADINGS = (
    "related", "related articles", "related stories", "related news", "related content",
    "related coverage", "related links", "related posts", "related topics", "related videos",
    "more news", "more stories", "more from", "more on this", "more in", "more to read",
    "recent videos", "recent posts", "recent news", "recent stories", "latest news", "latest stories",
    "latest videos", "top stories", "trending", "trending now", "trending stories", "popular",
    "most popular", "most read", "most viewed", "recommended", "recommended for you",
    "you may also like", "you might also like", "you may be interested in", "read more",
    "read next", "up next", "what to read next", "also read", "see also", "don't miss",
    "comments", "leave a comment", "leave a reply", "join the conversation", "share this",
    "share this article", "share this story", "sign up", "newsletter", "subscribe",
    "tags", "topics", "filed under", "advertisement", "sponsored", "sponsored content",
    "promoted stories", "around the web", "from the web",
)  # fmt: skip

#: …and openings of such headings ("More Great WIRED Stories"), for headings of at most
#: MAX_END_HEADING_WORDS words. A false match costs little: dropping stops at the next long
#: paragraph without links.
END_HEADING_PREFIXES = (
    "more from", "more stories", "more news", "more on ", "more great", "more in ", "more like",
    "more videos", "more articles", "more reading", "more coverage", "more top", "related ",
    "recommended ", "also on ", "also in ", "trending ", "popular ", "latest from ", "top stories",
    "read more ", "most popular", "most read", "you may also", "you might also",
)  # fmt: skip
MAX_END_HEADING_WORDS = 6

#: Whole lines that are page furniture, compared lower-cased without trailing punctuation.
BOILERPLATE_LINES = frozenset(
    {
        "advertisement", "advertisements", "ad", "sponsored", "story continues below",
        "story continues below advertisement", "continue reading", "continue reading below",
        "read more", "read more below", "read full article", "share", "share this", "share this article",
        "share on facebook", "share on twitter", "tweet", "email", "print", "facebook", "twitter",
        "linkedin", "whatsapp", "pinterest", "reddit", "copy link", "link copied", "comments",
        "close", "menu", "search", "skip to content", "skip to main content", "back to top",
        "scroll to top", "loading", "loading...", "subscribe", "sign up", "log in", "login",
        "follow us", "click here", "view comments", "show comments", "accept", "accept all",
        "reject all", "manage cookies", "cookie settings", "play", "watch", "listen", "next",
        "previous", "view gallery", "enlarge", "download", "recent videos", "related articles", "advert",
        "adverts", "this slideshow requires javascript", "like this story? share it with a friend",
        "more news", "print this page", "email this page", "view source version on businesswire.com",
        "download pdf", "download as pdf", "view pdf", "pdf version", "printer friendly version",
        "printer-friendly version", "back to news", "back to press releases",
    }
)  # fmt: skip

#: Lines that are furniture when they *start* a short paragraph (lower-cased prefix match).
BOILERPLATE_PREFIXES = (
    "©", "(c) copyright", "copyright ©", "copyright (c)", "copyright 19", "copyright 20", "all rights reserved",
    "this site uses cookies", "we use cookies", "by continuing to use", "by using this site",
    "this website uses cookies", "sign up for", "subscribe to", "click here to", "follow us on",
    "share this", "get the latest", "don't miss", "read more:", "read more at", "related:", "see also:",
    "also read:", "watch:", "photo:", "image:", "credit:", "photograph:", "source: getty",
    "you are leaving", "to speak to customer support", "view source version", "view original content",
    "original source", "recent videos", "related articles", "more news", "click to share",
    "this article was originally", "this story was originally", "image source", "photo credit",
    "(photo", "[photo", "getty images", "featured image", "top image",
)  # fmt: skip
MAX_PREFIX_LINE_CHARS = 200  # prefix rules only apply to paragraphs shorter than this
#: Regular expressions (case-sensitive) for short furniture paragraphs: PR Newswire's closing
#: "SOURCE Company" line, GlobeNewswire's attachment lists.
FURNITURE_PATTERNS = (r"SOURCE\s+\S[^\n]{0,120}$", r"Attachments?\s*$")
#: A short paragraph that is only a date (and time, weekday, "Updated") is a timestamp line.
MAX_DATE_LINE_CHARS = 60
DATE_LINE_WORDS = frozenset(
    {
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue",
        "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "am", "pm", "a", "p", "m", "et",
        "est", "edt", "pt", "pst", "pdt", "ct", "cst", "cdt", "mt", "gmt", "utc", "bst", "cet", "cest",
        "ist", "jst", "aest", "updated", "published", "posted", "on", "at", "st", "nd", "rd", "th",
        "t", "z", "eastern", "pacific", "central", "time", "daylight", "standard",
    }
)  # fmt: skip
#: A paragraph (lower-cased) this short that holds one of these markers, or starts with one of
#: these prefixes, is a rights line ("© 2024 Ledger Media", "Copyright 2019 The Associated Press").
COPYRIGHT_MARKERS = ("©", "all rights reserved")
COPYRIGHT_PREFIXES = ("copyright", "(c) 19", "(c) 20")
MAX_COPYRIGHT_CHARS = 250

# ── 6. Metadata ───────────────────────────────────────────────────────────────────────────

#: <meta> names/properties holding the title, best first.
TITLE_META = ("og:title", "twitter:title", "dc.title", "title", "sailthru.title", "parsely-title")
#: <meta> names/properties/itemprops holding the publication date, best first.
DATE_META = (
    "article:published_time", "og:published_time", "datepublished", "date", "dc.date",
    "dc.date.issued", "dcterms.date", "dcterms.issued", "dcterms.created", "pubdate", "publishdate",
    "publish-date", "publish_date", "published_time", "sailthru.date", "parsely-pub-date",
    "article.published", "article_date_original", "cxenseparse:recs:publishtime", "release_date",
    "og:article:published_time", "citation_publication_date", "citation_date", "original-publish-date",
)  # fmt: skip
#: <meta> names/properties holding the site's own name (to strip " | Site" from titles).
SITE_NAME_META = ("og:site_name", "application-name", "twitter:site", "publisher", "dc.publisher")
#: JSON-LD @types that describe an article.
ARTICLE_TYPES = frozenset(
    {
        "article", "newsarticle", "blogposting", "reportagenewsarticle", "pressrelease", "webpage",
        "analysisnewsarticle", "opinionnewsarticle", "scholarlyarticle", "techarticle", "report",
        "backgroundnewsarticle", "reviewnewsarticle", "liveblogposting", "socialmediaposting",
    }
)  # fmt: skip
#: Separators between a headline and the site name in <title> / og:title.
TITLE_SEPARATORS = (" | ", " || ", " :: ", " » ", " · ", " — ", " – ", " - ")
MAX_SITE_SUFFIX_WORDS = 6  # a " | suffix" longer than this is part of the headline
MIN_TITLE_CHARS = 12  # do not strip a suffix off a title shorter than this

#: Newswire credits that follow the date in a dateline: "City, May 1, 2024 (GLOBE NEWSWIRE) --".
WIRE_CREDITS = (
    "globe newswire", "globenewswire", "business wire", "businesswire", "prnewswire", "pr newswire",
    "accesswire", "newsfile", "marketwired", "newswire", "ein presswire", "prweb", "newmediawire",
    "cnw", "canada newswire", "news direct",
)  # fmt: skip

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
MIN_YEAR, MAX_YEAR = 1990, 2100  # dates outside this window are not publication dates

# ── 7. Sections ───────────────────────────────────────────────────────────────────────────

#: Paragraph openings that start the forward-looking-statements section (lower-cased prefixes).
FORWARD_LOOKING_HEADINGS = (
    "forward-looking statement", "forward looking statement", "cautionary note",
    "cautionary statement", "cautionary language", "safe harbor", "safe harbour",
    "special note regarding forward", "note regarding forward", "note on forward",
    "disclaimer regarding forward", "statement regarding forward", "notice regarding forward",
    "information regarding forward",
)  # fmt: skip
#: Heading lines that start the contacts section (lower-cased, without the trailing colon).
CONTACT_HEADINGS = (
    "contact", "contacts", "media contact", "media contacts", "investor contact", "investor contacts",
    "investor and media contact", "investor and media contacts", "media and investor contact",
    "media and investor contacts", "investor relations contact", "investor relations contacts",
    "media relations contact", "media relations", "investor relations", "investors", "media",
    "press contact", "press contacts", "company contact", "company contacts", "for more information",
    "for further information", "for more information, contact", "for further information, contact",
    "contact information", "refer to", "media inquiries", "investor inquiries", "contacts for",
    "investors and media", "media and investors", "corporate contact", "ir contact", "pr contact",
)  # fmt: skip
#: Openings that start the contacts section whatever follows them ("Contact DetailsJane Doe").
CONTACT_PREFIXES = (
    "contact details", "contact information", "media contact", "investor contact", "for media inquiries",
    "for investor inquiries", "media inquiries", "investor inquiries", "press inquiries", "for press inquiries",
    "investor relations contact", "media relations contact",
)  # fmt: skip
MAX_HEADING_CHARS = 120  # a section heading line is short
#: Heading lines (lower-cased prefixes) that open a label's safety text: diseases named there are
#: side effects, warnings or contraindications, never what the drug is for.
SAFETY_HEADINGS = (
    "important safety information", "selected important safety information", "selected safety information",
    "safety information", "important safety", "warnings and precautions", "warnings & precautions", "warnings",
    "warning:", "boxed warning", "contraindication", "adverse reactions", "serious adverse reactions",
    "most common adverse reactions", "adverse events", "use in specific populations", "drug interactions",
    "indication and safety summary", "authorized use and important safety information", "limitations of use",
    "limitation of use", "overdosage", "safety summary",
)  # fmt: skip
#: Heading lines that open a label's indications ("INDICATIONS AND USAGE", "Selected KEYTRUDA Indications").
INDICATION_HEADINGS = re.compile(
    r"^(?:selected\s+(?:[\w®™\-]+\s+){0,3})?indications?(?:\s+and\s+usage)?(?:\s|$|:)"
    r"|^authori[sz]ed\s+use\b(?!\s+and\s+important\s+safety)",  # "Authorized Use of LAGEVRIO in the U.S." (an EUA's label text)
    re.I,
)
#: Headings that scraped label text runs into the prose ("… in the U.S. Selected Important Safety
#: Information for KEYTRUDA Severe and …"): found after a sentence end, they open a section too.
_PRODUCT = r"[A-Z][\w®™\-]*(?:\s+[A-Z][\w®™\-]*)?"
INLINE_SECTION_HEADINGS = (
    ("safety", re.compile(r"(?:Selected\s+)?Important\s+Safety\s+Information(?:\s+(?:for|about)\s+" + _PRODUCT + r")?(?=\s+[A-Z])")),
    ("safety", re.compile(r"Selected\s+Safety\s+Information(?:\s+for\s+" + _PRODUCT + r")?(?=\s+[A-Z])")),
    ("safety", re.compile(r"(?:IMPORTANT\s+SAFETY\s+INFORMATION|WARNINGS\s+AND\s+PRECAUTIONS|CONTRAINDICATIONS|ADVERSE\s+REACTIONS|BOXED\s+WARNING)(?=\s+[A-Z])")),
    ("indications", re.compile(r"(?:Additional\s+)?Selected\s+[A-Z][\w®™\-]*\s+Indications?(?:\s+in\s+the\s+U\.S\.)?(?=\s+[A-Z])")),
    ("indications", re.compile(r"INDICATIONS?(?:\s+AND\s+USAGE)?(?:\s+FOR\s+" + _PRODUCT + r")?(?=\s+[A-Z][a-z])")),
    # "… chemokines.1 About OLUMIANT OLUMIANT is a once-daily …": an About heading run into its first sentence,
    # which opens with the heading's name
    ("about", re.compile(r"About\s+(?P<name>[A-Z][\w®™\-]*(?:\s+[A-Z][\w®™\-]*){0,2})\s+(?P=name)\s+(?:is|was|are|were)\b")),
)
#: Inline headings whose own shape marks them, wherever they stand: a product's safety heading followed by
#: the label's upper-case warning ("… type 1 diabetes mellitus Important Safety Information for Mounjaro
#: WARNING: RISK OF …", a bullet list that lost its full stops).
INLINE_SECTION_HEADINGS_ANYWHERE = (
    ("safety", re.compile(r"(?:Selected\s+)?Important\s+Safety\s+Information(?:\s+(?:for|about)\s+" + _PRODUCT + r")?(?=\s+(?:WARNING|BOXED\s+WARNING|CONTRAINDICATIONS)\b)")),
)
#: What may stand right before an inline heading: a sentence end, and a footnote's number after it ("….1 About").
INLINE_HEADING_BEFORE = re.compile(r"[.!?:”\"]\d{0,2}\s+$")
#: The line that closes a product's safety information: where to report side effects.
SAFETY_CLOSING = re.compile(r"(?i)1-800-FDA-1088|fda\.gov/medwatch")
#: Lines that may follow it and still belong to it: the pointer to the full label.
SAFETY_POINTERS = re.compile(r"(?i)^(?:please\s+see|for\s+more\s+information|see\s+(?:full|accompanying|the)|click|full\s+prescribing|[A-Z]{2,3}-[A-Z0-9\-]+\s*$)")
#: Sub-headings inside a label's safety text, which a closing line may come before.
SAFETY_SUBHEADINGS = frozenset({"pregnancy", "lactation", "pediatric use", "geriatric use", "renal impairment",
                                "hepatic impairment", "females and males of reproductive potential", "nursing mothers",
                                "overdose", "dosage and administration", "contraindications", "drug abuse and dependence"})
#: Heading lines that open a reference list or editor's notes.
REFERENCE_HEADINGS = ("references", "reference", "sources", "citations", "bibliography", "notes to editors")
#: Words after "About" that do not name a company or product ("About 30% of patients…").
ABOUT_STOPWORDS = frozenset(
    {"the", "a", "an", "this", "these", "those", "half", "one", "two", "three", "four", "five", "six",
     "seven", "eight", "nine", "ten", "us", "our", "it", "them", "twice", "once", "how", "what",
     "why", "when", "where", "who", "which", "that", "his", "her", "their", "its", "my", "your",
     # quantities on a line of their own ("About double"), not a drug's name
     "double", "triple", "twice", "thrice", "quarter", "percent", "twenty", "thirty", "eleven", "twelve", "dozen",
     "hundred", "thousand", "several", "nearly", "almost"}
)  # fmt: skip

# ── 8. Text and Markdown records ──────────────────────────────────────────────────────────

#: HTML tags left in text records by scrapers ("…Source: Merck </article></main>"): removed,
#: <br> and <p> becoming line and paragraph breaks.
STRAY_TAGS = (
    "p", "br", "div", "span", "a", "article", "main", "section", "strong", "b", "em", "i", "u",
    "sup", "sub", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "td", "th",
    "tbody", "thead", "font", "center", "small", "blockquote",
)  # fmt: skip
#: Short paragraphs of text/markdown records that are page furniture (lower-cased prefix match).
TEXT_BOILERPLATE_PREFIXES = (
    "view source version", "view original content", "view the original release", ">>news release",
    "news release", ">>", "source:", "source ", "| \")]", "\")]", "[original/source", "newsramp.com tldr",
    "to read the full article", "--news direct--",
)  # fmt: skip
#: Paragraphs of text/markdown records after which only site furniture follows.
TEXT_END_PREFIXES = ("to speak to customer support", "you are leaving", "welcome to merck.com")
#: Regular expressions that mark where a one-line record's page furniture begins (the record is
#: cut there): PR Newswire's closing "SOURCE Company" line and the mediaroom support footer.
TEXT_END_MARKERS = (
    r"\s*[|\s\"\)\]]*\bSOURCE\s+[A-Z][\w&.,' -]{1,60}(?:\s*!)?\s*(?:\*\*)?\s*To speak to customer support",
    r"\s*(?:\*\*)?\s*To speak to customer support",
    r"\s*(?:###\s*)?You are leaving Merck\.com",
    r"\s*(?:##\s*)?Multimedia\s*(?:!\s*)+(?:##\s*)?Sign up for email alerts",
)


# -- headlines of plain-text files ---------------------------------------------------------------
#: A .txt or .md file without a "# heading" has its headline as the first paragraph when that
#: paragraph reads as one: one line of HEADLINE_MIN_WORDS to HEADLINE_MAX_CHARS, not a sentence
#: (no full stop at its end), with more text after it.
HEADLINE_MIN_WORDS = 4
HEADLINE_MAX_CHARS = 300
