//! What a build leaves on disk when it is killed, and the security headers it writes: a build
//! SIGKILLed at each point (`TRYLOYW_PAUSE_AT`) leaves the previous output exactly as it was,
//! and the next build leaves no temporary folders behind, deleting only what tryloyw wrote.

mod common;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use common::{Fixture, snapshot, stderr};

fn site() -> Fixture {
    Fixture::new(&[
        (
            "content/about.md",
            "+++\ntitle = \"About\"\n+++\nFirst version.\n",
        ),
        (
            "content/about.cy.md",
            "+++\ntitle = \"Amdanom\"\nslug = \"amdanom\"\n+++\nFersiwn gyntaf.\n",
        ),
    ])
}

/// Folders beside the output that a build made (`.public.tryloyw-new-…`, `-old-…`).
fn leftovers(site: &Fixture) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .contains("tryloyw-")
        })
        .collect();
    found.sort();
    found
}

/// Start a build that pauses at `point`, wait until it says so, and SIGKILL it there.
fn kill_build_at(site: &Fixture, point: &str) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tryloyw"))
        .args(["build", "--root"])
        .arg(site.root())
        .env("TRYLOYW_PAUSE_AT", point)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut said = Vec::new();
    for line in BufReader::new(stderr).lines() {
        let line = line.unwrap();
        let paused = line == format!("tryloyw: paused at {point}");
        said.push(line);
        if paused {
            child.kill().unwrap(); // SIGKILL on Unix
            child.wait().unwrap();
            return;
        }
    }
    panic!(
        "the build never paused at {point}: {:?}\n{}",
        child.wait(),
        said.join("\n")
    );
}

fn edit(site: &Fixture) {
    site.write(
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\nSecond version.\n",
    );
    site.write("content/new.md", "+++\ntitle = \"New\"\n+++\nA new page.\n");
    site.write(
        "content/new.cy.md",
        "+++\ntitle = \"Newydd\"\nslug = \"newydd\"\n+++\nTudalen newydd.\n",
    );
}

#[test]
fn a_build_killed_before_the_swap_leaves_the_previous_output_and_the_next_cleans_up() {
    for point in ["render", "write", "swap"] {
        let site = site();
        site.build_ok();
        let before = snapshot(&site.out());
        edit(&site);
        kill_build_at(&site, point);
        assert!(
            before == snapshot(&site.out()),
            "killed at {point}: the previous output changed"
        );
        if point == "write" {
            // Half written, with the manifest that says what it holds.
            let left = leftovers(&site);
            assert_eq!(left.len(), 1, "killed at {point}: {left:?}");
            assert!(left[0].join(".tryloyw-manifest").is_file());
        }
        let out = site.build_ok();
        assert!(
            leftovers(&site).is_empty(),
            "killed at {point}: left after the next build: {:?}\n{}",
            leftovers(&site),
            stderr(&out)
        );
        assert!(site.read("about/index.html").contains("Second version."));
        assert!(site.out().join("new/index.html").is_file());
    }
}

#[test]
fn a_build_killed_after_the_swap_has_the_new_output_and_the_next_removes_the_old() {
    let site = site();
    site.build_ok();
    edit(&site);
    kill_build_at(&site, "cleanup");
    // The exchange is one step: the new output is complete, the old one waits beside it.
    assert!(site.read("about/index.html").contains("Second version."));
    let left = leftovers(&site);
    assert_eq!(left.len(), 1, "{left:?}");
    let old = std::fs::read_to_string(left[0].join("about/index.html")).unwrap();
    assert!(old.contains("First version."), "{old}");
    site.build_ok();
    assert!(leftovers(&site).is_empty(), "{:?}", leftovers(&site));
    assert!(site.read("about/index.html").contains("Second version."));
}

#[test]
fn an_output_moved_aside_by_a_killed_build_is_put_back_even_if_the_next_build_fails() {
    // Where there is no atomic exchange, the old output is renamed aside first: a build killed
    // right then leaves no output folder, only `.public.tryloyw-old-…` (as every build did before
    // the exchange).
    let site = site();
    site.build_ok();
    let before = snapshot(&site.out());
    let aside = site.root().join(".public.tryloyw-old-AbC123");
    std::fs::rename(site.out(), &aside).unwrap();
    site.write("content/about.md", "+++\ntitle = \"About\"\nbad = 1\n+++\n");
    let out = site.build(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        before == snapshot(&site.out()),
        "previous output not put back"
    );
    assert!(leftovers(&site).is_empty(), "{:?}", leftovers(&site));
}

