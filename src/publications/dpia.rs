//! Data Protection Impact Assessments (`data/dpia/YYYY.toml`): each year's risks, and what
//! changed since the previous year, computed from the data (risks added, closed, re-rated;
//! mitigations added).

use serde::Deserialize;
use toml::Spanned;

use super::registry::{Load, PublicationKind, boxed};
use super::{Data, Item, Publication, View};
use crate::content::PageDate;
use crate::data::{Loader, Text, check_one_of, text};
use crate::datasets::columns::{Schema, Values, Words};
use crate::datasets::{Cell, Dataset, Kind};
use crate::diagnostics::{Diagnostic, SourceFile};
use crate::locale::Lang;

pub const DIR: &str = "dpia";
pub const RESIDUAL: &[&str] = &["low", "medium", "high"];
pub const STATUS: &[&str] = &["open", "mitigated", "accepted", "closed"];

#[derive(Deserialize)]
struct RawYear {
    year: Spanned<i64>,
    published: PageDate,
    summary: Spanned<Text>,
    risks: Vec<RawRisk>,
}

#[derive(Deserialize)]
struct RawRisk {
    id: Spanned<String>,
    title: Spanned<Text>,
    description: Spanned<Text>,
    likelihood: Spanned<i64>,
    severity: Spanned<i64>,
    residual: Spanned<String>,
    status: Spanned<String>,
    owner: Spanned<Text>,
    #[serde(default)]
    mitigations: Vec<RawMitigation>,
}

#[derive(Deserialize)]
struct RawMitigation {
    id: Spanned<String>,
    text: Spanned<Text>,
}

#[derive(Clone)]
pub struct Risk {
    pub id: String,
    pub title: Text,
    pub description: Text,
    pub likelihood: i64,
    pub severity: i64,
    pub residual: String,
    pub status: String,
    pub owner: Text,
    pub mitigations: Vec<(String, Text)>,
}

pub struct Year {
    pub year: i16,
    pub published: jiff::civil::Date,
    pub summary: Text,
    pub risks: Vec<Risk>,
    pub source: SourceFile,
}

pub struct Dpia {
    /// Oldest first.
    pub years: Vec<Year>,
    source: SourceFile,
}

pub fn load(loader: &Loader) -> (Option<Dpia>, Vec<Diagnostic>) {
    let files = loader.list(DIR, ".toml");
    if files.is_empty() {
        return (None, Vec::new());
    }
    let mut diags = Vec::new();
    let mut years = Vec::new();
    for rel in files {
        let (raw, source) = match loader.read_toml::<RawYear>(&rel) {
            Ok(r) => r,
            Err(ds) => {
                diags.extend(ds);
                continue;
            }
        };
        let expected = rel.trim_start_matches("dpia/").trim_end_matches(".toml");
        if expected != raw.year.get_ref().to_string() {
            diags.push(
                Diagnostic::error(format!(
                    "`year = {}` in a file named {expected}.toml",
                    raw.year.get_ref()
                ))
                .at(&source, raw.year.span())
                .hint("name each DPIA file after its year, such as dpia/2021.toml"),
            );
        }
        diags.extend(text::check(&source, &raw.summary, "summary", loader.config));
        let mut risks: Vec<Risk> = Vec::new();
        for r in raw.risks {
            if risks.iter().any(|x| x.id == *r.id.get_ref()) {
                diags.push(
                    Diagnostic::error(format!("risk `{}` is listed twice", r.id.get_ref()))
                        .at(&source, r.id.span()),
                );
            }
            for (field, t) in [
                ("title", &r.title),
                ("description", &r.description),
                ("owner", &r.owner),
            ] {
                diags.extend(text::check(&source, t, field, loader.config));
            }
            for (field, v) in [("likelihood", &r.likelihood), ("severity", &r.severity)] {
                if !(1..=5).contains(v.get_ref()) {
                    diags.push(
                        Diagnostic::error(format!(
                            "`{field}` must be from 1 to 5, not {}",
                            v.get_ref()
                        ))
                        .at(&source, v.span())
                        .hint("1 is the lowest rating, 5 the highest"),
                    );
                }
            }
            diags.extend(check_one_of(&source, &r.residual, RESIDUAL, "residual"));
            diags.extend(check_one_of(&source, &r.status, STATUS, "status"));
            let mut mitigations = Vec::new();
            for m in r.mitigations {
                diags.extend(text::check(&source, &m.text, "text", loader.config));
                mitigations.push((m.id.into_inner(), m.text.into_inner()));
            }
            risks.push(Risk {
                id: r.id.into_inner(),
                title: r.title.into_inner(),
                description: r.description.into_inner(),
                likelihood: r.likelihood.into_inner(),
                severity: r.severity.into_inner(),
                residual: r.residual.into_inner(),
                status: r.status.into_inner(),
                owner: r.owner.into_inner(),
                mitigations,
            });
        }
        years.push(Year {
            year: *raw.year.get_ref() as i16,
            published: raw.published.0,
            summary: raw.summary.into_inner(),
            risks,
            source,
        });
    }
    years.sort_by_key(|y| y.year);
    let source = SourceFile::new(loader.path(DIR).1, "");
    (Some(Dpia { years, source }), diags)
}

