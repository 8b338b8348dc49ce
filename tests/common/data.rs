//! Data files shared by the fixture sites of several test files: one organisation, one
//! reason, and the catalogue entries of their datasets.

pub const REASONS: &str = r#"[[reasons]]
id = "investigation"
name = { en = "Investigation", cy = "Ymchwiliad" }
description = { en = "Investigating crime.", cy = "Ymchwilio i droseddau." }
"#;

pub const ORGANISATIONS: &str = "id,name_en,name_cy,type,jurisdiction,systems,purposes,legal_powers_en,legal_powers_cy,senior_contact_role_en,senior_contact_role_cy\n\
gwent,Gwent Police,Heddlu Gwent,territorial-police,england-wales,PNC;LEDS,investigation,Police Act 1996,Deddf yr Heddlu 1996,Chief Constable,Prif Gwnstabl\n";

/// One oversight body, and who does what.
pub const REGULATORS: &str = r#"[[bodies]]
id = "home-office"
name = { en = "Home Office", cy = "Y Swyddfa Gartref" }
kind = "governance"
jurisdiction = "uk-wide"
remit = { en = "Runs LEDS.", cy = "Yn rhedeg LEDS." }
url = "https://www.gov.uk/government/organisations/home-office"

[[raci]]
activity = { en = "Publishing", cy = "Cyhoeddi" }
responsible = ["home-office"]
accountable = ["home-office"]
"#;

/// Catalogue entries (`data/datasets.toml`), by dataset.
const ENTRIES: [(&str, &str); 6] = [
    (
        "faq",
        r#"
[datasets.faq]
title = { en = "Questions", cy = "Cwestiynau" }
description = { en = "Questions and answers.", cy = "Cwestiynau ac atebion." }
version = "1.0.0"
published = 2026-11-22
illustrative = false
"#,
    ),
    (
        "organisations",
        r#"
[datasets.organisations]
title = { en = "Organisations", cy = "Sefydliadau" }
description = { en = "Who has access.", cy = "Pwy sydd â mynediad." }
version = "1.0.0"
published = 2026-11-22
illustrative = false
"#,
    ),
    (
        "reasons",
        r#"
[datasets.reasons]
title = { en = "Reasons", cy = "Rhesymau" }
description = { en = "Why.", cy = "Pam." }
version = "1.0.0"
published = 2026-11-22
illustrative = false
"#,
    ),
    (
        "regulators",
        r#"
[datasets.regulators]
title = { en = "Bodies", cy = "Cyrff" }
description = { en = "Who oversees.", cy = "Pwy sy'n goruchwylio." }
version = "1.0.0"
published = 2026-11-22
illustrative = false
"#,
    ),
    (
        "raci",
        r#"
[datasets.raci]
title = { en = "RACI", cy = "RACI" }
description = { en = "Who does what.", cy = "Pwy sy'n gwneud beth." }
version = "1.0.0"
published = 2026-11-22
illustrative = true
"#,
    ),
    (
        "searches",
        r#"
[datasets.searches]
title = { en = "Searches", cy = "Chwiliadau" }
description = { en = "Searches by month.", cy = "Chwiliadau fesul mis." }
version = "1.0.0"
published = 2026-11-22
illustrative = true
"#,
    ),
];

/// A `data/datasets.toml` describing these datasets, in this order.
pub fn catalogue(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| {
            ENTRIES
                .iter()
                .find(|(name, _)| name == n)
                .unwrap_or_else(|| panic!("no catalogue entry for {n}"))
                .1
        })
        .collect()
}
