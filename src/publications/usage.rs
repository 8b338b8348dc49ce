//! Usage statistics (`data/usage/searches-*.csv`, `data/usage/conduct.csv`): how often each
//! organisation searched each system, for what reason, and how often access was misused.
//!
//! The files are read once, at load, as a stream: each row is checked, added to small
//! aggregate tables (what pages and charts show) and kept in a compact row store (what the
//! downloads and the `table`, `list` and `chart` shortcodes read), about 24 bytes a row with
//! names interned. Nothing reads the files again, so what is published is what was checked.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Serialize;

use super::organisations::SYSTEMS;
use super::registry::{Load, PublicationKind, boxed};
use super::{Data, Ids, Item, Publication, View};
use crate::charts::{Kind as ChartKind, Series};
use crate::data::csvfile::{Columns, RowLimit, Table};
use crate::data::{Loader, parse_month};
use crate::datasets::columns::{Schema, Values, Words};
use crate::datasets::{Cell, Dataset, Kind};
use crate::diagnostics::{Diagnostic, SourceFile};
use crate::locale::Lang;

pub const DIR: &str = "usage";
pub const CONDUCT: &str = "usage/conduct.csv";

const SEARCH_COLUMNS: Columns = Columns {
    required: &["period", "organisation", "system", "reason", "searches"],
    optional: &[],
};
const CONDUCT_COLUMNS: Columns = Columns {
    required: &[
        "period",
        "organisation",
        "misuse_cases",
        "breaches",
        "disciplinary_cases",
    ],
    optional: &[],
};

/// Rows the searches files may have between them. Their downloads and the charts drawn from
/// them are built in memory, at about 2 KB a row at peak: the bundled site with 500,000 rows
/// built in 13 s with a peak of 1.25 GB. A file beyond it is refused at the row that crosses
/// it, before anything is built (a 1 GB file: in 1 s, 28 MB).
pub const MAX_SEARCH_ROWS: usize = crate::data::csvfile::MAX_ROWS;

pub type Month = (i16, i8);

/// Misuse cases, breaches, disciplinary cases.
pub type Conduct = [u64; 3];

pub struct Usage {
    /// Searches by month and system (index into SYSTEMS).
    pub by_month: BTreeMap<Month, [u64; 3]>,
    /// Searches by year, organisation and system.
    pub by_year_org: BTreeMap<(i16, String), [u64; 3]>,
    /// Searches by year and reason.
    pub by_year_reason: BTreeMap<(i16, String), u64>,
    /// Searches by organisation and month (all systems).
    pub by_org_month: BTreeMap<(String, Month), u64>,
    /// Conduct by year and organisation.
    pub conduct: BTreeMap<(i16, String), Conduct>,
    /// Conduct by month (all organisations).
    pub conduct_by_month: BTreeMap<Month, Conduct>,
    /// Every row, as checked.
    rows: Arc<RowStore>,
    has_searches: bool,
    has_conduct: bool,
    source: SourceFile,
}

/// The rows of the usage files, compact: organisation ids and reason codes are interned.
#[derive(Default)]
struct RowStore {
    names: Vec<String>,
    index: HashMap<String, u32>,
    searches: Vec<SearchRow>,
    conduct: Vec<ConductRow>,
}

struct SearchRow {
    month: Month,
    organisation: u32,
    /// A position in [`SYSTEMS`].
    system: u8,
    reason: u32,
    searches: u64,
}

struct ConductRow {
    month: Month,
    organisation: u32,
    counts: Conduct,
}

impl RowStore {
    fn intern(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        // Rows are capped far below u32::MAX (MAX_SEARCH_ROWS), and so are their names.
        let i = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.names.push(name.to_string());
        self.index.insert(name.to_string(), i);
        i
    }

    fn name(&self, i: u32) -> Cell {
        Cell::Text(self.names.get(i as usize).cloned().unwrap_or_default())
    }

    fn period((year, month): Month) -> Cell {
        Cell::Text(format!("{year:04}-{month:02}"))
    }

    fn count(n: u64) -> Cell {
        i64::try_from(n).map_or_else(|_| Cell::Text(n.to_string()), Cell::Int)
    }
}

fn add<const N: usize>(a: &mut [u64; N], b: &[u64; N]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
}

