//! User organisations (`data/organisations.csv`): who has access to LEDS, why and under what
//! powers. A list filterable by jurisdiction and type (one page per value, no JavaScript), and a
//! page per organisation with its usage, inspections and recommendations.

use serde::Serialize;

use super::registry::{Load, PublicationKind, boxed};
use super::{Data, Ids, Item, Publication, View};
use crate::data::csvfile::{self, Columns, Table};
use crate::data::{Loader, Text, one_of, parse_date};
use crate::datasets::columns::{Schema, Values, Words};
use crate::datasets::{Cell, Dataset, Kind};
use crate::diagnostics::{Diagnostic, SourceFile};
use crate::locale::Lang;
use crate::routes::Route;

pub const FILE: &str = "organisations.csv";

pub const TYPES: &[&str] = &[
    "territorial-police",
    "specialist-police",
    "crown-dependency-police",
    "national-agency",
    "government-department",
    "other-law-enforcement",
];

pub const JURISDICTIONS: &[&str] = &[
    "england-wales",
    "scotland",
    "northern-ireland",
    "channel-islands",
    "isle-of-man",
    "uk-wide",
];

pub const SYSTEMS: &[&str] = &["PNC", "PND", "LEDS"];

const COLUMNS: Columns = Columns {
    required: &[
        "id",
        "name_en",
        "name_cy",
        "type",
        "jurisdiction",
        "systems",
        "purposes",
        "legal_powers_en",
        "legal_powers_cy",
        "senior_contact_role_en",
        "senior_contact_role_cy",
    ],
    optional: &["dpia_url", "dsa_date"],
};

#[derive(Debug, Clone)]
pub struct Organisation {
    pub id: String,
    pub name: Text,
    pub kind: &'static str,
    pub jurisdiction: &'static str,
    pub systems: Vec<&'static str>,
    pub purposes: Vec<String>,
    pub legal_powers: Text,
    pub dpia_url: Option<String>,
    pub dsa_date: Option<jiff::civil::Date>,
    pub senior_contact_role: Text,
}

pub struct Organisations {
    pub list: Vec<Organisation>,
    source: SourceFile,
}

impl Organisations {
    pub fn get(&self, id: &str) -> Option<&Organisation> {
        self.list.iter().find(|o| o.id == id)
    }
}

/// A bilingual text from `<name>_en`, `<name>_cy` columns.
pub fn row_text(
    row: &csvfile::Row,
    name: &str,
    loader: &Loader,
    errors: &mut Vec<Diagnostic>,
) -> Text {
    let mut pairs = Vec::new();
    for lang in &loader.config.languages {
        let column = format!("{name}_{}", lang.code);
        match row.required(&column) {
            Ok(v) => pairs.push((lang.code, v.to_string())),
            Err(e) => errors.push(e.hint(format!(
                "every row needs its {} text in `{column}`",
                lang.endonym
            ))),
        }
    }
    Text::from_pairs(pairs)
}

pub fn load(loader: &Loader, ids: &mut Ids) -> (Option<Organisations>, Vec<Diagnostic>) {
    if !loader.exists(FILE) {
        return (None, Vec::new());
    }
    let (abs, shown) = loader.path(FILE);
    let mut table = match Table::open(&abs, &shown, &COLUMNS) {
        Ok(t) => t,
        Err(ds) => return (None, ds),
    };
    let mut list = Vec::new();
    let mut defined = std::mem::replace(
        &mut ids.organisations,
        crate::data::IdSet::new("organisation"),
    );
    let diags = table.for_each(|row| {
        let mut errors = Vec::new();
        let id = row.get("id").to_string();
        let (src, span) = row.locate("id");
        if let Some(d) = defined.define(&id, &src, span) {
            errors.push(d);
        }
        let mut pick = |column: &str, allowed: &'static [&'static str]| -> &'static str {
            match one_of(row.get(column), allowed, column) {
                Ok(v) => v,
                Err(m) => {
                    errors.push(row.error(column, m));
                    allowed[0]
                }
            }
        };
        let kind = pick("type", TYPES);
        let jurisdiction = pick("jurisdiction", JURISDICTIONS);
        let mut systems = Vec::new();
        for s in csvfile::list(row.get("systems")) {
            match one_of(s, SYSTEMS, "systems") {
                Ok(v) => systems.push(v),
                Err(m) => errors.push(row.error("systems", m)),
            }
        }
        if systems.is_empty() {
            errors.push(
                row.error("systems", "`systems` is empty")
                    .hint("list the systems it uses, such as `PNC;PND`"),
            );
        }
        let mut purposes = Vec::new();
        for p in csvfile::list(row.get("purposes")) {
            match ids.reasons.missing(p) {
                None => purposes.push(p.to_string()),
                Some(m) => errors.push(
                    row.error("purposes", m)
                        .hint("purposes are reason ids from data/reasons.toml"),
                ),
            }
        }
        let dpia_url = match row.get("dpia_url") {
            "" => None,
            u => match super::link_problem("dpia_url", u) {
                None => Some(u.to_string()),
                Some(m) => {
                    errors.push(row.error("dpia_url", m).hint(super::LINK_HINT));
                    None
                }
            },
        };
        let dsa_date = match row.get("dsa_date") {
            "" => None,
            d => match parse_date(d) {
                Some(d) => Some(d),
                None => {
                    errors.push(
                        row.error("dsa_date", format!("invalid date `{d}`"))
                            .hint("write dates as YYYY-MM-DD"),
                    );
                    None
                }
            },
        };
        let name = row_text(row, "name", loader, &mut errors);
        let legal_powers = row_text(row, "legal_powers", loader, &mut errors);
        let senior_contact_role = row_text(row, "senior_contact_role", loader, &mut errors);
        if errors.is_empty() {
            list.push(Organisation {
                id,
                name,
                kind,
                jurisdiction,
                systems,
                purposes,
                legal_powers,
                dpia_url,
                dsa_date,
                senior_contact_role,
            });
        }
        errors
    });
    ids.organisations = defined;
    let source = SourceFile::new(shown, "");
    (Some(Organisations { list, source }), diags)
}

