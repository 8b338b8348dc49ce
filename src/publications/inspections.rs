//! Inspection workplans (`data/inspections/YYYY.toml`): thematic and organisation
//! inspections, and their recommendations tracked to implementation, rolled up so the public
//! sees how many are implemented, in progress and overdue.

use serde::Deserialize;
use toml::Spanned;

use super::actions::owner_name;
use super::registry::{Load, PublicationKind, boxed};
use super::{Data, Ids, Item, Publication, View};
use crate::content::PageDate;
use crate::data::{IdSet, Loader, Text, check_one_of, text};
use crate::datasets::columns::{Schema, Values, Words};
use crate::datasets::{Cell, Dataset, Kind};
use crate::diagnostics::{Diagnostic, SourceFile};
use crate::locale::Lang;

pub const DIR: &str = "inspections";
pub const KINDS: &[&str] = &["thematic", "organisation"];
pub const STATUS: &[&str] = &[
    "planned",
    "in-progress",
    "reported",
    "postponed",
    "cancelled",
];
pub const REC_STATUS: &[&str] = &["not-started", "in-progress", "implemented", "withdrawn"];
pub const TOPICS: &[&str] = &["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"];

#[derive(Deserialize)]
struct RawYear {
    year: Spanned<i64>,
    published: PageDate,
    inspections: Vec<RawInspection>,
}

#[derive(Deserialize)]
struct RawInspection {
    id: Spanned<String>,
    kind: Spanned<String>,
    title: Spanned<Text>,
    summary: Spanned<Text>,
    #[serde(default)]
    organisations: Vec<Spanned<String>>,
    inspectorate: Spanned<String>,
    #[serde(default)]
    partners: Vec<Spanned<String>>,
    quarter: Spanned<String>,
    status: Spanned<String>,
    #[serde(default)]
    report_url: Option<Spanned<String>>,
    #[serde(default)]
    topics: Vec<Spanned<String>>,
    #[serde(default)]
    recommendations: Vec<RawRecommendation>,
}

#[derive(Deserialize)]
struct RawRecommendation {
    id: Spanned<String>,
    text: Spanned<Text>,
    owner: Spanned<String>,
    due: PageDate,
    status: Spanned<String>,
}

pub struct Recommendation {
    pub id: String,
    pub text: Text,
    pub owner: String,
    pub due: jiff::civil::Date,
    pub status: String,
}

pub struct Inspection {
    pub id: String,
    pub kind: String,
    pub title: Text,
    pub summary: Text,
    pub organisations: Vec<String>,
    pub inspectorate: String,
    pub partners: Vec<String>,
    pub quarter: String,
    pub status: String,
    pub report_url: Option<String>,
    pub topics: Vec<String>,
    pub recommendations: Vec<Recommendation>,
}

pub struct Year {
    pub year: i16,
    pub published: jiff::civil::Date,
    pub inspections: Vec<Inspection>,
    pub source: SourceFile,
}

pub struct Inspections {
    pub years: Vec<Year>,
    source: SourceFile,
}

fn valid_quarter(q: &str, year: i64) -> bool {
    matches!(q.split_once("-Q"), Some((y, n)) if y == year.to_string() && matches!(n, "1" | "2" | "3" | "4"))
}