pub fn load(loader: &Loader, ids: &Ids) -> (Option<Usage>, Vec<Diagnostic>) {
    let files: Vec<String> = loader
        .list(DIR, ".csv")
        .into_iter()
        .filter(|f| {
            f.rsplit('/')
                .next()
                .is_some_and(|n| n.starts_with("searches"))
        })
        .collect();
    if files.is_empty() && !loader.exists(CONDUCT) {
        return (None, Vec::new());
    }
    let mut usage = Usage {
        by_month: BTreeMap::new(),
        by_year_org: BTreeMap::new(),
        by_year_reason: BTreeMap::new(),
        by_org_month: BTreeMap::new(),
        conduct: BTreeMap::new(),
        conduct_by_month: BTreeMap::new(),
        rows: Arc::default(),
        has_searches: false,
        has_conduct: false,
        source: SourceFile::new(loader.path(DIR).1, ""),
    };
    let mut diags = Vec::new();
    let mut store = RowStore::default();
    let mut rows_left = MAX_SEARCH_ROWS;
    for rel in &files {
        let (abs, shown) = loader.path(rel);
        let mut table = match Table::open(&abs, &shown, &SEARCH_COLUMNS) {
            Ok(t) => t,
            Err(ds) => {
                diags.extend(ds);
                continue;
            }
        };
        table.limit_rows(RowLimit {
            rows: rows_left,
            message: format!(
                "too many rows: the searches-*.csv files may have {MAX_SEARCH_ROWS} between them"
            ),
            hint: "sum the rows by month, or publish fewer years".into(),
        });
        usage.has_searches = true;
        diags.extend(table.for_each(|row| {
            let mut errors = Vec::new();
            let month = month_cell(row, &mut errors);
            let org = org_cell(row, ids, &mut errors);
            let system = match SYSTEMS.iter().position(|s| *s == row.get("system")) {
                Some(i) => i,
                None => {
                    errors.push(row.error(
                        "system",
                        format!(
                            "`system` must be one of {}, not `{}`",
                            SYSTEMS.join(", "),
                            row.get("system")
                        ),
                    ));
                    0
                }
            };
            let reason = row.get("reason");
            if let Some(m) = ids.reasons.missing(reason) {
                errors.push(
                    row.error("reason", m)
                        .hint("reasons are defined in data/reasons.toml"),
                );
            }
            let searches = match row.parse::<u64>("searches", "a whole number of searches") {
                Ok(n) => n,
                Err(e) => {
                    errors.push(e);
                    0
                }
            };
            if errors.is_empty()
                && let Some(month) = month
            {
                let mut by_system = [0; 3];
                // `system` is a position in SYSTEMS (three), or 0 with an error above.
                by_system[system] = searches;
                add(usage.by_month.entry(month).or_default(), &by_system);
                add(
                    usage
                        .by_year_org
                        .entry((month.0, org.to_string()))
                        .or_default(),
                    &by_system,
                );
                *usage
                    .by_year_reason
                    .entry((month.0, reason.to_string()))
                    .or_default() += searches;
                *usage
                    .by_org_month
                    .entry((org.to_string(), month))
                    .or_default() += searches;
                let row = SearchRow {
                    month,
                    organisation: store.intern(org),
                    // A position in SYSTEMS, which has three.
                    system: system as u8,
                    reason: store.intern(reason),
                    searches,
                };
                store.searches.push(row);
            }
            errors
        }));
        rows_left -= table.rows();
        if table.over_limit() {
            // Said once: the files after it would each cross the same limit.
            break;
        }
    }
    if loader.exists(CONDUCT) {
        let (abs, shown) = loader.path(CONDUCT);
        match Table::open(&abs, &shown, &CONDUCT_COLUMNS) {
            Err(ds) => diags.extend(ds),
            Ok(mut table) => {
                usage.has_conduct = true;
                diags.extend(table.for_each(|row| {
                    let mut errors = Vec::new();
                    let month = month_cell(row, &mut errors);
                    let org = org_cell(row, ids, &mut errors);
                    let mut counts = [0u64; 3];
                    for (i, column) in ["misuse_cases", "breaches", "disciplinary_cases"]
                        .iter()
                        .enumerate()
                    {
                        match row.parse::<u64>(column, "a whole number") {
                            // `i` counts the three columns named just above.
                            Ok(n) => counts[i] = n,
                            Err(e) => errors.push(e),
                        }
                    }
                    if errors.is_empty()
                        && let Some(month) = month
                    {
                        add(
                            usage.conduct.entry((month.0, org.to_string())).or_default(),
                            &counts,
                        );
                        add(usage.conduct_by_month.entry(month).or_default(), &counts);
                        let organisation = store.intern(org);
                        store.conduct.push(ConductRow {
                            month,
                            organisation,
                            counts,
                        });
                    }
                    errors
                }));
            }
        }
    }
    usage.rows = Arc::new(store);
    (Some(usage), diags)
}

