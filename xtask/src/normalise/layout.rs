//! Steps that take out what only the *layout* of a published document decides: shared
//! components referenced from operations, generator placeholders, documentation overlays and
//! alias schemas. Confluent publishes cdx/v1 in several layouts (the whole Confluent Cloud
//! document, the Go SDK's openapi-generator copy, fully dereferenced API pages); after these
//! steps they all say the same thing the same way, so the generated names and signatures do not
//! depend on which one was vendored.

use super::{components, components_mut};
use crate::spec::{Role, for_each_operation_mut, for_each_schema_mut, ref_name, walk_schema};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The component sections whose entries operations may `$ref` instead of writing them out.
const SHARED_SECTIONS: [&str; 4] = ["responses", "parameters", "headers", "requestBodies"];

/// Layout: the whole Confluent Cloud document (and the Go SDK copy's `components.responses`)
/// declares the error answers once (`BadRequestError`, `NotFoundError`, `RateLimitError`, ...)
/// and operations point at them with `$ref: '#/components/responses/...'`; parameters, headers
/// and request bodies may be shared the same way. The other steps, and progenitor's response
/// typing, read those objects in place: a referenced 429 would look bodiless and a referenced
/// 404 would lose its `Failure` type. Each such `$ref` is replaced by a copy of its target
/// (transitively), and the shared sections are dropped.
pub fn inline_shared_components(doc: &mut Value) {
    let shared: BTreeMap<String, Value> = SHARED_SECTIONS
        .iter()
        .flat_map(|section| {
            doc.pointer(&format!("/components/{section}"))
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(move |(name, v)| (format!("#/components/{section}/{name}"), v.clone()))
        })
        .collect();
    if shared.is_empty() {
        return;
    }
    let resolve = |v: &mut Value| {
        // Bounded: a reference cycle among shared components is not valid OpenAPI.
        for _ in 0..8 {
            let Some(target) = v.get("$ref").and_then(Value::as_str) else {
                return;
            };
            let Some(found) = shared.get(target) else {
                return;
            };
            *v = found.clone();
        }
    };
    let visit_params = |params: Option<&mut Value>| {
        for p in params.and_then(Value::as_array_mut).into_iter().flatten() {
            resolve(p);
        }
    };
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            visit_params(item.get_mut("parameters"));
        }
    }
    for_each_operation_mut(doc, &mut |_, _, op| {
        visit_params(op.get_mut("parameters"));
        if let Some(body) = op.get_mut("requestBody") {
            resolve(body);
        }
        for r in op
            .get_mut("responses")
            .and_then(Value::as_object_mut)
            .into_iter()
            .flat_map(|r| r.values_mut())
        {
            resolve(r);
            for h in r
                .get_mut("headers")
                .and_then(Value::as_object_mut)
                .into_iter()
                .flat_map(|h| h.values_mut())
            {
                resolve(h);
            }
        }
    });
    if let Some(comps) = doc.get_mut("components").and_then(Value::as_object_mut) {
        for section in SHARED_SECTIONS {
            comps.remove(section);
        }
    }
}

/// openapi-generator's names for schemas it had to hoist (`inline_response_200`,
/// `inline_object_1`): they say where the schema sat in one run of one tool, not what it is.
fn is_placeholder(name: &str) -> bool {
    ["inline_response_", "inline_object"].iter().any(|p| {
        name.strip_prefix(p)
            .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit() || c == '_'))
    })
}

/// Layout: the Go SDK copy answers `POST /shared-tokens:resources` with
/// `$ref: inline_response_200`, a component openapi-generator hoisted out of the response and
/// numbered; the API pages write the same object inline. Generated as is it would be a type
/// `InlineResponse200`, renamed whenever the generator numbers differently. Placeholder
/// components are put back where they are used, so the type takes the stable name progenitor
/// derives from the operation (`ResourcesCdxV1SharedTokenResponse`).
pub fn inline_placeholder_components(doc: &mut Value) {
    let placeholders: BTreeMap<String, Value> = components(doc)
        .into_iter()
        .filter(|(name, _)| is_placeholder(name))
        .collect();
    if placeholders.is_empty() {
        return;
    }
    let mut inline = |s: &mut Map<String, Value>, _: Role| {
        if let Some(schema) = ref_name(s).and_then(|n| placeholders.get(n)) {
            let Value::Object(copy) = schema.clone() else {
                return;
            };
            *s = copy;
        }
    };
    for_each_schema_mut(doc, &mut inline);
    let comps = components_mut(doc);
    comps.retain(|name, _| !is_placeholder(name));
}

