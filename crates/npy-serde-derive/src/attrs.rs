//! The `#[serde(...)]` attributes that decide how a struct deserializes, read as serde reads
//! them. Those that only affect serialization are skipped; those that change deserialization in
//! ways a compiled row does not reproduce are errors, so a `Record` never reads differently from
//! the type's `Deserialize`.

use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, Expr, Field, LitStr, Result};

use crate::case::{Rule, RULE_NAMES};

/// Which way a derive works: reading rows (`Record`) or writing them (`RecordWrite`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    Read,
    Write,
}

/// What a struct's attributes say.
#[derive(Debug, Default)]
pub(crate) struct Container {
    /// The deserialize rule.
    pub(crate) rename_all: Option<Rule>,
    /// The serialize rule.
    pub(crate) rename_all_ser: Option<Rule>,
}

/// How a missing (or skipped) field gets its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Default {
    /// The file must have the field.
    None,
    /// `Default::default()`.
    Trait,
    /// A function named by a path (`default = "path"`).
    Path(syn::ExprPath),
}

/// What a field's attributes say.
#[derive(Debug)]
pub(crate) struct FieldAttrs {
    /// The deserialize name given by `rename`, if any.
    pub(crate) rename: Option<String>,
    /// The serialize name given by `rename`, if any.
    pub(crate) rename_ser: Option<String>,
    pub(crate) aliases: Vec<String>,
    pub(crate) default: Default,
    /// `skip` / `skip_deserializing`: never read.
    pub(crate) skip: bool,
    /// `skip` / `skip_serializing`: never written.
    pub(crate) skip_ser: bool,
}

/// Container attributes that change how both directions work: not supported.
const UNSUPPORTED_CONTAINER: &[&str] = &[
    "transparent",
    "tag",
    "content",
    "untagged",
    "remote",
    "variant_identifier",
    "field_identifier",
];

/// Container attributes that change deserialization only.
const READ_ONLY_CONTAINER: &[&str] = &["default", "from", "try_from"];

/// Container attributes that change serialization only.
const WRITE_ONLY_CONTAINER: &[&str] = &["into"];

/// Container attributes with no effect on reading named fields from columns.
const IGNORED_CONTAINER: &[&str] = &[
    "rename",
    "crate",
    "bound",
    "expecting",
    "deny_unknown_fields",
    "rename_all_fields",
];

/// Field attributes that change how a value is written: refused when writing, ignored when
/// reading.
const WRITE_ONLY_FIELD: &[&str] = &["skip_serializing_if", "serialize_with", "getter"];

/// Field attributes that change how a value is read: refused when reading, ignored when
/// writing.
const READ_ONLY_FIELD: &[&str] = &["deserialize_with", "borrow"];

fn refused(what: &str, direction: Direction) -> String {
    match direction {
        Direction::Read => format!(
            "`#[serde({what})]` is not supported by `#[derive(npy_serde::Record)]`; read this \
             type with npy_serde::from_path / from_slice (serde) instead"
        ),
        Direction::Write => format!(
            "`#[serde({what})]` is not supported by `#[derive(npy_serde::RecordWrite)]`; write \
             this type with npy_serde::to_path / to_vec (serde) instead"
        ),
    }
}

/// Consumes whatever follows an attribute name: `= value`, `(...)`, or nothing.
fn skip_value(meta: &ParseNestedMeta<'_>) -> Result<()> {
    if meta.input.peek(syn::Token![=]) {
        meta.value()?.parse::<Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        meta.parse_nested_meta(|inner| skip_value(&inner))?;
    }
    Ok(())
}

/// Both halves (serialize, deserialize) of `name = "..."` or
/// `name(serialize = "...", deserialize = "...")`.
fn both_strings(meta: &ParseNestedMeta<'_>) -> Result<(Option<LitStr>, Option<LitStr>)> {
    if meta.input.peek(syn::Token![=]) {
        let lit: LitStr = meta.value()?.parse()?;
        return Ok((Some(lit.clone()), Some(lit)));
    }
    let (mut ser, mut de) = (None, None);
    meta.parse_nested_meta(|inner| {
        if inner.path.is_ident("deserialize") {
            de = Some(inner.value()?.parse()?);
            Ok(())
        } else if inner.path.is_ident("serialize") {
            ser = Some(inner.value()?.parse()?);
            Ok(())
        } else {
            Err(inner.error("expected `serialize` or `deserialize`"))
        }
    })?;
    Ok((ser, de))
}

fn rule(lit: Option<LitStr>) -> Result<Option<Rule>> {
    let Some(lit) = lit else {
        return Ok(None);
    };
    Rule::parse(&lit.value()).map(Some).ok_or_else(|| {
        syn::Error::new(
            lit.span(),
            format!(
                "unknown rename_all rule {:?}; serde's rules are {RULE_NAMES}",
                lit.value()
            ),
        )
    })
}

