//! The operation table: one `Operation` variant per operation of the spec, with its client
//! method name, `operationId`, HTTP method, path, summary, idempotency and whether its body
//! carries a share token. Generated into cdx-client beside the client it describes (cdx-ext
//! re-exports it and adds its hand-written wording), so a new upstream operation appears with no
//! hand edit, and code that names an operation cannot misspell it.

use crate::spec::METHODS;
use anyhow::{Context, Result, bail};
use heck::{ToSnakeCase, ToUpperCamelCase};
use quote::{format_ident, quote};
use serde_json::Value;

/// Where the table is written, relative to the workspace root.
pub const OPERATIONS: &str = "cdx-client/src/operation.rs";

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The enum variant: the `operationId` in upper camel case, without the API group
    /// (`redeemCdxV1SharedToken` → `RedeemSharedToken`).
    pub variant: String,
    /// The spec's `operationId`.
    pub operation_id: String,
    /// The generated client's method (and `OperationInfo::operation_id`): its snake case.
    pub id: String,
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path template.
    pub path: String,
    /// The spec's summary (or the `operationId` when there is none).
    pub summary: String,
    /// Whether the JSON request body has a top-level `token` property (a share token).
    pub sends_token: bool,
}

/// The rows, in the order of the (sorted) paths and, within a path, of the methods.
pub fn rows(normalised: &Value) -> Result<Vec<Row>> {
    let mut out: Vec<Row> = Vec::new();
    let paths = normalised
        .get("paths")
        .and_then(Value::as_object)
        .context("the spec has no paths")?;
    for (path, item) in paths {
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let operation_id = op
                .get("operationId")
                .and_then(Value::as_str)
                .with_context(|| format!("{} {path} has no operationId", method.to_uppercase()))?;
            let variant = operation_id.to_upper_camel_case().replacen("CdxV1", "", 1);
            if let Some(clash) = out.iter().find(|r| r.variant == variant) {
                bail!(
                    "operations `{}` and `{operation_id}` would both be Operation::{variant}",
                    clash.operation_id
                );
            }
            out.push(Row {
                variant,
                operation_id: operation_id.to_string(),
                id: operation_id.to_snake_case(),
                method: method.to_uppercase(),
                path: path.clone(),
                summary: op
                    .get("summary")
                    .and_then(Value::as_str)
                    .unwrap_or(operation_id)
                    .trim()
                    .to_string(),
                sends_token: body_has_token(normalised, op),
            });
        }
    }
    Ok(out)
}

/// Whether the operation's JSON request body (its schema, through one `$ref`) has a
/// top-level `token` property.
fn body_has_token(doc: &Value, op: &Value) -> bool {
    let Some(schema) = op.pointer("/requestBody/content/application~1json/schema") else {
        return false;
    };
    let schema = match schema.get("$ref").and_then(Value::as_str) {
        Some(target) => target
            .strip_prefix('#')
            .and_then(|pointer| doc.pointer(pointer))
            .unwrap_or(&Value::Null),
        None => schema,
    };
    schema.pointer("/properties/token").is_some()
}