/// Whether `schema` restates part of another one without adding to it: only documentation
/// (`description`, `example`, `title`, `x-*`), `type`, `required` and, recursively, the same
/// for `properties`, `items` and the members of an `allOf` (which may be plain `$ref`s).
fn adds_nothing(schema: &Value) -> bool {
    let Some(s) = schema.as_object() else {
        return false;
    };
    s.iter().all(|(k, v)| match k.as_str() {
        "description" | "example" | "title" | "type" | "required" | "readOnly" => true,
        "properties" => v.as_object().is_some_and(|p| p.values().all(adds_nothing)),
        "items" => adds_nothing(v),
        "allOf" => v.as_array().is_some_and(|l| {
            l.iter().all(|m| {
                m.as_object()
                    .is_some_and(|o| o.len() == 1 && ref_name(o).is_some())
                    || adds_nothing(m)
            })
        }),
        k => k.starts_with("x-"),
    })
}

/// The property names of the component `name`, with those of its own `allOf` members.
fn declared_properties(comps: &Map<String, Value>, name: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    if let Some(mut schema) = comps.get(name).cloned() {
        walk_schema(&mut schema, Role::Component, &mut |s, _| {
            if let Some(p) = s.get("properties").and_then(Value::as_object) {
                out.extend(p.keys().cloned());
            }
        });
    }
    out
}

/// Layout: the Go SDK copy writes responses as `allOf: [{$ref: X}, {required: [...]},
/// {properties: {f: {example: ...}}}]` — a required-overlay plus an overlay that only gives
/// examples (list responses nest the same inside `metadata` and `data.items`). typify merges
/// every such `allOf` into a new struct (`GetCdxV1ProviderShareResponse`, with its own
/// `ApiVersion` and `Kind` enums) in place of `X`. An `allOf` member after a `$ref` that adds
/// nothing and names only properties `X` declares is dropped; its top-level `required` list
/// stays behind as a required-overlay for [`super::collapse_required_overlays`].
pub fn drop_example_overlays(doc: &mut Value) {
    let comps = components(doc);
    for_each_schema_mut(doc, &mut |s, _| {
        let Some(list) = s.get_mut("allOf").and_then(Value::as_array_mut) else {
            return;
        };
        let Some(base) = list
            .first()
            .and_then(Value::as_object)
            .and_then(ref_name)
            .map(str::to_string)
        else {
            return;
        };
        let declared = declared_properties(&comps, &base);
        let mut required: Vec<Value> = Vec::new();
        let before = list.len();
        let mut kept = vec![list[0].clone()];
        for member in list.iter().skip(1) {
            let names_known = member
                .get("properties")
                .and_then(Value::as_object)
                .is_none_or(|p| p.keys().all(|k| declared.contains(k)));
            let is_overlay = member.get("required").is_none() || member.get("properties").is_some();
            if is_overlay && names_known && adds_nothing(member) {
                if let Some(r) = member.get("required").and_then(Value::as_array) {
                    required.extend(r.iter().cloned());
                }
            } else {
                kept.push(member.clone());
            }
        }
        if kept.len() + usize::from(!required.is_empty()) == before {
            return;
        }
        if !required.is_empty() {
            kept.push(serde_json::json!({"type": "object", "required": required}));
        }
        *list = kept;
    });
}

/// Whether a component is a bare alias of a primitive type (`SearchFilter: {type: string}`).
fn is_primitive_alias(schema: &Value) -> bool {
    let Some(s) = schema.as_object() else {
        return false;
    };
    matches!(
        s.get("type").and_then(Value::as_str),
        Some("string" | "boolean" | "integer" | "number")
    ) && s.keys().all(|k| {
        matches!(
            k.as_str(),
            "type" | "format" | "description" | "title" | "example" | "nullable"
        )
    })
}

