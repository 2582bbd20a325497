//! `cargo xtask codegen [--check]`: vendored spec → normalised spec → progenitor → committed code.

use crate::{normalise, open_types, operations, spec};
use anyhow::{Context, Result, anyhow, bail};
use progenitor::{GenerationSettings, Generator, InterfaceStyle, TagStyle, TypeImpl};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

/// The vendored upstream spec, relative to the workspace root.
pub const SPEC: &str = "openapi/cdx-v1.yaml";
/// The normalised spec that the client is generated from (committed, for review and for tests).
pub const NORMALISED: &str = "cdx-client/cdx-v1.normalised.json";
/// The progenitor output.
pub const GENERATED: &str = "cdx-client/src/generated.rs";

/// One file the generator owns.
pub struct Output {
    /// Path relative to the workspace root.
    pub path: &'static str,
    /// The full content.
    pub content: String,
}

/// What the pipeline produced.
pub struct Generated {
    /// The normalisation steps that changed the spec, in the order they ran.
    pub steps: Vec<&'static str>,
    /// The files, in a fixed order: the normalised spec, the client, the operation table.
    pub outputs: Vec<Output>,
}

/// Runs the whole pipeline in memory: nothing is written.
pub fn generate(spec_path: &Path) -> Result<Generated> {
    generate_doc(spec::load(spec_path)?)
}

/// Runs the whole pipeline on a parsed spec.
pub fn generate_doc(mut doc: serde_json::Value) -> Result<Generated> {
    let steps = normalise::apply_all(&mut doc)?;
    let normalised = serde_json::to_string_pretty(&doc)? + "\n";
    normalise::apply_generator_steps(&mut doc)?;
    let api: openapiv3::OpenAPI = serde_json::from_value(doc.clone())
        .context("the normalised spec is not an OpenAPI 3.0 document openapiv3 accepts")?;
    let open = open_types::collect(&doc)?;
    let tokens = run_progenitor(&api, &open)?;
    let file = format_rust(tokens, open_types::render(&open)?)?;
    let table = operations::render(&operations::rows(&doc)?)?;
    Ok(Generated {
        steps,
        outputs: vec![
            Output {
                path: NORMALISED,
                content: normalised,
            },
            Output {
                path: GENERATED,
                content: file,
            },
            Output {
                path: operations::OPERATIONS,
                content: table,
            },
        ],
    })
}

fn settings(open: &open_types::OpenTypes) -> GenerationSettings {
    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Positional)
        .with_tag(TagStyle::Merged)
        .with_derive("schemars::JsonSchema")
        .with_derive("PartialEq")
        .with_map_type("::std::collections::BTreeMap")
        .with_hooks(progenitor::HooksMode::Expected)
        // The hooks record each response in the client's `Exchange` (`cdx-client/src/hooks.rs`).
        .with_inner_type(quote::quote!(crate::hooks::Exchange));
    for (schema_name, path, string_like) in open.replacements() {
        let impls = if string_like {
            vec![TypeImpl::Display, TypeImpl::FromStr]
        } else {
            vec![]
        };
        settings.with_replacement(schema_name, path, impls.into_iter());
    }
    settings
}

/// progenitor reports many spec problems by panicking (`assert!`, `todo!`); turn those into
/// errors that name the operation or schema being generated.
fn run_progenitor(
    api: &openapiv3::OpenAPI,
    open: &open_types::OpenTypes,
) -> Result<proc_macro2::TokenStream> {
    let settings = settings(open);
    // The default hook would print every panic (and a backtrace), including the probing ones
    // of `find_culprit`; the error below says all there is to say.
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = catch_unwind(AssertUnwindSafe(|| {
        Generator::new(&settings).generate_tokens(api)
    }));
    let outcome = match result {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(e)) => Err(anyhow!("progenitor rejected the normalised spec: {e}")),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "unknown panic".into());
            let culprit = find_culprit(api, &settings);
            Err(anyhow!(
                "progenitor panicked while generating {culprit}: {message}"
            ))
        }
    };
    std::panic::set_hook(previous_hook);
    outcome
}

fn panics(api: &openapiv3::OpenAPI, settings: &GenerationSettings) -> bool {
    catch_unwind(AssertUnwindSafe(|| {
        Generator::new(settings).generate_tokens(api)
    }))
    .is_err()
}

