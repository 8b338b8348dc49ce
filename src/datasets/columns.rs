//! A dataset's columns, declared once: each column's name, type, how its cell is made from a
//! row, and how its coded values are labelled. The dataset's field list (CSV header,
//! datapackage.json schema), its cells and the labels `table` and `chart` shortcodes show all
//! come from the one declaration, so they cannot drift apart.
//!
//! A column's words are UI strings of the theme, so `tryloyw translations` sees them: under
//! `columns.<dataset>.<column>`, a `description` (datapackage.json, table headings), and
//! optionally a short `label` (chart axes; by default the description up to a `:` or `(`) and
//! a `unit`. A text column has one column per language (`name_en`, `name_cy`), described as
//! "Name in Welsh".

use crate::data::Text;
use crate::locale::Lang;
use crate::theme::Strings;

use super::{Cell, Field, Kind};

/// How the coded values of a column are shown in tables and charts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Values {
    /// As they are.
    Raw,
    /// The UI string `<namespace>.<value>`: `jurisdiction.scotland` → "Scotland".
    Strings(&'static str),
    /// An organisation id, as the organisation's name.
    Organisation,
    /// A reason code, as the reason's name.
    Reason,
    /// A body id (regulator, inspectorate), as the body's name.
    Body,
    /// A body or organisation id, as its name.
    Owner,
    /// `2024-Q3`, as "July to September 2024".
    Quarter,
}

/// Cell makers own what they use (a date, an `Arc` of a row store), so a streamed dataset
/// can keep them.
type MakeCells<R> = Box<dyn Fn(&R, &[Lang], &mut Vec<Cell>) + Send + Sync>;

/// One declared column of rows of type `R`.
struct Column<R> {
    name: String,
    kind: Kind,
    per_language: bool,
    required: bool,
    values: Values,
    /// Its cells are lists, items separated by `;` (see [`Schema::list`]).
    list: bool,
    /// The words' key, when not `columns.<dataset>.<name>`, and a `{placeholder}` to fill.
    key: Option<(&'static str, &'static str, Text)>,
    make: MakeCells<R>,
}

/// The words of a dataset's columns, in the site's languages.
#[derive(Clone, Copy)]
pub struct Words<'a> {
    pub strings: &'a Strings,
    pub languages: &'a [Lang],
}

impl Words<'_> {
    /// `key` in every language, or `None` when the theme does not have it.
    fn text(&self, key: &str) -> Option<Text> {
        self.strings.get(self.languages.first()?, key)?;
        Some(self.required(key))
    }

    /// "{description} in Welsh" (for `column`), said in `speaker`'s language: how a text
    /// column's language is named after its description.
    fn in_language(&self, speaker: Lang, column: Lang) -> String {
        let key = format!("columns.in_language.{}", column.code);
        let found = self.strings.get(speaker, &key);
        found.map_or_else(
            || format!("{{description}} ({})", column.endonym),
            str::to_string,
        )
    }

    /// `key` in every language; the key itself where the theme lacks it, as other UI strings.
    fn required(&self, key: &str) -> Text {
        Text::from_pairs(
            self.languages
                .iter()
                .map(|l| (l.code, self.strings.get(l, key).unwrap_or(key).to_string())),
        )
    }
}

/// A dataset's schema: its columns, declared in order, each with how its cells are made.
///
/// ```text
/// Schema::<&Action>::new("actions", words)
///     .column("id", Kind::Integer, |a| Cell::Int(a.id.into()))
///     .text("action", |a| &a.action)
///     .column("status", Kind::String, |a| Cell::Text(a.status.into()))
///     .values(Values::Strings("actions.status"))
/// ```
pub struct Schema<'a, R> {
    dataset: &'static str,
    words: Words<'a>,
    columns: Vec<Column<R>>,
}

impl<'a, R> Schema<'a, R> {
    pub fn new(dataset: &'static str, words: Words<'a>) -> Self {
        Schema {
            dataset,
            words,
            columns: Vec::new(),
        }
    }

    /// A column of one cell per row.
    pub fn column(
        mut self,
        name: &str,
        kind: Kind,
        cell: impl Fn(&R) -> Cell + Send + Sync + 'static,
    ) -> Self {
        self.columns.push(Column {
            name: name.to_string(),
            kind,
            per_language: false,
            required: true,
            values: Values::Raw,
            list: false,
            key: None,
            make: Box::new(move |row, _, out| out.push(cell(row))),
        });
        self
    }

    /// A text column: one column per language of the site.
    pub fn text(self, name: &str, text: impl Fn(&R) -> &Text + Send + Sync + 'static) -> Self {
        self.optional_text(name, move |row| Some(text(row)))
            .required()
    }

    /// A text column that may be empty.
    pub fn optional_text(
        mut self,
        name: &str,
        text: impl Fn(&R) -> Option<&Text> + Send + Sync + 'static,
    ) -> Self {
        self.columns.push(Column {
            name: name.to_string(),
            kind: Kind::String,
            per_language: true,
            required: false,
            values: Values::Raw,
            list: false,
            key: None,
            make: Box::new(move |row, langs, out| match text(row) {
                Some(t) => out.extend(langs.iter().map(|l| Cell::Text(t.get(l).to_string()))),
                None => out.extend(langs.iter().map(|_| Cell::Empty)),
            }),
        });
        self
    }

