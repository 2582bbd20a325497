//! `cargo xtask spec import FILE`: vendors a spec Confluent publishes as `openapi/cdx-v1.yaml`.
//!
//! FILE may be the whole Confluent Cloud API document (every API group) or a cdx/v1-only one in
//! any published layout. The `/cdx/v1/` paths are kept with exactly the components they reach,
//! transitively, and the result is written in one canonical layout: keys sorted, except the
//! order of an object's `properties` (which decides the order of generated fields). Importing the
//! same file again changes nothing; an upstream change shows as a small diff.

use crate::codegen::SPEC;
use anyhow::{Context, Result, bail};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The path prefix of the API group this workspace binds.
pub const PREFIX: &str = "/cdx/v1/";

const HEADER: &str = "# Confluent Cloud Stream Sharing API (cdx/v1), as Confluent publishes it.\n\
# Written by `cargo xtask spec import FILE` in a canonical layout; do not edit by hand. The\n\
# generator's normalisation steps (xtask/src/normalise*) repair what progenitor cannot take.\n";

/// Reads `file`, extracts cdx/v1 and renders the canonical text. Nothing is written.
pub fn import_text(text: &str) -> Result<String> {
    let doc: Value = crate::spec::parse(text).context(
        "the file is neither YAML nor JSON: give the OpenAPI document downloaded from Confluent",
    )?;
    let extracted = extract(&doc)?;
    render(&extracted)
}

/// Renders a document in the canonical layout.
pub fn render(doc: &Value) -> Result<String> {
    Ok(format!(
        "{HEADER}{}",
        serde_norway::to_string(&canonical(doc))?
    ))
}

/// The cdx/v1 part of an OpenAPI 3.0.x document: its paths and the components they reach.
pub fn extract(doc: &Value) -> Result<Value> {
    let Some(root) = doc.as_object() else {
        bail!("the file is not an OpenAPI document (its top level is not a mapping)");
    };
    match root.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0.") => {}
        Some(v) => bail!(
            "the document is OpenAPI {v}; only OpenAPI 3.0.x is supported (progenitor cannot read other versions)"
        ),
        None if root.contains_key("swagger") => {
            bail!("the document is Swagger 2.0; only OpenAPI 3.0.x is supported")
        }
        None => bail!("the file is not an OpenAPI document (no `openapi: 3.0.x` version field)"),
    }
    let paths: Map<String, Value> = root
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(p, _)| p.starts_with(PREFIX))
        .map(|(p, v)| (p.clone(), v.clone()))
        .collect();
    if paths.is_empty() {
        bail!(
            "the document has no {PREFIX} paths: it is not the cdx/v1 API or the whole Confluent Cloud API"
        );
    }
    let components = root.get("components").cloned().unwrap_or(Value::Null);
    // Every `#/components/...` pointer reached from the paths, and what refers to it.
    let mut reached: BTreeSet<String> = BTreeSet::new();
    let mut todo: Vec<(String, String)> = Vec::new();
    collect_refs(&Value::Object(paths.clone()), "paths", &mut todo);
    while let Some((pointer, from)) = todo.pop() {
        if !reached.insert(pointer.clone()) {
            continue;
        }
        let Some(target) = doc.pointer(&pointer) else {
            bail!("dangling $ref `#{pointer}` (in {from}): the document does not define it");
        };
        collect_refs(target, &pointer, &mut todo);
    }
    let mut schemes: BTreeSet<String> = BTreeSet::new();
    let mut security = |list: Option<&Value>| {
        for req in list.and_then(Value::as_array).into_iter().flatten() {
            schemes.extend(
                req.as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, _)| k.clone()),
            );
        }
    };
    security(root.get("security"));
    for item in paths.values() {
        for op in item.as_object().into_iter().flatten().map(|(_, v)| v) {
            security(op.get("security"));
        }
    }
    for s in &schemes {
        let pointer = format!("/components/securitySchemes/{}", escape(s));
        if doc.pointer(&pointer).is_none() {
            bail!("the security scheme `{s}` is required by a cdx/v1 operation but not defined");
        }
        reached.insert(pointer);
    }
    let mut kept_components = Map::new();
    for (section, entries) in components.as_object().into_iter().flatten() {
        let kept: Map<String, Value> = entries
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(name, _)| {
                reached.contains(&format!("/components/{section}/{}", escape(name)))
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if !kept.is_empty() {
            kept_components.insert(section.clone(), Value::Object(kept));
        }
    }
    let used_tags: BTreeSet<&str> = paths
        .values()
        .filter_map(Value::as_object)
        .flat_map(|item| item.values())
        .filter_map(|op| op.get("tags").and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let mut out = Map::new();
    for (key, value) in root {
        let value = match key.as_str() {
            "paths" => Value::Object(paths.clone()),
            "components" => Value::Object(kept_components.clone()),
            "tags" => Value::Array(
                value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|t| {
                        t.get("name")
                            .and_then(Value::as_str)
                            .is_some_and(|n| used_tags.contains(n))
                    })
                    .cloned()
                    .collect(),
            ),
            // Whole-document navigation (x-tagGroups) lists every group; it is not cdx/v1's.
            "x-tagGroups" => continue,
            _ => value.clone(),
        };
        out.insert(key.clone(), value);
    }
    Ok(Value::Object(out))
}

