//! Bad data in `data/`: every class of mistake is reported at its file, line and column with the
//! bad value and a hint, all in one run, and nothing is published from invalid data.

mod common;

use common::Fixture;
use common::data::{ORGANISATIONS, REASONS, REGULATORS};

const SEARCHES: &str = "period,organisation,system,reason,searches\n2025-01,gwent,PNC,investigation,10\n2025-02,gwent,LEDS,investigation,12\n";

fn data_site() -> Fixture {
    let datasets =
        common::data::catalogue(&["organisations", "reasons", "regulators", "raci", "searches"]);
    Fixture::new(&[
        ("data/datasets.toml", &datasets),
        ("data/reasons.toml", REASONS),
        ("data/regulators.toml", REGULATORS),
        ("data/organisations.csv", ORGANISATIONS),
        ("data/usage/searches-2025.csv", SEARCHES),
        (
            "content/organisations/_index.md",
            "+++\ntitle = \"Organisations\"\npublication = \"organisations\"\n+++\n",
        ),
        (
            "content/organisations/_index.cy.md",
            "+++\ntitle = \"Sefydliadau\"\nslug = \"sefydliadau\"\npublication = \"organisations\"\n+++\n",
        ),
        (
            "content/stats/_index.md",
            "+++\ntitle = \"Statistics\"\npublication = \"statistics\"\n+++\nThere were {{ figure(data=\"searches\", year=2025) }} searches.\n\n{{ chart(data=\"searches\", kind=\"line\", x=\"period\", y=\"searches\", series=\"system\", title=\"Searches\") }}\n",
        ),
        (
            "content/stats/_index.cy.md",
            "+++\ntitle = \"Ystadegau\"\nslug = \"ystadegau\"\npublication = \"statistics\"\n+++\nRoedd {{ figure(data=\"searches\", year=2025) }} o chwiliadau.\n",
        ),
    ])
}

fn assert_fails(edits: &[(&str, &str)], expected: &[&str]) -> String {
    common::assert_breaks(data_site(), edits, expected)
}

#[test]
fn the_data_fixture_builds_with_figures_and_charts() {
    let site = data_site();
    site.build_ok();
    assert!(
        site.read("stats/index.html")
            .contains("There were <span class=\"figure\">22</span> searches.")
    );
    assert!(
        site.read("cy/ystadegau/index.html")
            .contains("Roedd <span class=\"figure\">22</span> o chwiliadau.")
    );
    assert!(
        site.read("organisations/gwent/index.html")
            .contains("Gwent Police")
    );
    assert!(
        site.read("cy/sefydliadau/gwent/index.html")
            .contains("Heddlu Gwent")
    );
}

#[test]
fn wrong_type_in_a_csv_cell() {
    assert_fails(
        &[(
            "data/usage/searches-2025.csv",
            "period,organisation,system,reason,searches\n2025-01,gwent,PNC,investigation,ten\n",
        )],
        &[
            "data/usage/searches-2025.csv:2:33: error: `searches` must be a whole number of searches, not `ten`",
            "2 | 2025-01,gwent,PNC,investigation,ten",
        ],
    );
}

#[test]
fn missing_and_unknown_columns() {
    let err = assert_fails(
        &[(
            "data/organisations.csv",
            &ORGANISATIONS.replace("jurisdiction,", "jurisdictoin,"),
        )],
        &[
            "data/organisations.csv:1:",
            "unknown column `jurisdictoin`",
            "did you mean `jurisdiction`?",
            "missing column `jurisdiction`",
        ],
    );
    assert!(
        err.contains("hint: add a `jurisdiction` column to the header row"),
        "{err}"
    );
}

#[test]
fn unknown_field_in_a_toml_data_file() {
    assert_fails(
        &[(
            "data/reasons.toml",
            &REASONS.replace("description =", "desciption ="),
        )],
        &[
            "data/reasons.toml:4:1: error: unknown field `reasons[1].desciption` in reasons.toml",
            "missing field `description`",
        ],
    );
}

#[test]
fn bad_dates_and_periods() {
    assert_fails(
        &[(
            "data/usage/searches-2025.csv",
            "period,organisation,system,reason,searches\n2025-13,gwent,PNC,investigation,1\n",
        )],
        &[
            "data/usage/searches-2025.csv:2:1: error: invalid period `2025-13`",
            "periods are months written YYYY-MM",
        ],
    );
    assert_fails(
        &[(
            "data/organisations.csv",
            &ORGANISATIONS
                .replace(
                    "senior_contact_role_cy\n",
                    "senior_contact_role_cy,dsa_date\n",
                )
                .replace("Prif Gwnstabl\n", "Prif Gwnstabl,2020-02-31\n"),
        )],
        &[
            "data/organisations.csv:2:",
            "invalid date `2020-02-31`",
            "write dates as YYYY-MM-DD",
        ],
    );
}