#[derive(Serialize)]
struct Row {
    id: String,
    name: String,
    path: String,
    kind: String,
    jurisdiction: String,
    systems: String,
    purposes: Vec<String>,
}

#[derive(Serialize)]
struct Filter {
    id: &'static str,
    label: String,
    path: String,
    count: usize,
    current: bool,
}

impl Organisations {
    fn row(&self, o: &Organisation, view: &View, lang: Lang) -> Row {
        Row {
            id: o.id.clone(),
            name: o.name.get(lang).to_string(),
            path: view.link("organisations", &o.id, lang).unwrap_or_default(),
            kind: view.t(lang, &format!("organisation_type.{}", o.kind)),
            jurisdiction: view.t(lang, &format!("jurisdiction.{}", o.jurisdiction)),
            systems: o.systems.join(", "),
            purposes: o
                .purposes
                .iter()
                .map(|p| reason_name(view, p, lang))
                .collect(),
        }
    }

    fn filters(&self, view: &View, lang: Lang, current: &str) -> tera::Value {
        let group = |field: &str,
                     values: &'static [&'static str],
                     count: &dyn Fn(&str) -> usize|
         -> Vec<Filter> {
            values
                .iter()
                .map(|v| (v, count(v)))
                .filter(|(_, n)| *n > 0)
                .map(|(v, n)| {
                    let id = format!("{field}/{v}");
                    Filter {
                        id: v,
                        label: view.t(lang, &format!("{field}.{v}")),
                        path: view.link("organisations", &id, lang).unwrap_or_default(),
                        count: n,
                        current: id == current,
                    }
                })
                .collect()
        };
        let by_j = |v: &str| self.list.iter().filter(|o| o.jurisdiction == v).count();
        let by_t = |v: &str| self.list.iter().filter(|o| o.kind == v).count();
        tera::Value::from_serializable(&serde_json::json!({
            "all": view.link("organisations", "", lang),
            "jurisdictions": group("jurisdiction", JURISDICTIONS, &by_j),
            "types": group("organisation_type", TYPES, &by_t),
        }))
    }

    fn list_value(
        &self,
        view: &View,
        lang: Lang,
        current: &str,
        keep: &dyn Fn(&Organisation) -> bool,
    ) -> tera::Value {
        let mut rows: Vec<Row> = self
            .list
            .iter()
            .filter(|o| keep(o))
            .map(|o| self.row(o, view, lang))
            .collect();
        rows.sort_by_key(|r| r.name.to_lowercase());
        tera::Value::from_serializable(&serde_json::json!({
            "organisations": rows,
            "count": rows.len(),
            "count_display": view.number(rows.len() as i64, lang),
            "total": self.list.len(),
            "filters": self.filters(view, lang, current),
            "downloads": view.downloads("organisations", lang),
        }))
    }
}

pub fn reason_name(view: &View, id: &str, lang: Lang) -> String {
    view.data
        .get::<crate::publications::reasons::Reasons>()
        .and_then(|r| r.get(id))
        .map(|r| r.name.get(lang).to_string())
        .unwrap_or_else(|| id.to_string())
}

/// This publication type, for [`super::PUBLICATIONS`].
pub const KIND: PublicationKind = PublicationKind {
    name: "organisations",
    load: Load::Provides(|loader, ids| {
        let (organisations, diags) = load(loader, ids);
        // A file with errors still names organisations: refer to them unchecked.
        if organisations.is_none() && loader.exists(FILE) {
            ids.organisations = crate::data::IdSet::unchecked("organisation");
        }
        boxed((organisations, diags))
    }),
};

