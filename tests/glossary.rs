//! The glossary publication: terms and definitions in both languages, and their dataset.

mod common;

use common::Fixture;

const GLOSSARY: &str = r#"[[terms]]
id = "pnc"
term = { en = "Police National Computer", cy = "Cyfrifiadur Cenedlaethol yr Heddlu" }
definition = { en = "The national system of *records*.", cy = "Y system genedlaethol o *gofnodion*." }

[[terms]]
id = "dpia"
term = { en = "Data Protection Impact Assessment", cy = "Asesiad o'r Effaith ar Ddiogelu Data" }
definition = { en = "An assessment of risks.", cy = "Asesiad o risgiau." }
"#;

const CATALOGUE: &str = r#"[datasets.glossary]
title = { en = "Glossary", cy = "Geirfa" }
description = { en = "Terms and what they mean.", cy = "Termau a'u hystyr." }
version = "1.0.0"
published = 2026-11-22
illustrative = false
"#;

#[test]
fn a_glossary_is_a_publication_with_its_dataset() {
    let site = Fixture::new(&[
        ("data/glossary.toml", GLOSSARY),
        ("data/datasets.toml", CATALOGUE),
        (
            "content/glossary/_index.md",
            "+++\ntitle = \"Glossary\"\npublication = \"glossary\"\n+++\n",
        ),
        (
            "content/glossary/_index.cy.md",
            "+++\ntitle = \"Geirfa\"\nslug = \"geirfa\"\npublication = \"glossary\"\n+++\n",
        ),
    ]);
    let out = site.build(&["--no-pdf"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let en = site.read("glossary/index.html");
    let data = en.find("Data Protection Impact Assessment").unwrap();
    let pnc = en.find("Police National Computer").unwrap();
    assert!(data < pnc, "terms in alphabetical order: {en}");
    assert!(en.contains("<em>records</em>"), "{en}");
    assert!(en.contains("/datasets/glossary/glossary.csv"), "{en}");
    let cy = site.read("cy/geirfa/index.html");
    assert!(cy.contains("Cyfrifiadur Cenedlaethol yr Heddlu"), "{cy}");
    let csv = site.read("datasets/glossary/glossary.csv");
    assert!(
        csv.starts_with("id,term_en,term_cy,definition_en,definition_cy\r\n"),
        "{csv}"
    );
    let package = site.read("datasets/glossary/datapackage.json");
    assert!(package.contains("\"Term in Welsh\""), "{package}");
    assert!(package.contains("\"Diffiniad yn Saesneg\""), "{package}");
}