/// A verb phrase for messages from a summary: "Redeem a Shared Token" → "redeem a shared token"
/// (words after the first keep their case only when they are all capitals, like "API").
fn phrase(summary: &str) -> String {
    summary
        .trim_end_matches('.')
        .split(' ')
        .map(|w| {
            if w.len() > 1 && w.chars().all(|c| c.is_uppercase() || !c.is_alphabetic()) {
                w.to_string()
            } else {
                w.to_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The Rust source of the table.
pub fn render(rows: &[Row]) -> Result<String> {
    let variants: Vec<_> = rows
        .iter()
        .map(|r| format_ident!("{}", r.variant))
        .collect();
    let docs = rows.iter().map(|r| {
        format!(
            "`{} {}` (`{}`): {}.",
            r.method,
            r.path,
            r.operation_id,
            r.summary.trim_end_matches('.')
        )
    });
    let ids = rows.iter().map(|r| &r.id);
    let operation_ids = rows.iter().map(|r| &r.operation_id);
    let methods = rows.iter().map(|r| &r.method);
    let paths = rows.iter().map(|r| &r.path);
    let phrases = rows.iter().map(|r| phrase(&r.summary));
    let idempotent = rows.iter().map(|r| {
        matches!(
            r.method.as_str(),
            "GET" | "HEAD" | "OPTIONS" | "PUT" | "DELETE"
        )
    });
    let sends_token = rows.iter().map(|r| r.sends_token);
    let v = &variants;
    let tokens = quote! {
        /// One operation of the cdx/v1 API, generated from the spec.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Operation {
            #( #[doc = #docs] #variants, )*
        }

        impl Operation {
            /// Every operation, in the order of the spec's sorted paths.
            pub const ALL: &'static [Operation] = &[#(Operation::#v,)*];

            /// The generated client's method name, which is also the `operation_id` its hooks
            /// see: the snake case of the spec's `operationId`.
            pub fn id(self) -> &'static str {
                match self { #(Self::#v => #ids,)* }
            }

            /// The spec's `operationId`.
            pub fn operation_id(self) -> &'static str {
                match self { #(Self::#v => #operation_ids,)* }
            }

            /// The HTTP method.
            pub fn method(self) -> &'static str {
                match self { #(Self::#v => #methods,)* }
            }

            /// The path template, as in the spec.
            pub fn path(self) -> &'static str {
                match self { #(Self::#v => #paths,)* }
            }

            /// The spec's summary as a lower-case verb phrase ("redeem a shared token").
            pub fn summary_phrase(self) -> &'static str {
                match self { #(Self::#v => #phrases,)* }
            }

            /// Whether HTTP defines the method as idempotent (GET, HEAD, OPTIONS, PUT, DELETE):
            /// sending it twice has the effect of sending it once.
            pub fn is_idempotent(self) -> bool {
                match self { #(Self::#v => #idempotent,)* }
            }

            /// Whether the request body carries a share token (the spec's body has a `token`).
            pub fn uses_share_token(self) -> bool {
                match self { #(Self::#v => #sends_token,)* }
            }

            /// The operation whose client method name or `operationId` is `id`.
            pub fn from_id(id: &str) -> Option<Operation> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|op| op.id() == id || op.operation_id() == id)
            }
        }

        impl ::std::fmt::Display for Operation {
            /// The client method name ([`Operation::id`]).
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.id())
            }
        }
    };
    let file: syn::File = syn::parse2(tokens).context("the operation table does not parse")?;
    Ok(format!(
        "// @generated by `cargo xtask codegen` from openapi/cdx-v1.yaml; do not edit.\n\n{}",
        prettyplease::unparse(&file)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rows_name_variants_from_operation_ids_and_refuse_clashes() {
        let spec = json!({"paths": {
            "/cdx/v1/things/{id}": {
                "get": {"operationId": "getCdxV1Thing", "summary": "Read a Thing"},
                "post": {"operationId": "upload_imageCdxV1Thing", "requestBody": {"content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Tok"}}
                }}}
            }
        }, "components": {"schemas": {"Tok": {"properties": {"token": {"type": "string"}}}}}});
        let rows = rows(&spec).unwrap();
        assert_eq!(rows[0].variant, "GetThing");
        assert_eq!(rows[0].id, "get_cdx_v1_thing");
        assert_eq!(rows[1].variant, "UploadImageThing");
        assert!(
            !rows[0].sends_token && rows[1].sends_token,
            "the body's `token`, through $ref"
        );
        assert_eq!(
            rows[1].summary, "upload_imageCdxV1Thing",
            "no summary: the id"
        );
        let text = render(&rows).unwrap();
        assert!(
            text.contains("Self::GetThing => \"read a thing\""),
            "{text}"
        );
        assert!(text.contains("Self::UploadImageThing => false"), "{text}");
        let clash = json!({"paths": {"/x": {
            "get": {"operationId": "getCdxV1Box"}, "put": {"operationId": "getBox"}
        }}});
        let err = super::rows(&clash).unwrap_err().to_string();
        assert!(err.contains("Operation::GetBox"), "{err}");
    }

    #[test]
    fn phrases_keep_acronyms() {
        assert_eq!(phrase("Redeem a Shared Token."), "redeem a shared token");
        assert_eq!(phrase("Read the API Opt-In"), "read the API opt-in");
    }
}
