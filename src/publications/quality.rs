//! Data quality (`data/usage/quality.csv`, `data/quality-standards.toml`): every organisation
//! against the six standards of seed 002 and their targets, as a dashboard.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::usage::{Month, month_cell, month_name, org_cell, org_name};
use super::registry::{Load, PublicationKind, boxed};
use super::{Data, Ids, Publication, View};
use crate::data::csvfile::{Columns, Table};
use crate::data::{Loader, Text, check_one_of, text};
use crate::datasets::columns::{Schema, Values, Words};
use crate::datasets::{Cell, Dataset, Kind};
use crate::diagnostics::{Diagnostic, SourceFile};
use crate::locale::Lang;

pub const STANDARDS_FILE: &str = "quality-standards.toml";
pub const SCORES_FILE: &str = "usage/quality.csv";
pub const STANDARDS: [&str; 6] = [
    "timeliness",
    "completeness",
    "conformity",
    "duplication",
    "integrity",
    "accuracy",
];

const COLUMNS: Columns = Columns {
    required: &[
        "period",
        "organisation",
        "timeliness",
        "completeness",
        "conformity",
        "duplication",
        "integrity",
        "accuracy",
    ],
    optional: &[],
};

#[derive(Deserialize)]
struct Raw {
    standards: Vec<RawStandard>,
}

#[derive(Deserialize)]
struct RawStandard {
    id: Spanned<String>,
    name: Spanned<Text>,
    description: Spanned<Text>,
    target: Spanned<f64>,
}

pub struct Standard {
    pub id: String,
    pub name: Text,
    pub description: Text,
    pub target: f64,
}

pub struct Quality {
    /// In the order of STANDARDS.
    pub standards: Vec<Standard>,
    /// Scores by organisation and month, in the order of STANDARDS.
    pub scores: BTreeMap<(String, Month), [f64; 6]>,
    source: SourceFile,
}

pub fn load(loader: &Loader, ids: &Ids) -> (Option<Quality>, Vec<Diagnostic>) {
    if !loader.exists(STANDARDS_FILE) {
        if loader.exists(SCORES_FILE) {
            let (_, shown) = loader.path(SCORES_FILE);
            return (
                None,
                vec![
                    Diagnostic::error(format!(
                        "{} has scores but there is no data/{STANDARDS_FILE}",
                        shown.display()
                    ))
                    .hint("add the six standards and their targets (see data/README.md)"),
                ],
            );
        }
        return (None, Vec::new());
    }
    let (raw, source) = match loader.read_toml::<Raw>(STANDARDS_FILE) {
        Ok(r) => r,
        Err(ds) => return (None, ds),
    };
    let mut diags = Vec::new();
    let mut standards: Vec<Standard> = Vec::new();
    for s in raw.standards {
        diags.extend(check_one_of(&source, &s.id, &STANDARDS, "id"));
        diags.extend(text::check(&source, &s.name, "name", loader.config));
        diags.extend(text::check(
            &source,
            &s.description,
            "description",
            loader.config,
        ));
        if !(0.0..=100.0).contains(s.target.get_ref()) {
            diags.push(
                Diagnostic::error("`target` is a percentage from 0 to 100")
                    .at(&source, s.target.span()),
            );
        }
        if standards.iter().any(|x| x.id == *s.id.get_ref()) {
            diags.push(
                Diagnostic::error(format!("standard `{}` is listed twice", s.id.get_ref()))
                    .at(&source, s.id.span()),
            );
        }
        standards.push(Standard {
            id: s.id.into_inner(),
            name: s.name.into_inner(),
            description: s.description.into_inner(),
            target: s.target.into_inner(),
        });
    }
    for id in STANDARDS {
        if !standards.iter().any(|s| s.id == id) {
            diags.push(
                Diagnostic::error(format!("standard `{id}` is missing"))
                    .in_file(&source)
                    .hint("the six standards are timeliness, completeness, conformity, duplication, integrity and accuracy"),
            );
        }
    }
    standards.sort_by_key(|s| STANDARDS.iter().position(|x| *x == s.id));
    let mut scores = BTreeMap::new();
    if loader.exists(SCORES_FILE) {
        let (abs, shown) = loader.path(SCORES_FILE);
        match Table::open(&abs, &shown, &COLUMNS) {
            Err(ds) => diags.extend(ds),
            Ok(mut table) => diags.extend(table.for_each(|row| {
                let mut errors = Vec::new();
                let month = month_cell(row, &mut errors);
                let org = org_cell(row, ids, &mut errors);
                let mut values = [0.0; 6];
                for (i, column) in STANDARDS.iter().enumerate() {
                    match row.parse::<f64>(column, "a percentage from 0 to 100") {
                        Ok(v) if (0.0..=100.0).contains(&v) => values[i] = v,
                        Ok(v) => errors.push(
                            row.error(column, format!("`{column}` must be from 0 to 100, not {v}")),
                        ),
                        Err(e) => errors.push(e),
                    }
                }
                if errors.is_empty()
                    && let Some(m) = month
                {
                    scores.insert((org.to_string(), m), values);
                }
                errors
            })),
        }
    }
    (
        Some(Quality {
            standards,
            scores,
            source,
        }),
        diags,
    )
}

