//! Open data: every publication's tables as CSV and JSON, described by a Frictionless Data
//! Package (`datapackage.json`, Table Schema, licence, version, date, size and SHA-256 of each
//! file), and the whole package as one zip. Files are written under `/datasets/<name>/`.

pub mod catalogue;
pub mod columns;

use std::io::Write;

use serde_json::json;
use sha2::{Digest, Sha256};

use crate::data::Text;
use crate::locale::Lang;

pub const OUTPUT_DIR: &str = "datasets";

/// Frictionless field types used here.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    String,
    Integer,
    Number,
    Date,
    /// `YYYY-MM`
    YearMonth,
    Boolean,
}

impl Kind {
    fn frictionless(self) -> &'static str {
        match self {
            Kind::String => "string",
            Kind::Integer => "integer",
            Kind::Number => "number",
            Kind::Date => "date",
            Kind::YearMonth => "yearmonth",
            Kind::Boolean => "boolean",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Field {
    pub name: String,
    pub kind: Kind,
    pub description: Text,
    /// A short column heading for tables and chart axes: "Organisation", "Searches".
    pub label: Text,
    /// Units, where the field is a measure: `{ en = "searches", cy = "chwiliadau" }`.
    pub unit: Option<Text>,
    pub required: bool,
    /// How its coded values are shown in tables and charts.
    pub values: columns::Values,
    /// Its cells are lists, items separated by `;`.
    pub list: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    Num(f64),
    Bool(bool),
    Empty,
}

impl Cell {
    fn csv(&self) -> String {
        match self {
            Cell::Text(s) => crate::escape::csv_cell(s).into_owned(),
            Cell::Int(n) => n.to_string(),
            Cell::Num(n) => format_number(*n),
            Cell::Bool(b) => b.to_string(),
            Cell::Empty => String::new(),
        }
    }
}

/// The cell of `row` in column `i`, or an empty one: a row shorter than its fields is a
/// mistake of the code that made it, never a reason to stop a build.
pub fn cell(row: &[Cell], i: usize) -> &Cell {
    static EMPTY: Cell = Cell::Empty;
    row.get(i).unwrap_or(&EMPTY)
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{n:.1}")
    } else {
        format!("{n}")
    }
}

/// Catalogue details of a dataset, from `data/datasets.toml`.
#[derive(Clone, Debug)]
pub struct Meta {
    pub title: Text,
    pub description: Text,
    pub version: String,
    pub published: jiff::civil::Date,
    pub illustrative: bool,
}

/// Produces a dataset's rows one at a time, calling the given function with each.
pub type RowSource = std::sync::Arc<dyn Fn(&mut dyn FnMut(Vec<Cell>)) + Send + Sync>;

/// A dataset's rows: in memory, or read again from large source files when written.
#[derive(Clone)]
pub enum Rows {
    Memory(Vec<Vec<Cell>>),
    Stream(RowSource),
}

impl Rows {
    fn each(&self, f: &mut dyn FnMut(Vec<Cell>)) {
        match self {
            Rows::Memory(rows) => rows.iter().for_each(|r| f(r.clone())),
            Rows::Stream(source) => source(f),
        }
    }
}

impl From<Vec<Vec<Cell>>> for Rows {
    fn from(rows: Vec<Vec<Cell>>) -> Rows {
        Rows::Memory(rows)
    }
}

impl std::fmt::Debug for Rows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Rows::Memory(r) => write!(f, "{} rows", r.len()),
            Rows::Stream(_) => f.write_str("streamed rows"),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Dataset {
    pub name: &'static str,
    pub meta: Meta,
    pub fields: Vec<Field>,
    pub rows: Rows,
}

/// One written file of a dataset, for links and the catalogue.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Download {
    pub format: &'static str,
    pub path: String,
    pub bytes: usize,
    pub sha256: String,
}

pub struct Written {
    pub files: Vec<(String, Vec<u8>)>,
    pub downloads: Vec<Download>,
}

impl Dataset {
    fn base(&self) -> String {
        if self.meta.illustrative {
            format!("{}-illustrative", self.name)
        } else {
            self.name.to_string()
        }
    }

    pub fn dir(&self) -> String {
        format!("{OUTPUT_DIR}/{}", self.name)
    }