pub fn load(loader: &Loader, ids: &Ids) -> (Option<Inspections>, Vec<Diagnostic>) {
    let files = loader.list(DIR, ".toml");
    if files.is_empty() {
        return (None, Vec::new());
    }
    let config = loader.config;
    let mut diags = Vec::new();
    let mut years = Vec::new();
    let mut inspection_ids = IdSet::new("inspection");
    let mut rec_ids = IdSet::new("recommendation");
    for rel in files {
        let (raw, source) = match loader.read_toml::<RawYear>(&rel) {
            Ok(r) => r,
            Err(ds) => {
                diags.extend(ds);
                continue;
            }
        };
        let year = *raw.year.get_ref();
        let mut inspections = Vec::new();
        for i in raw.inspections {
            diags.extend(inspection_ids.define(i.id.get_ref(), &source, i.id.span()));
            diags.extend(check_one_of(&source, &i.kind, KINDS, "kind"));
            diags.extend(check_one_of(&source, &i.status, STATUS, "status"));
            diags.extend(text::check(&source, &i.title, "title", config));
            diags.extend(text::check(&source, &i.summary, "summary", config));
            for o in &i.organisations {
                diags.extend(ids.organisations.check(&source, o));
            }
            if i.kind.get_ref() == "organisation" && i.organisations.is_empty() {
                diags.push(
                    Diagnostic::error("an organisation inspection names no organisation")
                        .at(&source, i.kind.span())
                        .hint("list the organisation ids inspected in `organisations = [...]`"),
                );
            }
            diags.extend(ids.bodies.check(&source, &i.inspectorate));
            for p in &i.partners {
                diags.extend(ids.bodies.check(&source, p));
            }
            if !valid_quarter(i.quarter.get_ref(), year) {
                diags.push(
                    Diagnostic::error(format!("invalid quarter `{}`", i.quarter.get_ref()))
                        .at(&source, i.quarter.span())
                        .hint(format!("write quarters of this workplan's year as \"{year}-Q1\" to \"{year}-Q4\"")),
                );
            }
            for t in &i.topics {
                diags.extend(check_one_of(&source, t, TOPICS, "topics"));
            }
            if let Some(u) = &i.report_url {
                diags.extend(super::check_link(&source, "report_url", u));
            }
            let mut recommendations = Vec::new();
            for r in i.recommendations {
                diags.extend(rec_ids.define(r.id.get_ref(), &source, r.id.span()));
                diags.extend(text::check(&source, &r.text, "text", config));
                diags.extend(check_one_of(&source, &r.status, REC_STATUS, "status"));
                if let Some(m) = ids.owner_missing(r.owner.get_ref()) {
                    diags.push(Diagnostic::error(m).at(&source, r.owner.span()));
                }
                recommendations.push(Recommendation {
                    id: r.id.into_inner(),
                    text: r.text.into_inner(),
                    owner: r.owner.into_inner(),
                    due: r.due.0,
                    status: r.status.into_inner(),
                });
            }
            inspections.push(Inspection {
                id: i.id.into_inner(),
                kind: i.kind.into_inner(),
                title: i.title.into_inner(),
                summary: i.summary.into_inner(),
                organisations: i
                    .organisations
                    .into_iter()
                    .map(Spanned::into_inner)
                    .collect(),
                inspectorate: i.inspectorate.into_inner(),
                partners: i.partners.into_iter().map(Spanned::into_inner).collect(),
                quarter: i.quarter.into_inner(),
                status: i.status.into_inner(),
                report_url: i.report_url.map(Spanned::into_inner),
                topics: i.topics.into_iter().map(Spanned::into_inner).collect(),
                recommendations,
            });
        }
        years.push(Year {
            year: year as i16,
            published: raw.published.0,
            inspections,
            source,
        });
    }
    years.sort_by_key(|y| y.year);
    (
        Some(Inspections {
            years,
            source: SourceFile::new(loader.path(DIR).1, ""),
        }),
        diags,
    )
}

/// `2021-Q2` as words in the page's language: "Quarter 2 2021", "Chwarter 2 2021".
pub fn quarter_label(strings: &crate::theme::Strings, lang: Lang, quarter: &str) -> String {
    match quarter.split_once("-Q") {
        Some((year, n)) => strings
            .get(lang, "inspections.quarter_label")
            .unwrap_or("Q{n} {year}")
            .replace("{n}", n)
            .replace("{year}", year),
        None => quarter.to_string(),
    }
}

/// A recommendation's state as the public sees it: overdue when past due and not done.
pub fn tracked_status(r: &Recommendation, today: jiff::civil::Date) -> &str {
    match r.status.as_str() {
        "implemented" | "withdrawn" => &r.status,
        _ if r.due < today => "overdue",
        s => s,
    }
}

const ROLLUP: [&str; 5] = [
    "implemented",
    "in-progress",
    "not-started",
    "overdue",
    "withdrawn",
];

