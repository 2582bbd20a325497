//! Named normalisation steps: each turns one upstream quirk of the cdx/v1 spec into something
//! progenitor and typify handle, without changing what goes over the wire.
//!
//! The vendored spec is never edited by hand; these steps run on a copy in memory, in the order of
//! [`STEPS`], and the result is committed as `cdx-client/cdx-v1.normalised.json`.

use crate::spec::{Role, for_each_operation_mut, for_each_schema_mut, ref_name, walk_schema};
use anyhow::{Result, bail};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};

mod layout;
pub use layout::{
    drop_default_serialisation_styles, drop_example_overlays, inline_placeholder_components,
    inline_primitive_aliases, inline_shared_components, sort_components,
};

/// A normalisation step.
pub struct Step {
    /// The function's name, as it appears in errors.
    pub name: &'static str,
    /// Applies the step to the whole document.
    pub apply: fn(&mut Value),
}

/// Every step, in the order they run.
pub const STEPS: &[Step] = &[
    Step {
        name: "drop_non_extension_operation_keys",
        apply: drop_non_extension_operation_keys,
    },
    Step {
        name: "inline_shared_components",
        apply: inline_shared_components,
    },
    Step {
        name: "ref_inline_copies_of_components",
        apply: ref_inline_copies_of_components,
    },
    Step {
        name: "string_discriminator_mappings",
        apply: string_discriminator_mappings,
    },
    Step {
        name: "inline_placeholder_components",
        apply: inline_placeholder_components,
    },
    Step {
        name: "drop_example_overlays",
        apply: drop_example_overlays,
    },
    Step {
        name: "collapse_required_overlays",
        apply: collapse_required_overlays,
    },
    Step {
        name: "inline_primitive_aliases",
        apply: inline_primitive_aliases,
    },
    Step {
        name: "drop_default_serialisation_styles",
        apply: drop_default_serialisation_styles,
    },
    Step {
        name: "drop_bodiless_error_responses",
        apply: drop_bodiless_error_responses,
    },
    Step {
        name: "drop_read_only_from_requests",
        apply: drop_read_only_from_requests,
    },
    Step {
        name: "require_request_bodies",
        apply: require_request_bodies,
    },
    Step {
        name: "bound_page_size",
        apply: bound_page_size,
    },
    Step {
        name: "open_extensible_enums",
        apply: open_extensible_enums,
    },
    Step {
        name: "redact_share_tokens",
        apply: redact_share_tokens,
    },
    Step {
        name: "redact_secret_fields",
        apply: redact_secret_fields,
    },
    Step {
        name: "tolerate_unknown_union_kinds",
        apply: tolerate_unknown_union_kinds,
    },
    Step {
        name: "optional_response_fields",
        apply: optional_response_fields,
    },
    Step {
        name: "keep_unknown_fields",
        apply: keep_unknown_fields,
    },
    Step {
        name: "relax_response_constraints",
        apply: relax_response_constraints,
    },
    Step {
        name: "image_bodies_as_octet_stream",
        apply: image_bodies_as_octet_stream,
    },
    Step {
        name: "sort_paths",
        apply: sort_paths,
    },
    Step {
        name: "sort_components",
        apply: sort_components,
    },
];

/// Steps that shape only what the generator sees, after the normalised spec is written: they
/// decide what the generated code checks locally, not what the API accepts, so the committed
/// normalised spec (which the simulator and its conformance test follow) keeps describing the
/// API.
pub const GENERATOR_STEPS: &[Step] = &[Step {
    name: "crn_patterns_as_prefixes",
    apply: crn_patterns_as_prefixes,
}];

/// Runs [`GENERATOR_STEPS`] on a normalised spec.
pub fn apply_generator_steps(doc: &mut Value) {
    for step in GENERATOR_STEPS {
        (step.apply)(doc);
    }
}

/// Component name of the string type that never prints its value (see [`redact_secret_fields`]).
pub const SECRET: &str = "Secret";
/// Extension that marks a union as open: its unknown `kind`s are kept (see
/// [`tolerate_unknown_union_kinds`]).
pub const OPEN_UNION: &str = "x-cdx-open-union";

