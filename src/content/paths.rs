//! URL paths that come from content (aliases, slugs, file names) and UI strings, checked before
//! they become files under the output folder: a path from content can name a file anywhere below
//! the output folder and nowhere else.

/// Why a path or segment was refused: a short label for under the underline and a hint.
#[derive(Debug, PartialEq, Eq)]
pub struct Refusal {
    pub why: String,
    pub hint: &'static str,
}

fn refuse(why: impl Into<String>, hint: &'static str) -> Refusal {
    Refusal {
        why: why.into(),
        hint,
    }
}

const PATH_HINT: &str =
    "write the old address as a path on this site, from its root: `/old/page/` or `/old/page.html`";

/// A URL slug: lowercase letters, digits, hyphens and underscores.
pub fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// One segment of a path that becomes a folder or file name in the output.
pub fn check_segment(segment: &str) -> Result<(), Refusal> {
    match segment {
        "" => Err(refuse("has an empty segment (`//`)", PATH_HINT)),
        ".." => Err(refuse(
            "leaves the site: `..` names the folder above",
            PATH_HINT,
        )),
        "." => Err(refuse("has a `.` segment", PATH_HINT)),
        _ => {
            if segment.chars().any(char::is_control) {
                Err(refuse(
                    "contains a control character",
                    "remove it: paths are printable text",
                ))
            } else if segment.contains('\\') {
                Err(refuse(
                    "contains a backslash",
                    "separate folders with `/`, as in `/old/page/`",
                ))
            } else if segment.contains(':') {
                Err(refuse(
                    "contains `:`, which no file name on every system may hold",
                    PATH_HINT,
                ))
            } else if segment.contains('?') || segment.contains('#') {
                Err(refuse(
                    "contains `?` or `#`: a query or fragment cannot be redirected by a file",
                    "give the path alone, without `?…` or `#…`",
                ))
            } else if segment.contains('%') {
                Err(refuse(
                    "contains `%`: percent-encoding",
                    "write the character itself (`/café/`, not `/caf%C3%A9/`)",
                ))
            } else {
                Ok(())
            }
        }
    }
}

/// `s` with control characters written as escapes, so a message never prints them raw.
pub fn shown(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Does `s` start with a URL scheme (`https:`, `mailto:`, `javascript:`)?
fn has_scheme(s: &str) -> bool {
    match s.split_once(':') {
        Some((scheme, _)) => {
            scheme.len() > 1
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// An alias is an old address of a page on this site: a path from the site root, with at most
/// one slash at either end, whose every segment is a plain name.
pub fn check_alias(alias: &str) -> Result<(), Refusal> {
    if alias.trim().is_empty() {
        return Err(refuse("is empty", PATH_HINT));
    }
    if has_scheme(alias) || alias.starts_with("//") || alias.starts_with("\\\\") {
        return Err(refuse(
            "is a URL: an alias is a path on this site",
            "give only its path, such as `/old/page/`; redirects to other sites belong in the web server's settings",
        ));
    }
    let inner = alias.strip_prefix('/').unwrap_or(alias);
    if inner.is_empty() {
        return Err(refuse(
            "is the site root, the home page's own address",
            PATH_HINT,
        ));
    }
    let inner = inner.strip_suffix('/').unwrap_or(inner);
    inner.split('/').try_for_each(check_segment)
}

/// Aliases are site paths; store them as `/a/b/` (a folder) or `/a/b.html` (a file).
pub fn normalise_alias(alias: &str) -> String {
    let trimmed = alias.trim_matches('/');
    if trimmed.is_empty() {
        "/".into()
    } else if trimmed
        .rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
    {
        format!("/{trimmed}")
    } else {
        format!("/{trimmed}/")
    }
}

/// The file under the output folder that a URL path is written to: `/a/b/` →
/// `a/b/index.html`, `/a/b.html` → `a/b.html`. Anything but a clean path from the site root
/// is refused, whatever made it: the last check before a path from content becomes a file.
pub fn output_file(url_path: &str) -> Result<String, Refusal> {
    let Some(inner) = url_path.strip_prefix('/') else {
        return Err(refuse("does not start at the site root (`/`)", PATH_HINT));
    };
    if inner.is_empty() {
        return Ok("index.html".into());
    }
    let (dirs, file) = match inner.strip_suffix('/') {
        Some(dirs) => (Some(dirs), "index.html"),
        None => match inner.rsplit_once('/') {
            Some((dirs, file)) => (Some(dirs), file),
            None => (None, inner),
        },
    };
    if let Some(dirs) = dirs {
        dirs.split('/').try_for_each(check_segment)?;
    }
    check_segment(file)?;
    Ok(match dirs {
        Some(dirs) => format!("{dirs}/{file}"),
        None => file.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_normalise() {
        assert_eq!(normalise_alias("old/page"), "/old/page/");
        assert_eq!(normalise_alias("/old/page.html"), "/old/page.html");
    }

    #[test]
    fn good_aliases_pass() {
        for a in ["/old/", "old/page", "/old/page.html", "/hen/tŷ/", "/a b/"] {
            assert_eq!(check_alias(a), Ok(()), "{a}");
        }
    }

    #[test]
    fn bad_aliases_are_refused() {
        for a in [
            "",
            " ",
            "..",
            "../x",
            "/a/../b/",
            "/a/./b",
            "/a//b/",
            "a\\b",
            "\\\\server\\x",
            "//host/x",
            "https://x.org/a/",
            "javascript:alert(1)",
            "C:/x",
            "C:\\x",
            "/a\u{0}/",
            "/a\nb/",
            "/a?x=1",
            "/a#b",
            "/%2e%2e/",
            "///",
            "/",
        ] {
            assert!(check_alias(a).is_err(), "{a:?} accepted");
        }
    }

    #[test]
    fn output_files_are_clean_relative_paths() {
        assert_eq!(output_file("/").unwrap(), "index.html");
        assert_eq!(output_file("/a/b/").unwrap(), "a/b/index.html");
        assert_eq!(output_file("/cy/a.html").unwrap(), "cy/a.html");
        assert_eq!(output_file("/a.html").unwrap(), "a.html");
        assert_eq!(output_file("/a/b/c.xml").unwrap(), "a/b/c.xml");
        for bad in [
            "",
            "a/",
            "//",
            "/a//",
            "/a//b/",
            "/a/../",
            "/a/..",
            "/a/.",
            "/../x/",
            "/a/../../x/",
            "/./",
            "/a\\b/",
            "/C:/",
        ] {
            assert!(output_file(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn slugs() {
        assert!(is_valid_slug("cod-ymarfer_2"));
        for bad in ["", "..", "a/b", "A", "tŷ", "a b"] {
            assert!(!is_valid_slug(bad), "{bad:?}");
        }
    }
}