impl Quality {
    fn latest_month(&self) -> Option<Month> {
        self.scores.keys().map(|(_, m)| *m).max()
    }

    /// One standard's score against its target: the number, and whether it meets the target, in
    /// words as well as a mark so colour is never the only signal.
    fn cell(&self, view: &View, lang: Lang, i: usize, score: f64) -> serde_json::Value {
        let meets = score >= self.standards.get(i).map_or(0.0, |s| s.target);
        serde_json::json!({
            "score": format!("{score:.1}"),
            "meets": meets,
            "status": view.t(lang, if meets { "quality.meets" } else { "quality.below" }),
        })
    }

    fn standards_value(
        &self,
        view: &View,
        lang: Lang,
        month: Option<Month>,
    ) -> Vec<serde_json::Value> {
        self.standards
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let (meeting, measured) = month.map_or((0, 0), |m| {
                    let latest: Vec<f64> = self
                        .scores
                        .iter()
                        .filter(|((_, mm), _)| *mm == m)
                        .map(|(_, v)| v[i])
                        .collect();
                    (
                        latest.iter().filter(|v| **v >= s.target).count(),
                        latest.len(),
                    )
                });
                serde_json::json!({
                    "id": s.id,
                    "name": s.name.get(lang),
                    "description": s.description.get(lang),
                    "target": format!("{:.1}", s.target),
                    "meeting": view.number(meeting as i64, lang),
                    "measured": view.number(measured as i64, lang),
                })
            })
            .collect()
    }

    pub fn for_organisation(&self, view: &View, lang: Lang, org: &str) -> serde_json::Value {
        let mut by_year: BTreeMap<i16, ([f64; 6], usize)> = BTreeMap::new();
        for ((o, m), v) in &self.scores {
            if o == org {
                let e = by_year.entry(m.0).or_default();
                for (sum, x) in e.0.iter_mut().zip(v) {
                    *sum += x;
                }
                e.1 += 1;
            }
        }
        let years: Vec<serde_json::Value> = by_year
            .iter()
            .map(|(y, (sum, n))| {
                let cells: Vec<serde_json::Value> = (0..6)
                    .map(|i| self.cell(view, lang, i, sum[i] / *n as f64))
                    .collect();
                serde_json::json!({ "year": y, "cells": cells })
            })
            .collect();
        serde_json::json!({
            "standards": self.standards_value(view, lang, None),
            "years": years,
            "dashboard": view.link("data-quality", "", lang),
            "illustrative": view.is_illustrative("quality"),
        })
    }
}