/// JSON-pointer escaping of one name (`cdx.v1.X` stays, `a/b` becomes `a~1b`).
fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// Pushes every local reference below `value`: `$ref` values and `discriminator.mapping`
/// targets, as JSON pointers.
fn collect_refs(value: &Value, from: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(o) => {
            for (k, v) in o {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => push_ref(r, from, out),
                    ("mapping", Value::Object(m)) => {
                        for target in m.values() {
                            match target {
                                Value::String(r) => push_ref(r, from, out),
                                other => collect_refs(other, from, out),
                            }
                        }
                    }
                    // An example is data: a `$ref` key inside one is not a reference.
                    ("example", _) => {}
                    _ => collect_refs(v, from, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|v| collect_refs(v, from, out)),
        _ => {}
    }
}

fn push_ref(r: &str, from: &str, out: &mut Vec<(String, String)>) {
    if let Some(pointer) = r.strip_prefix('#') {
        out.push((pointer.to_string(), from.to_string()));
    }
}

/// Keys sorted at every level, except the members of `properties` (their order is the order of
/// the generated fields) and of `paths` (sorted by the same rule anyway).
fn canonical(value: &Value) -> Value {
    fn go(value: &Value, keep_order: bool) -> Value {
        match value {
            Value::Object(o) => {
                let mut entries: Vec<(&String, &Value)> = o.iter().collect();
                if !keep_order {
                    entries.sort_by(|a, b| a.0.cmp(b.0));
                }
                Value::Object(
                    entries
                        .into_iter()
                        .map(|(k, v)| (k.clone(), go(v, k == "properties" && !keep_order)))
                        .collect(),
                )
            }
            Value::Array(a) => Value::Array(a.iter().map(|v| go(v, false)).collect()),
            other => other.clone(),
        }
    }
    let Value::Object(root) = go(value, false) else {
        return go(value, false);
    };
    // The top level reads in the order OpenAPI documents are written: what it is, then where
    // and how it is served, then the operations, then the shared parts.
    const TOP: [&str; 8] = [
        "openapi",
        "info",
        "externalDocs",
        "servers",
        "security",
        "tags",
        "paths",
        "components",
    ];
    let mut entries: Vec<(String, Value)> = root.into_iter().collect();
    entries.sort_by_key(|(k, _)| TOP.iter().position(|t| t == k).unwrap_or(TOP.len()));
    Value::Object(entries.into_iter().collect())
}

/// What an import changed, in words, for the person reviewing it.
pub fn changes(before: Option<&Value>, after: &Value) -> Vec<String> {
    let ops = |d: Option<&Value>| -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for (path, item) in d
            .and_then(|d| d.get("paths"))
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            for (method, op) in item.as_object().into_iter().flatten() {
                if crate::spec::METHODS.contains(&method.as_str()) {
                    let id = op.get("operationId").and_then(Value::as_str).unwrap_or("");
                    out.insert(format!("{} {path}", method.to_uppercase()), id.to_string());
                }
            }
        }
        out
    };
    let fields = |d: Option<&Value>| -> BTreeMap<String, BTreeSet<String>> {
        d.and_then(|d| d.pointer("/components/schemas"))
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(name, s)| {
                // A schema's own fields: its properties and those of its `allOf` members.
                let members = s
                    .get("allOf")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten();
                let names = std::iter::once(s)
                    .chain(members)
                    .filter_map(|o| o.get("properties").and_then(Value::as_object))
                    .flat_map(|p| p.keys().cloned())
                    .collect();
                (name.clone(), names)
            })
            .collect()
    };
    let mut out = Vec::new();
    let (old_ops, new_ops) = (ops(before), ops(Some(after)));
    for (k, id) in &new_ops {
        if !old_ops.contains_key(k) {
            out.push(format!("+ operation {k} ({id})"));
        }
    }
    for (k, id) in &old_ops {
        if !new_ops.contains_key(k) {
            out.push(format!("- operation {k} ({id})"));
        }
    }
    let (old_fields, new_fields) = (fields(before), fields(Some(after)));
    for (name, f) in &new_fields {
        match old_fields.get(name) {
            None => out.push(format!("+ schema {name}")),
            Some(old) => {
                out.extend(f.difference(old).map(|x| format!("+ field {name}.{x}")));
                out.extend(old.difference(f).map(|x| format!("- field {name}.{x}")));
            }
        }
    }
    for name in old_fields.keys() {
        if !new_fields.contains_key(name) {
            out.push(format!("- schema {name}"));
        }
    }
    out
}

/// Imports `file` into the workspace at `root`: checks it, checks that the client generates from
/// it, then replaces `openapi/cdx-v1.yaml` atomically. On any error nothing is written.
/// Returns the changes, as [`changes`] words them.
pub fn run(root: &Path, file: &Path) -> Result<Vec<String>> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let rendered = import_text(&text).with_context(|| format!("importing {}", file.display()))?;
    let after = crate::spec::parse(&rendered)?;
    crate::codegen::generate_doc(after.clone()).with_context(|| {
        format!(
            "{} extracts, but the client does not generate from it; {SPEC} is unchanged",
            file.display()
        )
    })?;
    let target = root.join(SPEC);
    let current = std::fs::read_to_string(&target).ok();
    let before = current
        .as_deref()
        .map(crate::spec::parse)
        .transpose()
        .ok()
        .flatten();
    let changed = changes(before.as_ref(), &after);
    if current.as_deref() != Some(rendered.as_str()) {
        let dir = target.parent().context("the spec path has a directory")?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir)
            .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
        std::io::Write::write_all(&mut tmp, rendered.as_bytes())?;
        // A vendored source file, readable like the rest of the checkout.
        #[cfg(unix)]
        std::fs::set_permissions(
            tmp.path(),
            std::os::unix::fs::PermissionsExt::from_mode(0o644),
        )?;
        tmp.persist(&target)
            .with_context(|| format!("replacing {}", target.display()))?;
    }
    Ok(changed)
}
