//! Loading the vendored spec and walking its schemas.
//!
//! The spec is handled as a `serde_json::Value` (with preserved key order) rather than as
//! `openapiv3::OpenAPI`, because the upstream document is not valid for `openapiv3` until the
//! normalisation steps have run (inline discriminator mappings fail to deserialize).

use anyhow::{Context, Result};
use serde_json::{Map, Value};
use std::path::Path;

/// Reads a YAML (or JSON) OpenAPI document into a JSON value.
pub fn load(path: &Path) -> Result<Value> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    parse(&text).with_context(|| format!("parsing {}", path.display()))
}

/// Parses YAML (a superset of JSON) into a JSON value.
pub fn parse(text: &str) -> Result<Value> {
    Ok(serde_norway::from_str(text)?)
}

/// Where a schema sits: it decides which normalisations apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Under `components.schemas` (may be used by requests and responses alike).
    Component,
    /// Inline in a request body or parameter.
    Request,
    /// Inline in a response body or header.
    Response,
}

/// Calls `f` on every schema object of the document, parents before children, with its role.
///
/// Schema positions are those OpenAPI 3.0 defines (properties, items, additionalProperties,
/// allOf/oneOf/anyOf/not) plus the values of `discriminator.mapping`, which upstream fills with
/// inline schemas.
pub fn for_each_schema_mut(doc: &mut Value, f: &mut dyn FnMut(&mut Map<String, Value>, Role)) {
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for schema in schemas.values_mut() {
            walk_schema(schema, Role::Component, f);
        }
    }
    for_each_operation_mut(doc, &mut |_, _, op| {
        if let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) {
            for p in params {
                if let Some(s) = p.get_mut("schema") {
                    walk_schema(s, Role::Request, f);
                }
            }
        }
        if let Some(content) = op
            .pointer_mut("/requestBody/content")
            .and_then(Value::as_object_mut)
        {
            for media in content.values_mut() {
                if let Some(s) = media.get_mut("schema") {
                    walk_schema(s, Role::Request, f);
                }
            }
        }
        if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
            for response in responses.values_mut() {
                for key in ["content", "headers"] {
                    if let Some(items) = response.get_mut(key).and_then(Value::as_object_mut) {
                        for item in items.values_mut() {
                            if let Some(s) = item.get_mut("schema") {
                                walk_schema(s, Role::Response, f);
                            }
                        }
                    }
                }
            }
        }
    });
}

/// Calls `f` on every schema below (and including) `schema`, parents first.
pub fn walk_schema(
    schema: &mut Value,
    role: Role,
    f: &mut dyn FnMut(&mut Map<String, Value>, Role),
) {
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    f(obj, role);
    for key in ["items", "additionalProperties", "not"] {
        if let Some(child) = obj.get_mut(key) {
            walk_schema(child, role, f);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(list) = obj.get_mut(key).and_then(Value::as_array_mut) {
            for child in list {
                walk_schema(child, role, f);
            }
        }
    }
    if let Some(props) = obj.get_mut("properties").and_then(Value::as_object_mut) {
        for child in props.values_mut() {
            walk_schema(child, role, f);
        }
    }
    if let Some(mapping) = obj
        .get_mut("discriminator")
        .and_then(|d| d.get_mut("mapping"))
        .and_then(Value::as_object_mut)
    {
        for child in mapping.values_mut() {
            walk_schema(child, role, f);
        }
    }
}

/// The HTTP methods an OpenAPI 3.0 path item may hold.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Calls `f(path, method, operation)` for every operation, in document order.
pub fn for_each_operation_mut(doc: &mut Value, f: &mut dyn FnMut(&str, &str, &mut Value)) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, op) in item.iter_mut() {
            if METHODS.contains(&method.as_str()) {
                f(path, method, op);
            }
        }
    }
}

/// The members of `value[key]`: an array's items or an object's values (none when absent or
/// of another type). Parameters are a list, responses and headers a map; steps walk both alike.
pub fn children_mut<'a>(value: &'a mut Value, key: &str) -> impl Iterator<Item = &'a mut Value> {
    let (list, map) = match value.get_mut(key) {
        Some(Value::Array(list)) => (Some(list), None),
        Some(Value::Object(map)) => (None, Some(map)),
        _ => (None, None),
    };
    list.into_iter()
        .flatten()
        .chain(map.into_iter().flat_map(|m| m.values_mut()))
}

/// The component name a local `$ref` points to (`#/components/schemas/NAME`).
pub fn ref_name(schema: &Map<String, Value>) -> Option<&str> {
    schema
        .get("$ref")?
        .as_str()?
        .strip_prefix("#/components/schemas/")
}

/// `name` and every component schema it refers to, transitively.
pub fn schema_closure(
    components: &openapiv3::Components,
    name: &str,
) -> std::collections::BTreeSet<String> {
    let mut seen = std::collections::BTreeSet::new();
    let mut todo = vec![name.to_string()];
    while let Some(next) = todo.pop() {
        if !seen.insert(next.clone()) {
            continue;
        }
        let Some(schema) = components.schemas.get(&next) else {
            continue;
        };
        let mut value = serde_json::to_value(schema).unwrap_or_default();
        walk_schema(&mut value, Role::Component, &mut |s, _| {
            if let Some(r) = ref_name(s) {
                todo.push(r.to_string());
            }
        });
    }
    seen
}