/// What changed between two years' assessments.
#[derive(Debug, Default, PartialEq)]
pub struct Changes {
    pub added: Vec<String>,
    pub closed: Vec<String>,
    /// (risk id, old likelihood × severity and residual, new)
    pub rerated: Vec<String>,
    /// (risk id, mitigation id)
    pub mitigations_added: Vec<(String, String)>,
}

pub fn compare(previous: &[Risk], current: &[Risk]) -> Changes {
    let mut c = Changes::default();
    let find = |list: &[Risk], id: &str| list.iter().find(|r| r.id == id).cloned();
    for r in current {
        match find(previous, &r.id) {
            None => c.added.push(r.id.clone()),
            Some(p) => {
                if r.status == "closed" && p.status != "closed" {
                    c.closed.push(r.id.clone());
                }
                if (p.likelihood, p.severity, &p.residual)
                    != (r.likelihood, r.severity, &r.residual)
                {
                    c.rerated.push(r.id.clone());
                }
                for (m, _) in &r.mitigations {
                    if !p.mitigations.iter().any(|(pm, _)| pm == m) {
                        c.mitigations_added.push((r.id.clone(), m.clone()));
                    }
                }
            }
        }
    }
    for p in previous {
        if p.status != "closed" && find(current, &p.id).is_none() {
            c.closed.push(p.id.clone());
        }
    }
    c.closed.sort();
    c
}

impl Dpia {
    fn year(&self, y: i16) -> Option<&Year> {
        self.years.iter().find(|x| x.year == y)
    }

    fn risk_value(
        &self,
        view: &View,
        lang: Lang,
        r: &Risk,
        source: &SourceFile,
    ) -> serde_json::Value {
        serde_json::json!({
            "id": r.id,
            "title": r.title.get(lang),
            "description": view.markdown(&r.description, lang, source),
            "likelihood": r.likelihood,
            "severity": r.severity,
            "score": r.likelihood * r.severity,
            "residual": view.t(lang, &format!("dpia.residual.{}", r.residual)),
            "status": view.t(lang, &format!("dpia.status.{}", r.status)),
            "owner": r.owner.get(lang),
            "mitigations": r.mitigations.iter().map(|(id, t)| serde_json::json!({ "id": id, "text": t.get(lang) })).collect::<Vec<_>>(),
        })
    }

    fn changes_value(&self, view: &View, lang: Lang, year: &Year) -> Option<serde_json::Value> {
        let previous = self.years.iter().rev().find(|y| y.year < year.year)?;
        let c = compare(&previous.risks, &year.risks);
        let title = |id: &str| {
            year.risks
                .iter()
                .chain(&previous.risks)
                .find(|r| r.id == id)
                .map_or(id.to_string(), |r| r.title.get(lang).to_string())
        };
        let rating = |r: Option<&Risk>| {
            r.map(|r| {
                format!(
                    "{} × {}, {}",
                    r.likelihood,
                    r.severity,
                    view.t(lang, &format!("dpia.residual.{}", r.residual))
                )
            })
        };
        let rerated: Vec<serde_json::Value> = c
            .rerated
            .iter()
            .map(|id| {
                serde_json::json!({
                    "id": id,
                    "title": title(id),
                    "before": rating(previous.risks.iter().find(|r| &r.id == id)),
                    "after": rating(year.risks.iter().find(|r| &r.id == id)),
                })
            })
            .collect();
        let named = |ids: &[String]| -> Vec<serde_json::Value> {
            ids.iter()
                .map(|id| serde_json::json!({ "id": id, "title": title(id) }))
                .collect()
        };
        let mitigations: Vec<serde_json::Value> = c
            .mitigations_added
            .iter()
            .map(|(risk, m)| {
                let text = year
                    .risks
                    .iter()
                    .find(|r| &r.id == risk)
                    .and_then(|r| r.mitigations.iter().find(|(id, _)| id == m))
                    .map_or(String::new(), |(_, t)| t.get(lang).to_string());
                serde_json::json!({ "risk": risk, "risk_title": title(risk), "id": m, "text": text })
            })
            .collect();
        Some(serde_json::json!({
            "previous_year": previous.year,
            "previous_path": view.link("dpia", &previous.year.to_string(), lang),
            "added": named(&c.added),
            "closed": named(&c.closed),
            "rerated": rerated,
            "mitigations_added": mitigations,
            "none": c == Changes::default(),
        }))
    }
}

/// This publication type, for [`super::PUBLICATIONS`].
pub const KIND: PublicationKind = PublicationKind {
    name: "dpia",
    load: Load::Uses(|loader, _| boxed(load(loader))),
};

impl Publication for Dpia {
    fn source(&self) -> &SourceFile {
        &self.source
    }