#[test]
fn leftovers_are_emptied_of_what_tryloyw_wrote_and_nothing_else() {
    let site = site();
    site.build_ok();
    // A killed build's folder into which someone has since put a file of their own.
    let left = site.root().join(".public.tryloyw-new-XyZ789");
    std::fs::create_dir_all(left.join("about")).unwrap();
    std::fs::write(
        left.join(".tryloyw-manifest"),
        "# Files written by tryloyw.\nabout/index.html\n../precious.txt\n",
    )
    .unwrap();
    std::fs::write(left.join("about/index.html"), "ours").unwrap();
    std::fs::write(left.join("notes.txt"), "theirs").unwrap();
    site.write("precious.txt", "not the tool's");
    // A folder with a similar name that is not a leftover of this output.
    std::fs::create_dir(site.root().join(".other.tryloyw-new-abc")).unwrap();

    let out = site.build_ok();
    let err = stderr(&out);
    assert!(
        !left.join("about/index.html").exists(),
        "its own file stays"
    );
    assert_eq!(
        std::fs::read_to_string(left.join("notes.txt")).unwrap(),
        "theirs"
    );
    assert_eq!(
        std::fs::read_to_string(site.root().join("precious.txt")).unwrap(),
        "not the tool's",
        "a manifest line led outside its folder"
    );
    assert!(site.root().join(".other.tryloyw-new-abc").is_dir());
    assert!(
        err.contains("warning: left ") && err.contains(".public.tryloyw-new-XyZ789"),
        "{err}"
    );
}

#[test]
fn the_build_writes_the_security_headers_unless_the_site_has_its_own() {
    let site = site();
    site.build_ok();
    let headers = site.read("_headers");
    let mut lines = headers.lines().filter(|l| !l.starts_with('#'));
    assert_eq!(lines.next(), Some("/*"));
    let csp = lines
        .clone()
        .find_map(|l| l.strip_prefix("  Content-Security-Policy: "))
        .expect("a Content-Security-Policy");
    assert!(csp.starts_with("default-src 'self'"), "{csp}");
    assert!(!csp.contains("unsafe-"), "{csp}");
    for name in [
        "Referrer-Policy",
        "X-Content-Type-Options",
        "Permissions-Policy",
        "Strict-Transport-Security",
    ] {
        assert!(
            lines.clone().any(|l| l.starts_with(&format!("  {name}: "))),
            "{name} missing:\n{headers}"
        );
    }
    let manifest = site.read(".tryloyw-manifest");
    assert!(manifest.lines().any(|l| l == "_headers"), "{manifest}");

    site.write("static/_headers", "/*\n  X-Mine: yes\n");
    site.build_ok();
    assert_eq!(site.read("_headers"), "/*\n  X-Mine: yes\n");
}

#[test]
fn a_manifest_never_leads_outside_its_folder() {
    // A manifest edited (or planted) to name files above the output: the next build replaces
    // the output and deletes the files the old manifest lists, but only inside it.
    let site = site();
    site.build_ok();
    site.write("precious.txt", "not the tool's");
    let manifest = site.out().join(".tryloyw-manifest");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let outside = site.root().join("precious.txt");
    std::fs::write(
        &manifest,
        format!("{text}../precious.txt\n{}\n", outside.display()),
    )
    .unwrap();
    site.build_ok();
    assert_eq!(
        std::fs::read_to_string(&outside).unwrap(),
        "not the tool's",
        "a file outside the output was deleted"
    );
    assert!(leftovers(&site).is_empty(), "{:?}", leftovers(&site));
}

/// The README's nginx and Apache lines are the headers the build writes, value for value.
#[test]
fn the_documented_server_configurations_send_the_same_headers() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let docs = std::fs::read_to_string(repo.join("README.md")).unwrap();
    for h in tryloyw::headers::HEADERS {
        for line in [
            format!("add_header {} \"{}\" always;", h.name, h.value),
            format!("Header always set {} \"{}\"", h.name, h.value),
        ] {
            assert!(docs.contains(&line), "not documented: {line}");
        }
    }
}
