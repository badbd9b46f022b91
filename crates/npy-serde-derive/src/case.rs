//! `#[serde(rename_all = "...")]`: the field-name rules serde applies.
//!
//! Serde takes a Rust field name to be `snake_case` and rewrites it per rule; the results must be
//! serde's exactly, since they are the column names the file is searched for.

/// A `rename_all` rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rule {
    Lower,
    Upper,
    Pascal,
    Camel,
    Snake,
    ScreamingSnake,
    Kebab,
    ScreamingKebab,
}

/// The rule names serde accepts, for error messages.
pub(crate) const RULE_NAMES: &str = "\"lowercase\", \"UPPERCASE\", \"PascalCase\", \"camelCase\", \
     \"snake_case\", \"SCREAMING_SNAKE_CASE\", \"kebab-case\", \"SCREAMING-KEBAB-CASE\"";

impl Rule {
    /// The rule named `name`, if serde has one.
    pub(crate) fn parse(name: &str) -> Option<Rule> {
        Some(match name {
            "lowercase" => Rule::Lower,
            "UPPERCASE" => Rule::Upper,
            "PascalCase" => Rule::Pascal,
            "camelCase" => Rule::Camel,
            "snake_case" => Rule::Snake,
            "SCREAMING_SNAKE_CASE" => Rule::ScreamingSnake,
            "kebab-case" => Rule::Kebab,
            "SCREAMING-KEBAB-CASE" => Rule::ScreamingKebab,
            _ => return None,
        })
    }

    /// The name a field called `field` (snake_case) gets under this rule.
    pub(crate) fn apply(self, field: &str) -> String {
        match self {
            Rule::Lower | Rule::Snake => field.to_owned(),
            Rule::Upper | Rule::ScreamingSnake => field.to_ascii_uppercase(),
            Rule::Pascal => pascal(field),
            Rule::Camel => {
                let pascal = pascal(field);
                let mut chars = pascal.chars();
                match chars.next() {
                    Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
                    None => String::new(),
                }
            }
            Rule::Kebab => field.replace('_', "-"),
            Rule::ScreamingKebab => field.to_ascii_uppercase().replace('_', "-"),
        }
    }
}

/// Words split at underscores, each capitalised, joined (underscores dropped).
fn pascal(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut word_start = true;
    for c in field.chars() {
        if c == '_' {
            word_start = true;
        } else if word_start {
            out.push(c.to_ascii_uppercase());
            word_start = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_on_a_two_word_name() {
        let cases = [
            ("lowercase", "label_text"),
            ("UPPERCASE", "LABEL_TEXT"),
            ("PascalCase", "LabelText"),
            ("camelCase", "labelText"),
            ("snake_case", "label_text"),
            ("SCREAMING_SNAKE_CASE", "LABEL_TEXT"),
            ("kebab-case", "label-text"),
            ("SCREAMING-KEBAB-CASE", "LABEL-TEXT"),
        ];
        for (rule, want) in cases {
            assert_eq!(
                Rule::parse(rule).unwrap().apply("label_text"),
                want,
                "{rule}"
            );
        }
    }

    #[test]
    fn single_words_digits_and_leading_underscores() {
        assert_eq!(Rule::Pascal.apply("x"), "X");
        assert_eq!(Rule::Camel.apply("x"), "x");
        assert_eq!(Rule::Camel.apply("row_2_id"), "row2Id");
        assert_eq!(Rule::Pascal.apply("_private"), "Private");
        assert_eq!(Rule::Camel.apply("a_b_c"), "aBC");
        assert_eq!(Rule::Kebab.apply("a_b_c"), "a-b-c");
    }

    #[test]
    fn unknown_rules_are_none() {
        for name in ["Lowercase", "camelcase", "Title Case", ""] {
            assert_eq!(Rule::parse(name), None, "{name}");
        }
        assert!(RULE_NAMES.contains("SCREAMING-KEBAB-CASE"));
    }

    /// Each rule over several field names, in the rule order of `RULES`. Worked out from
    /// serde's documented behaviour for fields: the Rust name is read as snake_case words;
    /// `lowercase` and `snake_case` leave it as it is (even when it is not snake_case).
    #[test]
    fn table_of_every_rule() {
        const RULES: [&str; 8] = [
            "lowercase",
            "UPPERCASE",
            "PascalCase",
            "camelCase",
            "snake_case",
            "SCREAMING_SNAKE_CASE",
            "kebab-case",
            "SCREAMING-KEBAB-CASE",
        ];
        let table: [(&str, [&str; 8]); 5] = [
            ("id", ["id", "ID", "Id", "id", "id", "ID", "id", "ID"]),
            (
                "row_2_id",
                [
                    "row_2_id", "ROW_2_ID", "Row2Id", "row2Id", "row_2_id", "ROW_2_ID", "row-2-id",
                    "ROW-2-ID",
                ],
            ),
            (
                "x_y_z",
                [
                    "x_y_z", "X_Y_Z", "XYZ", "xYZ", "x_y_z", "X_Y_Z", "x-y-z", "X-Y-Z",
                ],
            ),
            (
                "mixedCase",
                [
                    "mixedCase",
                    "MIXEDCASE",
                    "MixedCase",
                    "mixedCase",
                    "mixedCase",
                    "MIXEDCASE",
                    "mixedCase",
                    "MIXEDCASE",
                ],
            ),
            (
                "type",
                [
                    "type", "TYPE", "Type", "type", "type", "TYPE", "type", "TYPE",
                ],
            ),
        ];
        for (field, wants) in table {
            for (rule, want) in RULES.into_iter().zip(wants) {
                assert_eq!(
                    Rule::parse(rule).unwrap().apply(field),
                    want,
                    "{rule} of {field}"
                );
            }
        }
    }
}
