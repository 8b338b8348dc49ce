//! TOML front matter between `+++` lines, the convention Zola and Hugo share.

use std::ops::Range;

use jiff::civil::Date;
use serde::{Deserialize, Deserializer};
use toml::Spanned;
use toml::de::DeTable;

use crate::diagnostics::{Diagnostic, SourceFile};
use crate::tomlfile;

#[derive(Deserialize, Debug, Clone)]
pub struct FrontMatter {
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub date: Option<PageDate>,
    #[serde(default)]
    pub updated: Option<PageDate>,
    #[serde(default)]
    pub weight: Option<i64>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub slug: Option<Spanned<String>>,
    #[serde(default)]
    pub template: Option<Spanned<String>>,
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    /// On a section: publish a print edition of it at `print/`.
    #[serde(default)]
    pub print: bool,
    /// Whether the page appears in the site menu (pages directly under the home page).
    #[serde(default = "yes")]
    pub menu: bool,
    /// On a translation: the git blob hash of the default-language file it was translated
    /// from, written by `tryloyw translations mark`. When that file changes, the
    /// translation is reported as stale.
    #[serde(default)]
    pub translated_from: Option<Spanned<String>>,
    /// On a section: the structured publication it hosts (`organisations`, `dpia`, …).
    #[serde(default)]
    pub publication: Option<Spanned<String>>,
    #[serde(default)]
    pub extra: toml::Table,
}

impl FrontMatter {
    /// Front matter for a page generated from data.
    pub fn generated(title: String, description: Option<String>, template: &str) -> FrontMatter {
        FrontMatter {
            title,
            description,
            date: None,
            updated: None,
            weight: None,
            draft: false,
            slug: None,
            template: Some(Spanned::new(0..0, template.to_string())),
            aliases: Vec::new(),
            print: false,
            menu: true,
            translated_from: None,
            publication: None,
            extra: toml::Table::new(),
        }
    }
}

fn yes() -> bool {
    true
}

/// A calendar date, written as a TOML date (`2019-02-20`) or the same in quotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PageDate(pub Date);

impl<'de> Deserialize<'de> for PageDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Toml(toml::value::Datetime),
            Text(String),
        }
        let (y, m, day, shown) = match Raw::deserialize(d)
            .map_err(|_| D::Error::custom("invalid date: expected a date like 2019-02-20"))?
        {
            Raw::Toml(dt) => match dt.date {
                Some(date) => (
                    date.year as i16,
                    date.month as i8,
                    date.day as i8,
                    dt.to_string(),
                ),
                None => {
                    return Err(D::Error::custom(format!(
                        "invalid date `{dt}`: no day given"
                    )));
                }
            },
            Raw::Text(s) => {
                let parts: Vec<&str> = s.split('-').collect();
                let num = |i: usize| parts.get(i).and_then(|p| p.parse::<i16>().ok());
                match (parts.len(), num(0), num(1), num(2)) {
                    (3, Some(y), Some(m), Some(d)) => (y, m as i8, d as i8, s.clone()),
                    _ => {
                        return Err(D::Error::custom(format!(
                            "invalid date `{s}`: expected a date like 2019-02-20"
                        )));
                    }
                }
            }
        };
        Date::new(y, m, day)
            .map(PageDate)
            .map_err(|_| D::Error::custom(format!("invalid date `{shown}`: no such day")))
    }
}

/// Where the parts of a page file are, as byte ranges into its text.
pub struct Split {
    pub front: Range<usize>,
    pub body: Range<usize>,
}

/// Find the `+++` fences. The opening fence must be the file's first line.
pub fn split(source: &SourceFile) -> Result<Split, Diagnostic> {
    let text = &source.text;
    // A BOM is 3 bytes; every other offset below is where `find('\n')` matched, or one past
    // it, so each slice is on a char boundary (and `pos` past the end stops the loop).
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let first_line_end = text[bom..].find('\n').map_or(text.len(), |i| bom + i);
    if text[bom..first_line_end].trim_end() != "+++" {
        return Err(Diagnostic::error("page has no front matter")
            .at(source, bom..first_line_end)
            .label("expected `+++` here")
            .hint(
                "start the file with a `+++` line, then `title = \"...\"`, then another `+++` line",
            ));
    }
    let front_start = (first_line_end + 1).min(text.len());
    let mut pos = front_start;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        if text[pos..end].trim_end() == "+++" {
            return Ok(Split {
                front: front_start..pos,
                body: (end + 1).min(text.len())..text.len(),
            });
        }
        pos = end + 1;
    }
    Err(Diagnostic::error("front matter is not closed")
        .at(source, bom..first_line_end)
        .label("opened here")
        .hint("add a line with only `+++` after the front matter"))
}

