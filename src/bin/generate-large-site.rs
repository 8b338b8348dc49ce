//! Generates a large bilingual Tryloyw site, seeded, for benchmarks (`benches/serve.sh`).
//!
//! ```sh
//! cargo run --release --bin generate-large-site -- --pages 20000 --seed 1 /tmp/large-site
//! ```
//!
//! `--pages N` is the number of Markdown files written, both languages together: the home page,
//! about 50 sections (fewer for small sites: one per 400 files) in nested folders up to four
//! deep, and pages spread unevenly over them, each English file with its Welsh twin
//! (`*.cy.md`, with a Welsh `slug` and a `translated_from` that matches its original). Pages
//! have realistic front matter (title, description, date, sometimes `updated`, usually
//! `weight`) and a body of a few hundred words: `h2` headings with fixed ids, `h3` headings,
//! bulleted and numbered lists, a captioned table, sometimes a callout, and internal links to
//! other pages, sections and headings that exist. The text is assembled from parallel English
//! and Welsh sentences, so twins say the same thing. The same seed always gives the same bytes.
//!
//! It writes no `data/` and no `themes/`: the site builds with the built-in default theme. It
//! refuses to write into a folder that is not empty (exit code 2).

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

#[derive(Parser)]
#[command(about = "Generate a large bilingual Tryloyw site for benchmarks (seeded)")]
struct Args {
    /// Markdown files to write, English and Welsh together (about half of each)
    #[arg(long, default_value_t = 20_000)]
    pages: usize,
    /// The same seed gives the same site, byte for byte
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Number of sections [default: one per 400 files, from 1 to 50]
    #[arg(long)]
    sections: Option<usize>,
    /// Where to write the site: a new or empty folder
    out: PathBuf,
}

#[path = "seeded/rng.rs"]
mod rng;
use rng::Rng;

impl Rng {
    /// Uniform in [0, n).
    fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize
    }

    /// Uniform in [lo, hi].
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below((hi - lo + 1) as usize) as u64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// `k` distinct indices below `n`, in random order.
    fn distinct(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut all: Vec<usize> = (0..n).collect();
        for i in 0..k.min(n) {
            let j = i + self.below(n - i);
            all.swap(i, j);
        }
        all.truncate(k.min(n));
        all
    }
}

/// English and Welsh.
type Pair = (&'static str, &'static str);

/// Section topics; also the subject of most page titles.
const TOPICS: &[Pair] = &[
    ("Data quality", "Ansawdd data"),
    ("Access control", "Rheoli mynediad"),
    ("Audit", "Archwilio"),
    ("Retention", "Cadw data"),
    ("Data sharing", "Rhannu data"),
    ("Training", "Hyfforddiant"),
    ("Complaints", "Cwynion"),
    ("Oversight", "Goruchwylio"),
    ("Ethics", "Moeseg"),
    ("Equality", "Cydraddoldeb"),
    ("Biometrics", "Biometreg"),
    ("Vehicle records", "Cofnodion cerbydau"),
    ("Missing persons", "Pobl ar goll"),
    ("Firearms licensing", "Trwyddedu arfau tanio"),
    ("Custody", "Dalfa"),
    ("Court results", "Canlyniadau llys"),
    ("Wanted persons", "Pobl y mae eu hangen"),
    ("Property", "Eiddo"),
    ("Intelligence", "Cudd-wybodaeth"),
    ("Disclosure", "Datgelu"),
    ("Subject access", "Mynediad at ddata personol"),
    ("Security", "Diogelwch"),
    ("Privacy", "Preifatrwydd"),
    ("Transparency", "Tryloywder"),
    ("Consultation", "Ymgynghori"),
    ("Inspections", "Arolygiadau"),
    ("Statistics", "Ystadegau"),
    ("Standards", "Safonau"),
    ("Governance", "Llywodraethu"),
    ("Risk", "Risg"),
    ("Procurement", "Caffael"),
    ("Service changes", "Newidiadau i'r gwasanaeth"),
    ("User research", "Ymchwil defnyddwyr"),
    ("Accessibility", "Hygyrchedd"),
    ("Welsh language", "Y Gymraeg"),
    ("Youth justice", "Cyfiawnder ieuenctid"),
    ("Victims", "Dioddefwyr"),
    ("Road safety", "Diogelwch ar y ffyrdd"),
    ("Border checks", "Gwiriadau ar y ffin"),
    ("Immigration", "Mewnfudo"),
    ("Local authorities", "Awdurdodau lleol"),
    ("Partner agencies", "Asiantaethau partner"),
    ("Scotland", "Yr Alban"),
    ("Northern Ireland", "Gogledd Iwerddon"),
    ("Research access", "Mynediad ar gyfer ymchwil"),
    ("Incident reports", "Adroddiadau am ddigwyddiadau"),
    ("Performance", "Perfformiad"),
    ("Finance", "Cyllid"),
    ("Legislation", "Deddfwriaeth"),
    ("Codes of practice", "Codau ymarfer"),
    ("Board meetings", "Cyfarfodydd y bwrdd"),
    ("Annual reports", "Adroddiadau blynyddol"),
    ("Workforce", "Gweithlu"),
    ("Technology", "Technoleg"),
    ("Data protection", "Diogelu data"),
    ("Freedom of information", "Rhyddid gwybodaeth"),
    ("Appeals", "Apeliadau"),
    ("Forensics", "Fforensig"),
    ("Roads policing", "Plismona'r ffyrdd"),
    ("Counter fraud", "Gwrth-dwyll"),
];