/// Layout: the Go SDK copy and the whole Confluent Cloud document type the list filters
/// (`crn`, `shared_resource`, `stream_share`, `include_deleted`) as `$ref: SearchFilter` (a
/// string) or `$ref: BooleanFilter` (a boolean); the API pages write `type: string` and
/// `type: boolean`. typify would make each alias a newtype, and the list methods would take
/// `Option<&SearchFilter>` instead of `Option<&str>`. A parameter schema that refers to a
/// primitive alias gets the alias's type in place, and aliases nothing else uses are dropped.
pub fn inline_primitive_aliases(doc: &mut Value) {
    let aliases: BTreeMap<String, Value> = components(doc)
        .into_iter()
        .filter(|(_, s)| is_primitive_alias(s))
        .collect();
    if aliases.is_empty() {
        return;
    }
    let mut replaced = BTreeSet::new();
    for_each_operation_mut(doc, &mut |_, _, op| {
        for p in op
            .get_mut("parameters")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            let Some(schema) = p.get_mut("schema").and_then(Value::as_object_mut) else {
                continue;
            };
            let Some(name) = ref_name(schema).map(str::to_string) else {
                continue;
            };
            let Some(alias) = aliases.get(&name).and_then(Value::as_object) else {
                continue;
            };
            // The parameter documents itself; the alias's type and format are what count.
            *schema = alias
                .iter()
                .filter(|(k, _)| matches!(k.as_str(), "type" | "format" | "nullable"))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            replaced.insert(name);
        }
    });
    let mut still_used = BTreeSet::new();
    for_each_schema_mut(doc, &mut |s, _| {
        if let Some(n) = ref_name(s) {
            still_used.insert(n.to_string());
        }
    });
    components_mut(doc).retain(|name, _| !replaced.contains(name) || still_used.contains(name));
}

/// Layout: the API pages and the whole document list a response's headers with the defaults
/// written out or left out at will (`style: simple`, `explode: false`), and parameters likewise
/// (`style: form` + `explode: true` on queries). They change nothing on the wire; they are
/// dropped where they are the defaults, so the normalised spec reads the same from any layout.
pub fn drop_default_serialisation_styles(doc: &mut Value) {
    let strip = |v: &mut Value, style: &str, explode: bool| {
        if let Some(o) = v.as_object_mut() {
            if o.get("style").and_then(Value::as_str) == Some(style) {
                o.remove("style");
            }
            if o.get("explode").and_then(Value::as_bool) == Some(explode)
                && !o.contains_key("style")
            {
                o.remove("explode");
            }
        }
    };
    for_each_operation_mut(doc, &mut |_, _, op| {
        for p in op
            .get_mut("parameters")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            match p.get("in").and_then(Value::as_str) {
                Some("query" | "cookie") => strip(p, "form", true),
                Some("path" | "header") => strip(p, "simple", false),
                _ => {}
            }
        }
        for r in op
            .get_mut("responses")
            .and_then(Value::as_object_mut)
            .into_iter()
            .flat_map(|r| r.values_mut())
        {
            for h in r
                .get_mut("headers")
                .and_then(Value::as_object_mut)
                .into_iter()
                .flat_map(|h| h.values_mut())
            {
                strip(h, "simple", false);
            }
        }
    });
}

/// Layout: the Go SDK copy lists its schemas in the order openapi-generator met them, the whole
/// document by API group, the canonical import alphabetically. The open enums and unions are
/// generated in the order of the components, so another order would reshuffle the generated
/// file. Every component section is sorted by name.
pub fn sort_components(doc: &mut Value) {
    let Some(comps) = doc.get_mut("components").and_then(Value::as_object_mut) else {
        return;
    };
    for section in comps.values_mut() {
        if let Some(entries) = section.as_object_mut() {
            let mut sorted: Vec<(String, Value)> = std::mem::take(entries).into_iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(&b.0));
            entries.extend(sorted);
        }
    }
}

#[cfg(test)]
mod tests;