/// Stores `value` (when given) in `slot`; a second value is an error, as in serde.
fn set_once<T>(
    meta: &ParseNestedMeta<'_>,
    what: &str,
    slot: &mut Option<T>,
    value: Option<T>,
) -> Result<()> {
    if let Some(value) = value {
        if slot.is_some() {
            return Err(meta.error(format!("duplicate serde attribute `{what}`")));
        }
        *slot = Some(value);
    }
    Ok(())
}

fn ident_of(meta: &ParseNestedMeta<'_>) -> String {
    meta.path
        .get_ident()
        .map(|i| i.unraw().to_string())
        .unwrap_or_default()
}

impl Container {
    pub(crate) fn parse(attrs: &[Attribute], direction: Direction) -> Result<Container> {
        let mut container = Container::default();
        for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
            attr.parse_nested_meta(|meta| {
                let name = ident_of(&meta);
                let name = name.as_str();
                let refused_here = match direction {
                    Direction::Read => READ_ONLY_CONTAINER.contains(&name),
                    Direction::Write => WRITE_ONLY_CONTAINER.contains(&name),
                };
                if name == "rename_all" {
                    // Each half may be given once, in one attribute or in two.
                    let (ser, de) = both_strings(&meta)?;
                    let (ser, de) = (rule(ser)?, rule(de)?);
                    set_once(&meta, name, &mut container.rename_all_ser, ser)?;
                    set_once(&meta, name, &mut container.rename_all, de)
                } else if UNSUPPORTED_CONTAINER.contains(&name) || refused_here {
                    Err(meta.error(refused(name, direction)))
                } else if IGNORED_CONTAINER.contains(&name)
                    || READ_ONLY_CONTAINER.contains(&name)
                    || WRITE_ONLY_CONTAINER.contains(&name)
                {
                    skip_value(&meta)
                } else {
                    Err(meta.error(format!("unknown serde attribute `{name}`")))
                }
            })?;
        }
        Ok(container)
    }
}