/// Page titles: `{T}` is the topic, `{y}` a year, `{m}` a month, `{q}` a quarter.
const TITLES: &[Pair] = &[
    ("{T}: annual report {y}", "{T}: adroddiad blynyddol {y}"),
    ("{T}: audit findings {y}", "{T}: canfyddiadau archwilio {y}"),
    ("{T}: guidance for users", "{T}: canllawiau i ddefnyddwyr"),
    ("{T}: policy statement {y}", "{T}: datganiad polisi {y}"),
    ("{T}: minutes, {m} {y}", "{T}: cofnodion, {m} {y}"),
    (
        "{T}: consultation response {y}",
        "{T}: ymateb i'r ymgynghoriad {y}",
    ),
    (
        "{T}: data protection impact assessment {y}",
        "{T}: asesiad o'r effaith ar ddiogelu data {y}",
    ),
    (
        "{T}: frequently asked questions",
        "{T}: cwestiynau cyffredin",
    ),
    (
        "{T}: quarterly figures, Q{q} {y}",
        "{T}: ffigurau chwarterol, Ch{q} {y}",
    ),
    ("{T}: inspection report {y}", "{T}: adroddiad arolygu {y}"),
];

const MONTHS: &[Pair] = &[
    ("January", "Ionawr"),
    ("February", "Chwefror"),
    ("March", "Mawrth"),
    ("April", "Ebrill"),
    ("May", "Mai"),
    ("June", "Mehefin"),
    ("July", "Gorffennaf"),
    ("August", "Awst"),
    ("September", "Medi"),
    ("October", "Hydref"),
    ("November", "Tachwedd"),
    ("December", "Rhagfyr"),
];

/// `h2` headings: id (the same in both languages), English, Welsh.
const H2: &[(&str, &str, &str)] = &[
    ("background", "Background", "Cefndir"),
    ("purpose", "Purpose", "Diben"),
    (
        "who-is-responsible",
        "Who is responsible",
        "Pwy sy'n gyfrifol",
    ),
    (
        "what-we-collect",
        "What we collect",
        "Beth rydym yn ei gasglu",
    ),
    (
        "how-long-we-keep-it",
        "How long we keep it",
        "Am ba hyd rydym yn ei gadw",
    ),
    ("who-can-see-it", "Who can see it", "Pwy all ei weld"),
    ("safeguards", "Safeguards", "Mesurau diogelu"),
    ("figures", "Figures", "Ffigurau"),
    ("findings", "Findings", "Canfyddiadau"),
    ("recommendations", "Recommendations", "Argymhellion"),
    ("next-steps", "Next steps", "Camau nesaf"),
    ("how-to-complain", "How to complain", "Sut i gwyno"),
    ("your-rights", "Your rights", "Eich hawliau"),
    (
        "training-required",
        "Training required",
        "Yr hyfforddiant sydd ei angen",
    ),
    ("timeline", "Timeline", "Llinell amser"),
    ("consultation", "Consultation", "Ymgynghoriad"),
    (
        "changes",
        "Changes since the last edition",
        "Newidiadau ers y rhifyn diwethaf",
    ),
    ("legal-basis", "Legal basis", "Sail gyfreithiol"),
    (
        "equality-impact",
        "Equality impact",
        "Effaith ar gydraddoldeb",
    ),
    ("glossary", "Glossary", "Geirfa"),
];

/// `h3` headings, with ids made from their text (none equals an `h2` id).
const H3: &[Pair] = &[
    ("In England and Wales", "Yng Nghymru a Lloegr"),
    ("In Scotland", "Yn yr Alban"),
    ("In Northern Ireland", "Yng Ngogledd Iwerddon"),
    ("For the public", "I'r cyhoedd"),
    ("For police forces", "I heddluoedd"),
    ("For other organisations", "I sefydliadau eraill"),
    ("What happens next", "Beth sy'n digwydd nesaf"),
    ("Exceptions", "Eithriadau"),
    ("Examples", "Enghreifftiau"),
    ("Method", "Dull"),
];

/// Organisations for the `{org}` slot; Welsh names that take no article.
const ORGS: &[Pair] = &[
    (
        "the National Police Chiefs' Council",
        "Cyngor Cenedlaethol Prif Swyddogion yr Heddlu",
    ),
    (
        "His Majesty's Inspectorate of Constabulary",
        "Arolygiaeth Heddluoedd Ei Fawrhydi",
    ),
    (
        "the Information Commissioner's Office",
        "Swyddfa'r Comisiynydd Gwybodaeth",
    ),
    ("the LEDS Oversight Board", "Bwrdd Goruchwylio LEDS"),
    ("the LEDS Ethics Panel", "Panel Moeseg LEDS"),
    ("each police force", "pob heddlu"),
    (
        "the service's Data Protection Officer",
        "Swyddog Diogelu Data'r gwasanaeth",
    ),
];