pub fn month_cell(row: &crate::data::csvfile::Row, errors: &mut Vec<Diagnostic>) -> Option<Month> {
    let raw = row.get("period");
    let month = parse_month(raw);
    if month.is_none() {
        errors.push(
            row.error("period", format!("invalid period `{raw}`"))
                .hint("periods are months written YYYY-MM, such as 2021-03"),
        );
    }
    month
}

pub fn org_cell<'r>(
    row: &'r crate::data::csvfile::Row,
    ids: &Ids,
    errors: &mut Vec<Diagnostic>,
) -> &'r str {
    let org = row.get("organisation");
    if let Some(m) = ids.organisations.missing(org) {
        errors.push(
            row.error("organisation", m)
                .hint("organisations are defined in data/organisations.csv"),
        );
    }
    org
}

#[derive(Serialize)]
struct YearRow {
    year: i16,
    path: Option<String>,
    systems: Vec<String>,
    total: String,
    change: Option<String>,
}

impl Usage {
    /// Monthly searches by system, over `months`.
    fn monthly_chart(
        &self,
        view: &View,
        lang: Lang,
        id: &str,
        months: Vec<Month>,
        title: String,
    ) -> String {
        let categories = months.iter().map(|m| month_name(lang, *m)).collect();
        let series = SYSTEMS
            .iter()
            .enumerate()
            .map(|(i, name)| Series {
                name: name.to_string(),
                values: months
                    .iter()
                    .map(|m| {
                        self.by_month
                            .get(m)
                            .map(|v| v[i] as f64)
                            .filter(|v| *v > 0.0)
                    })
                    .collect(),
            })
            .filter(|s| s.values.iter().any(Option::is_some))
            .collect();
        let first = months
            .first()
            .map(|m| month_name(lang, *m))
            .unwrap_or_default();
        let last = months
            .last()
            .map(|m| month_name(lang, *m))
            .unwrap_or_default();
        view.chart(
            lang,
            id,
            ChartKind::Line,
            title,
            view.t(lang, "statistics.chart_subtitle")
                .replace("{from}", &first)
                .replace("{to}", &last),
            view.t(lang, "data.searches"),
            view.t(lang, "data.month"),
            categories,
            series,
            "searches",
        )
    }

    /// Every month from the first with data to the last, so missing months show as gaps.
    fn all_months(&self) -> Vec<Month> {
        match (
            self.by_month.keys().next(),
            self.by_month.keys().next_back(),
        ) {
            (Some(&first), Some(&last)) => crate::data::months(first, last),
            _ => Vec::new(),
        }
    }

    fn reasons_chart(&self, view: &View, lang: Lang, year: i16) -> String {
        let mut rows: Vec<(&String, u64)> = self
            .by_year_reason
            .range((year, String::new())..(year + 1, String::new()))
            .map(|((_, r), n)| (r, *n))
            .collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        view.chart(
            lang,
            "chart-reasons",
            ChartKind::HorizontalBar,
            view.t(lang, "statistics.reasons_chart_title")
                .replace("{year}", &year.to_string()),
            view.t(lang, "statistics.reasons_chart_subtitle")
                .replace("{year}", &year.to_string()),
            view.t(lang, "data.searches"),
            view.t(lang, "reasons.reason"),
            rows.iter()
                .map(|(id, _)| super::organisations::reason_name(view, id, lang))
                .collect(),
            vec![Series {
                name: view.t(lang, "data.searches"),
                values: rows.iter().map(|(_, n)| Some(*n as f64)).collect(),
            }],
            "searches",
        )
    }

    pub fn years(&self) -> Vec<i16> {
        let mut years: Vec<i16> = self.by_month.keys().map(|m| m.0).collect();
        years.dedup();
        years
    }