/// Runs every step, then checks that no quirk the generator cannot take is left. Returns the
/// names of the steps that changed the document.
pub fn apply_all(doc: &mut Value) -> Result<Vec<&'static str>> {
    let mut changed = Vec::new();
    // Compared as text: `Value` equality ignores key order, and reordering is a change. One
    // step's result is the next one's starting point, so each state is serialised once.
    let mut before = serde_json::to_string(doc)?;
    for step in STEPS {
        (step.apply)(doc);
        let after = serde_json::to_string(doc)?;
        if after != before {
            changed.push(step.name);
        }
        before = after;
    }
    let mut problems = Vec::new();
    for_each_schema_mut(doc, &mut |s, _| {
        if let Some(m) = s
            .get("discriminator")
            .and_then(|d| d.get("mapping"))
            .and_then(Value::as_object)
            && m.values().any(|v| !v.is_string())
        {
            problems.push("a discriminator mapping still holds an inline schema".to_string());
        }
    });
    if let Some(p) = problems.first() {
        bail!("normalisation left a quirk behind: {p}");
    }
    Ok(changed)
}

fn components(doc: &Value) -> Map<String, Value> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

fn components_mut(doc: &mut Value) -> &mut Map<String, Value> {
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

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// The keys OpenAPI 3.0 allows on an operation object, besides `x-` extensions.
const OPERATION_KEYS: [&str; 12] = [
    "tags",
    "summary",
    "description",
    "externalDocs",
    "operationId",
    "parameters",
    "requestBody",
    "responses",
    "callbacks",
    "deprecated",
    "security",
    "servers",
];

/// Quirk: the published operation pages (seeds 003, 004) carry `jsonRequestBodyExample` on the
/// operation, a documentation key outside OpenAPI 3.0 (only `x-` extensions may be added), which
/// independent validators reject. Unknown non-extension keys are dropped from operations.
pub fn drop_non_extension_operation_keys(doc: &mut Value) {
    for_each_operation_mut(doc, &mut |_, _, op| {
        if let Some(op) = op.as_object_mut() {
            op.retain(|k, _| k.starts_with("x-") || OPERATION_KEYS.contains(&k.as_str()));
        }
    });
}

/// Quirk: the published operation pages (seeds 003 and 004) are fully dereferenced: each carries
/// inline copies of `cdx.v1.ConsumerSharedResource`, `Failure`, `ObjectMeta` and the rest, with the
/// component's name kept only as `title`. Left inline, typify makes a second, closed type per copy.
/// An inline schema whose `title` names a component becomes a `$ref` to that component.
pub fn ref_inline_copies_of_components(doc: &mut Value) {
    let names: BTreeSet<String> = components(doc).keys().cloned().collect();
    let replace = &mut |s: &mut Map<String, Value>, _: Role| replace_titled_children(s, &names);
    // Component roots carry their own name as title: only their children are candidates.
    for_each_schema_mut(doc, &mut |s, role| {
        if role != Role::Component {
            replace_root_if_titled(s, &names);
        }
        replace(s, role);
    });
}

fn replace_root_if_titled(s: &mut Map<String, Value>, names: &BTreeSet<String>) {
    if let Some(title) = s.get("title").and_then(Value::as_str)
        && names.contains(title)
    {
        *s = schema_ref(title).as_object().expect("object").clone();
    }
}

fn replace_titled_children(s: &mut Map<String, Value>, names: &BTreeSet<String>) {
    let mut visit = |child: &mut Value| {
        if let Some(obj) = child.as_object_mut() {
            replace_root_if_titled(obj, names);
        }
    };
    for key in ["items", "additionalProperties", "not"] {
        if let Some(c) = s.get_mut(key) {
            visit(c);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(list) = s.get_mut(key).and_then(Value::as_array_mut) {
            list.iter_mut().for_each(&mut visit);
        }
    }
    for key in ["properties"] {
        if let Some(map) = s.get_mut(key).and_then(Value::as_object_mut) {
            map.values_mut().for_each(&mut visit);
        }
    }
    if let Some(map) = s
        .get_mut("discriminator")
        .and_then(|d| d.get_mut("mapping"))
        .and_then(Value::as_object_mut)
    {
        map.values_mut().for_each(&mut visit);
    }
}

/// Quirk: upstream `discriminator.mapping` values are inline schemas (seed 004), where OpenAPI 3.0
/// requires strings; `openapiv3` refuses the whole document ("invalid type: map, expected a
/// string"). A value that is a `$ref` becomes that reference string; any other inline value is
/// dropped (the `oneOf` lists the variants anyway, and typify tags by the `kind` enums).
pub fn string_discriminator_mappings(doc: &mut Value) {
    for_each_schema_mut(doc, &mut |s, _| {
        let Some(disc) = s.get_mut("discriminator").and_then(Value::as_object_mut) else {
            return;
        };
        let Some(mapping) = disc.get_mut("mapping").and_then(Value::as_object_mut) else {
            return;
        };
        let fixed: Map<String, Value> = std::mem::take(mapping)
            .into_iter()
            .filter_map(|(k, v)| match v {
                Value::String(_) => Some((k, v)),
                Value::Object(o) => o
                    .get("$ref")
                    .filter(|r| r.is_string())
                    .map(|r| (k, r.clone())),
                _ => None,
            })
            .collect();
        if fixed.is_empty() {
            disc.remove("mapping");
        } else {
            *mapping = fixed;
        }
    });
}

/// The `required` list of an overlay `allOf: [{$ref: X}, {type: object, required: [...]}]`, and X.
fn required_overlay(s: &Map<String, Value>) -> Option<(String, Vec<Value>)> {
    let [first, second] = s.get("allOf")?.as_array()?.as_slice() else {
        return None;
    };
    let target = ref_name(first.as_object()?)?.to_string();
    let overlay = second.as_object()?;
    if !overlay.keys().all(|k| k == "type" || k == "required") {
        return None;
    }
    Some((target, overlay.get("required")?.as_array()?.clone()))
}

/// Quirk: upstream marks fields required per operation with `allOf: [{$ref: X}, {required: [...]}]`
/// (GET, list items and create differ). typify merges each into a new struct, so one resource
/// gets several types (`GetCdxV1ConsumerShareResponse` beside `CdxV1ConsumerShare`), and a server
/// that omits one of those fields would make the response undecodable. In responses the overlay
/// is dropped: every response field is optional, as in Confluent's Go SDK. In requests, the
/// overlay's `required` moves into the request-only component, which the body then refers to.
pub fn collapse_required_overlays(doc: &mut Value) {
    let request_only = request_only_components(doc);
    let mut merged: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for_each_schema_mut(doc, &mut |s, role| {
        let Some((target, required)) = required_overlay(s) else {
            return;
        };
        let keep_siblings: Map<String, Value> = s
            .iter()
            .filter(|(k, _)| *k != "allOf")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        match role {
            Role::Request if request_only.contains(&target) => {
                merged.entry(target.clone()).or_default().extend(required)
            }
            Role::Request => return,
            _ => {}
        }
        *s = schema_ref(&target).as_object().expect("object").clone();
        if !keep_siblings.is_empty() {
            // Documentation siblings survive around the $ref, in upstream's one-element allOf.
            let mut wrapped = keep_siblings;
            wrapped.insert("allOf".into(), json!([schema_ref(&target)]));
            *s = wrapped;
        }
    });
    let comps = components_mut(doc);
    for (name, required) in merged {
        let Some(schema) = comps.get_mut(&name).and_then(Value::as_object_mut) else {
            continue;
        };
        let list = schema
            .entry("required")
            .or_insert_with(|| json!([]))
            .as_array_mut()
            .expect("required is a list");
        for r in required {
            if !list.contains(&r) {
                list.push(r);
            }
        }
    }
}

/// Quirk: every `429` is declared with headers (`Retry-After`, `X-RateLimit-*`) and no body, while
/// the other errors carry `Failure`. progenitor needs one error body type per operation and panics
/// (`assertion failed: response_types.len() <= 1`). Dropping the bodiless error responses makes a
/// 429 arrive as `Error::UnexpectedResponse`, which keeps its status and headers for the retry
/// layer; typing it as `Failure` instead would fail on the empty body and lose the status.
pub fn drop_bodiless_error_responses(doc: &mut Value) {
    for_each_operation_mut(doc, &mut |_, _, op| {
        if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
            responses.retain(|status, r| {
                let is_error = status.starts_with('4') || status.starts_with('5');
                !is_error
                    || r.get("content")
                        .is_some_and(|c| c.as_object().is_some_and(|c| !c.is_empty()))
            });
        }
    });
}

/// Quirk: `Error` declares `additionalProperties: false`, which typify turns into
/// `#[serde(deny_unknown_fields)]`: one new field from the server would turn a typed 400 into an
/// undecodable response. And where nothing is declared, typify silently drops unknown fields, so
/// a client that saves or prints what the API answered (a redemption, `-o json`) would lose the
/// fields a newer API adds. Every object with declared properties that a response can carry gets
/// `additionalProperties: {}`, which typify generates as a flattened `extra` map: unknown fields
/// are kept and serialised back. Request-only objects just stop denying them.
///
/// Members of an `allOf` are left alone: they describe parts of one object (upstream's
/// `metadata` overlay only adds examples to `ObjectMeta`), and typify would no longer merge them.
pub fn keep_unknown_fields(doc: &mut Value) {
    const MEMBER: &str = "x-cdx-all-of-member";
    let request_only = request_only_components(doc);
    // Parents are visited before their children: a parent marks its `allOf` members, which then
    // skip themselves (and drop the mark).
    let keep = &mut |s: &mut Map<String, Value>, _: Role| {
        for member in s
            .get_mut("allOf")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            if let Some(m) = member.as_object_mut() {
                m.insert(MEMBER.into(), Value::Bool(true));
            }
        }
        if s.remove(MEMBER).is_none() && s.contains_key("properties") {
            s.insert("additionalProperties".into(), json!({}));
        }
    };
    for (name, schema) in components_mut(doc).iter_mut() {
        if request_only.contains(name) {
            walk_schema(schema, Role::Component, &mut |s, _| {
                if s.get("additionalProperties") == Some(&Value::Bool(false)) {
                    s.remove("additionalProperties");
                }
            });
        } else {
            walk_schema(schema, Role::Component, keep);
        }
    }
    for_each_schema_mut(doc, &mut |s, role| match role {
        Role::Response => keep(s, role),
        Role::Request | Role::Component => {
            if s.get("additionalProperties") == Some(&Value::Bool(false)) {
                s.remove("additionalProperties");
            }
        }
    });
}