/// Parallel sentences. Slots: `{org}` / `{Org}` (capitalised), `{year}`, `{n}` (a count),
/// `{k}` (2 to 5), `{p}` (a percentage).
const SENTENCES: &[Pair] = &[
    (
        "{Org} publishes a summary of this work every quarter, in English and in Welsh.",
        "Mae {org} yn cyhoeddi crynodeb o'r gwaith hwn bob chwarter, yn Saesneg ac yn Gymraeg.",
    ),
    (
        "In {year}, {org} reviewed {n} requests for access to the service.",
        "Yn {year}, adolygodd {org} {n} o geisiadau am fynediad i'r gwasanaeth.",
    ),
    (
        "Every search must have a lawful purpose, and the reason is recorded at the time.",
        "Rhaid i bob chwiliad fod â diben cyfreithlon, ac mae'r rheswm yn cael ei gofnodi ar y pryd.",
    ),
    (
        "Records that are no longer needed are deleted on a fixed schedule.",
        "Mae cofnodion nad oes eu hangen mwyach yn cael eu dileu yn ôl amserlen benodol.",
    ),
    (
        "The figures on this page are illustrative and do not describe real people.",
        "Mae'r ffigurau ar y dudalen hon yn enghreifftiol ac nid ydynt yn disgrifio pobl go iawn.",
    ),
    (
        "{Org} checks a sample of {n} records each month for accuracy and completeness.",
        "Mae {org} yn gwirio sampl o {n} o gofnodion bob mis am gywirdeb a chyflawnrwydd.",
    ),
    (
        "Anyone can ask what information is held about them, free of charge.",
        "Gall unrhyw un ofyn pa wybodaeth sy'n cael ei chadw amdanyn nhw, yn rhad ac am ddim.",
    ),
    (
        "Misuse of the system is a disciplinary matter and may also be a criminal offence.",
        "Mae camddefnyddio'r system yn fater disgyblu a gall hefyd fod yn drosedd.",
    ),
    (
        "Training is required before a user is given access, and it is refreshed every {k} years.",
        "Mae angen hyfforddiant cyn i ddefnyddiwr gael mynediad, ac mae'n cael ei adnewyddu bob {k} blynedd.",
    ),
    (
        "The audit found {n} cases where the recorded reason was too brief to assess.",
        "Canfu'r archwiliad {n} o achosion lle'r oedd y rheswm a gofnodwyd yn rhy fyr i'w asesu.",
    ),
    (
        "We consulted {n} organisations before publishing this guidance.",
        "Ymgynghorwyd â {n} o sefydliadau cyn cyhoeddi'r canllawiau hyn.",
    ),
    (
        "Each organisation names a senior officer who is accountable for its use of the data.",
        "Mae pob sefydliad yn enwi uwch swyddog sy'n atebol am ei ddefnydd o'r data.",
    ),
    (
        "Changes to this page are listed in the record of updates.",
        "Rhestrir newidiadau i'r dudalen hon yn y cofnod o ddiweddariadau.",
    ),
    (
        "The data is shared only under a written agreement that sets out its purpose.",
        "Dim ond o dan gytundeb ysgrifenedig sy'n nodi ei ddiben y caiff y data ei rannu.",
    ),
    (
        "{Org} met {k} times during {year} and published the minutes of each meeting.",
        "Cyfarfu {org} {k} gwaith yn ystod {year} a chyhoeddodd gofnodion pob cyfarfod.",
    ),
    (
        "Where a record is found to be wrong, it is corrected within {k} working days.",
        "Pan ganfyddir bod cofnod yn anghywir, caiff ei gywiro o fewn {k} diwrnod gwaith.",
    ),
    (
        "The independent reviewer may visit any site without notice.",
        "Gall yr adolygydd annibynnol ymweld ag unrhyw safle heb rybudd.",
    ),
    (
        "Most requests are answered within a month, and complex ones within three months.",
        "Mae'r rhan fwyaf o geisiadau'n cael eu hateb o fewn mis, a rhai cymhleth o fewn tri mis.",
    ),
    (
        "Access is removed when a user changes role or leaves the organisation.",
        "Caiff mynediad ei ddileu pan fydd defnyddiwr yn newid rôl neu'n gadael y sefydliad.",
    ),
    (
        "This section explains the rules in plain language, and the full text is published alongside it.",
        "Mae'r adran hon yn esbonio'r rheolau mewn iaith glir, a chyhoeddir y testun llawn ochr yn ochr â hi.",
    ),
    (
        "The number of searches rose by {p} per cent compared with the year before.",
        "Cynyddodd nifer y chwiliadau {p} y cant o'i gymharu â'r flwyddyn flaenorol.",
    ),
    (
        "Complaints are handled by {org}, and each reply is in the language of the complaint.",
        "Mae {org} yn ymdrin â chwynion, ac mae pob ateb yn iaith y gŵyn.",
    ),
    (
        "Every decision to share data outside the service is logged and reviewed.",
        "Mae pob penderfyniad i rannu data y tu allan i'r gwasanaeth yn cael ei gofnodi a'i adolygu.",
    ),
    (
        "The equality impact of each change is assessed before it goes live.",
        "Asesir effaith pob newid ar gydraddoldeb cyn iddo fynd yn fyw.",
    ),
    (
        "Older systems will be switched off once their data has moved across.",
        "Bydd yr hen systemau'n cael eu diffodd unwaith y bydd eu data wedi symud drosodd.",
    ),
    (
        "{Org} reports to Parliament once a year on how the service is used.",
        "Mae {org} yn adrodd i'r Senedd unwaith y flwyddyn ar sut y defnyddir y gwasanaeth.",
    ),
    (
        "No decision about a person is made by the system alone.",
        "Nid yw'r system ar ei phen ei hun yn gwneud unrhyw benderfyniad am unigolyn.",
    ),
    (
        "Feedback from the public shaped {k} of the changes made this year.",
        "Llywiodd adborth gan y cyhoedd {k} o'r newidiadau a wnaed eleni.",
    ),
    (
        "Data about children is subject to additional safeguards.",
        "Mae mesurau diogelu ychwanegol yn berthnasol i ddata am blant.",
    ),
    (
        "The next review is due in {year}.",
        "Mae disgwyl i'r adolygiad nesaf gael ei gynnal yn {year}.",
    ),
];