impl Inspections {
    fn all_recommendations(&self) -> impl Iterator<Item = (&Inspection, &Recommendation)> {
        self.years
            .iter()
            .flat_map(|y| y.inspections.iter())
            .flat_map(|i| i.recommendations.iter().map(move |r| (i, r)))
    }

    fn rollup<'a>(
        &self,
        view: &View,
        lang: Lang,
        recs: impl Iterator<Item = &'a Recommendation>,
    ) -> serde_json::Value {
        let mut counts = [0usize; 5];
        for r in recs {
            let s = tracked_status(r, view.data.today);
            if let Some(i) = ROLLUP.iter().position(|x| *x == s) {
                counts[i] += 1;
            }
        }
        let total: usize = counts.iter().sum();
        let chart = view.chart(
            lang,
            "chart-recommendations",
            crate::charts::Kind::Bar,
            view.t(lang, "recommendations.chart_title"),
            view.t(lang, "recommendations.chart_subtitle")
                .replace("{date}", &view.date(view.data.today, lang)),
            view.t(lang, "recommendations.chart_measure"),
            view.t(lang, "recommendations.status_label"),
            ROLLUP
                .iter()
                .map(|s| view.t(lang, &format!("recommendations.status.{s}")))
                .collect(),
            vec![crate::charts::Series {
                name: view.t(lang, "recommendations.chart_measure"),
                values: counts.iter().map(|n| Some(*n as f64)).collect(),
            }],
            "recommendations",
        );
        serde_json::json!({
            "chart": chart,
            "total": view.number(total as i64, lang),
            "groups": ROLLUP.iter().zip(counts).map(|(s, n)| serde_json::json!({
                "id": s,
                "label": view.t(lang, &format!("recommendations.status.{s}")),
                "count": view.number(n as i64, lang),
            })).collect::<Vec<_>>(),
        })
    }

    fn recommendation_value(
        &self,
        view: &View,
        lang: Lang,
        i: &Inspection,
        r: &Recommendation,
    ) -> serde_json::Value {
        let status = tracked_status(r, view.data.today);
        serde_json::json!({
            "id": r.id,
            "text": r.text.get(lang),
            "owner": owner_name(view, &r.owner, lang),
            "owner_path": view.link("organisations", &r.owner, lang),
            "due": view.date(r.due, lang),
            "due_iso": r.due.to_string(),
            "status": view.t(lang, &format!("recommendations.status.{status}")),
            "status_id": status,
            "inspection": i.title.get(lang),
            "inspection_id": i.id,
        })
    }

    fn inspection_value(
        &self,
        view: &View,
        lang: Lang,
        i: &Inspection,
        source: &SourceFile,
    ) -> serde_json::Value {
        let regulators = view.data.get::<crate::publications::regulators::Regulators>();
        let body = |id: &str| regulators.map_or(id.to_string(), |r| r.short_name(id, lang));
        serde_json::json!({
            "id": i.id,
            "kind": view.t(lang, &format!("inspections.kind.{}", i.kind)),
            "title": i.title.get(lang),
            "summary": view.markdown(&i.summary, lang, source),
            "organisations": i.organisations.iter().map(|o| serde_json::json!({
                "name": super::usage::org_name(view, o, lang),
                "path": view.link("organisations", o, lang),
            })).collect::<Vec<_>>(),
            "inspectorate": body(&i.inspectorate),
            "partners": i.partners.iter().map(|p| body(p)).collect::<Vec<_>>().join(", "),
            "quarter": quarter_label(view.strings, lang, &i.quarter),
            "status": view.t(lang, &format!("inspections.status.{}", i.status)),
            "status_id": i.status,
            "report_url": i.report_url,
            "topics": i.topics.iter().map(|t| serde_json::json!({
                "letter": t,
                "name": view.t(lang, &format!("topics.{t}")),
            })).collect::<Vec<_>>(),
            "recommendations": i.recommendations.iter().map(|r| self.recommendation_value(view, lang, i, r)).collect::<Vec<_>>(),
        })
    }

    /// Inspections of one organisation, and recommendations it owns.
    pub fn for_organisation(&self, view: &View, lang: Lang, org: &str) -> serde_json::Value {
        let inspections: Vec<serde_json::Value> = self
            .years
            .iter()
            .flat_map(|y| y.inspections.iter().map(move |i| (y, i)))
            .filter(|(_, i)| i.organisations.iter().any(|o| o == org))
            .map(|(y, i)| {
                serde_json::json!({
                    "title": i.title.get(lang),
                    "quarter": quarter_label(view.strings, lang, &i.quarter),
                    "status": view.t(lang, &format!("inspections.status.{}", i.status)),
                    "path": view.link("inspections", &y.year.to_string(), lang).map(|p| format!("{p}#{}", i.id)),
                })
            })
            .collect();
        let recommendations: Vec<serde_json::Value> = self
            .all_recommendations()
            .filter(|(_, r)| r.owner == org)
            .map(|(i, r)| self.recommendation_value(view, lang, i, r))
            .collect();
        serde_json::json!({
            "inspections": inspections,
            "recommendations": recommendations,
            "illustrative": view.is_illustrative("inspections"),
        })
    }
}

