//! The one table of publication types. A type is a module of `publications/` (its schema,
//! validation, view models and datasets) with a `KIND`, a template folder and its UI strings;
//! one line in the `publications!` table of `publications/mod.rs` declares the module and lists
//! it in [`super::PUBLICATIONS`]. Nothing else names it.
//!
//! A publication's name is what a section writes in `publication = "…"`. Three modules are
//! older than that rule and keep their public names, URLs and datasets:
//!
//! | module | `publication` | datasets |
//! | --- | --- | --- |
//! | `usage` | `statistics` | `searches`, `conduct` |
//! | `quality` | `data-quality` | `quality`, `quality-standards` |
//! | `regulators` | `oversight` | `regulators`, `raci` |
//! | `dpia` | `dpia` | `dpia-risks` |
//! | `inspections` | `inspections` | `inspections`, `recommendations` |
//!
//! Every other module, publication and dataset share one name. `datasets`, the catalogue of
//! every dataset, is a publication made from no file of its own.

use super::{Ids, Publication};
use crate::data::Loader;
use crate::diagnostics::Diagnostic;

/// A loaded publication, or none when its files are absent, and the problems found.
pub type Loaded = (Option<Box<dyn Publication>>, Vec<Diagnostic>);

/// How a publication type loads.
#[derive(Clone, Copy)]
pub enum Load {
    /// It defines ids others refer to (reasons, bodies, organisations): it loads before the
    /// others, in the order of [`super::PUBLICATIONS`], and adds its ids.
    Provides(fn(&Loader, &mut Ids) -> Loaded),
    /// It only refers to ids: it loads with the others, in parallel.
    Uses(fn(&Loader, &Ids) -> Loaded),
}

/// A publication type.
pub struct PublicationKind {
    /// What a section writes in `publication = "…"`.
    pub name: &'static str,
    pub load: Load,
}

/// A loaded publication, boxed: what a [`PublicationKind`]'s `load` returns.
pub fn boxed<T: Publication>((value, diags): (Option<T>, Vec<Diagnostic>)) -> Loaded {
    (value.map(|p| Box::new(p) as Box<dyn Publication>), diags)
}