impl FieldAttrs {
    pub(crate) fn parse(field: &Field, direction: Direction) -> Result<FieldAttrs> {
        let mut attrs = FieldAttrs {
            rename: None,
            rename_ser: None,
            aliases: Vec::new(),
            default: Default::None,
            skip: false,
            skip_ser: false,
        };
        for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
            attr.parse_nested_meta(|meta| {
                let name = ident_of(&meta);
                let name = name.as_str();
                let (refused_here, ignored_here) = match direction {
                    Direction::Read => (READ_ONLY_FIELD, WRITE_ONLY_FIELD),
                    Direction::Write => (WRITE_ONLY_FIELD, READ_ONLY_FIELD),
                };
                match name {
                    "rename" => {
                        let (ser, de) = both_strings(&meta)?;
                        set_once(&meta, name, &mut attrs.rename_ser, ser.map(|l| l.value()))?;
                        set_once(&meta, name, &mut attrs.rename, de.map(|l| l.value()))?;
                    }
                    "alias" => {
                        let lit: LitStr = meta.value()?.parse()?;
                        attrs.aliases.push(lit.value());
                    }
                    "default" => {
                        if attrs.default != Default::None {
                            return Err(meta.error("duplicate serde attribute `default`"));
                        }
                        attrs.default = if meta.input.peek(syn::Token![=]) {
                            let lit: LitStr = meta.value()?.parse()?;
                            Default::Path(lit.parse()?)
                        } else {
                            Default::Trait
                        };
                    }
                    "skip" => {
                        attrs.skip = true;
                        attrs.skip_ser = true;
                    }
                    "skip_deserializing" => attrs.skip = true,
                    "skip_serializing" => attrs.skip_ser = true,
                    "bound" => skip_value(&meta)?,
                    _ if ignored_here.contains(&name) => skip_value(&meta)?,
                    _ if refused_here.contains(&name) || name == "with" || name == "flatten" => {
                        skip_value(&meta)?;
                        return Err(meta.error(refused(name, direction)));
                    }
                    _ => return Err(meta.error(format!("unknown serde attribute `{name}`"))),
                }
                Ok(())
            })?;
        }
        Ok(attrs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::{parse_quote, DeriveInput};

    fn fields(input: &DeriveInput) -> Vec<&Field> {
        match &input.data {
            syn::Data::Struct(s) => s.fields.iter().collect(),
            _ => panic!("a struct"),
        }
    }

    #[test]
    fn field_names_aliases_defaults_and_skips() {
        let input: DeriveInput = parse_quote! {
            struct Row {
                #[serde(rename = "X")] x: f64,
                #[serde(rename(serialize = "s", deserialize = "d"))] y: f64,
                #[serde(rename(serialize = "only_ser"))] z: f64,
                #[serde(alias = "a1", alias = "a2")] w: f64,
                #[serde(default)] d1: u8,
                #[serde(default = "path::to::f")] d2: u8,
                #[serde(skip)] s1: u8,
                #[serde(skip_deserializing, default = "g")] s2: u8,
                #[serde(skip_serializing_if = "Option::is_none", serialize_with = "h")] plain: u8,
                #[doc = "other attributes are left alone"] #[allow(dead_code)] documented: u8,
            }
        };
        let parsed: Vec<FieldAttrs> = fields(&input)
            .into_iter()
            .map(|f| FieldAttrs::parse(f, Direction::Read).unwrap())
            .collect();
        assert_eq!(parsed[0].rename.as_deref(), Some("X"));
        assert_eq!(parsed[1].rename.as_deref(), Some("d"));
        assert_eq!(parsed[2].rename, None);
        assert_eq!(parsed[3].aliases, ["a1", "a2"]);
        assert_eq!(parsed[4].default, Default::Trait);
        assert_eq!(parsed[5].default, Default::Path(parse_quote!(path::to::f)));
        assert!(parsed[6].skip && parsed[6].default == Default::None);
        assert!(parsed[7].skip && parsed[7].default == Default::Path(parse_quote!(g)));
        assert!(!parsed[8].skip && parsed[8].rename.is_none());
        assert!(!parsed[9].skip);
    }

    #[test]
    fn field_attributes_that_change_deserializing_are_refused() {
        let cases: Vec<Field> = vec![
            parse_quote!(#[serde(with = "m")] a: u8),
            parse_quote!(#[serde(deserialize_with = "f")] a: u8),
            parse_quote!(#[serde(flatten)] a: Inner),
            parse_quote!(#[serde(borrow)] a: Cow<'a, str>),
        ];
        for field in &cases {
            let err = FieldAttrs::parse(field, Direction::Read)
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("not supported by `#[derive(npy_serde::Record)]`"),
                "{err}"
            );
        }
        let field: Field = parse_quote!(#[serde(frobnicate)] a: u8);
        assert_eq!(
            FieldAttrs::parse(&field, Direction::Read)
                .unwrap_err()
                .to_string(),
            "unknown serde attribute `frobnicate`"
        );
    }

    #[test]
    fn container_rename_all_and_refusals() {
        let input: DeriveInput = parse_quote! {
            #[serde(rename = "R", deny_unknown_fields, rename_all(serialize = "UPPERCASE", deserialize = "kebab-case"))]
            struct R { a: u8 }
        };
        assert_eq!(
            Container::parse(&input.attrs, Direction::Read)
                .unwrap()
                .rename_all,
            Some(Rule::Kebab)
        );
        let input: DeriveInput = parse_quote! {
            #[serde(rename_all(serialize = "UPPERCASE"))]
            struct R { a: u8 }
        };
        assert_eq!(
            Container::parse(&input.attrs, Direction::Read)
                .unwrap()
                .rename_all,
            None
        );

        let input: DeriveInput = parse_quote!(
            #[serde(rename_all = "Title")]
            struct R {
                a: u8,
            }
        );
        let err = Container::parse(&input.attrs, Direction::Read)
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown rename_all rule \"Title\""), "{err}");

        for attrs in [
            quote::quote!(#[serde(transparent)]),
            quote::quote!(#[serde(default)]),
            quote::quote!(#[serde(from = "Other")]),
            quote::quote!(#[serde(tag = "t")]),
        ] {
            let input: DeriveInput = syn::parse2(quote::quote!(#attrs struct R { a: u8 })).unwrap();
            let err = Container::parse(&input.attrs, Direction::Read)
                .unwrap_err()
                .to_string();
            assert!(err.contains("is not supported"), "{err}");
        }
    }

    #[test]
    fn halves_given_in_separate_attributes_add_up_and_repeats_are_errors() {
        // serde keeps the serialize and deserialize names apart: a later attribute naming only
        // one half leaves the other as it was.
        let field: Field = parse_quote! {
            #[serde(rename(deserialize = "d"))]
            #[serde(rename(serialize = "s"))]
            a: u8
        };
        let attrs = FieldAttrs::parse(&field, Direction::Read).unwrap();
        assert_eq!(
            (attrs.rename.as_deref(), attrs.rename_ser.as_deref()),
            (Some("d"), Some("s"))
        );
        let input: DeriveInput = parse_quote! {
            #[serde(rename_all(deserialize = "camelCase"))]
            #[serde(rename_all(serialize = "UPPERCASE"))]
            struct R { a: u8 }
        };
        let container = Container::parse(&input.attrs, Direction::Read).unwrap();
        assert_eq!(
            (container.rename_all, container.rename_all_ser),
            (Some(Rule::Camel), Some(Rule::Upper))
        );

        let repeats: Vec<Field> = vec![
            parse_quote!(#[serde(rename = "a", rename = "b")] x: u8),
            parse_quote!(#[serde(rename = "a")] #[serde(rename(deserialize = "b"))] x: u8),
            parse_quote!(#[serde(default, default = "f")] x: u8),
        ];
        for field in &repeats {
            let err = FieldAttrs::parse(field, Direction::Read)
                .unwrap_err()
                .to_string();
            assert!(err.starts_with("duplicate serde attribute `"), "{err}");
        }
        let input: DeriveInput = parse_quote! {
            #[serde(rename_all = "camelCase", rename_all(deserialize = "snake_case"))]
            struct R { a: u8 }
        };
        let err = Container::parse(&input.attrs, Direction::Read).unwrap_err();
        assert_eq!(err.to_string(), "duplicate serde attribute `rename_all`");
    }
}
