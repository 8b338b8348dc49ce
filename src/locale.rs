//! Language data the tool itself needs: names, months and number formats for each supported
//! language. UI sentences live in the theme's i18n files, which translators own.

use jiff::civil::Date;

#[derive(Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Locale {
    /// BCP 47 code, as used in `lang` and `hreflang` attributes and file names (`page.cy.md`).
    pub code: &'static str,
    /// The language's name in itself, for the language switch.
    pub endonym: &'static str,
    months: [&'static str; 12],
}

pub type Lang = &'static Locale;

pub static ENGLISH: Locale = Locale {
    code: "en",
    endonym: "English",
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
};

pub static WELSH: Locale = Locale {
    code: "cy",
    endonym: "Cymraeg",
    months: [
        "Ionawr",
        "Chwefror",
        "Mawrth",
        "Ebrill",
        "Mai",
        "Mehefin",
        "Gorffennaf",
        "Awst",
        "Medi",
        "Hydref",
        "Tachwedd",
        "Rhagfyr",
    ],
};

pub static SUPPORTED: [&Locale; 2] = [&ENGLISH, &WELSH];

pub fn by_code(code: &str) -> Option<Lang> {
    SUPPORTED.iter().copied().find(|l| l.code == code)
}

/// A supported language's cardinal plural rules, made once for the process: making them
/// parses the language tag, and a build asks for a plural form thousands of times.
fn plural_rules(code: &str) -> Option<&'static intl_pluralrules::PluralRules> {
    use intl_pluralrules::{PluralRuleType, PluralRules};
    type Rules = Vec<(&'static str, Option<PluralRules>)>;
    static RULES: std::sync::OnceLock<Rules> = std::sync::OnceLock::new();
    let make = |code: &str| {
        let id = code.parse::<unic_langid::LanguageIdentifier>().ok()?;
        PluralRules::create(id, PluralRuleType::CARDINAL).ok()
    };
    RULES
        .get_or_init(|| SUPPORTED.iter().map(|l| (l.code, make(l.code))).collect())
        .iter()
        .find(|(c, _)| *c == code)
        .and_then(|(_, rules)| rules.as_ref())
}

/// CLDR cardinal plural categories, in CLDR's order.
pub const PLURAL_CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

impl Locale {
    /// The CLDR cardinal plural category of `n` in this language: Welsh has all six
    /// (0 zero, 1 one, 2 two, 3 few, 6 many, the rest other); English has one and other.
    pub fn plural(&self, n: i64) -> &'static str {
        use intl_pluralrules::PluralCategory;
        match plural_rules(self.code).and_then(|r| r.select(n).ok()) {
            Some(PluralCategory::ZERO) => "zero",
            Some(PluralCategory::ONE) => "one",
            Some(PluralCategory::TWO) => "two",
            Some(PluralCategory::FEW) => "few",
            Some(PluralCategory::MANY) => "many",
            _ => "other",
        }
    }

    /// The plural categories this language uses; a plural UI string needs all of them.
    pub fn plural_categories(&self) -> Vec<&'static str> {
        let mut used: Vec<&'static str> = (0..200).map(|n| self.plural(n)).collect();
        used.sort_by_key(|c| PLURAL_CATEGORIES.iter().position(|x| x == c));
        used.dedup();
        used
    }

    /// Long date as GOV.UK writes it: `20 February 2019`, `20 Chwefror 2019`.
    pub fn long_date(&self, date: Date) -> String {
        format!(
            "{} {} {}",
            date.day(),
            // A `jiff` date's month is 1 to 12.
            self.months[date.month() as usize - 1],
            date.year()
        )
    }

    /// Integer with thousands separators; both languages group with commas.
    pub fn number(&self, n: i64) -> String {
        let digits = n.unsigned_abs().to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
        if n < 0 {
            out.push('-');
        }
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn welsh_long_dates() {
        let d = Date::new(2021, 1, 1).unwrap();
        assert_eq!(WELSH.long_date(d), "1 Ionawr 2021");
        assert_eq!(ENGLISH.long_date(d), "1 January 2021");
        assert_eq!(
            WELSH.long_date(Date::new(2019, 3, 20).unwrap()),
            "20 Mawrth 2019"
        );
    }

    #[test]
    fn cldr_plural_examples() {
        // CLDR's examples for Welsh cardinals.
        for (n, cat) in [
            (0, "zero"),
            (1, "one"),
            (2, "two"),
            (3, "few"),
            (6, "many"),
            (4, "other"),
            (5, "other"),
            (7, "other"),
            (10, "other"),
            (100, "other"),
            (1000, "other"),
        ] {
            assert_eq!(WELSH.plural(n), cat, "cy {n}");
        }
        for (n, cat) in [(1, "one"), (0, "other"), (2, "other"), (5, "other")] {
            assert_eq!(ENGLISH.plural(n), cat, "en {n}");
        }
        assert_eq!(
            WELSH.plural_categories(),
            ["zero", "one", "two", "few", "many", "other"]
        );
        assert_eq!(ENGLISH.plural_categories(), ["one", "other"]);
    }

    #[test]
    fn welsh_months_all_twelve() {
        let months: Vec<String> = (1..=12)
            .map(|m| WELSH.long_date(Date::new(2021, m, 1).unwrap()))
            .collect();
        assert_eq!(
            months,
            [
                "1 Ionawr 2021",
                "1 Chwefror 2021",
                "1 Mawrth 2021",
                "1 Ebrill 2021",
                "1 Mai 2021",
                "1 Mehefin 2021",
                "1 Gorffennaf 2021",
                "1 Awst 2021",
                "1 Medi 2021",
                "1 Hydref 2021",
                "1 Tachwedd 2021",
                "1 Rhagfyr 2021"
            ]
        );
    }

    #[test]
    fn numbers_group_thousands() {
        assert_eq!(ENGLISH.number(0), "0");
        assert_eq!(WELSH.number(1234567), "1,234,567");
        assert_eq!(ENGLISH.number(-1000), "-1,000");
        assert_eq!(ENGLISH.number(999), "999");
    }
}
