//! The loaded site is all a render reads: once `site::load` has checked the data files,
//! rendering never reads them again, so what is published is what was checked (in `serve`, a
//! file saved between load and render used to be read unchecked).

mod common;

use common::Fixture;

#[test]
fn rendering_reads_no_data_file_again() {
    let datasets = common::data::catalogue(&["organisations", "reasons", "searches"]);
    let searches = "period,organisation,system,reason,searches\n\
                    2025-01,gwent,PNC,investigation,10\n\
                    2025-02,gwent,LEDS,investigation,7\n";
    let table = "{{ table(data=\"searches\", columns=\"period,system,searches\", caption=\"Searches\") }}\n";
    let f = Fixture::new(&[
        ("data/datasets.toml", &datasets),
        ("data/reasons.toml", common::data::REASONS),
        ("data/organisations.csv", common::data::ORGANISATIONS),
        ("data/usage/searches-2025.csv", searches),
        (
            "content/about.md",
            &format!("+++\ntitle = \"About\"\n+++\n{table}"),
        ),
        (
            "content/about.cy.md",
            &format!("+++\ntitle = \"Amdanom\"\nslug = \"amdanom\"\n+++\n{table}"),
        ),
    ]);
    let opts = tryloyw::site::LoadOptions {
        root: f.root(),
        base_url: None,
        drafts: false,
        today: jiff::civil::date(2026, 6, 1),
    };
    let (site, _) = tryloyw::site::load(&opts).unwrap_or_else(|ds| {
        panic!(
            "{:?}",
            ds.sorted()
                .iter()
                .map(|d| d.render(false))
                .collect::<Vec<_>>()
        )
    });
    // Changed on disk after the load, as an editor may while `serve` runs.
    f.write(
        "data/usage/searches-2025.csv",
        "period,organisation,system,reason,searches\n2025-13,nowhere,XYZ,none,-1\n",
    );
    let files = tryloyw::render::render_with(&site, false)
        .unwrap_or_else(|_| panic!("render failed"))
        .0;
    let page = files
        .iter()
        .find(|o| o.path == "about/index.html")
        .expect("the about page");
    let html = String::from_utf8_lossy(&page.bytes);
    for cell in ["January 2025", "February 2025", ">LEDS<", ">7<", ">10<"] {
        assert!(html.contains(cell), "no {cell} in the table:\n{html}");
    }
    assert!(!html.contains("XYZ") && !html.contains("nowhere"), "{html}");
}
