//! The API surface of the generated client as stable text: every operation (method, path,
//! operationId, Rust method with its parameters, request and response types) and every type
//! with its fields or variants. The test suite snapshots it, so a spec update shows up as a
//! reviewable diff.

use anyhow::{Context, Result};
use heck::ToSnakeCase;
use quote::ToTokens;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Renders the surface of `generated` (the generated Rust file) for `normalised` (the spec it
/// was generated from).
pub fn api_surface(generated: &str, normalised: &Value) -> Result<String> {
    let file = syn::parse_file(generated).context("parsing the generated code")?;
    let methods = client_methods(&file);
    let mut out = String::from("# Operations\n");
    let mut operations = Vec::new();
    if let Some(paths) = normalised.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            for (method, op) in item.as_object().into_iter().flatten() {
                if !crate::spec::METHODS.contains(&method.as_str()) {
                    continue;
                }
                let id = op
                    .get("operationId")
                    .and_then(Value::as_str)
                    .unwrap_or("<none>");
                operations.push((path.clone(), method.to_uppercase(), id.to_string()));
            }
        }
    }
    operations.sort();
    for (path, method, id) in operations {
        let rust = id.to_snake_case();
        let signature = methods
            .get(&rust)
            .cloned()
            .unwrap_or_else(|| format!("{rust}: NOT GENERATED"));
        writeln!(out, "{method} {path}  ({id})\n    {signature}")?;
    }
    out.push_str("\n# Types\n");
    let types = file
        .items
        .iter()
        .find_map(|i| match i {
            syn::Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|c| &c.1),
            _ => None,
        })
        .context("no types module")?;
    let mut rendered: BTreeMap<String, String> = BTreeMap::new();
    for item in types {
        match item {
            syn::Item::Struct(s) => {
                rendered.insert(s.ident.to_string(), render_struct(s));
            }
            syn::Item::Enum(e) => {
                rendered.insert(e.ident.to_string(), render_enum(e));
            }
            _ => {}
        }
    }
    for text in rendered.values() {
        out.push_str(text);
    }
    Ok(out)
}

fn client_methods(file: &syn::File) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for item in &file.items {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() || imp.self_ty.to_token_stream().to_string() != "Client" {
            continue;
        }
        for f in &imp.items {
            let syn::ImplItem::Fn(f) = f else { continue };
            if f.sig.asyncness.is_none() {
                continue;
            }
            let params: Vec<String> = f
                .sig
                .inputs
                .iter()
                .filter_map(|a| match a {
                    syn::FnArg::Typed(p) => {
                        Some(format!("{}: {}", p.pat.to_token_stream(), ty(&p.ty)))
                    }
                    syn::FnArg::Receiver(_) => None,
                })
                .collect();
            let output = match &f.sig.output {
                syn::ReturnType::Type(_, t) => ty(t),
                syn::ReturnType::Default => "()".into(),
            };
            let generics: Vec<String> = f
                .sig
                .generics
                .type_params()
                .map(|p| format!("{}: {}", p.ident, p.bounds.to_token_stream()))
                .collect();
            let generics = if generics.is_empty() {
                String::new()
            } else {
                format!("<{}>", tidy(&generics.join(", ")))
            };
            out.insert(
                f.sig.ident.to_string(),
                format!(
                    "{}{generics}({}) -> {output}",
                    f.sig.ident,
                    params.join(", ")
                ),
            );
        }
    }
    out
}

fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .find_map(|a| {
            let text = a.meta.to_token_stream().to_string();
            let start = text.find("rename = \"")? + "rename = \"".len();
            Some(text[start..].split('"').next()?.to_string())
        })
}

fn render_struct(s: &syn::ItemStruct) -> String {
    let mut out = format!("struct {}", s.ident);
    match &s.fields {
        syn::Fields::Named(named) => {
            out.push('\n');
            for f in &named.named {
                let name = f
                    .ident
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                let wire = serde_rename(&f.attrs)
                    .filter(|w| *w != name)
                    .map(|w| format!(" (\"{w}\")"))
                    .unwrap_or_default();
                let _ = writeln!(out, "    {name}{wire}: {}", ty(&f.ty));
            }
        }
        syn::Fields::Unnamed(fields) => {
            let inner: Vec<String> = fields.unnamed.iter().map(|f| ty(&f.ty)).collect();
            let _ = writeln!(out, "({})", inner.join(", "));
        }
        syn::Fields::Unit => out.push('\n'),
    }
    out
}

fn render_enum(e: &syn::ItemEnum) -> String {
    let variants: Vec<String> = e
        .variants
        .iter()
        .map(|v| {
            let wire = serde_rename(&v.attrs)
                .map(|w| format!("=\"{w}\""))
                .unwrap_or_default();
            match &v.fields {
                syn::Fields::Unnamed(f) => {
                    let inner: Vec<String> = f.unnamed.iter().map(|f| ty(&f.ty)).collect();
                    format!("{}({})", v.ident, inner.join(", "))
                }
                syn::Fields::Named(f) => {
                    let inner: Vec<String> = f
                        .named
                        .iter()
                        .map(|f| {
                            format!(
                                "{}: {}",
                                f.ident
                                    .as_ref()
                                    .map(ToString::to_string)
                                    .unwrap_or_default(),
                                ty(&f.ty)
                            )
                        })
                        .collect();
                    format!("{} {{ {} }}", v.ident, inner.join(", "))
                }
                syn::Fields::Unit => format!("{}{wire}", v.ident),
            }
        })
        .collect();
    format!("enum {}: {}\n", e.ident, variants.join(" | "))
}

fn ty(t: &syn::Type) -> String {
    tidy(&t.to_token_stream().to_string())
}

/// Token text without spacing and well-known path prefixes.
fn tidy(text: &str) -> String {
    let mut s: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for (from, to) in [
        (" :: ", "::"),
        (":: ", "::"),
        (" < ", "<"),
        (" <", "<"),
        ("< ", "<"),
        (" > ", ">"),
        (" >", ">"),
        (" , ", ", "),
        ("& '", "&'"),
        ("& ", "&"),
        (" (", "("),
    ] {
        s = s.replace(from, to);
    }
    for prefix in [
        "::std::option::",
        "::std::string::",
        "::std::vec::",
        "::std::collections::",
        "::std::num::",
        "::chrono::offset::",
        "::chrono::",
        "::serde_json::",
        "crate::types::",
        "types::",
        "::reqwest::",
    ] {
        s = s.replace(prefix, "");
    }
    // Commas as written by hand: none before a closing `>`, one space after.
    let s = s.replace(" ,", ",").replace(",>", ">").replace(", ", ",");
    s.replace(',', ", ")
}