/// Quirk: besides the per-operation overlays (see [`collapse_required_overlays`]), components
/// themselves mark fields required: the list wrappers' `api_version`, `kind` and `metadata`, the
/// references' `related` and `resource_name`, `ObjectMeta.self`, a status's `phase`. typify makes
/// them non-optional, so a response that leaves one out (Confluent's own CLI mock leaves most
/// out) would be rejected whole — for a redeem, after the token is spent. Components that
/// responses use lose their `required` lists; union members keep `kind`, which tags them.
pub fn optional_response_fields(doc: &mut Value) {
    let request_only = request_only_components(doc);
    let comps = components(doc);
    let union_members: BTreeSet<String> = comps
        .values()
        .filter(|s| s.get(OPEN_UNION) == Some(&Value::Bool(true)))
        .flat_map(|s| {
            s.get("oneOf")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        })
        .filter_map(|m| m.as_object().and_then(ref_name).map(str::to_string))
        .collect();
    for (name, schema) in components_mut(doc).iter_mut() {
        if request_only.contains(name) {
            continue;
        }
        let is_member = union_members.contains(name);
        walk_schema(schema, Role::Component, &mut |s, _| {
            let Some(required) = s.get_mut("required").and_then(Value::as_array_mut) else {
                return;
            };
            required.retain(|r| is_member && r == "kind");
            if required.is_empty() {
                s.remove("required");
            }
        });
    }
    for_each_schema_mut(doc, &mut |s, role| {
        if role == Role::Response {
            s.remove("required");
        }
    });
}

