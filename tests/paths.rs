//! Paths from content and data stay in their folder: aliases, slugs, URL segments from UI
//! strings and shortcode data references are checked where they are written, and nothing is
//! ever written outside the output folder.

mod common;

use common::{Fixture, stderr};

fn good_site() -> Fixture {
    Fixture::new(&[
        (
            "content/about.md",
            "+++\ntitle = \"About\"\n+++\nAbout us.\n",
        ),
        (
            "content/about.cy.md",
            "+++\ntitle = \"Amdanom\"\nslug = \"amdanom\"\n+++\nAmdanom ni.\n",
        ),
    ])
}

/// `about.md` with these aliases (as TOML strings, already quoted and escaped).
fn about_with_aliases(aliases: &[&str]) -> String {
    format!(
        "+++\ntitle = \"About\"\naliases = [{}]\n+++\nAbout us.\n",
        aliases.join(", ")
    )
}

/// Files under `dir`, except the fixture's own folders: what a build wrote where it must not.
fn strays(dir: &std::path::Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().display().to_string())
        .filter(|p| {
            !["content/", "public/", "site.toml", "themes/", "static/"]
                .iter()
                .any(|ok| p.starts_with(ok))
        })
        .collect()
}

#[test]
fn an_alias_cannot_leave_the_output_folder() {
    let site = good_site();
    let err = common::assert_breaks(
        site,
        &[(
            "content/about.md",
            &about_with_aliases(&["\"../../escaped/\""]),
        )],
        &[
            "content/about.md:3:12: error: alias `../../escaped/` leaves the site",
            "hint:",
        ],
    );
    assert_eq!(
        err.matches("error:").count(),
        1,
        "one mistake, one error:\n{err}"
    );
}

