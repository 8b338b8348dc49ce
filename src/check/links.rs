//! Addresses in built pages: which are on this site, which file they lead to, which are
//! external. No URL crate: the site's own links are simple, and anything unusual is left alone.

/// What an address in a page refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A path on this site (absolute, percent-decoded, starting with `/`), and a fragment.
    Internal {
        path: String,
        fragment: Option<String>,
    },
    /// An http(s) address on another host: checked only with `--external`.
    External(String),
    /// `mailto:`, `tel:`, `data:`, `javascript:` and other schemes: not checked.
    Ignored,
}

/// `scheme://host[:port]` of an absolute http(s) URL, lowercased, and the rest (path, query,
/// fragment).
pub fn split_origin(url: &str) -> Option<(String, &str)> {
    let (scheme, rest) = url.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..end];
    // Leave out user info; keep the port.
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    Some((
        format!(
            "{}://{}",
            scheme.to_ascii_lowercase(),
            host.to_ascii_lowercase()
        ),
        &rest[end..],
    ))
}

fn has_scheme(url: &str) -> bool {
    let Some(colon) = url.find(':') else {
        return false;
    };
    let scheme = &url[..colon];
    !scheme.contains(['/', '?', '#'])
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Decode `%xx` escapes (invalid UTF-8 is replaced, bad escapes kept as written).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Resolve `path` (no query or fragment) against the folder `base_dir` (`/code/`), removing
/// `.` and `..` segments. The result starts with `/`; a trailing `/` is kept.
fn join(base_dir: &str, path: &str) -> String {
    let full = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{base_dir}{path}")
    };
    let trailing = full.ends_with('/') || full.ends_with("/.") || full.ends_with("/..");
    let mut parts: Vec<&str> = Vec::new();
    for seg in full.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = format!("/{}", parts.join("/"));
    if trailing && !out.ends_with('/') {
        out.push('/');
    }
    out
}

/// Classify `url`, found in the page whose address is `page_url` (`/code/` or `/404.html`).
/// `site_origin` is the site's own `scheme://host`, so absolute links to it count as internal.
pub fn classify(url: &str, page_url: &str, site_origin: Option<&str>) -> Target {
    let url = url.trim();
    let (rest, fragment) = match url.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (url, None),
    };
    let fragment = fragment
        .filter(|f| !f.is_empty() && !f.starts_with(":~:"))
        .map(percent_decode);
    let path_part =
        if let Some(stripped) = rest.strip_prefix("//") {
            // Protocol-relative: treat as https.
            return classify(&format!("https://{stripped}"), page_url, site_origin);
        } else if has_scheme(rest) {
            match split_origin(rest) {
                Some((origin, after)) if site_origin == Some(origin.as_str()) => {
                    if after.is_empty() { "/" } else { after }
                }
                Some(_) => return Target::External(url.to_string()),
                None => return Target::Ignored,
            }
        } else {
            rest
        };
    let path_part = path_part.split('?').next().unwrap_or_default();
    let base_dir = match page_url.rfind('/') {
        Some(i) => &page_url[..=i],
        None => "/",
    };
    let path = if path_part.is_empty() {
        page_url.to_string()
    } else {
        join(base_dir, &percent_decode(path_part))
    };
    Target::Internal { path, fragment }
}

/// The address a file in the output is served at: `code/index.html` → `/code/`.
pub fn url_of(output: &str) -> String {
    if output == "index.html" {
        "/".to_string()
    } else if let Some(dir) = output.strip_suffix("/index.html") {
        format!("/{dir}/")
    } else {
        format!("/{output}")
    }
}

/// The output file an internal path leads to, given a way to ask whether a file exists:
/// `/x/` → `x/index.html`; `/x` → `x`, or `x/index.html` (servers redirect to the folder).
pub fn file_for(path: &str, exists: impl Fn(&str) -> bool) -> Option<String> {
    let rel = path.trim_start_matches('/');
    if rel.is_empty() {
        return exists("index.html").then(|| "index.html".to_string());
    }
    if rel.ends_with('/') {
        let f = format!("{rel}index.html");
        return exists(&f).then_some(f);
    }
    if exists(rel) {
        return Some(rel.to_string());
    }
    let f = format!("{rel}/index.html");
    exists(&f).then_some(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn internal(path: &str, fragment: Option<&str>) -> Target {
        Target::Internal {
            path: path.to_string(),
            fragment: fragment.map(str::to_string),
        }
    }

    #[test]
    fn classifies_and_resolves() {
        let o = Some("https://example.org");
        assert_eq!(classify("/a/b/", "/x/", o), internal("/a/b/", None));
        assert_eq!(
            classify("../y/#h", "/x/z/", o),
            internal("/x/y/", Some("h"))
        );
        assert_eq!(classify("#top", "/x/", o), internal("/x/", Some("top")));
        assert_eq!(classify("img.png", "/x/", o), internal("/x/img.png", None));
        assert_eq!(
            classify("a%20b.pdf?x=1", "/404.html", o),
            internal("/a b.pdf", None)
        );
        assert_eq!(
            classify("https://EXAMPLE.org/cy/", "/", o),
            internal("/cy/", None)
        );
        assert_eq!(
            classify("https://example.org", "/a/", o),
            internal("/", None)
        );
        assert_eq!(
            classify("https://other.org/p", "/", o),
            Target::External("https://other.org/p".into())
        );
        assert_eq!(
            classify("//other.org/p", "/", o),
            Target::External("https://other.org/p".into())
        );
        assert_eq!(classify("mailto:a@b.c", "/", o), Target::Ignored);
        assert_eq!(classify("tel:+44", "/", o), Target::Ignored);
        assert_eq!(classify("#", "/x/", o), internal("/x/", None));
        assert_eq!(classify("/a/#:~:text=x", "/", o), internal("/a/", None));
    }

    #[test]
    fn finds_files() {
        let files = ["index.html", "a/index.html", "b.css"];
        let exists = |f: &str| files.contains(&f);
        assert_eq!(file_for("/", exists).as_deref(), Some("index.html"));
        assert_eq!(file_for("/a/", exists).as_deref(), Some("a/index.html"));
        assert_eq!(file_for("/a", exists).as_deref(), Some("a/index.html"));
        assert_eq!(file_for("/b.css", exists).as_deref(), Some("b.css"));
        assert_eq!(file_for("/c/", exists), None);
        assert_eq!(url_of("cy/404.html"), "/cy/404.html");
        assert_eq!(url_of("cy/a/index.html"), "/cy/a/");
        assert_eq!(url_of("index.html"), "/");
    }
}