#[test]
fn duplicate_ids() {
    let duplicate = format!(
        "{ORGANISATIONS}gwent,Gwent again,Gwent eto,territorial-police,england-wales,PNC,investigation,x,x,y,y\n"
    );
    assert_fails(
        &[("data/organisations.csv", &duplicate)],
        &[
            "data/organisations.csv:3:1: error: duplicate organisation id `gwent`",
            "it is already used at data/organisations.csv:2",
        ],
    );
}

#[test]
fn references_to_things_that_do_not_exist() {
    assert_fails(
        &[(
            "data/usage/searches-2025.csv",
            "period,organisation,system,reason,searches\n2025-01,gwnet,PNC,investigaton,1\n",
        )],
        &[
            "data/usage/searches-2025.csv:2:9: error: no organisation with id `gwnet` (did you mean `gwent`?)",
            "data/usage/searches-2025.csv:2:19: error: no reason with id `investigaton` (did you mean `investigation`?)",
        ],
    );
    assert_fails(
        &[(
            "data/regulators.toml",
            &REGULATORS.replace(
                "responsible = [\"home-office\"]",
                "responsible = [\"home-offce\"]",
            ),
        )],
        &[
            "data/regulators.toml:11:16: error: no body with id `home-offce` (did you mean `home-office`?)",
        ],
    );
}

#[test]
fn values_outside_their_allowed_set() {
    assert_fails(
        &[(
            "data/organisations.csv",
            &ORGANISATIONS.replace("england-wales,PNC;LEDS", "wales,PNC;LEDX"),
        )],
        &[
            "data/organisations.csv:2:",
            "`jurisdiction` must be one of england-wales, scotland",
            "`systems` must be one of PNC, PND, LEDS, not `LEDX`; did you mean `LEDS`?",
        ],
    );
    assert_fails(
        &[(
            "data/regulators.toml",
            &REGULATORS.replace("kind = \"governance\"", "kind = \"goverment\""),
        )],
        &[
            "data/regulators.toml:4:8: error: `kind` must be one of",
            "did you mean `governance`?",
        ],
    );
}

#[test]
fn a_text_without_its_welsh() {
    assert_fails(
        &[(
            "data/reasons.toml",
            &REASONS.replace(", cy = \"Ymchwiliad\"", ""),
        )],
        &[
            "data/reasons.toml:3:8: error: `name` has no Cymraeg version (`cy`)",
            "write it as { en = \"…\", cy = \"…\" }",
        ],
    );
    assert_fails(
        &[(
            "data/organisations.csv",
            &ORGANISATIONS.replace(",Heddlu Gwent,", ",,"),
        )],
        &[
            "data/organisations.csv:2:",
            "`name_cy` is empty",
            "every row needs its Cymraeg text in `name_cy`",
        ],
    );
}

#[test]
fn a_row_with_the_wrong_number_of_fields() {
    assert_fails(
        &[(
            "data/usage/searches-2025.csv",
            "period,organisation,system,reason,searches\n2025-01,gwent,PNC,investigation\n",
        )],
        &[
            "data/usage/searches-2025.csv:2:1: error: this row has 4 fields, but the header has 5",
            "check line 2 for a missing or extra comma",
        ],
    );
}

#[test]
fn chart_and_figure_declarations_are_checked() {
    assert_fails(
        &[(
            "content/stats/_index.md",
            "+++\ntitle = \"Statistics\"\npublication = \"statistics\"\n+++\n{{ chart(data=\"searches\", kind=\"line\", x=\"perod\", y=\"searches\") }}\n\n{{ figure(data=\"serches\") }}\n\n{{ chart(data=\"nope\", kind=\"pie\", x=\"a\", y=\"b\") }}\n",
        )],
        &[
            "content/stats/_index.md:5:40: error: dataset `searches` has no column `perod`",
            "did you mean `period`?",
            "content/stats/_index.md:7:11: error: figure has no data `serches`",
            "content/stats/_index.md:9:",
            "no chart kind `pie`",
        ],
    );
}

#[test]
fn every_problem_in_one_run() {
    let err = assert_fails(
        &[
            (
                "data/usage/searches-2025.csv",
                "period,organisation,system,reason,searches\n2025-01,gwnet,PNC,investigation,1\n",
            ),
            (
                "data/reasons.toml",
                &REASONS.replace(", cy = \"Ymchwiliad\"", ""),
            ),
            (
                "data/regulators.toml",
                &REGULATORS.replace("kind = \"governance\"", "kind = \"goverment\""),
            ),
        ],
        &[
            "no organisation with id `gwnet`",
            "`name` has no Cymraeg version",
            "`kind` must be one of",
        ],
    );
    assert!(err.contains("Build failed with 3 errors"), "{err}");
}