impl Publication for Organisations {
    fn source(&self) -> &SourceFile {
        &self.source
    }

    fn index_template(&self) -> &'static str {
        "publications/organisations.html"
    }

    fn items(&self, view: &View, lang: Lang) -> Vec<Item> {
        let mut items: Vec<Item> = self
            .list
            .iter()
            .map(|o| Item {
                id: o.id.clone(),
                segment: o.id.clone(),
                title: o.name.get(lang).to_string(),
                description: Some(format!(
                    "{}, {}",
                    view.t(lang, &format!("organisation_type.{}", o.kind)),
                    view.t(lang, &format!("jurisdiction.{}", o.jurisdiction))
                )),
                template: "publications/organisation.html",
                print: None,
            })
            .collect();
        for (field, values, segment) in [
            (
                "jurisdiction",
                JURISDICTIONS,
                view.config.routes.get(lang, Route::Jurisdiction),
            ),
            (
                "organisation_type",
                TYPES,
                view.config.routes.get(lang, Route::Type),
            ),
        ] {
            for v in values {
                let matches = self.list.iter().any(|o| {
                    if field == "jurisdiction" {
                        o.jurisdiction == *v
                    } else {
                        o.kind == *v
                    }
                });
                if matches {
                    items.push(Item {
                        id: format!("{field}/{v}"),
                        segment: format!("{segment}/{v}"),
                        title: view.t(lang, &format!("organisations.title.{v}")),
                        description: Some(view.t(lang, "organisations.filter_description")),
                        template: "publications/organisations.html",
                        print: None,
                    });
                }
            }
        }
        items
    }

    fn index(&self, view: &View, lang: Lang) -> tera::Value {
        self.list_value(view, lang, "", &|_| true)
    }

    fn item(&self, view: &View, lang: Lang, id: &str) -> tera::Value {
        if let Some((field, value)) = id.split_once('/') {
            return self.list_value(view, lang, id, &|o| {
                if field == "jurisdiction" {
                    o.jurisdiction == value
                } else {
                    o.kind == value
                }
            });
        }
        let Some(o) = self.get(id) else {
            return tera::Value::none();
        };
        let row = self.row(o, view, lang);
        let usage = view
            .data
            .get::<crate::publications::usage::Usage>()
            .map(|u| u.for_organisation(view, lang, id));
        let quality = view
            .data
            .get::<crate::publications::quality::Quality>()
            .map(|q| q.for_organisation(view, lang, id));
        let inspections = view
            .data
            .get::<crate::publications::inspections::Inspections>()
            .map(|i| i.for_organisation(view, lang, id));
        tera::Value::from_serializable(&serde_json::json!({
            "organisation": row,
            "legal_powers": o.legal_powers.get(lang),
            "senior_contact_role": o.senior_contact_role.get(lang),
            "dpia_url": o.dpia_url,
            "dsa_date": o.dsa_date.map(|d| view.date(d, lang)),
            "usage": usage,
            "quality": quality,
            "inspections": inspections,
            "list": view.link("organisations", "", lang),
            "downloads": view.downloads("organisations", lang),
        }))
    }

    fn datasets(&self, data: &Data, words: Words) -> Vec<Result<Dataset, Diagnostic>> {
        vec![
            data.catalogue
                .meta("organisations", "data/organisations.csv")
                .map(|meta| {
                    Schema::<&Organisation>::new("organisations", words)
                        .column("id", Kind::String, |o| Cell::Text(o.id.clone()))
                        .text("name", |o| &o.name)
                        .column("type", Kind::String, |o| Cell::Text(o.kind.into()))
                        .values(Values::Strings("organisation_type"))
                        .column("jurisdiction", Kind::String, |o| {
                            Cell::Text(o.jurisdiction.into())
                        })
                        .values(Values::Strings("jurisdiction"))
                        .column("systems", Kind::String, |o| Cell::Text(o.systems.join(";")))
                        .list()
                        .column("purposes", Kind::String, |o| {
                            Cell::Text(o.purposes.join(";"))
                        })
                        .values(Values::Reason)
                        .list()
                        .text("legal_powers", |o| &o.legal_powers)
                        .column("dpia_url", Kind::String, |o| {
                            o.dpia_url.clone().map_or(Cell::Empty, Cell::Text)
                        })
                        .optional()
                        .column("dsa_date", Kind::Date, |o| {
                            o.dsa_date
                                .map_or(Cell::Empty, |d| Cell::Text(d.to_string()))
                        })
                        .optional()
                        .text("senior_contact_role", |o| &o.senior_contact_role)
                        .dataset(meta, &self.list)
                }),
        ]
    }
}
