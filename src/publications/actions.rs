//! Open Space actions (`data/actions.csv`, seed 004): the 33 actions from the October 2018
//! workshop, with owner, deadline and status.

use super::organisations::row_text;
use super::registry::{Load, PublicationKind, boxed};
use super::{Data, Ids, Publication, View};
use crate::data::csvfile::{Columns, Table};
use crate::data::{Loader, Text, one_of, parse_month};
use crate::datasets::columns::{Schema, Values, Words};
use crate::datasets::{Cell, Dataset, Kind};
use crate::diagnostics::{Diagnostic, SourceFile};
use crate::locale::Lang;

pub const FILE: &str = "actions.csv";
pub const STATUS: &[&str] = &["open", "in-progress", "complete"];

const COLUMNS: Columns = Columns {
    required: &[
        "id",
        "action_en",
        "action_cy",
        "owner",
        "deadline",
        "status",
    ],
    optional: &["note_en", "note_cy"],
};

pub struct Action {
    pub id: u32,
    pub action: Text,
    pub owner: String,
    pub deadline: (i16, i8),
    pub status: &'static str,
    pub note: Option<Text>,
}

pub struct Actions {
    pub list: Vec<Action>,
    source: SourceFile,
}

pub fn load(loader: &Loader, ids: &Ids) -> (Option<Actions>, Vec<Diagnostic>) {
    if !loader.exists(FILE) {
        return (None, Vec::new());
    }
    let (abs, shown) = loader.path(FILE);
    let mut table = match Table::open(&abs, &shown, &COLUMNS) {
        Ok(t) => t,
        Err(ds) => return (None, ds),
    };
    let mut list: Vec<Action> = Vec::new();
    let diags = table.for_each(|row| {
        let mut errors = Vec::new();
        let id = row
            .parse::<u32>("id", "a whole number")
            .map_err(|e| errors.push(e))
            .unwrap_or(0);
        if list.iter().any(|a| a.id == id) {
            errors.push(row.error("id", format!("action {id} is listed twice")));
        }
        let owner = row.get("owner").to_string();
        if let Some(m) = ids.owner_missing(&owner) {
            errors.push(row.error("owner", m));
        }
        let deadline = parse_month(row.get("deadline")).unwrap_or_else(|| {
            errors.push(
                row.error(
                    "deadline",
                    format!("invalid month `{}`", row.get("deadline")),
                )
                .hint("write months as YYYY-MM"),
            );
            (0, 0)
        });
        let status = one_of(row.get("status"), STATUS, "status").unwrap_or_else(|m| {
            errors.push(row.error("status", m));
            STATUS[0]
        });
        let action = row_text(row, "action", loader, &mut errors);
        let note = if row.get("note_en").is_empty() && row.get("note_cy").is_empty() {
            None
        } else {
            Some(row_text(row, "note", loader, &mut errors))
        };
        if errors.is_empty() {
            list.push(Action {
                id,
                action,
                owner,
                deadline,
                status,
                note,
            });
        }
        errors
    });
    list.sort_by_key(|a| a.id);
    (
        Some(Actions {
            list,
            source: SourceFile::new(shown, ""),
        }),
        diags,
    )
}

/// This publication type, for [`super::PUBLICATIONS`].
pub const KIND: PublicationKind = PublicationKind {
    name: "actions",
    load: Load::Uses(|loader, ids| boxed(load(loader, ids))),
};

impl Publication for Actions {
    fn source(&self) -> &SourceFile {
        &self.source
    }

    fn index_template(&self) -> &'static str {
        "publications/actions.html"
    }

    fn index(&self, view: &View, lang: Lang) -> tera::Value {
        let rows: Vec<serde_json::Value> = self
            .list
            .iter()
            .map(|a| {
                serde_json::json!({
                    "id": a.id,
                    "action": a.action.get(lang),
                    "owner": owner_name(view, &a.owner, lang),
                    "deadline": super::usage::month_name(lang, a.deadline),
                    "deadline_iso": format!("{}-{:02}", a.deadline.0, a.deadline.1),
                    "status": view.t(lang, &format!("actions.status.{}", a.status)),
                    "status_id": a.status,
                    "note": a.note.as_ref().map(|n| n.get(lang)),
                })
            })
            .collect();
        let count = |s: &str| {
            view.number(
                self.list.iter().filter(|a| a.status == s).count() as i64,
                lang,
            )
        };
        tera::Value::from_serializable(&serde_json::json!({
            "actions": rows,
            "total": view.number(self.list.len() as i64, lang),
            "complete": count("complete"),
            "in_progress": count("in-progress"),
            "open": count("open"),
            "illustrative": view.is_illustrative("actions"),
            "downloads": view.downloads("actions", lang),
        }))
    }

    fn datasets(&self, data: &Data, words: Words) -> Vec<Result<Dataset, Diagnostic>> {
        vec![
            data.catalogue
                .meta("actions", "data/actions.csv")
                .map(|meta| {
                    Schema::<&Action>::new("actions", words)
                        .column("id", Kind::Integer, |a| Cell::Int(a.id.into()))
                        .text("action", |a| &a.action)
                        .column("owner", Kind::String, |a| Cell::Text(a.owner.clone()))
                        .values(Values::Owner)
                        .column("deadline", Kind::YearMonth, |a| {
                            Cell::Text(format!("{}-{:02}", a.deadline.0, a.deadline.1))
                        })
                        .column("status", Kind::String, |a| Cell::Text(a.status.into()))
                        .values(Values::Strings("actions.status"))
                        .optional_text("note", |a| a.note.as_ref())
                        .dataset(meta, &self.list)
                }),
        ]
    }
}

/// The name of an organisation or body.
pub fn owner_name(view: &View, id: &str, lang: Lang) -> String {
    if let Some(b) = view.data.get::<crate::publications::regulators::Regulators>().and_then(|r| r.get(id)) {
        return b.name.get(lang).to_string();
    }
    super::usage::org_name(view, id, lang)
}