/// Regenerates one component schema, then one operation, at a time to name the one that makes
/// progenitor panic.
fn find_culprit(api: &openapiv3::OpenAPI, settings: &GenerationSettings) -> String {
    if let Some(components) = &api.components {
        for name in components.schemas.keys() {
            let mut single = api.clone();
            single.paths.paths.clear();
            let kept = spec::schema_closure(components, name);
            if let Some(c) = single.components.as_mut() {
                c.schemas.retain(|n, _| kept.contains(n));
            }
            if panics(&single, settings) {
                return format!("component schema `{name}`");
            }
        }
    }
    for (path, item) in api.paths.paths.iter() {
        let openapiv3::ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, op) in item.iter() {
            let mut single = api.clone();
            let mut only = item.clone();
            for m in spec::METHODS {
                if m != method {
                    set_operation(&mut only, m, None);
                }
            }
            single.paths.paths.clear();
            single
                .paths
                .paths
                .insert(path.clone(), openapiv3::ReferenceOr::Item(only));
            if panics(&single, settings) {
                let id = op.operation_id.as_deref().unwrap_or("<no operationId>");
                return format!("operation `{id}` ({} {path})", method.to_uppercase());
            }
        }
    }
    "the component schemas (every operation generates on its own)".into()
}

fn set_operation(item: &mut openapiv3::PathItem, method: &str, op: Option<openapiv3::Operation>) {
    let slot = match method {
        "get" => &mut item.get,
        "put" => &mut item.put,
        "post" => &mut item.post,
        "delete" => &mut item.delete,
        "options" => &mut item.options,
        "head" => &mut item.head,
        "patch" => &mut item.patch,
        _ => &mut item.trace,
    };
    *slot = op;
}

const HEADER: &str = "// @generated by `cargo xtask codegen` from openapi/cdx-v1.yaml; do not edit.\n\
// Change the spec or the normalisation steps in xtask/, then run `cargo xtask codegen`.\n\n";

/// Formats with prettyplease (pinned by Cargo.lock), so output never depends on the installed
/// rustfmt.
/// The open types go into progenitor's `types` module, beside the types that use them.
fn format_rust(tokens: proc_macro2::TokenStream, open_items: Vec<syn::Item>) -> Result<String> {
    let mut file: syn::File =
        syn::parse2(tokens).context("progenitor produced tokens that do not parse")?;
    drop_api_version_header(&mut file)?;
    let types = file
        .items
        .iter_mut()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "types" => m.content.as_mut(),
            _ => None,
        })
        .context("progenitor output has no `types` module")?;
    types.1.extend(open_items);
    let body = prettyplease::unparse(&file);
    Ok(format!(
        "{HEADER}{}",
        progenitor_impl::space_out_items(body)?
    ))
}

/// progenitor adds `api-version: <the spec's version>` to every request, which the cdx/v1 API
/// does not define: the statement is dropped from each method here, once, rather than the header
/// built and removed again on every request, and the header map sized for what is left.
fn drop_api_version_header(file: &mut syn::File) -> Result<()> {
    use quote::ToTokens as _;
    let mentions = |stmt: &syn::Stmt, text: &str| stmt.to_token_stream().to_string().contains(text);
    let mut methods = 0;
    for item in &mut file.items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        for member in &mut block.items {
            let syn::ImplItem::Fn(method) = member else {
                continue;
            };
            let stmts = &mut method.block.stmts;
            let before = stmts.len();
            stmts.retain(|stmt| !mentions(stmt, "\"api-version\""));
            if stmts.len() == before {
                continue;
            }
            methods += 1;
            let appended = stmts
                .iter()
                .filter(|stmt| mentions(stmt, "header_map . append"))
                .count();
            for stmt in stmts.iter_mut() {
                if matches!(stmt, syn::Stmt::Local(_))
                    && mentions(stmt, "HeaderMap :: with_capacity")
                {
                    *stmt = if appended == 0 {
                        syn::parse_quote! {
                            let header_map = ::reqwest::header::HeaderMap::new();
                        }
                    } else {
                        syn::parse_quote! {
                            let mut header_map =
                                ::reqwest::header::HeaderMap::with_capacity(#appended);
                        }
                    };
                }
            }
        }
    }
    // A progenitor that builds the header differently must be noticed, not silently kept.
    if methods == 0 {
        bail!(
            "progenitor's output has no `api-version` header to drop: check drop_api_version_header"
        );
    }
    Ok(())
}

/// Writes the outputs, or with `check` compares them and fails with a diff.
pub fn run(root: &Path, check: bool) -> Result<()> {
    let Generated { steps, outputs } = generate(&root.join(SPEC))?;
    eprintln!("normalised with: {}", steps.join(", "));
    let mut stale = Vec::new();
    for out in &outputs {
        let path: PathBuf = root.join(out.path);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current == out.content {
            continue;
        }
        if check {
            stale.push(out.path);
            let diff = similar::TextDiff::from_lines(&current, &out.content);
            eprintln!(
                "{}",
                diff.unified_diff()
                    .context_radius(2)
                    .header(out.path, "regenerated")
            );
        } else {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("creating {}", dir.display()))?;
            }
            std::fs::write(&path, &out.content)
                .with_context(|| format!("writing {}", path.display()))?;
            println!("wrote {}", out.path);
        }
    }
    if !stale.is_empty() {
        bail!(
            "the committed generated code is stale: {}. Run `cargo xtask codegen` and commit the result.",
            stale.join(", ")
        );
    }
    if check {
        println!("generated code is up to date");
    }
    Ok(())
}