    fn index_template(&self) -> &'static str {
        "publications/dpia.html"
    }

    fn items(&self, view: &View, lang: Lang) -> Vec<Item> {
        self.years
            .iter()
            .map(|y| Item {
                id: y.year.to_string(),
                segment: y.year.to_string(),
                title: view
                    .t(lang, "dpia.year_title")
                    .replace("{year}", &y.year.to_string()),
                description: Some(
                    view.t(lang, "dpia.year_description")
                        .replace("{year}", &y.year.to_string()),
                ),
                template: "publications/dpia-year.html",
                print: Some("publications/dpia-year-body.html"),
            })
            .collect()
    }

    fn index(&self, view: &View, lang: Lang) -> tera::Value {
        let years: Vec<serde_json::Value> = self
            .years
            .iter()
            .rev()
            .map(|y| {
                serde_json::json!({
                    "year": y.year,
                    "path": view.link("dpia", &y.year.to_string(), lang),
                    "published": view.date(y.published, lang),
                    "risks": y.risks.iter().filter(|r| r.status != "closed").count(),
                })
            })
            .collect();
        tera::Value::from_serializable(&serde_json::json!({
            "years": years,
            "illustrative": view.is_illustrative("dpia-risks"),
            "downloads": view.downloads("dpia-risks", lang),
        }))
    }

    fn item(&self, view: &View, lang: Lang, id: &str) -> tera::Value {
        let Some(year) = id.parse().ok().and_then(|y| self.year(y)) else {
            return tera::Value::none();
        };
        let open: Vec<serde_json::Value> = year
            .risks
            .iter()
            .filter(|r| r.status != "closed")
            .map(|r| self.risk_value(view, lang, r, &year.source))
            .collect();
        let closed: Vec<serde_json::Value> = year
            .risks
            .iter()
            .filter(|r| r.status == "closed")
            .map(|r| self.risk_value(view, lang, r, &year.source))
            .collect();
        tera::Value::from_serializable(&serde_json::json!({
            "year": year.year,
            "published": view.date(year.published, lang),
            "published_iso": year.published.to_string(),
            "summary": view.markdown(&year.summary, lang, &year.source),
            "risks": open,
            "closed": closed,
            "changes": self.changes_value(view, lang, year),
            "illustrative": view.is_illustrative("dpia-risks"),
            "downloads": view.downloads("dpia-risks", lang),
        }))
    }

    fn datasets(&self, data: &Data, words: Words) -> Vec<Result<Dataset, Diagnostic>> {
        vec![data.catalogue.meta("dpia-risks", "data/dpia/").map(|meta| {
            let rows = self
                .years
                .iter()
                .flat_map(|y| y.risks.iter().map(move |r| (y.year, r)));
            Schema::<(i16, &Risk)>::new("dpia-risks", words)
                .column("year", Kind::Integer, |(y, _)| Cell::Int((*y).into()))
                .column("risk", Kind::String, |(_, r)| Cell::Text(r.id.clone()))
                .text("title", |(_, r)| &r.title)
                .column("likelihood", Kind::Integer, |(_, r)| {
                    Cell::Int(r.likelihood)
                })
                .column("severity", Kind::Integer, |(_, r)| Cell::Int(r.severity))
                .column("residual", Kind::String, |(_, r)| {
                    Cell::Text(r.residual.clone())
                })
                .values(Values::Strings("dpia.residual"))
                .column("status", Kind::String, |(_, r)| {
                    Cell::Text(r.status.clone())
                })
                .values(Values::Strings("dpia.status"))
                .text("owner", |(_, r)| &r.owner)
                .column("mitigations", Kind::Integer, |(_, r)| {
                    Cell::Int(r.mitigations.len() as i64)
                })
                .dataset(meta, rows)
        })]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn risk(id: &str, l: i64, s: i64, status: &str, mitigations: &[&str]) -> Risk {
        Risk {
            id: id.into(),
            title: Text::default(),
            description: Text::default(),
            likelihood: l,
            severity: s,
            residual: "medium".into(),
            status: status.into(),
            owner: Text::default(),
            mitigations: mitigations
                .iter()
                .map(|m| (m.to_string(), Text::default()))
                .collect(),
        }
    }

    #[test]
    fn changes_between_years() {
        let before = vec![
            risk("R1", 3, 3, "open", &["M1"]),
            risk("R2", 2, 2, "open", &[]),
            risk("R3", 1, 1, "closed", &[]),
        ];
        let after = vec![
            risk("R1", 2, 3, "open", &["M1", "M2"]),
            risk("R4", 1, 1, "open", &[]),
        ];
        let c = compare(&before, &after);
        assert_eq!(c.added, ["R4"]);
        assert_eq!(
            c.closed,
            ["R2"],
            "dropped and open before: closed; already closed: not again"
        );
        assert_eq!(c.rerated, ["R1"]);
        assert_eq!(c.mitigations_added, [("R1".to_string(), "M2".to_string())]);
    }
}