    pub fn csv(&self) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        // Writing to a Vec cannot fail.
        let _ = w.write_record(self.fields.iter().map(|f| f.name.as_str()));
        self.rows.each(&mut |row| {
            let _ = w.write_record(row.iter().map(Cell::csv));
        });
        w.into_inner().unwrap_or_default()
    }

    /// The dataset as JSON: `{data, licence, name, notice, version}`, each row an object whose
    /// keys are in name order. Written row by row as the rows come (a large dataset is streamed
    /// from its files), never as a tree of values: the usage statistics' tree took 200 MB.
    pub fn json(&self, notice: &Text, languages: &[Lang]) -> Vec<u8> {
        let doc = JsonDoc {
            dataset: self,
            notice: self.meta.illustrative.then(|| text_json(notice, languages)),
            rows: std::cell::Cell::new(0),
        };
        let mut out = serde_json::to_vec(&doc).unwrap_or_default();
        // Large datasets are written compactly; people read the small ones.
        if doc.rows.get() <= LARGE_DATASET_ROWS {
            out = serde_json::to_vec_pretty(&doc).unwrap_or_default();
        }
        out.push(b'\n');
        out
    }

    /// CSV, JSON, datapackage.json and a zip of all three, with their sizes and checksums.
    pub fn write(&self, notice: &Text, languages: &[Lang]) -> Written {
        let dir = self.dir();
        let base = self.base();
        // A large dataset's two serialisations take as long as many small datasets: made side
        // by side.
        let (csv, json) = rayon::join(|| self.csv(), || self.json(notice, languages));
        let csv_name = format!("{base}.csv");
        let json_name = format!("{base}.json");
        let package = self.package(&csv_name, &csv, &json_name, &json, notice, languages);
        let mut downloads = vec![
            download("CSV", format!("{dir}/{csv_name}"), &csv),
            download("JSON", format!("{dir}/{json_name}"), &json),
            download(
                "datapackage.json",
                format!("{dir}/datapackage.json"),
                &package,
            ),
        ];
        let zip = zip_files(&[
            (csv_name.as_str(), &csv),
            (json_name.as_str(), &json),
            ("datapackage.json", &package),
        ]);
        let zip_name = format!("{base}.zip");
        downloads.push(download("ZIP", format!("{dir}/{zip_name}"), &zip));
        Written {
            files: vec![
                (format!("{dir}/{csv_name}"), csv),
                (format!("{dir}/{json_name}"), json),
                (format!("{dir}/datapackage.json"), package),
                (format!("{dir}/{zip_name}"), zip),
            ],
            downloads,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn package(
        &self,
        csv_name: &str,
        csv: &[u8],
        json_name: &str,
        json: &[u8],
        notice: &Text,
        languages: &[Lang],
    ) -> Vec<u8> {
        // The site's languages, never none (site.toml is refused without one); the first is
        // the default, which Frictionless's single-language fields get.
        let Some(&first) = languages.first() else {
            return Vec::new();
        };
        let fields: Vec<serde_json::Value> = self
            .fields
            .iter()
            .map(|f| {
                let mut field = json!({
                    "name": f.name,
                    "type": f.kind.frictionless(),
                    "description": f.description.get(first),
                    "descriptions": text_json(&f.description, languages),
                });
                if f.required {
                    field["constraints"] = json!({ "required": true });
                }
                if let Some(unit) = &f.unit {
                    field["unit"] = text_json(unit, languages);
                }
                field
            })
            .collect();
        let mut description = self.meta.description.get(first).to_string();
        if self.meta.illustrative {
            description = format!("{} {description}", notice.get(first));
        }
        let package = json!({
            "profile": "data-package",
            "name": self.name,
            "title": self.meta.title.get(first),
            "description": description,
            "titles": text_json(&self.meta.title, languages),
            "descriptions": text_json(&self.meta.description, languages),
            "version": self.meta.version,
            "created": format!("{}T00:00:00Z", self.meta.published),
            "illustrative": self.meta.illustrative,
            "licenses": [{
                "name": "OGL-UK-3.0",
                "path": LICENCE_URL,
                "title": "Open Government Licence v3.0",
            }],
            "resources": [
                {
                    "name": self.name,
                    "path": csv_name,
                    "profile": "tabular-data-resource",
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "bytes": csv.len(),
                    "hash": format!("sha256:{}", sha256(csv)),
                    "dialect": { "delimiter": ",", "lineTerminator": "\r\n", "header": true },
                    "schema": { "fields": fields },
                },
                {
                    "name": format!("{}-json", self.name),
                    "profile": "data-resource",
                    "path": json_name,
                    "format": "json",
                    "mediatype": "application/json",
                    "encoding": "utf-8",
                    "bytes": json.len(),
                    "hash": format!("sha256:{}", sha256(json)),
                },
            ],
        });
        let mut out = serde_json::to_vec_pretty(&package).unwrap_or_default();
        out.push(b'\n');
        out
    }
}

/// Datasets with more rows than this are written as compact JSON.
/// A dataset's JSON document, serialised as its rows come; it counts the rows it wrote.
struct JsonDoc<'a> {
    dataset: &'a Dataset,
    notice: Option<serde_json::Value>,
    rows: std::cell::Cell<usize>,
}