    fn last(&mut self, change: impl FnOnce(&mut Column<R>)) {
        if let Some(c) = self.columns.last_mut() {
            change(c);
        }
    }

    fn required(mut self) -> Self {
        self.last(|c| c.required = true);
        self
    }

    /// The last column may be empty.
    pub fn optional(mut self) -> Self {
        self.last(|c| c.required = false);
        self
    }

    /// The last column's cells are lists, items separated by `;` (`PNC;PND`): tables show
    /// each item as its values say, separated by commas.
    pub fn list(mut self) -> Self {
        self.last(|c| c.list = true);
        self
    }

    /// How the last column's values are shown in tables and charts.
    pub fn values(mut self, values: Values) -> Self {
        self.last(|c| c.values = values);
        self
    }

    /// The last column's words are `key`'s, with its `{placeholder}` filled with `value` in
    /// each language: for columns made at run time, such as one per quality standard.
    pub fn words(mut self, key: &'static str, placeholder: &'static str, value: Text) -> Self {
        self.last(|c| c.key = Some((key, placeholder, value)));
        self
    }

    /// The fields, in order: the CSV header and the datapackage.json schema.
    pub fn fields(&self) -> Vec<Field> {
        self.columns
            .iter()
            .flat_map(|c| fields_of(self.dataset, &self.words, c))
            .collect()
    }

    /// The cells of one row, in field order.
    pub fn row(&self, row: &R) -> Vec<Cell> {
        let mut out = Vec::new();
        for c in &self.columns {
            (c.make)(row, self.words.languages, &mut out);
        }
        out
    }

    /// The dataset of `rows`, held in memory.
    pub fn dataset(self, meta: super::Meta, rows: impl IntoIterator<Item = R>) -> super::Dataset {
        let rows: Vec<Vec<Cell>> = rows.into_iter().map(|r| self.row(&r)).collect();
        super::Dataset {
            name: self.dataset,
            meta,
            fields: self.fields(),
            rows: rows.into(),
        }
    }

    /// The dataset whose rows are made again each time it is written, by `each` over the
    /// rows: for large stores, which are not copied into cells.
    pub fn streamed(
        self,
        meta: super::Meta,
        each: impl Fn(&mut dyn FnMut(&R)) + Send + Sync + 'static,
    ) -> super::Dataset
    where
        R: 'static,
    {
        let fields = self.fields();
        let name = self.dataset;
        let cells = Cells {
            columns: self.columns,
            languages: self.words.languages.to_vec(),
        };
        super::Dataset {
            name,
            meta,
            fields,
            rows: super::Rows::Stream(std::sync::Arc::new(move |emit| {
                each(&mut |row| emit(cells.row(row)))
            })),
        }
    }
}

/// A schema's cell makers, without its words: what a streamed dataset keeps.
struct Cells<R> {
    columns: Vec<Column<R>>,
    languages: Vec<Lang>,
}

impl<R> Cells<R> {
    fn row(&self, row: &R) -> Vec<Cell> {
        let mut out = Vec::new();
        for c in &self.columns {
            (c.make)(row, &self.languages, &mut out);
        }
        out
    }
}

/// The fields a column declares: one, or one per language for a text.
fn fields_of<R>(dataset: &str, words: &Words, c: &Column<R>) -> Vec<Field> {
    let name = c.name.as_str();
    let key = match &c.key {
        Some((key, _, _)) => key.to_string(),
        None => format!("columns.{dataset}.{name}"),
    };
    let mut description = words.required(&format!("{key}.description"));
    if let Some((_, placeholder, value)) = &c.key {
        description = Text::from_pairs(words.languages.iter().map(|l| {
            let filled =
                crate::theme::i18n::fill(description.get(l), &[(placeholder, value.get(l))]);
            (l.code, filled)
        }));
    }
    let label = words.text(&format!("{key}.label"));
    let unit = words.text(&format!("{key}.unit"));
    if !c.per_language {
        // The heading is the description without its explanation in brackets or after a colon.
        let short = |t: &str| t.split([':', '(']).next().unwrap_or(t).trim().to_string();
        let label = label.unwrap_or_else(|| {
            Text::from_pairs(
                words
                    .languages
                    .iter()
                    .map(|l| (l.code, short(description.get(l)))),
            )
        });
        return vec![Field {
            name: name.to_string(),
            kind: c.kind,
            description,
            label,
            unit,
            required: c.required,
            values: c.values,
            list: c.list,
        }];
    }
    words
        .languages
        .iter()
        .map(|&column_lang| Field {
            name: format!("{name}_{}", column_lang.code),
            kind: Kind::String,
            // "Name in Welsh", in each language.
            description: Text::from_pairs(words.languages.iter().map(|&speaker| {
                let in_language = words.in_language(speaker, column_lang);
                let said = in_language.replace("{description}", description.get(speaker));
                (speaker.code, said)
            })),
            label: label.clone().unwrap_or_else(|| description.clone()),
            unit: unit.clone(),
            required: c.required,
            values: c.values,
            list: c.list,
        })
        .collect()
}