/// Zola front-matter fields that change only how Zola sorts, paginates, feeds or indexes a
/// section. A site moving across from Zola keeps building: each is read past, with a warning
/// that it has no effect here. Fields that change what is published (`path`, `render`,
/// `redirect_to`, `transparent`, `page_template`, `taxonomies`) stay errors.
pub const ZOLA_IGNORED: &[&str] = &[
    "sort_by",
    "paginate_by",
    "paginate_path",
    "paginate_reversed",
    "insert_anchor_links",
    "in_search_index",
    "generate_feeds",
    "generate_feed",
];

/// A Zola field read past: which, and where its key is in the file.
#[derive(Debug, Clone)]
pub struct Ignored {
    pub key: &'static str,
    pub span: Range<usize>,
}

/// The front matter with every top-level field of [`ZOLA_IGNORED`] blanked out (spaces in
/// place of its text, so every other span stays where it was), and where each one was.
fn blank_zola_fields(front: &str) -> (String, Vec<Ignored>) {
    let (table, _) = DeTable::parse_recoverable(front);
    let mut bytes = front.as_bytes().to_vec();
    let mut ignored = Vec::new();
    for (key, value) in table.get_ref() {
        let Some(&name) = ZOLA_IGNORED.iter().find(|&&z| z == key.get_ref().as_ref()) else {
            continue;
        };
        let whole = key.span().start..value.span().end.max(key.span().end);
        for b in bytes.get_mut(whole).into_iter().flatten() {
            if *b != b'\n' {
                *b = b' ';
            }
        }
        ignored.push(Ignored {
            key: name,
            span: key.span(),
        });
    }
    // Whole characters were replaced byte for byte by spaces, so the text is still UTF-8.
    let blanked = String::from_utf8(bytes).unwrap_or_else(|_| front.to_string());
    (blanked, ignored)
}

pub fn parse(source: &SourceFile) -> Result<(FrontMatter, Range<usize>), Vec<Diagnostic>> {
    parse_reading_past_zola(source).map(|(front, body, _)| (front, body))
}