impl serde::Serialize for JsonDoc<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        // Keys in name order, as a JSON object has always been written here.
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("data", &JsonRows(self))?;
        map.serialize_entry("licence", LICENCE_URL)?;
        map.serialize_entry("name", &self.dataset.name)?;
        if let Some(notice) = &self.notice {
            map.serialize_entry("notice", notice)?;
        }
        map.serialize_entry("version", &self.dataset.meta.version)?;
        map.end()
    }
}

/// The rows of a [`JsonDoc`], each an object of its cells by field name.
struct JsonRows<'a, 'b>(&'b JsonDoc<'a>);

impl serde::Serialize for JsonRows<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let fields = &self.0.dataset.fields;
        let mut order: Vec<usize> = (0..fields.len()).collect();
        order.sort_by(|&a, &b| fields[a].name.cmp(&fields[b].name));
        let mut seq = serializer.serialize_seq(None)?;
        let mut failed = None;
        let mut count = 0;
        self.0.dataset.rows.each(&mut |row| {
            if failed.is_some() {
                return;
            }
            count += 1;
            let object = JsonRow {
                names: fields,
                order: &order,
                row: &row,
            };
            if let Err(e) = seq.serialize_element(&object) {
                failed = Some(e);
            }
        });
        self.0.rows.set(count);
        if let Some(e) = failed {
            return Err(e);
        }
        seq.end()
    }
}

/// A cell as a JSON value.
struct CellJson<'a>(&'a Cell);

impl serde::Serialize for CellJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Cell::Text(s) => serializer.serialize_str(s),
            Cell::Int(n) => serializer.serialize_i64(*n),
            // Not finite: `null`, as serde_json writes such a number.
            Cell::Num(n) => serializer.serialize_f64(*n),
            Cell::Bool(b) => serializer.serialize_bool(*b),
            Cell::Empty => serializer.serialize_unit(),
        }
    }
}

/// One row as a JSON object, keys in name order.
struct JsonRow<'a> {
    names: &'a [Field],
    order: &'a [usize],
    row: &'a [Cell],
}

impl serde::Serialize for JsonRow<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        // As many cells as there are both fields and cells, as a zip of the two gives.
        let shown: Vec<usize> = self
            .order
            .iter()
            .copied()
            .filter(|&i| i < self.row.len())
            .collect();
        let mut map = serializer.serialize_map(Some(shown.len()))?;
        for i in shown {
            map.serialize_entry(&self.names[i].name, &CellJson(&self.row[i]))?;
        }
        map.end()
    }
}

const LARGE_DATASET_ROWS: usize = 10_000;

pub const LICENCE_URL: &str =
    "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/";

fn text_json(text: &Text, languages: &[Lang]) -> serde_json::Value {
    let map: serde_json::Map<String, serde_json::Value> = languages
        .iter()
        .map(|l| (l.code.to_string(), json!(text.get(l))))
        .collect();
    serde_json::Value::Object(map)
}

fn sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn download(format: &'static str, path: String, bytes: &[u8]) -> Download {
    Download {
        format,
        path,
        bytes: bytes.len(),
        sha256: sha256(bytes),
    }
}

/// A zip with fixed timestamps and order, so the same data gives the same bytes.
pub fn zip_files(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        // Fast compression: the zips are a convenience, and the build must stay quick.
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(1))
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(0o644);
        for (name, bytes) in files {
            // Writing to memory cannot fail for these sizes.
            let _ = zip.start_file(*name, options);
            let _ = zip.write_all(bytes);
        }
        let _ = zip.finish();
    }
    buf.into_inner()
}

