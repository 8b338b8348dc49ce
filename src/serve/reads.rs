//! Fingerprints of recorded reads ([`crate::deps::Read`]): a hash of what the read saw, taken
//! from the loaded site and what rendering it made. The session keeps each read's fingerprint
//! from when the outputs that read it were made; a read whose fingerprint is now different is
//! a changed input, and only the outputs that read it are made again. Comparing what was read,
//! not what changed on disk, gives an early cutoff: a data edit that leaves a page's Markdown
//! as it was renders none of the pages that show that Markdown.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::content::PageId;
use crate::deps::Read;
use crate::diagnostics::SourceFile;
use crate::markdown::Rendered;
use crate::render::Shared;
use crate::site::Site;

/// What reads are read from: the site and what rendering it made.
pub(super) struct Model<'a> {
    pub site: &'a Site,
    pub markdown: &'a [Rendered],
    pub shared: &'a Shared,
    pub made: &'a crate::publications::Made,
    pub pdf_links: &'a HashMap<PageId, serde_json::Value>,
    /// Each publication's load: a new number whenever it is loaded again.
    pub loads: &'a HashMap<&'static str, u64>,
}

/// Feeds text written with `write!` or serde to a hasher, without building it.
struct Feed<'h>(&'h mut DefaultHasher);

impl std::fmt::Write for Feed<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.write(s.as_bytes());
        Ok(())
    }
}

impl std::io::Write for Feed<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn debug(h: &mut DefaultHasher, value: &dyn std::fmt::Debug) {
    // Writing into a hasher cannot fail.
    let _ = std::fmt::Write::write_fmt(&mut Feed(h), format_args!("{value:?}"));
}

fn serialized(h: &mut DefaultHasher, value: &impl serde::Serialize) {
    // Serialising into a hasher fails only for values JSON cannot hold; they hash as far as
    // they got, which is still the same for the same value.
    let _ = serde_json::to_writer(Feed(h), value);
}

/// A template value. Tera's maps are hash maps, whose order differs between two values with
/// the same entries: a map is the sum of its entries' own hashes, which no order changes.
fn value(h: &mut DefaultHasher, v: &tera::Value) {
    if let Some(map) = v.as_map() {
        let sum = map.iter().fold(0u64, |sum, (k, v)| {
            let mut entry = DefaultHasher::new();
            k.hash(&mut entry);
            value(&mut entry, v);
            sum.wrapping_add(entry.finish())
        });
        (b'm', map.len(), sum).hash(h);
    } else if let Some(items) = v.as_array() {
        (b'a', items.len()).hash(h);
        items.iter().for_each(|v| value(h, v));
    } else if let Some(s) = v.as_str() {
        (b's', v.is_safe(), s).hash(h);
    } else {
        (v.kind() as u8).hash(h);
        serialized(h, v);
    }
}

/// The fingerprint of each of `reads` in `model`.
pub(super) fn fingerprints<'r>(
    reads: impl Iterator<Item = &'r Read>,
    model: &Model,
) -> HashMap<Read, u64> {
    let mut templates = None;
    reads
        .map(|read| {
            let mut h = DefaultHasher::new();
            if let Read::Template(name) = read {
                let graph = templates.get_or_insert_with(|| uses(&model.site.theme.templates));
                for used in closure(graph, name) {
                    used.hash(&mut h);
                    if let Some(source) = model.site.theme.templates.get(used) {
                        source.text.hash(&mut h);
                    }
                }
            } else {
                fingerprint(read, model, &mut h);
            }
            (read.clone(), h.finish())
        })
        .collect()
}

fn fingerprint(read: &Read, m: &Model, h: &mut DefaultHasher) {
    let pages = &m.site.content.pages;
    match read {
        Read::Page(id) => {
            if let Some(p) = pages.get(*id) {
                debug(h, &p.front);
                (&p.key, &p.path, p.lang.code, p.fallback, p.is_section).hash(h);
                p.print_of.hash(h);
            }
        }
        Read::Summary(id) => {
            if let Some(p) = pages.get(*id) {
                serialized(h, &crate::templates::summary(p));
            }
        }
        Read::Body(id) => {
            if let Some(p) = pages.get(*id) {
                p.source.text.get(p.body.clone()).hash(h);
            }
        }
        Read::Markdown(id) => {
            if let Some(md) = m.markdown.get(*id) {
                (&md.html, md.illustrative).hash(h);
                debug(h, &md.toc);
            }
        }
        Read::Children(id) => {
            if let Some(p) = pages.get(*id) {
                p.children.hash(h);
            }
        }
        Read::Data(id) => {
            if let Some(v) = m.made.views.get(id) {
                value(h, v);
            }
        }
        Read::Pdf(id) => {
            if let Some(link) = m.pdf_links.get(id) {
                serialized(h, link);
            }
        }
        Read::Shared(lang) => m.shared.hash_lists(lang, &mut |v| value(h, v)),
        Read::Publication(name) => m.loads.get(name).hash(h),
        Read::Dataset(name) => {
            if let Some(d) = m.site.page_data.datasets.iter().find(|d| d.name == *name) {
                d.meta.illustrative.hash(h);
            }
            if let Some(files) = m.made.downloads.get(name) {
                serialized(h, files);
            }
        }
        Read::String(code, key) => m.site.theme.strings.hash_message(code, key, h),
        // Data files are read while loading, never by an output.
        Read::Template(_) | Read::DataFile(_) => {}
    }
}

/// For each template, the templates it names in `extends`, `include` and `import` tags.
fn uses(templates: &BTreeMap<String, SourceFile>) -> HashMap<&str, Vec<String>> {
    templates
        .iter()
        .map(|(name, source)| (name.as_str(), tag_targets(&source.text)))
        .collect()
}

/// The names in `{% extends "…" %}`, `{% include "…" %}` and `{% import "…" as x %}` tags
/// (Tera keeps its own list of them private). A tag inside a comment or `raw` block counts
/// too: that makes a template look used when it is not, never the other way round.
fn tag_targets(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices("{%") {
        let rest = text[at + 2..].trim_start_matches('-').trim_start();
        let Some(rest) = ["extends", "include", "import"]
            .iter()
            .find_map(|k| rest.strip_prefix(k))
        else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(quote) = rest
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\'' | '`'))
        else {
            continue;
        };
        if let Some(end) = rest[1..].find(quote) {
            out.push(rest[1..1 + end].to_string());
        }
    }
    out
}

/// `name` and every template it uses, directly or not, sorted.
fn closure<'a>(graph: &'a HashMap<&str, Vec<String>>, name: &'a str) -> BTreeSet<&'a str> {
    let mut seen = BTreeSet::from([name]);
    let mut todo = vec![name];
    while let Some(t) = todo.pop() {
        for used in graph.get(t).into_iter().flatten() {
            if seen.insert(used.as_str()) {
                todo.push(used.as_str());
            }
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_tags_name_what_a_template_uses() {
        let text = "{% extends \"base.html\" %}{%- include 'partials/a.html' -%}\
                    {% import `macros.html` as m %}{% if x %}\"other.html\"{% endif %}";
        assert_eq!(
            tag_targets(text),
            vec!["base.html", "partials/a.html", "macros.html"]
        );
        let graph: HashMap<&str, Vec<String>> = HashMap::from([
            ("page.html", vec!["base.html".to_string()]),
            ("base.html", vec!["partials/a.html".to_string()]),
            ("other.html", vec!["page.html".to_string()]),
        ]);
        assert_eq!(
            closure(&graph, "page.html").into_iter().collect::<Vec<_>>(),
            vec!["base.html", "page.html", "partials/a.html"]
        );
    }
}