#[test]
fn nothing_is_written_outside_the_output_folder_by_an_alias() {
    // A build into a nested output folder: `../../escaped/` would land inside the site folder.
    let site = good_site();
    site.write(
        "content/about.md",
        &about_with_aliases(&["\"../../escaped/\""]),
    );
    let out = site.build(&["--output", site.root().join("a/b").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(strays(site.root()), Vec::<String>::new());
}

#[test]
fn every_kind_of_bad_alias_is_an_error_at_its_span() {
    let bad = [
        ("\"/old/../../x/\"", "leaves the site"),
        ("\"/old/./x/\"", "`.` segment"),
        ("'\\old\\page'", "backslash"),
        ("\"https://example.org/old/\"", "is a URL"),
        ("\"//evil.example/old/\"", "is a URL"),
        ("\"C:/Windows/old/\"", "`:`"),
        ("\"/old//page/\"", "empty segment"),
        ("\"\"", "is empty"),
        ("\"/old/\\u0007/\"", "control character"),
        ("\"/old/page?id=3\"", "`?`"),
        ("\"/caf%C3%A9/\"", "`%`"),
    ];
    let aliases: Vec<&str> = bad.iter().map(|(a, _)| *a).collect();
    let err = common::assert_breaks(
        good_site(),
        &[("content/about.md", &about_with_aliases(&aliases))],
        &bad.iter().map(|(_, why)| *why).collect::<Vec<_>>(),
    );
    assert_eq!(
        err.matches("error:").count(),
        bad.len(),
        "one error per bad alias:\n{err}"
    );
    assert_eq!(
        err.matches("content/about.md:3:").count(),
        bad.len(),
        "{err}"
    );
}

#[test]
fn good_aliases_still_redirect() {
    let site = good_site();
    site.write(
        "content/about.md",
        &about_with_aliases(&["\"/old/about/\"", "\"about-us.html\"", "\"/hen/amdanom\""]),
    );
    site.build_ok();
    for path in [
        "old/about/index.html",
        "about-us.html",
        "hen/amdanom/index.html",
    ] {
        assert!(
            site.read(path).contains("url=https://example.org/about/"),
            "{path}"
        );
    }
}

#[test]
fn a_file_name_that_gives_no_url_segment_is_one_error() {
    let err = common::assert_breaks(
        good_site(),
        &[
            ("content/!!!.md", "+++\ntitle = \"Bangs\"\n+++\n"),
            ("content/!!!.cy.md", "+++\ntitle = \"Ebychnodau\"\n+++\n"),
        ],
        &[
            "content/!!!.md:1:1: error: `content/!!!.md`: the name `!!!` gives no URL segment",
            "hint: rename it with letters or digits, or give it a `slug`",
        ],
    );
    assert_eq!(err.matches("error:").count(), 1, "{err}");
}

// Symlinks, unreadable files and things that are not files, in every input folder.

use std::os::unix::fs::symlink;
use std::path::Path;

/// Build a good site, then make `change` to it: the build must fail with exit 1, show each
/// expected fragment, never hang, and leave the previous output as it was.
fn assert_refused(site: &Fixture, change: impl FnOnce(&Path), expected: &[&str]) -> String {
    site.build_ok();
    let before = common::snapshot(&site.out());
    change(site.root());
    let out = site.build(&[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "expected exit 1:\n{err}");
    for e in expected {
        assert!(err.contains(e), "missing `{e}` in:\n{err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(
        before,
        common::snapshot(&site.out()),
        "previous output changed"
    );
    err
}

/// A file outside the site folder, kept while the guard lives.
fn outside_file() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("secret.md");
    std::fs::write(&file, "+++\ntitle = \"Secret\"\n+++\nnot the site's\n").unwrap();
    (dir, file)
}

#[test]
fn a_symlink_loop_in_content_is_an_error() {
    let site = good_site();
    let err = assert_refused(
        &site,
        |root| symlink(".", root.join("content/loop")).unwrap(),
        &[
            "error: content/loop is a symlink loop: it leads back to content/",
            "hint: remove the link",
        ],
    );
    assert_eq!(err.matches("error:").count(), 1, "{err}");
}

#[test]
fn a_loop_of_two_links_is_an_error() {
    let site = good_site();
    assert_refused(
        &site,
        |root| {
            symlink("b.md", root.join("content/a.md")).unwrap();
            symlink("a.md", root.join("content/b.md")).unwrap();
        },
        &[
            "error: cannot follow the symlink content/a.md (it points to b.md)",
            "error: cannot follow the symlink content/b.md (it points to a.md)",
        ],
    );
}

#[test]
fn symlinks_out_of_the_site_are_errors_in_every_input_folder() {
    let (_guard, secret) = outside_file();
    let outside_dir = secret.parent().unwrap().to_path_buf();
    for (link, target, shown) in [
        ("content/secret.md", secret.clone(), "content/secret.md"),
        ("content/notes", outside_dir.clone(), "content/notes"),
        ("static/secret.txt", secret.clone(), "static/secret.txt"),
        (
            "data/organisations.csv",
            secret.clone(),
            "data/organisations.csv",
        ),
        (
            "themes/t/templates/page.html",
            secret.clone(),
            "themes/t/templates/page.html",
        ),
        ("themes/t/static", outside_dir.clone(), "themes/t/static"),
    ] {
        let site = good_site();
        if link.starts_with("themes/") {
            use_copied_theme(&site);
        }
        let err = assert_refused(
            &site,
            |root| {
                let link = root.join(link);
                if link.is_dir() {
                    std::fs::remove_dir_all(&link).unwrap();
                } else if link.exists() {
                    std::fs::remove_file(&link).unwrap();
                }
                std::fs::create_dir_all(link.parent().unwrap()).unwrap();
                symlink(&target, &link).unwrap();
            },
            &[&format!("error: {shown} leads outside the site folder")],
        );
        assert!(!err.contains("not the site's"), "{err}");
        assert_eq!(err.matches("error:").count(), 1, "{link}: {err}");
    }
}

/// A site theme `t`: the built-in theme's files, copied.
fn use_copied_theme(site: &Fixture) {
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    for entry in walkdir::WalkDir::new(&theme).into_iter().flatten() {
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(&theme).unwrap();
            site.write(
                &format!("themes/t/{}", rel.display()),
                &std::fs::read_to_string(entry.path()).unwrap(),
            );
        }
    }
    site.write(
        "site.toml",
        &common::SITE_TOML.replace("minify = false", "minify = false\ntheme = \"t\""),
    );
}

#[test]
fn a_theme_folder_that_is_a_link_out_of_the_site_is_an_error() {
    let site = good_site();
    use_copied_theme(&site);
    let shared = tempfile::tempdir().unwrap();
    assert_refused(
        &site,
        |root| {
            std::fs::rename(root.join("themes/t"), shared.path().join("t")).unwrap();
            symlink(shared.path().join("t"), root.join("themes/t")).unwrap();
        },
        &["error: themes/t/templates leads outside the site folder"],
    );
}

#[test]
fn broken_links_and_pipes_are_errors_not_silence_or_a_hang() {
    let site = good_site();
    assert_refused(
        &site,
        |root| {
            symlink("nowhere.md", root.join("content/gone.md")).unwrap();
            std::fs::create_dir_all(root.join("static")).unwrap();
            let made = std::process::Command::new("mkfifo")
                .arg(root.join("static/pipe.css"))
                .status()
                .expect("mkfifo (coreutils)");
            assert!(made.success());
        },
        &[
            "error: content/gone.md is a broken symlink (it points to nowhere.md)",
            "error: static/pipe.css is not a file or a folder",
        ],
    );
}

#[test]
fn a_symlink_to_a_file_inside_the_site_is_followed() {
    let site = good_site();
    site.write(
        "shared/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.write(
        "drafts/policy.md",
        "+++\ntitle = \"Policy\"\n+++\nThe policy.\n",
    );
    site.write(
        "drafts/policy.cy.md",
        "+++\ntitle = \"Polisi\"\n+++\nY polisi.\n",
    );
    std::fs::create_dir_all(site.root().join("static")).unwrap();
    symlink("../shared/logo.svg", site.root().join("static/logo.svg")).unwrap();
    symlink("../drafts/policy.md", site.root().join("content/policy.md")).unwrap();
    symlink(
        site.root().join("drafts/policy.cy.md"),
        site.root().join("content/policy.cy.md"),
    )
    .unwrap();
    site.build_ok();
    assert!(site.read("logo.svg").starts_with("<svg"));
    assert!(site.read("policy/index.html").contains("The policy."));
    assert!(site.read("cy/policy/index.html").contains("Y polisi."));
}

/// `tryloyw build` run as a user who cannot read files it does not own: as root (as on CI),
/// without the capabilities that let root read anything.
fn build_without_read_override(site: &Fixture) -> std::process::Output {
    let root_user = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    let mut cmd = if root_user {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--bounding-set=-dac_override,-dac_read_search", "--"]);
        c.arg(env!("CARGO_BIN_EXE_tryloyw"));
        c
    } else {
        std::process::Command::new(env!("CARGO_BIN_EXE_tryloyw"))
    };
    cmd.arg("build")
        .arg("--root")
        .arg(site.root())
        .env("NO_COLOR", "1")
        .output()
        .expect("setpriv (util-linux) is needed to test unreadable files as root")
}

#[test]
fn unreadable_files_and_folders_are_errors_naming_them() {
    use std::os::unix::fs::PermissionsExt;
    let site = good_site();
    site.build_ok();
    site.write("content/private/_index.md", "+++\ntitle = \"P\"\n+++\n");
    site.write("content/private/_index.cy.md", "+++\ntitle = \"P\"\n+++\n");
    site.write("static/style.css", "body {}");
    site.write("data/README.md", "notes");
    let mode = |path: &str, m: u32| {
        std::fs::set_permissions(site.root().join(path), std::fs::Permissions::from_mode(m))
            .unwrap()
    };
    mode("content/about.md", 0o000);
    mode("content/private", 0o000);
    mode("static/style.css", 0o000);
    mode("data/README.md", 0o000);
    let out = build_without_read_override(&site);
    mode("content/private", 0o755);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for shown in [
        "error: cannot read content/about.md: Permission denied",
        "error: cannot read content/private: Permission denied",
        "error: cannot read static/style.css: Permission denied",
        "error: cannot read data/README.md: Permission denied",
    ] {
        assert!(err.contains(shown), "missing `{shown}` in:\n{err}");
    }
    assert!(
        !err.contains("no English twin"),
        "an unreadable page is still known to the tree:\n{err}"
    );
}