    fn year_total(&self, year: i16) -> [u64; 3] {
        let mut t = [0; 3];
        for (_, v) in self.by_month.range((year, 1)..=(year, 12)) {
            add(&mut t, v);
        }
        t
    }

    fn conduct_total(&self, year: i16) -> Conduct {
        let mut t = [0; 3];
        for (_, v) in self.conduct_by_month.range((year, 1)..=(year, 12)) {
            add(&mut t, v);
        }
        t
    }

    fn year_rows(&self, view: &View, lang: Lang) -> Vec<YearRow> {
        let mut previous: Option<u64> = None;
        self.years()
            .into_iter()
            .map(|y| {
                let t = self.year_total(y);
                let total: u64 = t.iter().sum();
                let change = previous
                    .filter(|p| *p > 0)
                    .map(|p| percent_change(p, total, lang));
                previous = Some(total);
                YearRow {
                    year: y,
                    path: view.link("statistics", &y.to_string(), lang),
                    systems: t.iter().map(|n| view.number(*n as i64, lang)).collect(),
                    total: view.number(total as i64, lang),
                    change,
                }
            })
            .collect()
    }

    fn reasons(&self, view: &View, lang: Lang, year: i16) -> Vec<serde_json::Value> {
        let mut rows: Vec<(&String, u64)> = self
            .by_year_reason
            .range((year, String::new())..(year + 1, String::new()))
            .map(|((_, r), n)| (r, *n))
            .collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let total: u64 = rows.iter().map(|r| r.1).sum();
        rows.iter()
            .map(|(id, n)| {
                serde_json::json!({
                    "name": super::organisations::reason_name(view, id, lang),
                    "searches": view.number(*n as i64, lang),
                    "share": share(*n, total, lang),
                })
            })
            .collect()
    }

    fn organisations(&self, view: &View, lang: Lang, year: i16) -> Vec<serde_json::Value> {
        let mut rows: Vec<(&String, u64, [u64; 3])> = self
            .by_year_org
            .range((year, String::new())..(year + 1, String::new()))
            .map(|((_, o), v)| (o, v.iter().sum(), *v))
            .collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        rows.iter()
            .map(|(id, total, by_system)| {
                let conduct = self.conduct.get(&(year, id.to_string())).copied().unwrap_or_default();
                serde_json::json!({
                    "name": org_name(view, id, lang),
                    "path": view.link("organisations", id, lang),
                    "systems": by_system.iter().map(|n| view.number(*n as i64, lang)).collect::<Vec<_>>(),
                    "total": view.number(*total as i64, lang),
                    "conduct": conduct.iter().map(|n| view.number(*n as i64, lang)).collect::<Vec<_>>(),
                })
            })
            .collect()
    }

    fn months(&self, view: &View, lang: Lang, year: i16) -> Vec<serde_json::Value> {
        self.by_month
            .range((year, 1)..=(year, 12))
            .map(|(m, v)| {
                let conduct = self.conduct_by_month.get(m).copied().unwrap_or_default();
                serde_json::json!({
                    "month": month_name(lang, *m),
                    "systems": v.iter().map(|n| view.number(*n as i64, lang)).collect::<Vec<_>>(),
                    "total": view.number(v.iter().sum::<u64>() as i64, lang),
                    "conduct": conduct.iter().map(|n| view.number(*n as i64, lang)).collect::<Vec<_>>(),
                })
            })
            .collect()
    }

