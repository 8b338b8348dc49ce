//! The datasets catalogue page: every dataset with its description, version, date, licence,
//! and download links with sizes and checksums.

use super::View;
use crate::datasets::{Dataset, human_size};
use crate::locale::Lang;

pub fn index(view: &View, datasets: &[Dataset], lang: Lang) -> tera::Value {
    let mut list: Vec<serde_json::Value> = datasets
        .iter()
        .map(|d| {
            let files: Vec<serde_json::Value> = view
                .downloads
                .get(d.name)
                .into_iter()
                .flatten()
                .map(|f| {
                    serde_json::json!({
                        "format": f.format,
                        "path": format!("/{}", f.path),
                        "size": human_size(f.bytes),
                        "sha256": f.sha256,
                    })
                })
                .collect();
            serde_json::json!({
                "name": d.name,
                "title": d.meta.title.get(lang),
                "description": d.meta.description.get(lang),
                "version": d.meta.version,
                "published": view.date(d.meta.published, lang),
                "published_iso": d.meta.published.to_string(),
                "illustrative": d.meta.illustrative,
                "fields": d.fields.iter().map(|f| serde_json::json!({
                    "name": f.name,
                    "description": f.description.get(lang),
                })).collect::<Vec<_>>(),
                "files": files,
            })
        })
        .collect();
    list.sort_by_key(|d| d["title"].as_str().unwrap_or("").to_lowercase());
    tera::Value::from_serializable(&serde_json::json!({
        "datasets": list,
        "licence_url": crate::datasets::LICENCE_URL,
    }))
}
