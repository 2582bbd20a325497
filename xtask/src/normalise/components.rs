//! Reading and writing `components.schemas`, and which components only requests use: what
//! the steps share.

use crate::spec::{Role, for_each_operation_mut, for_each_schema_mut, ref_name, walk_schema};
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

/// A copy of `components.schemas` (empty when there is none).
pub fn components(doc: &Value) -> Map<String, Value> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

/// `components.schemas`, created when missing.
pub fn components_mut(doc: &mut Value) -> &mut Map<String, Value> {
    let root = doc
        .as_object_mut()
        .expect("an OpenAPI document is an object");
    let comps = root.entry("components").or_insert_with(|| json!({}));
    let schemas = comps
        .as_object_mut()
        .expect("components is an object")
        .entry("schemas")
        .or_insert_with(|| json!({}));
    schemas
        .as_object_mut()
        .expect("components.schemas is an object")
}

/// A `$ref` to the component schema `name`.
pub fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// Components referenced (transitively) from request bodies and never from responses.
pub fn request_only_components(doc: &Value) -> BTreeSet<String> {
    let comps = components(doc);
    let mut from_requests = BTreeSet::new();
    let mut from_responses = BTreeSet::new();
    let mut doc = doc.clone();
    for_each_schema_mut(&mut doc, &mut |s, role| {
        if let Some(name) = ref_name(s) {
            match role {
                Role::Request => from_requests.insert(name.to_string()),
                Role::Response => from_responses.insert(name.to_string()),
                Role::Component => false,
            };
        }
    });
    let close = |roots: BTreeSet<String>| {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<String> = roots.into_iter().collect();
        while let Some(name) = todo.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            if let Some(schema) = comps.get(&name) {
                let mut schema = schema.clone();
                walk_schema(&mut schema, Role::Component, &mut |s, _| {
                    if let Some(n) = ref_name(s) {
                        todo.push(n.to_string());
                    }
                });
            }
        }
        seen
    };
    let req = close(from_requests);
    let resp = close(from_responses);
    req.difference(&resp).cloned().collect()
}

/// What a post-condition asks of each schema: what it finds there that should not be.
pub type Finder<'a> = dyn FnMut(&Map<String, Value>, Role) -> Option<String> + 'a;

/// Runs `f` on every schema of `doc`, as [`for_each_schema_mut`] visits them, and collects what
/// it finds. Post-conditions only read: the walk takes a copy.
pub fn find_in_schemas(doc: &Value, f: &mut Finder) -> Vec<String> {
    let mut found = Vec::new();
    for_each_schema_mut(&mut doc.clone(), &mut |s, role| found.extend(f(s, role)));
    found
}

/// Like [`find_in_schemas`], but skips the component roots: the schemas that are components,
/// not copies or parts of one.
pub fn find_inline(doc: &Value, f: &mut Finder) -> Vec<String> {
    let mut found = find_in_schemas(doc, &mut |s, role| {
        if role == Role::Component {
            None
        } else {
            f(s, role)
        }
    });
    for (_, mut schema) in components(doc) {
        let mut root = true;
        walk_schema(&mut schema, Role::Component, &mut |s, role| {
            // Parents come first: the first schema visited is the root.
            if !std::mem::take(&mut root) {
                found.extend(f(s, role));
            }
        });
    }
    found
}

/// Runs `f` on the schemas only requests carry: request schemas and request-only components.
pub fn find_request_side(doc: &Value, f: &mut Finder) -> Vec<String> {
    find_on_side(doc, f, Role::Request)
}

/// Runs `f` on the schemas a response can carry: response schemas and the components that are
/// not request-only.
pub fn find_response_side(doc: &Value, f: &mut Finder) -> Vec<String> {
    find_on_side(doc, f, Role::Response)
}

fn find_on_side(doc: &Value, f: &mut Finder, side: Role) -> Vec<String> {
    let mut found = Vec::new();
    for_each_on_side_mut(&mut doc.clone(), side, &mut |s, role| {
        found.extend(f(s, role))
    });
    found
}

/// Calls `f` on the schemas of one side: with [`Role::Request`], request schemas and
/// request-only components; with [`Role::Response`], response schemas and every other component.
pub fn for_each_on_side_mut(
    doc: &mut Value,
    side: Role,
    f: &mut dyn FnMut(&mut Map<String, Value>, Role),
) {
    let request_only = request_only_components(doc);
    for (name, schema) in components_mut(doc).iter_mut() {
        if request_only.contains(name) == (side == Role::Request) {
            walk_schema(schema, Role::Component, f);
        }
    }
    for_each_schema_mut(doc, &mut |s, role| {
        if role == side {
            f(s, role);
        }
    });
}

/// Runs `f(label, operation)` on every operation, the label being like `GET /path`, and collects
/// what it finds.
pub fn find_in_operations(
    doc: &Value,
    f: &mut dyn FnMut(&str, &Value) -> Option<String>,
) -> Vec<String> {
    let mut found = Vec::new();
    // Only the paths are copied: the components are most of a normalised document.
    let mut paths = json!({ "paths": doc.get("paths").cloned().unwrap_or_default() });
    for_each_operation_mut(&mut paths, &mut |path, method, op| {
        found.extend(f(&format!("{} {path}", method.to_uppercase()), op));
    });
    found
}

/// Every `$ref` anywhere in `v`.
pub fn all_refs(v: &Value) -> Vec<&str> {
    match v {
        Value::Object(o) => o
            .iter()
            .flat_map(|(k, v)| match (k.as_str(), v) {
                ("$ref", Value::String(r)) => vec![r.as_str()],
                _ => all_refs(v),
            })
            .collect(),
        Value::Array(a) => a.iter().flat_map(all_refs).collect(),
        _ => Vec::new(),
    }
}