const LIST_INTROS: &[Pair] = &[
    (
        "Each organisation must keep:",
        "Rhaid i bob sefydliad gadw:",
    ),
    ("The review looked at:", "Edrychodd yr adolygiad ar:"),
    ("This covers:", "Mae hyn yn cynnwys:"),
    (
        "The record of each search shows:",
        "Mae cofnod pob chwiliad yn dangos:",
    ),
];

const LIST_ITEMS: &[Pair] = &[
    ("the reason for each search", "y rheswm dros bob chwiliad"),
    (
        "the name of the person who searched",
        "enw'r person a chwiliodd",
    ),
    ("the date and time", "y dyddiad a'r amser"),
    ("which records were viewed", "pa gofnodion a welwyd"),
    ("whether data was shared", "a gafodd data ei rannu"),
    ("a named senior officer", "uwch swyddog a enwir"),
    (
        "a written data sharing agreement",
        "cytundeb rhannu data ysgrifenedig",
    ),
    ("an annual audit", "archwiliad blynyddol"),
    ("training for every user", "hyfforddiant i bob defnyddiwr"),
    ("a route for complaints", "llwybr ar gyfer cwynion"),
    (
        "regular checks of accuracy",
        "gwiriadau rheolaidd o gywirdeb",
    ),
    (
        "deletion when records are no longer needed",
        "dileu pan nad oes angen cofnodion mwyach",
    ),
    (
        "an equality impact assessment",
        "asesiad o'r effaith ar gydraddoldeb",
    ),
    (
        "published minutes of meetings",
        "cofnodion cyfarfodydd wedi'u cyhoeddi",
    ),
];

const STEPS_INTRO: Pair = ("To ask for your information:", "I ofyn am eich gwybodaeth:");

const STEPS: &[Pair] = &[
    (
        "Write to us with your request.",
        "Ysgrifennwch atom gyda'ch cais.",
    ),
    (
        "We confirm who you are.",
        "Rydym yn cadarnhau pwy ydych chi.",
    ),
    ("We search the records.", "Rydym yn chwilio'r cofnodion."),
    (
        "We send you a copy within a month.",
        "Rydym yn anfon copi atoch o fewn mis.",
    ),
    (
        "If you are not satisfied, you can ask for a review.",
        "Os nad ydych yn fodlon, gallwch ofyn am adolygiad.",
    ),
    (
        "You can then complain to the Information Commissioner.",
        "Yna gallwch gwyno i'r Comisiynydd Gwybodaeth.",
    ),
];

const CALLOUT: Pair = (
    "> [!NOTE]\n> The figures on this page are illustrative: they were generated for testing and describe no real people or organisations.",
    "> [!NOTE]\n> Mae'r ffigurau ar y dudalen hon yn enghreifftiol: fe'u crëwyd ar gyfer profi ac nid ydynt yn disgrifio pobl na sefydliadau go iawn.",
);

const ORG_TYPES: &[Pair] = &[
    ("Police forces", "Heddluoedd"),
    ("Other law enforcement", "Gorfodi'r gyfraith arall"),
    ("Government departments", "Adrannau'r llywodraeth"),
    ("Regulators", "Rheoleiddwyr"),
    ("Local authorities", "Awdurdodau lleol"),
];

/// English and Welsh text built side by side.
#[derive(Default)]
struct Twin {
    en: String,
    cy: String,
}

impl Twin {
    fn push(&mut self, en: &str, cy: &str) {
        self.en.push_str(en);
        self.cy.push_str(cy);
    }

    fn push_pair(&mut self, (en, cy): (String, String)) {
        self.push(&en, &cy);
    }
}

struct Section {
    /// Folder under content/, with `/`; empty for the home page.
    dir: String,
    depth: usize,
    title: Pair,
    cy_slug: String,
    weight: u64,
}

struct Page {
    section: usize,
    stem: String,
    title: (String, String),
    cy_slug: String,
    headings: Vec<usize>,
    date: (u64, u64, u64),
    updated: Option<(u64, u64, u64)>,
    weight: Option<u64>,
}