/// Quirk: request bodies are not declared `required: true`, although every one of them has
/// required fields and the operation cannot work without it; tools that read the spec (a
/// conformance tester, a generator) then treat "no body" as valid. Every request body is
/// marked required.
pub fn require_request_bodies(doc: &mut Value) {
    for_each_operation_mut(doc, &mut |_, _, op| {
        if let Some(body) = op.get_mut("requestBody").and_then(Value::as_object_mut)
            && body.contains_key("content")
        {
            body.insert("required".into(), Value::Bool(true));
        }
    });
}

/// Quirk: `page_size` declares `maximum: 100` but no minimum, so 0 and negative sizes are
/// schema-valid; the API takes 1 to 100 and answers 400 otherwise. `minimum: 1` is added.
pub fn bound_page_size(doc: &mut Value) {
    for_each_operation_mut(doc, &mut |_, _, op| {
        for p in op
            .get_mut("parameters")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            if p.get("name") == Some(&json!("page_size"))
                && p.get("in") == Some(&json!("query"))
                && let Some(schema) = p.get_mut("schema").and_then(Value::as_object_mut)
                && !schema.contains_key("minimum")
            {
                schema.insert("minimum".into(), json!(1));
            }
        }
    });
}

/// Quirk: the spec marks the Kafka and Schema Registry secrets `x-redact`, but not the share
/// token that `shared-tokens:resources` and `:redeem` send, though whoever holds it can redeem
/// the share: the generated request types would print it in `Debug`. A `token` property of a
/// request-only schema is marked `x-redact` too, so [`redact_secret_fields`] makes it a `Secret`.
pub fn redact_share_tokens(doc: &mut Value) {
    let request_only = request_only_components(doc);
    let mark = &mut |s: &mut Map<String, Value>, _: Role| {
        if let Some(token) = s
            .get_mut("properties")
            .and_then(|p| p.get_mut("token"))
            .and_then(Value::as_object_mut)
            && token.get("type") == Some(&json!("string"))
        {
            token.insert("x-redact".into(), Value::Bool(true));
        }
    };
    for (name, schema) in components_mut(doc).iter_mut() {
        if request_only.contains(name) {
            walk_schema(schema, Role::Component, mark);
        }
    }
    for_each_schema_mut(doc, &mut |s, role| {
        if role == Role::Request {
            mark(s, role);
        }
    });
}