    /// Figures for one organisation's page.
    pub fn for_organisation(&self, view: &View, lang: Lang, org: &str) -> serde_json::Value {
        let years: Vec<serde_json::Value> = self
            .years()
            .into_iter()
            .filter_map(|y| {
                let by_system = self.by_year_org.get(&(y, org.to_string()))?;
                let conduct = self.conduct.get(&(y, org.to_string())).copied().unwrap_or_default();
                Some(serde_json::json!({
                    "year": y,
                    "systems": by_system.iter().map(|n| view.number(*n as i64, lang)).collect::<Vec<_>>(),
                    "total": view.number(by_system.iter().sum::<u64>() as i64, lang),
                    "conduct": conduct.iter().map(|n| view.number(*n as i64, lang)).collect::<Vec<_>>(),
                }))
            })
            .collect();
        let chart_years: Vec<i16> = self
            .years()
            .into_iter()
            .filter(|y| self.by_year_org.contains_key(&(*y, org.to_string())))
            .collect();
        let chart = view.chart(
            lang,
            "chart-organisation-searches",
            ChartKind::Bar,
            view.t(lang, "organisations.usage_chart_title")
                .replace("{name}", &org_name(view, org, lang)),
            view.t(lang, "organisations.usage_chart_subtitle"),
            view.t(lang, "data.searches"),
            view.t(lang, "data.year"),
            chart_years.iter().map(|y| y.to_string()).collect(),
            vec![Series {
                name: view.t(lang, "data.searches"),
                values: chart_years
                    .iter()
                    .map(|y| {
                        self.by_year_org
                            .get(&(*y, org.to_string()))
                            .map(|v| v.iter().sum::<u64>() as f64)
                    })
                    .collect(),
            }],
            "searches",
        );
        serde_json::json!({
            "years": years,
            "chart": chart,
            "system_names": SYSTEMS,
            "illustrative": view.is_illustrative("searches"),
            "downloads": view.downloads("searches", lang),
        })
    }

    /// A figure for the `figure` shortcode: total searches in a year (optionally one system
    /// or organisation), or conduct counts.
    pub fn figure(
        &self,
        measure: &str,
        year: Option<i16>,
        org: Option<&str>,
        system: Option<&str>,
    ) -> Option<u64> {
        let year = year.or_else(|| self.years().last().copied())?;
        let system_index = system.and_then(|s| SYSTEMS.iter().position(|x| *x == s));
        // A position in SYSTEMS, so below 3.
        let pick = |v: &[u64; 3]| system_index.map_or(v.iter().sum(), |i| v[i]);
        match measure {
            "searches" => Some(match org {
                Some(o) => pick(self.by_year_org.get(&(year, o.to_string()))?),
                None => pick(&self.year_total(year)),
            }),
            "misuse" | "breaches" | "disciplinary" => {
                let i = ["misuse", "breaches", "disciplinary"]
                    .iter()
                    .position(|m| *m == measure)?;
                // `i` is a position in the three-item list just above.
                Some(match org {
                    Some(o) => self.conduct.get(&(year, o.to_string()))?[i],
                    None => self.conduct_total(year)[i],
                })
            }
            _ => None,
        }
    }
}

pub fn org_name(view: &View, id: &str, lang: Lang) -> String {
    view.data
        .get::<crate::publications::organisations::Organisations>()
        .and_then(|o| o.get(id))
        .map_or_else(|| id.to_string(), |o| o.name.get(lang).to_string())
}

pub fn month_name(lang: Lang, (y, m): Month) -> String {
    jiff::civil::Date::new(y, m, 1)
        .map(|d| {
            let long = lang.long_date(d);
            long.split_once(' ')
                .map_or(long.clone(), |(_, rest)| rest.to_string())
        })
        .unwrap_or_default()
}

fn share(n: u64, total: u64, lang: Lang) -> String {
    if total == 0 {
        return "0%".into();
    }
    let _ = lang;
    format!("{:.1}%", n as f64 * 100.0 / total as f64)
}

fn percent_change(from: u64, to: u64, lang: Lang) -> String {
    let _ = lang;
    let change = (to as f64 - from as f64) * 100.0 / from as f64;
    format!("{}{:.1}%", if change > 0.0 { "+" } else { "" }, change)
}

/// This publication type, for [`super::PUBLICATIONS`].
pub const KIND: PublicationKind = PublicationKind {
    name: "statistics",
    load: Load::Uses(|loader, ids| boxed(load(loader, ids))),
};

impl Publication for Usage {
    fn source(&self) -> &SourceFile {
        &self.source
    }

