//! Oversight and governance bodies and the RACI matrix (`data/regulators.toml`): who is
//! responsible, accountable, consulted and informed for each activity.

use serde::Deserialize;
use toml::Spanned;

use super::organisations::JURISDICTIONS;
use super::registry::{Load, PublicationKind, boxed};
use super::{Data, Publication, View};
use crate::data::{IdSet, Loader, Text, check_one_of, text};
use crate::datasets::columns::{Schema, Values, Words};
use crate::datasets::{Cell, Dataset, Kind};
use crate::diagnostics::{Diagnostic, SourceFile};
use crate::locale::Lang;

pub const FILE: &str = "regulators.toml";
pub const KINDS: &[&str] = &[
    "inspectorate",
    "regulator",
    "commissioner",
    "ombudsman",
    "governance",
];
const ROLES: [&str; 4] = ["responsible", "accountable", "consulted", "informed"];

#[derive(Deserialize)]
struct Raw {
    bodies: Vec<RawBody>,
    #[serde(default)]
    raci: Vec<RawRaci>,
}

#[derive(Deserialize)]
struct RawBody {
    id: Spanned<String>,
    name: Spanned<Text>,
    #[serde(default)]
    abbreviation: Option<String>,
    kind: Spanned<String>,
    jurisdiction: Spanned<String>,
    remit: Spanned<Text>,
    url: Spanned<String>,
}

#[derive(Deserialize)]
struct RawRaci {
    activity: Spanned<Text>,
    #[serde(default)]
    responsible: Vec<Spanned<String>>,
    #[serde(default)]
    accountable: Vec<Spanned<String>>,
    #[serde(default)]
    consulted: Vec<Spanned<String>>,
    #[serde(default)]
    informed: Vec<Spanned<String>>,
}

pub struct Body {
    pub id: String,
    pub name: Text,
    pub abbreviation: Option<String>,
    pub kind: String,
    pub jurisdiction: String,
    pub remit: Text,
    pub url: String,
}

pub struct Raci {
    pub activity: Text,
    /// Body ids for responsible, accountable, consulted, informed.
    pub roles: [Vec<String>; 4],
}

pub struct Regulators {
    pub bodies: Vec<Body>,
    pub raci: Vec<Raci>,
    source: SourceFile,
    spans: Vec<std::ops::Range<usize>>,
}

impl Regulators {
    pub fn get(&self, id: &str) -> Option<&Body> {
        self.bodies.iter().find(|b| b.id == id)
    }

    pub fn ids(&self) -> IdSet {
        let mut set = IdSet::new("body");
        for (b, span) in self.bodies.iter().zip(&self.spans) {
            set.define(&b.id, &self.source, span.clone());
        }
        set
    }

    /// The short name of a body (its abbreviation, or its name) in `lang`.
    pub fn short_name(&self, id: &str, lang: Lang) -> String {
        self.get(id).map_or_else(
            || id.to_string(),
            |b| {
                b.abbreviation
                    .clone()
                    .unwrap_or_else(|| b.name.get(lang).to_string())
            },
        )
    }
}

pub fn load(loader: &Loader) -> (Option<Regulators>, Vec<Diagnostic>) {
    if !loader.exists(FILE) {
        return (None, Vec::new());
    }
    let (raw, source) = match loader.read_toml::<Raw>(FILE) {
        Ok(r) => r,
        Err(ds) => return (None, ds),
    };
    let config = loader.config;
    let mut diags = Vec::new();
    let mut set = IdSet::new("body");
    let mut bodies = Vec::new();
    let mut spans = Vec::new();
    for b in raw.bodies {
        diags.extend(set.define(b.id.get_ref(), &source, b.id.span()));
        diags.extend(text::check(&source, &b.name, "name", config));
        diags.extend(text::check(&source, &b.remit, "remit", config));
        diags.extend(check_one_of(&source, &b.kind, KINDS, "kind"));
        diags.extend(check_one_of(
            &source,
            &b.jurisdiction,
            JURISDICTIONS,
            "jurisdiction",
        ));
        diags.extend(super::check_link(&source, "url", &b.url));
        spans.push(b.id.span());
        bodies.push(Body {
            id: b.id.into_inner(),
            name: b.name.into_inner(),
            abbreviation: b.abbreviation,
            kind: b.kind.into_inner(),
            jurisdiction: b.jurisdiction.into_inner(),
            remit: b.remit.into_inner(),
            url: b.url.into_inner(),
        });
    }
    let mut raci = Vec::new();
    for r in raw.raci {
        diags.extend(text::check(&source, &r.activity, "activity", config));
        let roles = [r.responsible, r.accountable, r.consulted, r.informed];
        for (role, ids) in ROLES.iter().zip(&roles) {
            for id in ids {
                diags.extend(set.check(&source, id));
            }
            if *role == "accountable" {
                diags.extend(check_accountable(&source, &r.activity, ids, &bodies));
            }
        }
        raci.push(Raci {
            activity: r.activity.into_inner(),
            roles: roles.map(|ids| ids.into_iter().map(Spanned::into_inner).collect()),
        });
    }
    (
        Some(Regulators {
            bodies,
            raci,
            source,
            spans,
        }),
        diags,
    )
}