/// Components referenced (transitively) from request bodies and never from responses.
fn request_only_components(doc: &Value) -> BTreeSet<String> {
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

fn is_read_only(prop: &Value, comps: &Map<String, Value>) -> bool {
    let read_only = |v: &Value| v.get("readOnly") == Some(&Value::Bool(true));
    if read_only(prop) {
        return true;
    }
    let target = |v: &Value| {
        read_only(v)
            || v.as_object()
                .and_then(ref_name)
                .and_then(|n| comps.get(n))
                .is_some_and(read_only)
    };
    target(prop)
        || prop
            .get("allOf")
            .and_then(Value::as_array)
            .is_some_and(|l| l.iter().any(target))
}

fn drop_read_only_props(s: &mut Map<String, Value>, comps: &Map<String, Value>) {
    let Some(props) = s.get_mut("properties").and_then(Value::as_object_mut) else {
        return;
    };
    let dropped: Vec<String> = props
        .iter()
        .filter(|(_, p)| is_read_only(p, comps))
        .map(|(k, _)| k.clone())
        .collect();
    for k in &dropped {
        props.remove(k);
    }
    if let Some(req) = s.get_mut("required").and_then(Value::as_array_mut) {
        req.retain(|r| !r.as_str().is_some_and(|r| dropped.iter().any(|d| d == r)));
    }
}

/// Quirk: request schemas (`RedeemTokenRequest`, `CreateProviderShareRequest`, ...) list the
/// server's read-only `api_version`, `kind`, `id` and `metadata`. typify ignores `readOnly`, so they
/// would become request fields (`metadata` as a junk struct of untyped values). They are removed
/// from inline request bodies and from components used only by requests; components shared with
/// responses keep them (they are optional and never sent when unset).
pub fn drop_read_only_from_requests(doc: &mut Value) {
    let comps = components(doc);
    let request_only = request_only_components(doc);
    for (name, schema) in components_mut(doc).iter_mut() {
        if request_only.contains(name) {
            walk_schema(schema, Role::Component, &mut |s, _| {
                drop_read_only_props(s, &comps)
            });
        }
    }
    for_each_schema_mut(doc, &mut |s, role| {
        if role == Role::Request {
            drop_read_only_props(s, &comps);
        }
    });
}

/// Quirk: `phase`, `delivery_method`, `cdx.v1.Cloud` and `cdx.v1.ConnectionType` are open sets
/// (`x-extensible-enum`, not `enum`): the API adds values over time. typify would see plain
/// strings. Each becomes a named component (inline ones are hoisted as `<Component>.<property>`)
/// that the xtask generates as an enum with an `Unknown(String)` variant keeping the raw value.
pub fn open_extensible_enums(doc: &mut Value) {
    hoist(doc, &|s| s.contains_key("x-extensible-enum"));
}

/// Moves every schema matching `pred` that is not already a component into `components.schemas`,
/// named `<Component>.<property>[.item]` (or `Inline<N>` outside components), leaving an
/// `allOf: [$ref]` with the documentation siblings behind, as upstream does around `$ref`s.
fn hoist(doc: &mut Value, pred: &dyn Fn(&Map<String, Value>) -> bool) {
    let mut hoisted: BTreeMap<String, Value> = BTreeMap::new();
    for (name, schema) in components_mut(doc).iter_mut() {
        hoist_below(schema, name, true, pred, &mut hoisted);
    }
    let mut counter = 0;
    for_each_schema_mut(doc, &mut |s, role| {
        if role != Role::Component && pred(s) {
            counter += 1;
            let name = format!("Inline{counter}");
            hoisted.insert(name.clone(), Value::Object(std::mem::take(s)));
            *s = schema_ref(&name).as_object().expect("object").clone();
        }
    });
    let comps = components_mut(doc);
    for (name, mut schema) in hoisted {
        schema
            .as_object_mut()
            .expect("object")
            .insert("title".into(), Value::String(name.clone()));
        comps.insert(name, schema);
    }
}

fn hoist_below(
    schema: &mut Value,
    path: &str,
    is_root: bool,
    pred: &dyn Fn(&Map<String, Value>) -> bool,
    out: &mut BTreeMap<String, Value>,
) {
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    if !is_root && pred(obj) {
        let mut moved = std::mem::take(obj);
        let mut prop = Map::new();
        for key in ["description", "readOnly", "x-immutable"] {
            if let Some(v) = moved.remove(key) {
                prop.insert(key.into(), v);
            }
        }
        prop.insert("allOf".into(), json!([schema_ref(path)]));
        *obj = prop;
        let mut moved = Value::Object(moved);
        hoist_below(&mut moved, path, true, pred, out);
        out.insert(path.to_string(), moved);
        return;
    }
    if let Some(props) = obj.get_mut("properties").and_then(Value::as_object_mut) {
        for (k, child) in props.iter_mut() {
            hoist_below(child, &format!("{path}.{k}"), false, pred, out);
        }
    }
    if let Some(items) = obj.get_mut("items") {
        hoist_below(items, &format!("{path}.item"), false, pred, out);
    }
    for key in ["allOf", "anyOf"] {
        if let Some(list) = obj.get_mut(key).and_then(Value::as_array_mut) {
            for child in list.iter_mut() {
                // Members of a composition describe the same object: keep the parent's path.
                hoist_below(child, path, true, pred, out);
            }
        }
    }
}

/// Quirk: `secret` and `schema_registry_secret` are marked `x-redact`, which typify ignores: the
/// generated structs would print Kafka and Schema Registry secrets in `Debug`. Such fields now
/// refer to a `Secret` component that the xtask generates as a string whose `Debug` and `Display`
/// are redacted.
pub fn redact_secret_fields(doc: &mut Value) {
    let mut found = false;
    for_each_schema_mut(doc, &mut |s, _| {
        let Some(props) = s.get_mut("properties").and_then(Value::as_object_mut) else {
            return;
        };
        for prop in props.values_mut() {
            let Some(p) = prop.as_object_mut() else {
                continue;
            };
            if p.get("x-redact") == Some(&Value::Bool(true))
                && p.get("type") == Some(&json!("string"))
            {
                let mut out = Map::new();
                for key in ["description", "readOnly", "x-redact"] {
                    if let Some(v) = p.remove(key) {
                        out.insert(key.into(), v);
                    }
                }
                out.insert("allOf".into(), json!([schema_ref(SECRET)]));
                *p = out;
                found = true;
            }
        }
    });
    if found {
        components_mut(doc).insert(
            SECRET.into(),
            json!({
                "title": SECRET,
                "description": "A credential. Its value is never printed by Debug or Display.",
                "type": "string",
                "x-redact": true,
            }),
        );
    }
}

/// Quirk: unions tagged by `kind` (shared resources, network cloud, consumer restriction) gain new
/// kinds over time, and a typify enum rejects the whole response on an unknown `kind`. Each such
/// union is hoisted to a named component marked [`OPEN_UNION`]; the xtask generates it as an enum
/// with an `Unknown` variant that keeps the raw object.
pub fn tolerate_unknown_union_kinds(doc: &mut Value) {
    let is_union = |s: &Map<String, Value>| {
        s.get("discriminator")
            .and_then(|d| d.get("propertyName"))
            .is_some_and(|p| p == "kind")
            && s.get("oneOf").is_some_and(Value::is_array)
    };
    hoist(doc, &is_union);
    let comps = components_mut(doc);
    let mut members = BTreeMap::new();
    for (name, schema) in comps.iter_mut() {
        let Some(s) = schema.as_object_mut().filter(|s| is_union(s)) else {
            continue;
        };
        s.insert(OPEN_UNION.into(), Value::Bool(true));
        // Inline members (fully dereferenced exports) become components named by their title.
        for (i, member) in s
            .get_mut("oneOf")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
            .enumerate()
        {
            if member.get("$ref").is_some() {
                continue;
            }
            let title = member
                .get("title")
                .and_then(Value::as_str)
                .map(str::to_string);
            let member_name = title.unwrap_or_else(|| format!("{name}.{i}"));
            members.insert(
                member_name.clone(),
                std::mem::replace(member, schema_ref(&member_name)),
            );
        }
    }
    for (name, schema) in members {
        comps.entry(name).or_insert(schema);
    }
}

/// Quirk: response schemas carry constraints (`id` `maxLength: 255`, `zones` `minItems: 3,
/// maxItems: 3`) that typify enforces on decode, as validated newtypes and fixed-size arrays: a
/// server that sends a longer id or four zones would make the response undecodable. The client
/// does not police the server's output: these constraints are dropped from response schemas and
/// from components that responses use.
pub fn relax_response_constraints(doc: &mut Value) {
    let request_only = request_only_components(doc);
    const KEYS: [&str; 5] = ["maxLength", "minLength", "pattern", "minItems", "maxItems"];
    let relax = &mut |s: &mut Map<String, Value>, _: Role| {
        for k in KEYS {
            s.remove(k);
        }
    };
    for (name, schema) in components_mut(doc).iter_mut() {
        if !request_only.contains(name) {
            walk_schema(schema, Role::Component, relax);
        }
    }
    for_each_schema_mut(doc, &mut |s, role| {
        if role == Role::Response {
            relax(s, role);
        }
    });
}

/// Quirk: image upload declares `image/*` with `type: string, format: base64`, yet sends raw image
/// bytes; progenitor takes raw bodies only as `application/octet-stream` + `format: binary` (and
/// panics on `image/*`). Image downloads become `format: binary` streams likewise. The client's
/// request hook sends the real `image/...` content type, sniffed from the bytes.
pub fn image_bodies_as_octet_stream(doc: &mut Value) {
    for_each_operation_mut(doc, &mut |_, _, op| {
        let Some(content) = op
            .pointer_mut("/requestBody/content")
            .and_then(Value::as_object_mut)
        else {
            return;
        };
        if let Some(media) = content.remove("image/*") {
            let mut media = media;
            media["schema"] = json!({ "type": "string", "format": "binary" });
            content.insert("application/octet-stream".into(), media);
        }
    });
    for_each_operation_mut(doc, &mut |_, _, op| {
        let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
            return;
        };
        for r in responses.values_mut() {
            if let Some(media) = r.pointer_mut("/content/image~1*")
                && let Some(schema) = media.get_mut("schema")
            {
                *schema = json!({ "type": "string", "format": "binary" });
            }
        }
    });
}