    fn index_template(&self) -> &'static str {
        "publications/statistics.html"
    }

    fn items(&self, view: &View, lang: Lang) -> Vec<Item> {
        self.years()
            .into_iter()
            .map(|y| Item {
                id: y.to_string(),
                segment: y.to_string(),
                title: view
                    .t(lang, "statistics.year_title")
                    .replace("{year}", &y.to_string()),
                description: Some(
                    view.t(lang, "statistics.year_description")
                        .replace("{year}", &y.to_string()),
                ),
                template: "publications/statistics-year.html",
                print: None,
            })
            .collect()
    }

    fn index(&self, view: &View, lang: Lang) -> tera::Value {
        let years = self.years();
        let latest = years.last().copied().unwrap_or_default();
        let latest_total: u64 = self.year_total(latest).iter().sum();
        let conduct = self.conduct_total(latest);
        tera::Value::from_serializable(&serde_json::json!({
            "latest_year": latest,
            "latest_total": view.number(latest_total as i64, lang),
            "latest_conduct": conduct.iter().map(|n| view.number(*n as i64, lang)).collect::<Vec<_>>(),
            "years": self.year_rows(view, lang),
            "system_names": SYSTEMS,
            "reasons": self.reasons(view, lang, latest),
            "trend_chart": self.monthly_chart(view, lang, "chart-trend", self.all_months(), view.t(lang, "statistics.trend_chart_title")),
            "reasons_chart": self.reasons_chart(view, lang, latest),
            "illustrative": view.is_illustrative("searches"),
            "downloads": view.downloads("searches", lang),
            "conduct_downloads": view.downloads("conduct", lang),
        }))
    }

    fn item(&self, view: &View, lang: Lang, id: &str) -> tera::Value {
        let Ok(year) = id.parse::<i16>() else {
            return tera::Value::none();
        };
        let total: u64 = self.year_total(year).iter().sum();
        tera::Value::from_serializable(&serde_json::json!({
            "year": year,
            "total": view.number(total as i64, lang),
            "system_names": SYSTEMS,
            "months": self.months(view, lang, year),
            "month_chart": self.monthly_chart(
                view,
                lang,
                "chart-months",
                (1..=12).map(|m| (year, m)).collect(),
                view.t(lang, "statistics.month_chart_title").replace("{year}", &year.to_string()),
            ),
            "reasons_chart": self.reasons_chart(view, lang, year),
            "reasons": self.reasons(view, lang, year),
            "organisations": self.organisations(view, lang, year),
            "illustrative": view.is_illustrative("searches"),
            "downloads": view.downloads("searches", lang),
            "conduct_downloads": view.downloads("conduct", lang),
        }))
    }

    fn datasets(&self, data: &Data, words: Words) -> Vec<Result<Dataset, Diagnostic>> {
        let name = |store: &Arc<RowStore>| {
            let store = Arc::clone(store);
            move |i: u32| store.name(i)
        };
        let mut out = Vec::new();
        if self.has_searches {
            let meta = data.catalogue.meta("searches", "data/usage/searches-*.csv");
            let (organisation, reason) = (name(&self.rows), name(&self.rows));
            let store = Arc::clone(&self.rows);
            out.push(meta.map(|meta| {
                Schema::<SearchRow>::new("searches", words)
                    .column("period", Kind::YearMonth, |r| RowStore::period(r.month))
                    .column("organisation", Kind::String, move |r| {
                        organisation(r.organisation)
                    })
                    .values(Values::Organisation)
                    .column("system", Kind::String, |r| {
                        let system = SYSTEMS.get(r.system as usize).copied();
                        Cell::Text(system.unwrap_or_default().to_string())
                    })
                    .column("reason", Kind::String, move |r| reason(r.reason))
                    .values(Values::Reason)
                    .column("searches", Kind::Integer, |r| RowStore::count(r.searches))
                    .streamed(meta, move |emit| store.searches.iter().for_each(emit))
            }));
        }
        if self.has_conduct {
            let organisation = name(&self.rows);
            let store = Arc::clone(&self.rows);
            out.push(data.catalogue.meta("conduct", CONDUCT).map(|meta| {
                let mut schema = Schema::<ConductRow>::new("conduct", words)
                    .column("period", Kind::YearMonth, |r| RowStore::period(r.month))
                    .column("organisation", Kind::String, move |r| {
                        organisation(r.organisation)
                    })
                    .values(Values::Organisation);
                for (i, count) in ["misuse_cases", "breaches", "disciplinary_cases"]
                    .into_iter()
                    .enumerate()
                {
                    schema =
                        schema.column(count, Kind::Integer, move |r| RowStore::count(r.counts[i]));
                }
                schema.streamed(meta, move |emit| store.conduct.iter().for_each(emit))
            }));
        }
        out
    }
}
