//! The code `#[derive(Record)]` generates (see the crate documentation for its shape).

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote, ToTokens};
use syn::ext::IdentExt;
use syn::{Data, DeriveInput, Fields, Result, Type};

use crate::attrs::{Container, Default, Direction, FieldAttrs};

/// One struct field as the generated code sees it.
struct Column {
    ident: Ident,
    ty: Type,
    /// The deserialize name first, then its aliases.
    names: Vec<String>,
    default: Default,
    skip: bool,
}

/// The `impl npy_serde::Record` for `input`, or the error that explains why there is none.
pub(crate) fn derive(input: &DeriveInput) -> Result<TokenStream> {
    let columns = columns(input, Direction::Read)?;
    let name = &input.ident;
    let read: Vec<&Column> = columns.iter().filter(|c| !c.skip).collect();
    // The generated parameters and locals get mixed-site spans: a `default = "row"` path, or a
    // field type, names the user's items, never these.
    let [columns_var, row, plan] = ["columns", "row", "plan"].map(local);
    let plan_vars: Vec<Ident> = (0..read.len()).map(|i| local(&format!("__p{i}"))).collect();

    let plans = read.iter().map(|c| {
        let ty = &c.ty;
        let names = &c.names;
        let need = if c.default == Default::None {
            quote!(__npy::Need::Required)
        } else {
            quote!(__npy::Need::Optional)
        };
        quote! {
            __npy::plan(
                #columns_var,
                &[#(#names),*],
                #need,
                (&__npy::Field::<#ty>::new()).kind(),
            )
        }
    });

    // `__fast`: each read field's direct read (or its default when the file lacks it).
    let fast_values: Vec<Ident> = (0..read.len()).map(|i| local(&format!("__v{i}"))).collect();
    let fast_reads = read.iter().zip(&plan_vars).map(|(c, p)| {
        let ty = &c.ty;
        let read = quote!((&__npy::Field::<#ty>::new()).fast(#row, #p));
        match default_value(&c.default) {
            Some(value) => quote! {
                if #p.is_missing() { ::std::option::Option::Some(#value) } else { #read }
            },
            None => read,
        }
    });
    // `__decode` reads as serde's derive does: first every field the file has, in declaration
    // order (the first failing one is the error), then the absent ones (their defaults, `None`
    // for an `Option`, else "missing field").
    let mut fast_inits = Vec::new();
    let mut present_reads = Vec::new();
    let mut slow_inits = Vec::new();
    let mut next = 0;
    for c in &columns {
        let ident = &c.ident;
        if c.skip {
            let value = default_value(&c.default).unwrap_or_else(default_trait);
            fast_inits.push(quote!(#ident: #value));
            slow_inits.push(quote!(#ident: #value));
            continue;
        }
        let (v, p, ty) = (&fast_values[next], &plan_vars[next], &c.ty);
        next += 1;
        fast_inits.push(quote!(#ident: #v));
        let read = quote!((&__npy::Field::<#ty>::new()).read(#row, #p)?);
        present_reads.push(quote! {
            let #v = if #p.is_present() {
                ::std::option::Option::Some(#read)
            } else {
                ::std::option::Option::None
            };
        });
        let absent = default_value(&c.default).unwrap_or(read);
        slow_inits.push(quote! {
            #ident: match #v {
                ::std::option::Option::Some(value) => value,
                ::std::option::Option::None => #absent,
            }
        });
    }
    let fast_body = if read.is_empty() {
        quote!(::std::option::Option::Some(#name { #(#fast_inits),* }))
    } else {
        let patterns = fast_values
            .iter()
            .map(|v| quote!(::std::option::Option::Some(#v)));
        quote! {
            let (#(#patterns,)*) = (#(#fast_reads,)*) else {
                return ::std::option::Option::None;
            };
            ::std::option::Option::Some(#name { #(#fast_inits),* })
        }
    };

    Ok(quote! {
        const _: () = {
            use ::npy_serde::__private as __npy;
            #[allow(unused_imports)]
            use __npy::{AnyKind as _, KnownKind as _, ViaFast as _, ViaSerde as _};

            #[automatically_derived]
            impl ::npy_serde::Record for #name {
                fn __plan(
                    #columns_var: &__npy::Columns,
                ) -> ::npy_serde::Result<::std::vec::Vec<__npy::FieldPlan>> {
                    ::std::result::Result::Ok(::std::vec![#(#plans),*])
                }

                #[inline(always)]
                fn __fast(
                    #row: &[u8],
                    #plan: &[__npy::FieldPlan],
                ) -> ::std::option::Option<Self> {
                    let [#(#plan_vars),*] = #plan else {
                        return ::std::option::Option::None;
                    };
                    #fast_body
                }

                fn __decode(
                    #row: &[u8],
                    #plan: &[__npy::FieldPlan],
                ) -> ::npy_serde::Result<Self> {
                    let [#(#plan_vars),*] = #plan else {
                        return ::std::result::Result::Err(__npy::plan_mismatch());
                    };
                    #(#present_reads)*
                    ::std::result::Result::Ok(#name { #(#slow_inits),* })
                }
            }
        };
    })
}

/// The `impl npy_serde::RecordWrite` for `input`, or the error that explains why there is none.
pub(crate) fn derive_write(input: &DeriveInput) -> Result<TokenStream> {
    let columns = columns(input, Direction::Write)?;
    let name = &input.ident;
    let written: Vec<&Column> = columns.iter().filter(|c| !c.skip).collect();
    let plan_vars: Vec<Ident> = (0..written.len())
        .map(|i| format_ident!("__p{i}"))
        .collect();
    let plans = written.iter().map(|c| {
        let ty = &c.ty;
        let column = &c.names[0];
        quote!(__npy::encode_plan(columns, #column, (&__npy::Field::<#ty>::new()).kind())?)
    });
    let writes = written.iter().zip(&plan_vars).map(|(c, p)| {
        let (ty, ident) = (&c.ty, &c.ident);
        quote!((&__npy::Field::<#ty>::new()).write(&self.#ident, row, #p)?;)
    });
    Ok(quote! {
        const _: () = {
            use ::npy_serde::__private as __npy;
            #[allow(unused_imports)]
            use __npy::{AnyKind as _, KnownKind as _, WriteFast as _, WriteSerde as _};

            #[automatically_derived]
            impl ::npy_serde::RecordWrite for #name {
                fn __encode_plan(
                    columns: &__npy::Columns,
                ) -> ::npy_serde::Result<
                    ::std::option::Option<::std::vec::Vec<__npy::EncodePlan>>,
                > {
                    ::std::result::Result::Ok(::std::option::Option::Some(::std::vec![#(#plans),*]))
                }

                #[inline]
                fn __encode(
                    &self,
                    row: &mut [u8],
                    plan: &[__npy::EncodePlan],
                ) -> ::npy_serde::Result<()> {
                    let [#(#plan_vars),*] = plan else {
                        return ::std::result::Result::Err(__npy::plan_mismatch());
                    };
                    #(#writes)*
                    ::std::result::Result::Ok(())
                }
            }
        };
    })
}

/// An identifier only the generated code sees (hygienic like a `macro_rules!` local).
fn local(name: &str) -> Ident {
    Ident::new(name, Span::mixed_site())
}

fn default_trait() -> TokenStream {
    quote!(::std::default::Default::default())
}

/// The value a missing field takes, if it has a default.
fn default_value(default: &Default) -> Option<TokenStream> {
    match default {
        Default::None => None,
        Default::Trait => Some(default_trait()),
        Default::Path(path) => Some(quote!(#path())),
    }
}

/// The struct's fields with their names, or an error for what cannot be a compiled row.
fn columns(input: &DeriveInput, direction: Direction) -> Result<Vec<Column>> {
    let derive = match direction {
        Direction::Read => "Record",
        Direction::Write => "RecordWrite",
    };
    let api = match direction {
        Direction::Read => "npy_serde::from_path / from_slice",
        Direction::Write => "npy_serde::to_path / to_vec",
    };
    let what = match &input.data {
        Data::Struct(s) => match &s.fields {
            Fields::Named(named) => {
                if !input.generics.params.is_empty() {
                    return Err(syn::Error::new_spanned(
                        &input.generics,
                        format!(
                            "`#[derive(npy_serde::{derive})]` does not take generic parameters \
                             or lifetimes: compiled rows own their data and are of one type; \
                             use {api} (serde) for this type instead"
                        ),
                    ));
                }
                let container = Container::parse(&input.attrs, direction)?;
                return named
                    .named
                    .iter()
                    .map(|field| column(field, &container, direction))
                    .collect();
            }
            Fields::Unnamed(_) => "a tuple struct",
            Fields::Unit => "a unit struct",
        },
        Data::Enum(_) => "an enum",
        Data::Union(_) => "a union",
    };
    // Points at the item's keyword and name (`enum Kind`, `struct Pair`).
    let ident = &input.ident;
    let head = match &input.data {
        Data::Struct(s) => s.struct_token.to_token_stream(),
        Data::Enum(e) => e.enum_token.to_token_stream(),
        Data::Union(u) => u.union_token.to_token_stream(),
    };
    let head = quote!(#head #ident);
    Err(syn::Error::new_spanned(
        head,
        format!(
            "`#[derive(npy_serde::{derive})]` takes a struct with named fields, not {what}; use \
             {api} (serde) for {what} instead"
        ),
    ))
}

fn column(field: &syn::Field, container: &Container, direction: Direction) -> Result<Column> {
    let attrs = FieldAttrs::parse(field, direction)?;
    let ident = field.ident.clone().expect("named fields have names");
    let rust_name = ident.unraw().to_string();
    let (rename, rule) = match direction {
        Direction::Read => (&attrs.rename, container.rename_all),
        Direction::Write => (&attrs.rename_ser, container.rename_all_ser),
    };
    let name = match (rename, rule) {
        (Some(rename), _) => rename.clone(),
        (None, Some(rule)) => rule.apply(&rust_name),
        (None, None) => rust_name,
    };
    let mut names = vec![name];
    if direction == Direction::Read {
        names.extend(attrs.aliases.iter().cloned());
    }
    Ok(Column {
        ident,
        ty: field.ty.clone(),
        names,
        default: attrs.default,
        skip: match direction {
            Direction::Read => attrs.skip,
            Direction::Write => attrs.skip_ser,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    fn expand(input: DeriveInput) -> String {
        derive(&input).unwrap().to_string()
    }

    fn error(input: DeriveInput) -> String {
        derive(&input).unwrap_err().to_string()
    }

    #[test]
    fn plans_name_columns_with_renames_and_aliases() {
        let out = expand(parse_quote! {
            #[serde(rename_all = "camelCase")]
            struct Row {
                id: i64,
                #[serde(rename = "X")] x: f64,
                #[serde(alias = "lbl")] label_text: [u8; 16],
                #[serde(default)] extra: u32,
                #[serde(skip)] cache: Vec<u8>,
                r#type: u8,
            }
        });
        for piece in [
            r#"plan (columns , & ["id"] , __npy :: Need :: Required"#,
            r#"plan (columns , & ["X"] , __npy :: Need :: Required"#,
            r#"plan (columns , & ["labelText" , "lbl"] , __npy :: Need :: Required"#,
            r#"plan (columns , & ["extra"] , __npy :: Need :: Optional"#,
            r#"plan (columns , & ["type"] , __npy :: Need :: Required"#,
            "let [__p0 , __p1 , __p2 , __p3 , __p4] = plan else",
            "cache : :: std :: default :: Default :: default ()",
            "if __p3 . is_missing ()",
            "let __v3 = if __p3 . is_present ()",
        ] {
            assert!(out.contains(piece), "missing {piece:?} in\n{out}");
        }
        assert!(
            !out.contains("\"cache\""),
            "skipped fields are not planned:\n{out}"
        );
    }

    #[test]
    fn default_paths_are_called() {
        let out = expand(parse_quote! {
            struct Row { #[serde(default = "seven")] a: i32, #[serde(skip, default = "eight")] b: i32 }
        });
        assert!(out.contains("Some (seven ())"), "{out}");
        assert!(out.contains("b : eight ()"), "{out}");
    }

    #[test]
    fn shapes_that_are_not_rows_are_refused() {
        assert!(error(parse_quote!(
            struct T(i32, f64);
        ))
        .contains("not a tuple struct"));
        assert!(error(parse_quote!(
            struct U;
        ))
        .contains("not a unit struct"));
        assert!(error(parse_quote!(
            enum E {
                A,
            }
        ))
        .contains("not an enum"));
        assert!(error(parse_quote!(union V { a: u8 })).contains("not a union"));
        assert!(error(parse_quote!(
            struct G<T> {
                a: T,
            }
        ))
        .contains("generic parameters"));
        assert!(error(parse_quote!(
            struct L<'a> {
                a: &'a str,
            }
        ))
        .contains("lifetimes"));
    }

    #[test]
    fn writes_use_serialize_names_and_skip_what_serde_skips() {
        let input: DeriveInput = parse_quote! {
            #[serde(rename_all(serialize = "UPPERCASE", deserialize = "camelCase"))]
            struct Row {
                row_id: i64,
                #[serde(rename(serialize = "xs", deserialize = "xd"), alias = "other")] x: f64,
                #[serde(skip_serializing)] cache: u8,
                #[serde(skip_deserializing)] written: u8,
                #[serde(deserialize_with = "f")] read_with: u8,
            }
        };
        let out = derive_write(&input).unwrap().to_string();
        for piece in [
            r#"encode_plan (columns , "ROW_ID" ,"#,
            r#"encode_plan (columns , "xs" ,"#,
            r#"encode_plan (columns , "WRITTEN" ,"#,
            "write (& self . read_with , row , __p3)",
        ] {
            assert!(out.contains(piece), "missing {piece:?} in\n{out}");
        }
        assert!(!out.contains("CACHE") && !out.contains("other"), "{out}");
        // The same struct cannot derive Record: `deserialize_with` changes how it reads.
        assert!(derive(&input)
            .unwrap_err()
            .to_string()
            .contains("deserialize_with"));
    }

    #[test]
    fn write_side_refusals_name_the_write_api() {
        let input: DeriveInput = parse_quote!(
            struct R {
                #[serde(serialize_with = "f")]
                a: u8,
            }
        );
        let err = derive_write(&input).unwrap_err().to_string();
        assert!(err.contains("`#[derive(npy_serde::RecordWrite)]`"), "{err}");
        assert!(err.contains("npy_serde::to_path"), "{err}");
        assert!(
            derive(&input).is_ok(),
            "serialize_with does not change reading"
        );
        let input: DeriveInput = parse_quote!(
            #[serde(into = "Other")]
            struct R {
                a: u8,
            }
        );
        assert!(derive_write(&input).is_err() && derive(&input).is_ok());
        let input: DeriveInput = parse_quote!(
            #[serde(from = "Other")]
            struct R {
                a: u8,
            }
        );
        assert!(derive_write(&input).is_ok() && derive(&input).is_err());
    }

    #[test]
    fn a_struct_without_read_fields_still_builds() {
        let out = expand(parse_quote!(
            struct Empty {
                #[serde(skip)]
                a: u8,
            }
        ));
        assert!(out.contains("let [] = plan else"), "{out}");
        assert!(out.contains("Some (Empty {"), "{out}");
    }
}