/// "12 KB", "1.2 MB": file sizes for download links, in the page's language.
pub fn human_size(bytes: usize) -> String {
    match bytes {
        b if b < 1024 => format!("{b} bytes"),
        b if b < 1024 * 1024 => format!("{} KB", b.div_ceil(1024)),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

#[cfg(test)]
mod tests {
    use super::columns::{Schema, Words};
    use super::*;
    use crate::locale::{ENGLISH, WELSH};

    fn words() -> crate::theme::Strings {
        crate::theme::Strings::from_toml(&[
            (
                &ENGLISH,
                "[columns.demo]\nname.description = \"Name\"\ncount.description = \"Count\"\n\
                 [columns.in_language]\ncy = \"{description} in Welsh\"",
            ),
            (
                &WELSH,
                "[columns.demo]\nname.description = \"Enw\"\ncount.description = \"Cyfrif\"\n\
                 [columns.in_language]\ncy = \"{description} yn Gymraeg\"",
            ),
        ])
    }

    fn text(en: &str, cy: &str) -> Text {
        Text::from_pairs([("en", en.to_string()), ("cy", cy.to_string())])
    }

    fn dataset(illustrative: bool) -> Dataset {
        Dataset {
            name: "demo",
            meta: Meta {
                title: text("Demo", "Demo"),
                description: text("Rows.", "Rhesi."),
                version: "1.0.0".into(),
                published: jiff::civil::Date::new(2026, 11, 22).unwrap(),
                illustrative,
            },
            fields: Schema::<()>::new(
                "demo",
                Words {
                    strings: &words(),
                    languages: &[&ENGLISH, &WELSH],
                },
            )
            .column("name", Kind::String, |_| Cell::Empty)
            .column("count", Kind::Integer, |_| Cell::Empty)
            .optional()
            .fields(),
            rows: vec![
                vec![Cell::Text("=HYPERLINK(\"http://x\")".into()), Cell::Int(-5)],
                vec![Cell::Text("a, \"quoted\" name".into()), Cell::Empty],
                vec![Cell::Text("@SUM(A1)".into()), Cell::Int(3)],
                vec![Cell::Text("\tx".into()), Cell::Int(0)],
            ]
            .into(),
        }
    }

    #[test]
    fn hostile_cells_open_as_text_numbers_untouched() {
        let csv = String::from_utf8(dataset(false).csv()).unwrap();
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines[0], "name,count");
        assert_eq!(lines[1], "\"'=HYPERLINK(\"\"http://x\"\")\",-5");
        assert_eq!(lines[2], "\"a, \"\"quoted\"\" name\",");
        assert_eq!(lines[3], "'@SUM(A1),3");
        assert_eq!(lines[4], "'\tx,0");
    }

    proptest::proptest! {
        /// Any text in a cell, title or description: the JSON download and datapackage.json
        /// parse back to it exactly, and the CSV download reads back as its formula-safe form.
        #[test]
        fn downloads_read_back_as_the_values(
            a in crate::escape::tests::hostile(),
            b in crate::escape::tests::hostile(),
        ) {
            let mut d = dataset(false);
            d.meta.title = text(&a, &b);
            d.meta.description = text(&b, &a);
            d.rows = vec![vec![Cell::Text(a.clone()), Cell::Int(1)], vec![Cell::Text(b.clone()), Cell::Empty]].into();
            let notice = text("Illustrative.", "Enghreifftiol.");
            let json: serde_json::Value =
                serde_json::from_slice(&d.json(&notice, &[&ENGLISH, &WELSH])).expect("valid JSON");
            proptest::prop_assert_eq!(&json["data"][0]["name"], &serde_json::json!(a));
            proptest::prop_assert_eq!(&json["data"][1]["name"], &serde_json::json!(b));
            let written = d.write(&notice, &[&ENGLISH, &WELSH]);
            let package: serde_json::Value =
                serde_json::from_slice(&written.files[2].1).expect("valid JSON");
            proptest::prop_assert_eq!(&package["title"], &serde_json::json!(a));
            proptest::prop_assert_eq!(&package["titles"]["cy"], &serde_json::json!(b));
            proptest::prop_assert_eq!(&package["descriptions"]["en"], &serde_json::json!(b));
            let csv = d.csv();
            let mut reader = csv::Reader::from_reader(&csv[..]);
            let cells: Vec<String> = reader
                .records()
                .map(|r| r.expect("valid CSV")[0].to_string())
                .collect();
            proptest::prop_assert_eq!(
                cells,
                [crate::escape::csv_cell(&a).into_owned(), crate::escape::csv_cell(&b).into_owned()]
            );
        }
    }

    /// The JSON download as written row by row is what a tree of values serialised gives:
    /// keys in name order, pretty when small, compact when large, the notice when illustrative.
    #[test]
    fn json_is_written_as_a_tree_of_values_would_be() {
        let notice = text("Illustrative.", "Enghreifftiol.");
        let languages = [&ENGLISH, &WELSH];
        let tree = |d: &Dataset, rows: Vec<serde_json::Value>, large: bool| {
            let mut doc = serde_json::json!({
                "name": d.name, "version": d.meta.version, "licence": LICENCE_URL, "data": rows,
            });
            if d.meta.illustrative {
                doc["notice"] = text_json(&notice, &languages);
            }
            let mut out = if large {
                serde_json::to_vec(&doc).unwrap()
            } else {
                serde_json::to_vec_pretty(&doc).unwrap()
            };
            out.push(b'\n');
            out
        };
        let mut d = dataset(true);
        d.rows = vec![
            vec![Cell::Text("a".into()), Cell::Int(-5)],
            vec![Cell::Text("b".into()), Cell::Empty],
            vec![Cell::Text("c".into()), Cell::Num(f64::NAN)],
            vec![Cell::Text("d".into())],
        ]
        .into();
        let small = [
            serde_json::json!({"count": -5, "name": "a"}),
            serde_json::json!({"count": null, "name": "b"}),
            serde_json::json!({"count": null, "name": "c"}),
            serde_json::json!({"name": "d"}),
        ];
        assert_eq!(
            String::from_utf8(d.json(&notice, &languages)).unwrap(),
            String::from_utf8(tree(&d, small.to_vec(), false)).unwrap()
        );
        let n = LARGE_DATASET_ROWS + 1;
        let mut d = dataset(false);
        d.rows = (0..n)
            .map(|i| vec![Cell::Text(format!("r{i}")), Cell::Num(i as f64 / 2.0)])
            .collect::<Vec<_>>()
            .into();
        let large = (0..n)
            .map(|i| serde_json::json!({"count": i as f64 / 2.0, "name": format!("r{i}")}))
            .collect();
        assert!(d.json(&notice, &languages) == tree(&d, large, true));
    }

    #[test]
    fn package_describes_files_with_size_and_hash() {
        let notice = text("Illustrative data.", "Data enghreifftiol.");
        let written = dataset(true).write(&notice, &[&ENGLISH, &WELSH]);
        let paths: Vec<&str> = written.files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "datasets/demo/demo-illustrative.csv",
                "datasets/demo/demo-illustrative.json",
                "datasets/demo/datapackage.json",
                "datasets/demo/demo-illustrative.zip"
            ]
        );
        let package: serde_json::Value = serde_json::from_slice(&written.files[2].1).unwrap();
        let csv = &written.files[0].1;
        assert_eq!(package["resources"][0]["bytes"], csv.len());
        assert_eq!(
            package["resources"][0]["hash"],
            format!("sha256:{}", sha256(csv))
        );
        assert_eq!(package["licenses"][0]["name"], "OGL-UK-3.0");
        assert!(
            package["description"]
                .as_str()
                .unwrap()
                .starts_with("Illustrative data.")
        );
        assert_eq!(
            package["resources"][0]["schema"]["fields"][0]["descriptions"]["cy"],
            "Enw"
        );
        let json: serde_json::Value = serde_json::from_slice(&written.files[1].1).unwrap();
        assert_eq!(json["notice"]["cy"], "Data enghreifftiol.");
        assert_eq!(json["data"][0]["count"], -5);
    }

    #[test]
    fn per_language_columns_are_described_in_every_language() {
        let fields = Schema::<Text>::new(
            "demo",
            Words {
                strings: &words(),
                languages: &[&ENGLISH, &WELSH],
            },
        )
        .text("name", |t| t)
        .fields();
        assert_eq!(fields[1].name, "name_cy");
        assert_eq!(fields[1].description.get(&ENGLISH), "Name in Welsh");
        assert_eq!(fields[1].description.get(&WELSH), "Enw yn Gymraeg");
        // The words come from the theme's strings; a theme without them names the language.
        let bare = crate::theme::Strings::from_toml(&[
            (&ENGLISH, "[columns.demo]\nname.description = \"Name\""),
            (&WELSH, "[columns.demo]\nname.description = \"Enw\""),
        ]);
        let languages = [&ENGLISH, &WELSH];
        let words = Words {
            strings: &bare,
            languages: &languages,
        };
        let fields = Schema::<Text>::new("demo", words)
            .text("name", |t| t)
            .fields();
        assert_eq!(fields[1].description.get(&ENGLISH), "Name (Cymraeg)");
        assert_eq!(fields[0].description.get(&WELSH), "Enw (English)");
    }

    #[test]
    fn zips_are_deterministic() {
        let a = zip_files(&[("a.txt", b"hello")]);
        let b = zip_files(&[("a.txt", b"hello")]);
        assert_eq!(a, b);
        assert!(a.starts_with(b"PK"));
    }
}