/// [`parse`], and the Zola fields it read past (spans relative to the file).
pub fn parse_reading_past_zola(
    source: &SourceFile,
) -> Result<(FrontMatter, Range<usize>, Vec<Ignored>), Vec<Diagnostic>> {
    let split = split(source).map_err(|d| vec![d])?;
    let (blanked, mut ignored) = blank_zola_fields(&source.text[split.front.clone()]);
    let front: FrontMatter = if ignored.is_empty() {
        tomlfile::parse(source, split.front.clone(), "front matter")?
    } else {
        let mut text = source.text.to_string();
        text.replace_range(split.front.clone(), &blanked);
        let without = SourceFile::new(&source.path, text);
        tomlfile::parse(&without, split.front.clone(), "front matter")?
    };
    for i in &mut ignored {
        i.span = i.span.start + split.front.start..i.span.end + split.front.start;
    }
    // In the order they are written, so their warnings read down the file.
    ignored.sort_by_key(|i| i.span.start);
    let mut errors = Vec::new();
    if front.title.trim().is_empty() {
        let at = tomlfile::find_key(&source.text[split.front.clone()], "title")
            .map_or(split.front.start..split.front.start, |key| {
                key.start + split.front.start..key.end + split.front.start
            });
        errors.push(
            Diagnostic::error("`title` is empty")
                .at(source, at)
                .hint("every page needs a title: it is the page's h1 and its <title>"),
        );
    }
    // Spans inside front matter are relative to its text; make them relative to the file.
    let shift = |s: Range<usize>| s.start + split.front.start..s.end + split.front.start;
    let mut front = front;
    for spanned in front
        .slug
        .iter_mut()
        .chain(front.template.iter_mut())
        .chain(front.publication.iter_mut())
        .chain(front.translated_from.iter_mut())
        .chain(front.aliases.iter_mut())
    {
        let span = shift(spanned.span());
        *spanned = Spanned::new(span, std::mem::take(spanned.get_mut()));
    }
    if errors.is_empty() {
        Ok((front, split.body, ignored))
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fm(text: &str) -> Result<FrontMatter, Vec<Diagnostic>> {
        parse(&SourceFile::new("p.md", text)).map(|(f, _)| f)
    }

    #[test]
    fn parses_all_fields() {
        let f = fm("+++\ntitle = \"Diben\"\ndate = 2019-02-20\nupdated = \"2020-01-05\"\nweight = 2\nslug = \"diben\"\naliases = [\"/old/\"]\n[extra]\nx = 1\n+++\nBody\n").unwrap();
        assert_eq!(f.title, "Diben");
        assert_eq!(f.date.unwrap().0, Date::new(2019, 2, 20).unwrap());
        assert_eq!(f.updated.unwrap().0, Date::new(2020, 1, 5).unwrap());
        let slug = f.slug.unwrap();
        assert_eq!(slug.get_ref(), "diben");
        assert_eq!(
            &"+++\ntitle = \"Diben\"\ndate = 2019-02-20\nupdated = \"2020-01-05\"\nweight = 2\nslug = \"diben\""
                [slug.span()],
            "\"diben\""
        );
    }

    #[test]
    fn bad_date_is_reported_at_its_value() {
        let errs = fm("+++\ntitle = \"x\"\ndate = 2019-02-30\n+++\n").unwrap_err();
        assert!(
            errs[0].message.contains("invalid date"),
            "{}",
            errs[0].message
        );
        assert!(errs[0].location().unwrap().starts_with("p.md:3:"));
        let errs = fm("+++\ntitle = \"x\"\ndate = \"20/02/2019\"\n+++\n").unwrap_err();
        assert!(
            errs[0].message.contains("invalid date"),
            "{}",
            errs[0].message
        );
    }

    #[test]
    fn zola_fields_are_read_past_and_other_spans_stay() {
        let text = "+++\ntitle = \"x\"\nsort_by = \"weight\"\npaginate_by = [\n  1,\n]\nslug = \"ŵ\"\n+++\n";
        let source = SourceFile::new("p.md", text);
        let (front, _, ignored) = parse_reading_past_zola(&source).unwrap();
        let keys: Vec<&str> = ignored.iter().map(|i| i.key).collect();
        assert_eq!(keys, ["sort_by", "paginate_by"]);
        assert_eq!(&text[ignored[0].span.clone()], "sort_by");
        let slug = front.slug.unwrap();
        assert_eq!(&text[slug.span()], "\"ŵ\"");
        let errs =
            fm("+++\ntitle = \"x\"\nsort_by = \"weight\"\nrender = false\n+++\n").unwrap_err();
        assert_eq!(errs.len(), 1, "fields that change the output stay errors");
        assert!(errs[0].location().unwrap().starts_with("p.md:4:"));
    }

    #[test]
    fn an_empty_title_is_reported_at_its_key_however_it_is_written() {
        let at = |text: &str| {
            let errs = fm(text).unwrap_err();
            assert_eq!(errs.len(), 1, "{errs:?}");
            assert_eq!(errs[0].message, "`title` is empty");
            errs[0].location().unwrap()
        };
        // Not at the word "title" inside another value, which comes first.
        assert_eq!(
            at("+++\ndescription = \"The title page\"\ntitle = \"\"\n+++\n"),
            "p.md:3:1"
        );
        assert_eq!(at("+++\n\"ti\\u0074le\" = \" \"\n+++\n"), "p.md:2:1");
    }

    #[test]
    fn missing_or_unclosed_fences() {
        assert!(
            fm("title = \"x\"\n").unwrap_err()[0]
                .message
                .contains("no front matter")
        );
        assert!(
            fm("+++\ntitle = \"x\"\n").unwrap_err()[0]
                .message
                .contains("not closed")
        );
    }
}