fn section_key(s: &Section) -> String {
    if s.dir.is_empty() {
        "_index.md".to_string()
    } else {
        format!("{}/_index.md", s.dir)
    }
}

fn page_key(sections: &[Section], p: &Page) -> String {
    let dir = &sections[p.section].dir;
    if dir.is_empty() {
        format!("{}.md", p.stem)
    } else {
        format!("{dir}/{}.md", p.stem)
    }
}

/// A URL segment: lowercase ASCII letters, digits and hyphens; Welsh letters lose their accents,
/// apostrophes disappear.
fn slugify(text: &str) -> String {
    let mut out = String::new();
    let mut hyphen = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'â' | 'á' | 'à' | 'ä' => 'a',
            'ê' | 'é' | 'è' | 'ë' => 'e',
            'î' | 'í' | 'ì' | 'ï' => 'i',
            'ô' | 'ó' | 'ò' | 'ö' => 'o',
            'û' | 'ú' | 'ù' | 'ü' => 'u',
            'ŵ' | 'ẃ' | 'ẁ' | 'ẅ' => 'w',
            'ŷ' | 'ý' | 'ỳ' | 'ÿ' => 'y',
            c => c,
        };
        if c == '\'' || c == '’' {
            continue;
        }
        if c.is_ascii_alphanumeric() {
            if hyphen && !out.is_empty() {
                out.push('-');
            }
            hyphen = false;
            out.push(c);
        } else {
            hyphen = true;
        }
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// 12345 → `12,345`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn toml_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// What `git hash-object` prints for a text, as `tryloyw translations mark` writes it.
fn blob_hash(text: &str) -> String {
    use sha1::{Digest, Sha1};
    let mut h = Sha1::new();
    h.update(format!("blob {}\0", text.len()).as_bytes());
    h.update(text.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// One sentence in both languages, its slots filled with the same values.
fn sentence(rng: &mut Rng) -> (String, String) {
    let (en, cy) = SENTENCES[rng.below(SENTENCES.len())];
    let org = ORGS[rng.below(ORGS.len())];
    let year = rng.range(2015, 2026).to_string();
    let n = thousands(rng.range(12, 4000));
    let k = rng.range(2, 5).to_string();
    let p = rng.range(2, 30).to_string();
    let fill = |t: &str, org: &str| {
        t.replace("{Org}", &capitalise(org))
            .replace("{org}", org)
            .replace("{year}", &year)
            .replace("{n}", &n)
            .replace("{k}", &k)
            .replace("{p}", &p)
    };
    (fill(en, org.0), fill(cy, org.1))
}

/// A paragraph of `lo` to `hi` sentences, ending in a blank line.
fn paragraph(rng: &mut Rng, lo: u64, hi: u64, links: &mut Vec<(String, String)>) -> Twin {
    let mut t = Twin::default();
    let count = rng.range(lo, hi);
    for i in 0..count {
        if i > 0 {
            t.push(" ", " ");
        }
        t.push_pair(sentence(rng));
    }
    // Internal links go at the end of a paragraph, one at most per paragraph.
    if !links.is_empty() && rng.chance(0.5) {
        t.push(" ", " ");
        t.push_pair(links.pop().unwrap());
    }
    t.push("\n\n", "\n\n");
    t
}

/// A sentence linking to another page, a heading on it, or a section.
fn link_sentence(
    rng: &mut Rng,
    sections: &[Section],
    pages: &[Page],
    from: usize,
) -> (String, String) {
    if pages.len() < 2 || rng.chance(0.15) {
        let s = &sections[1 + rng.below(sections.len() - 1)];
        let key = section_key(s);
        return (
            format!("Related pages are listed under [{}](@/{key}).", s.title.0),
            format!(
                "Rhestrir tudalennau perthnasol o dan [{}](@/{key}).",
                s.title.1
            ),
        );
    }
    let mut to = rng.below(pages.len());
    if to == from {
        to = (to + 1) % pages.len();
    }
    let target = &pages[to];
    let key = page_key(sections, target);
    let (ten, tcy) = &target.title;
    if rng.chance(0.5) {
        let (id, hen, hcy) = H2[target.headings[rng.below(target.headings.len())]];
        (
            format!("See [{hen} ({ten})](@/{key}#{id}) for more detail."),
            format!("Gweler [{hcy} ({tcy})](@/{key}#{id}) am ragor o fanylion."),
        )
    } else {
        (
            format!("See also [{ten}](@/{key})."),
            format!("Gweler hefyd [{tcy}](@/{key})."),
        )
    }
}

fn table(rng: &mut Rng, year: u64) -> Twin {
    let mut t = Twin::default();
    match rng.below(3) {
        0 => {
            let rows = rng.range(3, 6);
            let first = year.saturating_sub(rows - 1);
            t.push(
                &format!("Table: Requests answered on time, {first} to {year}\n\n"),
                &format!("Tabl: Ceisiadau a atebwyd mewn pryd, {first} i {year}\n\n"),
            );
            t.push(
                "| Year | Requests | Answered on time | Share on time (%) |\n",
                "| Blwyddyn | Ceisiadau | Wedi'u hateb mewn pryd | Cyfran mewn pryd (%) |\n",
            );
            t.push(
                "| --- | ---: | ---: | ---: |\n",
                "| --- | ---: | ---: | ---: |\n",
            );
            for y in first..=year {
                let n = rng.range(1_000, 20_000);
                let m = n * rng.range(70, 99) / 100;
                let row = format!(
                    "| {y} | {} | {} | {:.1} |\n",
                    thousands(n),
                    thousands(m),
                    m as f64 * 100.0 / n as f64
                );
                t.push(&row, &row);
            }
        }
        1 => {
            t.push(
                &format!("Table: Users and searches by type of organisation, {year}\n\n"),
                &format!("Tabl: Defnyddwyr a chwiliadau fesul math o sefydliad, {year}\n\n"),
            );
            t.push(
                "| Type of organisation | Users | Searches |\n",
                "| Math o sefydliad | Defnyddwyr | Chwiliadau |\n",
            );
            t.push("| --- | ---: | ---: |\n", "| --- | ---: | ---: |\n");
            for (en, cy) in ORG_TYPES {
                let users = rng.range(20, 60_000);
                let searches = thousands(users * rng.range(5, 400));
                let users = thousands(users);
                t.push(
                    &format!("| {en} | {users} | {searches} |\n"),
                    &format!("| {cy} | {users} | {searches} |\n"),
                );
            }
        }
        _ => {
            t.push(
                &format!("Table: Audits and issues found by quarter, {year}\n\n"),
                &format!("Tabl: Archwiliadau a phroblemau a ganfuwyd fesul chwarter, {year}\n\n"),
            );
            t.push(
                "| Quarter | Audits | Issues found |\n",
                "| Chwarter | Archwiliadau | Problemau a ganfuwyd |\n",
            );
            t.push("| --- | ---: | ---: |\n", "| --- | ---: | ---: |\n");
            for q in 1..=4 {
                let audits = rng.range(5, 120);
                let issues = rng.range(0, audits * 3);
                t.push(
                    &format!("| Q{q} {year} | {audits} | {issues} |\n"),
                    &format!("| Ch{q} {year} | {audits} | {issues} |\n"),
                );
            }
        }
    }
    t.push("\n", "\n");
    t
}

fn page_body(rng: &mut Rng, sections: &[Section], pages: &[Page], index: usize) -> Twin {
    let page = &pages[index];
    let mut links: Vec<(String, String)> = (0..rng.range(0, 3))
        .map(|_| link_sentence(rng, sections, pages, index))
        .collect();
    let mut body = Twin::default();
    let intro = paragraph(rng, 3, 5, &mut links);
    body.push(&intro.en, &intro.cy);
    if rng.chance(0.15) {
        body.push(&format!("{}\n\n", CALLOUT.0), &format!("{}\n\n", CALLOUT.1));
    }
    let with_table = rng.below(page.headings.len());
    let mut h3s = rng.distinct(H3.len(), H3.len()).into_iter();
    for (i, &h) in page.headings.iter().enumerate() {
        let (id, en, cy) = H2[h];
        body.push(
            &format!("## {en} {{#{id}}}\n\n"),
            &format!("## {cy} {{#{id}}}\n\n"),
        );
        for _ in 0..rng.range(1, 2) {
            let p = paragraph(rng, 3, 5, &mut links);
            body.push(&p.en, &p.cy);
        }
        if i == with_table {
            let t = table(rng, page.date.0);
            body.push(&t.en, &t.cy);
        }
        match rng.below(4) {
            0 => {
                let (ien, icy) = LIST_INTROS[rng.below(LIST_INTROS.len())];
                body.push(&format!("{ien}\n\n"), &format!("{icy}\n\n"));
                let count = rng.range(3, 6) as usize;
                for item in rng.distinct(LIST_ITEMS.len(), count) {
                    let (en, cy) = LIST_ITEMS[item];
                    body.push(&format!("- {en}\n"), &format!("- {cy}\n"));
                }
                body.push("\n", "\n");
            }
            1 => {
                body.push(
                    &format!("{}\n\n", STEPS_INTRO.0),
                    &format!("{}\n\n", STEPS_INTRO.1),
                );
                for (n, (en, cy)) in STEPS.iter().take(rng.range(3, 6) as usize).enumerate() {
                    let n = n + 1;
                    body.push(&format!("{n}. {en}\n"), &format!("{n}. {cy}\n"));
                }
                body.push("\n", "\n");
            }
            2 => {
                if let Some(h3) = h3s.next() {
                    let (en, cy) = H3[h3];
                    body.push(&format!("### {en}\n\n"), &format!("### {cy}\n\n"));
                    let p = paragraph(rng, 2, 4, &mut links);
                    body.push(&p.en, &p.cy);
                }
            }
            _ => {}
        }
    }
    // Links not yet placed close the page.
    for link in links {
        body.push_pair((format!("{}\n\n", link.0), format!("{}\n\n", link.1)));
    }
    body
}

fn date((y, m, d): (u64, u64, u64)) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

/// The front matter and body of a file, with `slug` and `translated_from` on the Welsh one.
fn files(fields: &[(&str, String, String)], cy_slug: Option<&str>, body: Twin) -> (String, String) {
    let mut en = String::from("+++\n");
    let mut cy = String::from("+++\n");
    for (name, ven, vcy) in fields {
        let _ = writeln!(en, "{name} = {ven}");
        let _ = writeln!(cy, "{name} = {vcy}");
    }
    if let Some(slug) = cy_slug {
        let _ = writeln!(cy, "slug = {}", toml_str(slug));
    }
    en.push_str("+++\n\n");
    en.push_str(body.en.trim_end());
    en.push('\n');
    let _ = writeln!(cy, "translated_from = \"{}\"", blob_hash(&en));
    cy.push_str("+++\n\n");
    cy.push_str(body.cy.trim_end());
    cy.push('\n');
    (en, cy)
}

fn write(out: &Path, key: &str, (en, cy): (String, String)) -> std::io::Result<()> {
    let path = out.join("content").join(key);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(&path, en)?;
    let cy_key = format!("{}.cy.md", key.trim_end_matches(".md"));
    std::fs::write(out.join("content").join(cy_key), cy)
}

fn main() -> ExitCode {
    let args = Args::parse();
    match std::fs::read_dir(&args.out) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                eprintln!(
                    "error: {} is not empty; give a new or empty folder",
                    args.out.display()
                );
                return ExitCode::from(2);
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", args.out.display());
            return ExitCode::from(2);
        }
    }
    match generate(&args) {
        Ok((pages, sections)) => {
            println!(
                "Wrote {} Markdown files ({pages} pages and {sections} sections, each in English and Welsh, and the home page) into {}",
                2 * (pages + sections + 1),
                args.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn generate(args: &Args) -> std::io::Result<(usize, usize)> {
    let mut rng = Rng(args.seed);
    let half = (args.pages / 2).max(1);
    let section_count = args
        .sections
        .unwrap_or(args.pages / 400)
        .clamp(1, 50)
        .min(half.saturating_sub(1).max(1));
    let page_count = half.saturating_sub(section_count + 1);

    // Sections: a few at the top (they make the menu), the rest nested up to four deep.
    // Section 0 is the home page.
    let mut sections = vec![Section {
        dir: String::new(),
        depth: 0,
        title: ("Tryloyw large test site", "Safle prawf mawr Tryloyw"),
        cy_slug: String::new(),
        weight: 0,
    }];
    // Names taken in each folder, per language, so that no two URLs collide.
    let mut taken: Vec<(HashSet<String>, HashSet<String>)> = vec![Default::default()];
    let topics = rng.distinct(TOPICS.len(), TOPICS.len());
    let mut section_topic = vec![0];
    let mut children = vec![0u64; section_count + 1];
    for i in 0..section_count {
        let parent = if i < 6 {
            0
        } else {
            let candidates: Vec<usize> = (1..sections.len())
                .filter(|&s| sections[s].depth < 4)
                .collect();
            candidates[rng.below(candidates.len())]
        };
        let topic = topics[i % topics.len()];
        let round = i / topics.len();
        let (en, cy) = TOPICS[topic];
        let mut en_slug = slugify(en);
        let mut cy_slug = slugify(cy);
        if round > 0 {
            en_slug = format!("{en_slug}-{}", round + 1);
            cy_slug = format!("{cy_slug}-{}", round + 1);
        }
        let (en_taken, cy_taken) = &mut taken[parent];
        en_taken.insert(en_slug.clone());
        cy_taken.insert(cy_slug.clone());
        children[parent] += 1;
        let dir = if parent == 0 {
            en_slug
        } else {
            format!("{}/{en_slug}", sections[parent].dir)
        };
        sections.push(Section {
            dir,
            depth: sections[parent].depth + 1,
            title: TOPICS[topic],
            cy_slug,
            weight: children[parent] * 10,
        });
        taken.push(Default::default());
        section_topic.push(topic);
    }

    // Pages, spread unevenly over the sections (not the home page).
    let shares: Vec<f64> = (0..sections.len())
        .map(|s| if s == 0 { 0.0 } else { 0.3 + 1.7 * rng.unit() })
        .collect();
    let total: f64 = shares.iter().sum();
    let mut in_section = vec![0u64; sections.len()];
    let mut pages = Vec::with_capacity(page_count);
    for _ in 0..page_count {
        let mut x = rng.unit() * total;
        let mut section = sections.len() - 1;
        for (s, share) in shares.iter().enumerate() {
            if x < *share {
                section = s;
                break;
            }
            x -= share;
        }
        let topic = if rng.chance(0.7) {
            TOPICS[section_topic[section]]
        } else {
            TOPICS[rng.below(TOPICS.len())]
        };
        let (ten, tcy) = TITLES[rng.below(TITLES.len())];
        let year = rng.range(2015, 2026);
        // The date agrees with the month or quarter in the title.
        let m = rng.below(12);
        let month = MONTHS[m];
        let quarter = (m / 3 + 1).to_string();
        let fill = |t: &str, topic: &str, month: &str| {
            t.replace("{T}", topic)
                .replace("{y}", &year.to_string())
                .replace("{m}", month)
                .replace("{q}", &quarter)
        };
        let (base_en, base_cy) = (fill(ten, topic.0, month.0), fill(tcy, topic.1, month.1));
        let (en_taken, cy_taken) = &mut taken[section];
        let mut part = 1;
        let (title_en, title_cy, stem, cy_slug) = loop {
            let (e, c) = if part == 1 {
                (base_en.clone(), base_cy.clone())
            } else {
                (
                    format!("{base_en} (part {part})"),
                    format!("{base_cy} (rhan {part})"),
                )
            };
            let (es, cs) = (slugify(&e), slugify(&c));
            if !en_taken.contains(&es) && !cy_taken.contains(&cs) {
                en_taken.insert(es.clone());
                cy_taken.insert(cs.clone());
                break (e, c, es, cs);
            }
            part += 1;
        };
        let heading_count = rng.range(3, 5) as usize;
        let headings = rng.distinct(H2.len(), heading_count);
        let day = (year, m as u64 + 1, rng.range(1, 28));
        let updated = rng.chance(0.2).then(|| {
            let y = rng.range(year, 2026);
            (y, rng.range(1, 12), rng.range(1, 28))
        });
        let updated = updated.filter(|u| *u > day);
        in_section[section] += 1;
        let weight = rng.chance(0.8).then_some(in_section[section] * 10);
        pages.push(Page {
            section,
            stem,
            title: (title_en, title_cy),
            cy_slug,
            headings,
            date: day,
            updated,
            weight,
        });
    }

    let out = &args.out;
    std::fs::create_dir_all(out.join("content"))?;
    std::fs::write(
        out.join("site.toml"),
        format!(
            "# Generated by generate-large-site --pages {} --seed {}\n\
             base_url = \"https://example.org\"\n\
             languages = [\"en\", \"cy\"]\n\
             minify = true\n\n\
             [title]\n\
             en = {}\n\
             cy = {}\n\n\
             [description]\n\
             en = \"A large generated site for benchmarks. Its text and figures are illustrative.\"\n\
             cy = \"Safle mawr wedi'i gynhyrchu ar gyfer meincnodau. Mae ei destun a'i ffigurau'n enghreifftiol.\"\n",
            args.pages,
            args.seed,
            toml_str(sections[0].title.0),
            toml_str(sections[0].title.1),
        ),
    )?;

    // Home page: an introduction and a list of the top-level sections.
    let mut body = Twin::default();
    body.push(
        &format!(
            "This site was generated with seed {} to measure how Tryloyw copes with a large site. Its text and figures are illustrative.\n\n## What is here {{#what-is-here}}\n\n",
            args.seed
        ),
        &format!(
            "Cafodd y safle hwn ei gynhyrchu gyda hedyn {} i fesur sut mae Tryloyw yn ymdopi â safle mawr. Mae ei destun a'i ffigurau'n enghreifftiol.\n\n## Beth sydd yma {{#what-is-here}}\n\n",
            args.seed
        ),
    );
    for s in sections.iter().skip(1).filter(|s| s.depth == 1) {
        let key = section_key(s);
        body.push(
            &format!("- [{}](@/{key})\n", s.title.0),
            &format!("- [{}](@/{key})\n", s.title.1),
        );
    }
    let description = |en: &str, cy: &str| (toml_str(en), toml_str(cy));
    let (den, dcy) = description(
        "A large generated site for benchmarks.",
        "Safle mawr wedi'i gynhyrchu ar gyfer meincnodau.",
    );
    write(
        out,
        "_index.md",
        files(
            &[
                (
                    "title",
                    toml_str(sections[0].title.0),
                    toml_str(sections[0].title.1),
                ),
                ("description", den, dcy),
            ],
            None,
            body,
        ),
    )?;

    for s in sections.iter().skip(1) {
        let mut links = Vec::new();
        let mut body = paragraph(&mut rng, 2, 4, &mut links);
        body.push(
            "## About this section {#about-this-section}\n\n",
            "## Am yr adran hon {#about-this-section}\n\n",
        );
        let p = paragraph(&mut rng, 2, 3, &mut links);
        body.push(&p.en, &p.cy);
        let fields = [
            ("title", toml_str(s.title.0), toml_str(s.title.1)),
            (
                "description",
                toml_str(&format!("Reports, guidance and figures: {}.", s.title.0)),
                toml_str(&format!(
                    "Adroddiadau, canllawiau a ffigurau: {}.",
                    s.title.1
                )),
            ),
            ("weight", s.weight.to_string(), s.weight.to_string()),
        ];
        write(out, &section_key(s), files(&fields, Some(&s.cy_slug), body))?;
    }

    for i in 0..pages.len() {
        let body = page_body(&mut rng, &sections, &pages, i);
        let p = &pages[i];
        let (den, dcy) = sentence(&mut rng);
        let mut fields = vec![
            ("title", toml_str(&p.title.0), toml_str(&p.title.1)),
            ("description", toml_str(&den), toml_str(&dcy)),
            ("date", date(p.date), date(p.date)),
        ];
        if let Some(u) = p.updated {
            fields.push(("updated", date(u), date(u)));
        }
        if let Some(w) = p.weight {
            fields.push(("weight", w.to_string(), w.to_string()));
        }
        write(
            out,
            &page_key(&sections, p),
            files(&fields, Some(&p.cy_slug), body),
        )?;
    }
    Ok((pages.len(), sections.len() - 1))
}