/// RACI allows one accountable body; with devolved policing, one per jurisdiction.
fn check_accountable(
    source: &SourceFile,
    activity: &Spanned<Text>,
    ids: &[Spanned<String>],
    bodies: &[Body],
) -> Option<Diagnostic> {
    if ids.is_empty() {
        return Some(
            Diagnostic::error("no body is accountable for this activity")
                .at(source, activity.span())
                .hint("name the one body accountable for it (one per jurisdiction where work is devolved)"),
        );
    }
    let jurisdiction = |id: &str| {
        bodies
            .iter()
            .find(|b| b.id == id)
            .map(|b| b.jurisdiction.as_str())
    };
    for (i, a) in ids.iter().enumerate() {
        for b in &ids[..i] {
            if jurisdiction(a.get_ref()) == jurisdiction(b.get_ref()) {
                return Some(
                    Diagnostic::error(format!(
                        "`{}` and `{}` are both accountable in the same jurisdiction",
                        b.get_ref(),
                        a.get_ref()
                    ))
                    .at(source, a.span())
                    .hint("one body is accountable for an activity in each jurisdiction; make the others responsible or consulted"),
                );
            }
        }
    }
    None
}

/// This publication type, for [`super::PUBLICATIONS`].
pub const KIND: PublicationKind = PublicationKind {
    name: "oversight",
    load: Load::Provides(|loader, ids| {
        let (regulators, diags) = load(loader);
        if let Some(r) = &regulators {
            ids.bodies = r.ids();
        }
        boxed((regulators, diags))
    }),
};

impl Publication for Regulators {
    fn source(&self) -> &SourceFile {
        &self.source
    }

    fn index_template(&self) -> &'static str {
        "publications/oversight.html"
    }

    fn index(&self, view: &View, lang: Lang) -> tera::Value {
        let bodies: Vec<serde_json::Value> = self
            .bodies
            .iter()
            .map(|b| {
                serde_json::json!({
                    "id": b.id,
                    "name": b.name.get(lang),
                    "abbreviation": b.abbreviation,
                    "kind": view.t(lang, &format!("body_kind.{}", b.kind)),
                    "jurisdiction": view.t(lang, &format!("jurisdiction.{}", b.jurisdiction)),
                    "remit": b.remit.get(lang),
                    "url": b.url,
                })
            })
            .collect();
        // Columns of the matrix: every body that has a role in some activity.
        let columns: Vec<&Body> = self
            .bodies
            .iter()
            .filter(|b| {
                self.raci
                    .iter()
                    .any(|r| r.roles.iter().any(|ids| ids.contains(&b.id)))
            })
            .collect();
        let letters = ["R", "A", "C", "I"];
        let rows: Vec<serde_json::Value> = self
            .raci
            .iter()
            .map(|r| {
                let cells: Vec<serde_json::Value> = columns
                    .iter()
                    .map(|b| {
                        let held: Vec<usize> = (0..4).filter(|&i| r.roles[i].contains(&b.id)).collect();
                        serde_json::json!({
                            "letters": held.iter().map(|&i| letters[i]).collect::<Vec<_>>().join(", "),
                            "words": held.iter().map(|&i| view.t(lang, &format!("raci.{}", ROLES[i]))).collect::<Vec<_>>().join(", "),
                        })
                    })
                    .collect();
                serde_json::json!({ "activity": r.activity.get(lang), "cells": cells })
            })
            .collect();
        let column_names: Vec<serde_json::Value> = columns
            .iter()
            .map(|b| serde_json::json!({ "short": self.short_name(&b.id, lang), "name": b.name.get(lang) }))
            .collect();
        tera::Value::from_serializable(&serde_json::json!({
            "bodies": bodies,
            "raci": { "columns": column_names, "rows": rows },
            "downloads": view.downloads("regulators", lang),
            "raci_downloads": view.downloads("raci", lang),
            "raci_illustrative": view.is_illustrative("raci"),
        }))
    }

    fn datasets(&self, data: &Data, words: Words) -> Vec<Result<Dataset, Diagnostic>> {
        let bodies = data
            .catalogue
            .meta("regulators", "data/regulators.toml")
            .map(|meta| {
                Schema::<&Body>::new("regulators", words)
                    .column("id", Kind::String, |b| Cell::Text(b.id.clone()))
                    .text("name", |b| &b.name)
                    .column("abbreviation", Kind::String, |b| {
                        b.abbreviation.clone().map_or(Cell::Empty, Cell::Text)
                    })
                    .optional()
                    .column("kind", Kind::String, |b| Cell::Text(b.kind.clone()))
                    .values(Values::Strings("body_kind"))
                    .column("jurisdiction", Kind::String, |b| {
                        Cell::Text(b.jurisdiction.clone())
                    })
                    .values(Values::Strings("jurisdiction"))
                    .text("remit", |b| &b.remit)
                    .column("url", Kind::String, |b| Cell::Text(b.url.clone()))
                    .dataset(meta, &self.bodies)
            });
        let raci = data
            .catalogue
            .meta("raci", "data/regulators.toml")
            .map(|meta| {
                let mut schema =
                    Schema::<&Raci>::new("raci", words).text("activity", |r| &r.activity);
                for (i, role) in ROLES.iter().enumerate() {
                    schema = schema
                        .column(role, Kind::String, move |r| Cell::Text(r.roles[i].join(";")))
                        .list();
                    // Tables name the responsible bodies, as they always have.
                    if i == 0 {
                        schema = schema.values(Values::Owner);
                    }
                }
                schema.dataset(meta, &self.raci)
            });
        vec![bodies, raci]
    }
}