/// This publication type, for [`super::PUBLICATIONS`].
pub const KIND: PublicationKind = PublicationKind {
    name: "data-quality",
    load: Load::Uses(|loader, ids| boxed(load(loader, ids))),
};

impl Publication for Quality {
    fn source(&self) -> &SourceFile {
        &self.source
    }

    fn index_template(&self) -> &'static str {
        "publications/data-quality.html"
    }

    fn index(&self, view: &View, lang: Lang) -> tera::Value {
        let month = self.latest_month();
        let mut rows: Vec<serde_json::Value> = self
            .scores
            .iter()
            .filter(|((_, m), _)| Some(*m) == month)
            .map(|((org, _), v)| {
                let cells: Vec<serde_json::Value> =
                    (0..6).map(|i| self.cell(view, lang, i, v[i])).collect();
                let met = (0..6).filter(|&i| v[i] >= self.standards[i].target).count();
                serde_json::json!({
                    "name": org_name(view, org, lang),
                    "path": view.link("organisations", org, lang),
                    "cells": cells,
                    "met": met,
                })
            })
            .collect();
        rows.sort_by_key(|r| r["name"].as_str().unwrap_or("").to_lowercase());
        let standards = self.standards_value(view, lang, month);
        let chart = view.chart(
            lang,
            "chart-quality",
            crate::charts::Kind::HorizontalBar,
            view.t(lang, "quality.chart_title"),
            view.t(lang, "quality.chart_subtitle").replace(
                "{period}",
                &month.map(|m| month_name(lang, m)).unwrap_or_default(),
            ),
            view.t(lang, "quality.meeting"),
            view.t(lang, "quality.standard"),
            self.standards
                .iter()
                .map(|s| s.name.get(lang).to_string())
                .collect(),
            vec![crate::charts::Series {
                name: view.t(lang, "quality.meeting"),
                values: self
                    .standards
                    .iter()
                    .enumerate()
                    .map(|(i, s)| {
                        month.map(|m| {
                            self.scores
                                .iter()
                                .filter(|((_, mm), v)| *mm == m && v[i] >= s.target)
                                .count() as f64
                        })
                    })
                    .collect(),
            }],
            "quality",
        );
        tera::Value::from_serializable(&serde_json::json!({
            "chart": chart,
            "period": month.map(|m| month_name(lang, m)),
            "standards": standards,
            "organisations": rows,
            "illustrative": view.is_illustrative("quality"),
            "downloads": view.downloads("quality", lang),
            "standards_downloads": view.downloads("quality-standards", lang),
        }))
    }

    fn datasets(&self, data: &Data, words: Words) -> Vec<Result<Dataset, Diagnostic>> {
        let standards = data
            .catalogue
            .meta("quality-standards", "data/quality-standards.toml")
            .map(|meta| {
                Schema::<&Standard>::new("quality-standards", words)
                    .column("id", Kind::String, |s| Cell::Text(s.id.clone()))
                    .text("name", |s| &s.name)
                    .text("description", |s| &s.description)
                    .column("target", Kind::Number, |s| Cell::Num(s.target))
                    .dataset(meta, &self.standards)
            });
        let scores = data.catalogue.meta("quality", SCORES_FILE).map(|meta| {
            let mut schema = Schema::<(&(String, Month), &[f64; 6])>::new("quality", words)
                .column("period", Kind::YearMonth, |((_, (y, m)), _)| {
                    Cell::Text(format!("{y}-{m:02}"))
                })
                .column("organisation", Kind::String, |((org, _), _)| {
                    Cell::Text(org.clone())
                })
                .values(Values::Organisation);
            // One column per standard, in the order of the scores.
            for (i, s) in self.standards.iter().enumerate() {
                schema = schema
                    .column(&s.id, Kind::Number, move |(_, v)| {
                        v.get(i).map_or(Cell::Empty, |x| Cell::Num(*x))
                    })
                    .words("columns.quality.score", "name", s.name.clone());
            }
            schema.dataset(meta, &self.scores)
        });
        vec![standards, scores]
    }
}