/// Generator only (see [`GENERATOR_STEPS`]). Cost: after [`relax_response_constraints`], the
/// spec's only `pattern`s are the request-side `^crn://.+$` on resource CRNs. typify enforces a
/// pattern with the `regress` regex engine, which then costs everyone who builds the client
/// about 4 CPU-seconds (2 s of a cold build on 2 cores) for what is a prefix check. For the
/// generator, that pattern becomes `minLength: 7` (the prefix plus one character, which the
/// generated type still checks); cdx-ext checks the `crn://` prefix before sending, and the API
/// validates CRNs anyway. Any other pattern is kept.
pub fn crn_patterns_as_prefixes(doc: &mut Value) {
    for_each_schema_mut(doc, &mut |s, _| {
        if s.get("pattern") == Some(&json!("^crn://.+$")) {
            s.remove("pattern");
            s.entry("minLength").or_insert(json!(7));
        }
    });
}

/// Quirk: progenitor emits the client's methods in the order of `paths`, so an upstream download
/// that merely lists the same paths in another order (the public spec groups them by tag, the
/// Go SDK's copy alphabetically) would reshuffle the whole generated file. Paths are sorted, so
/// the generated code depends only on what the document says, not on its layout.
pub fn sort_paths(doc: &mut Value) {
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        let mut entries: Vec<(String, Value)> = std::mem::take(paths).into_iter().collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        paths.extend(entries);
    }
}

#[cfg(test)]
mod tests;
