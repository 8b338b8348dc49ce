//! What an output read while it was made: the inputs `serve` compares to know which outputs to
//! make again (see `serve::session`). Readers call [`record`] where they reach into the loaded
//! site (a page's fields, a template, a publication's data); whoever makes an output wraps the
//! work in [`recording`] and keeps the reads. Nothing is inferred from text: an output depends
//! on exactly what it was seen to read.
//!
//! Recorders form a per-thread stack, as salsa's active queries do: a render that runs another
//! piece of work inside it (a rayon job stolen while waiting) records that work's reads
//! separately. With no recorder, [`record`] does nothing, so `build` pays next to nothing.
//!
//! The site's settings (`site.toml`) are read by every output; they are not recorded, and a
//! change to them makes everything again.

use std::cell::RefCell;

/// One input, named so that the same input read twice is the same `Read`. Page numbers are
/// [`crate::content::PageId`]s, which hold while the site has the same pages.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Read {
    /// A page's own fields: front matter, path, language (its `page` value, a language switch).
    Page(usize),
    /// A page as listings, breadcrumbs, neighbours and `site_page()` show it.
    Summary(usize),
    /// A page's Markdown text.
    Body(usize),
    /// A page's rendered Markdown: HTML, contents list, whether it shows illustrative data.
    Markdown(usize),
    /// A page's children, in reading order.
    Children(usize),
    /// The publication data behind a page (its `data`).
    Data(usize),
    /// The link to the PDF of a page's print edition.
    Pdf(usize),
    /// A template, with those it extends and includes.
    Template(String),
    /// What every page of a language shows: site values, navigation, latest pages.
    Shared(&'static str),
    /// A publication's loaded data, by publication name (`faq`, `statistics`).
    Publication(&'static str),
    /// A dataset's rows, fields and files, by dataset name.
    Dataset(&'static str),
    /// A file or folder under `data/`, relative to it, read while loading.
    DataFile(String),
    /// A UI string, by language code and key.
    String(&'static str, String),
}

thread_local! {
    static RECORDERS: RefCell<Vec<Vec<Read>>> = const { RefCell::new(Vec::new()) };
}

/// Note that the work being recorded on this thread read `read`.
pub fn record(read: Read) {
    record_with(|| read);
}

/// [`record`] a read that costs an allocation to name (a template's or file's name): named
/// only while something records, so a build, which records nothing, pays nothing.
pub fn record_with(read: impl FnOnce() -> Read) {
    RECORDERS.with(|r| {
        if let Some(top) = r.borrow_mut().last_mut() {
            top.push(read());
        }
    });
}

/// Run `f` and return what it read, sorted, each read once.
pub fn recording<T>(f: impl FnOnce() -> T) -> (T, Vec<Read>) {
    /// Takes the recorder off the stack however `f` ends, a panic included.
    struct Frame;
    impl Drop for Frame {
        fn drop(&mut self) {
            RECORDERS.with(|r| r.borrow_mut().pop());
        }
    }
    RECORDERS.with(|r| r.borrow_mut().push(Vec::new()));
    let frame = Frame;
    let value = f();
    let mut reads = RECORDERS
        .with(|r| r.borrow_mut().last_mut().map(std::mem::take))
        .unwrap_or_default();
    drop(frame);
    reads.sort_unstable();
    reads.dedup();
    (value, reads)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_go_to_the_innermost_recorder_only() {
        record(Read::Page(9));
        let (((), inner), outer) = recording(|| {
            record(Read::Page(1));
            let inner = recording(|| {
                record(Read::Body(2));
                record(Read::Body(2));
            });
            record(Read::Summary(3));
            inner
        });
        assert_eq!(inner, vec![Read::Body(2)]);
        assert_eq!(outer, vec![Read::Page(1), Read::Summary(3)]);
        assert_eq!(recording(|| ()).1, Vec::new());
    }
}