/// This publication type, for [`super::PUBLICATIONS`].
pub const KIND: PublicationKind = PublicationKind {
    name: "inspections",
    load: Load::Uses(|loader, ids| boxed(load(loader, ids))),
};

impl Publication for Inspections {
    fn source(&self) -> &SourceFile {
        &self.source
    }

    fn index_template(&self) -> &'static str {
        "publications/inspections.html"
    }

    fn items(&self, view: &View, lang: Lang) -> Vec<Item> {
        let mut items: Vec<Item> = self
            .years
            .iter()
            .map(|y| Item {
                id: y.year.to_string(),
                segment: y.year.to_string(),
                title: view
                    .t(lang, "inspections.year_title")
                    .replace("{year}", &y.year.to_string()),
                description: Some(
                    view.t(lang, "inspections.year_description")
                        .replace("{year}", &y.year.to_string()),
                ),
                template: "publications/inspections-year.html",
                print: Some("publications/inspections-year-body.html"),
            })
            .collect();
        items.push(Item {
            id: "recommendations".into(),
            segment: view.t(lang, "recommendations.url"),
            title: view.t(lang, "recommendations.title"),
            description: Some(view.t(lang, "recommendations.description")),
            template: "publications/recommendations.html",
            print: None,
        });
        items
    }

    fn index(&self, view: &View, lang: Lang) -> tera::Value {
        let years: Vec<serde_json::Value> = self
            .years
            .iter()
            .rev()
            .map(|y| {
                serde_json::json!({
                    "year": y.year,
                    "path": view.link("inspections", &y.year.to_string(), lang),
                    "count": view.number(y.inspections.len() as i64, lang),
                    "published": view.date(y.published, lang),
                })
            })
            .collect();
        tera::Value::from_serializable(&serde_json::json!({
            "years": years,
            "rollup": self.rollup(view, lang, self.all_recommendations().map(|(_, r)| r)),
            "tracker": view.link("inspections", "recommendations", lang),
            "illustrative": view.is_illustrative("inspections"),
            "downloads": view.downloads("inspections", lang),
            "recommendation_downloads": view.downloads("recommendations", lang),
        }))
    }

    fn item(&self, view: &View, lang: Lang, id: &str) -> tera::Value {
        if id == "recommendations" {
            let mut recs: Vec<(&Inspection, &Recommendation)> =
                self.all_recommendations().collect();
            recs.sort_by_key(|(_, r)| {
                (
                    ROLLUP
                        .iter()
                        .position(|s| *s == tracked_status(r, view.data.today)),
                    r.due,
                )
            });
            return tera::Value::from_serializable(&serde_json::json!({
                "rollup": self.rollup(view, lang, recs.iter().map(|(_, r)| *r)),
                "recommendations": recs.iter().map(|(i, r)| self.recommendation_value(view, lang, i, r)).collect::<Vec<_>>(),
                "today": view.date(view.data.today, lang),
                "illustrative": view.is_illustrative("recommendations"),
                "downloads": view.downloads("recommendations", lang),
            }));
        }
        let Some(year) = self.years.iter().find(|y| y.year.to_string() == id) else {
            return tera::Value::none();
        };
        let inspections: Vec<serde_json::Value> = year
            .inspections
            .iter()
            .map(|i| self.inspection_value(view, lang, i, &year.source))
            .collect();
        tera::Value::from_serializable(&serde_json::json!({
            "year": year.year,
            "published": view.date(year.published, lang),
            "published_iso": year.published.to_string(),
            "inspections": inspections,
            "rollup": self.rollup(view, lang, year.inspections.iter().flat_map(|i| &i.recommendations)),
            "illustrative": view.is_illustrative("inspections"),
            "downloads": view.downloads("inspections", lang),
        }))
    }

    fn datasets(&self, data: &Data, words: Words) -> Vec<Result<Dataset, Diagnostic>> {
        let list = |ids: &[String]| Cell::Text(ids.join(";"));
        let inspections = data
            .catalogue
            .meta("inspections", "data/inspections/")
            .map(|meta| {
                let rows = self
                    .years
                    .iter()
                    .flat_map(|y| y.inspections.iter().map(move |i| (y.year, i)));
                Schema::<(i16, &Inspection)>::new("inspections", words)
                    .column("year", Kind::Integer, |(y, _)| Cell::Int((*y).into()))
                    .column("id", Kind::String, |(_, i)| Cell::Text(i.id.clone()))
                    .column("kind", Kind::String, |(_, i)| Cell::Text(i.kind.clone()))
                    .values(Values::Strings("inspections.kind"))
                    .text("title", |(_, i)| &i.title)
                    .column("organisations", Kind::String, move |(_, i)| {
                        list(&i.organisations)
                    })
                    .optional()
                    .values(Values::Organisation)
                    .list()
                    .column("inspectorate", Kind::String, |(_, i)| {
                        Cell::Text(i.inspectorate.clone())
                    })
                    .values(Values::Body)
                    .column("partners", Kind::String, move |(_, i)| list(&i.partners))
                    .optional()
                    .values(Values::Owner)
                    .list()
                    .column("quarter", Kind::String, |(_, i)| {
                        Cell::Text(i.quarter.clone())
                    })
                    .values(Values::Quarter)
                    .column("status", Kind::String, |(_, i)| {
                        Cell::Text(i.status.clone())
                    })
                    .values(Values::Strings("inspections.status"))
                    .column("report_url", Kind::String, |(_, i)| {
                        i.report_url.clone().map_or(Cell::Empty, Cell::Text)
                    })
                    .optional()
                    .column("topics", Kind::String, move |(_, i)| list(&i.topics))
                    .optional()
                    .values(Values::Strings("topics"))
                    .list()
                    .dataset(meta, rows)
            });
        let today = data.today;
        let recommendations = data
            .catalogue
            .meta("recommendations", "data/inspections/")
            .map(|meta| {
                Schema::<(&Inspection, &Recommendation)>::new("recommendations", words)
                    .column("id", Kind::String, |(_, r)| Cell::Text(r.id.clone()))
                    .column("inspection", Kind::String, |(i, _)| {
                        Cell::Text(i.id.clone())
                    })
                    .text("text", |(_, r)| &r.text)
                    .column("owner", Kind::String, |(_, r)| Cell::Text(r.owner.clone()))
                    .values(Values::Owner)
                    .column("due", Kind::Date, |(_, r)| Cell::Text(r.due.to_string()))
                    .column("status", Kind::String, |(_, r)| {
                        Cell::Text(r.status.clone())
                    })
                    .values(Values::Strings("recommendations.status"))
                    .column("tracked_status", Kind::String, move |(_, r)| {
                        Cell::Text(tracked_status(r, today).to_string())
                    })
                    .values(Values::Strings("recommendations.status"))
                    .dataset(meta, self.all_recommendations())
            });
        vec![inspections, recommendations]
    }
}
