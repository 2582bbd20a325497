//! Steps that repair what the cdx/v1 spec itself says, whatever its layout: declarations
//! the generator cannot take, or would turn into a client that rejects a valid answer or prints
//! a secret. They run after [`super::layout`], in the order they are defined here.

use super::components::{
    components, components_mut, find_in_operations, find_in_schemas, find_inline,
    find_request_side, find_response_side, for_each_on_side_mut, request_only_components,
    schema_ref,
};
use crate::spec::{
    Role, children_mut, for_each_operation_mut, for_each_schema_mut, ref_name, walk_schema,
};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};

/// Component name of the string type that never prints its value (see [`redact_secret_fields`]).
pub const SECRET: &str = "Secret";

/// Extension that marks a union as open: its unknown `kind`s are kept (see
/// [`tolerate_unknown_union_kinds`]).
pub const OPEN_UNION: &str = "x-cdx-open-union";

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

/// Post-condition: a required-overlay is left only in a request, on a component that
/// responses use too.
pub fn no_required_overlays(doc: &Value) -> Vec<String> {
    let request_only = request_only_components(doc);
    find_in_schemas(doc, &mut |s, role| {
        let (target, _) = required_overlay(s)?;
        (role != Role::Request || request_only.contains(&target))
            .then(|| format!("a required-overlay on {target} ({role:?})"))
    })
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

/// Post-condition: every error response has a body.
pub fn error_responses_have_bodies(doc: &Value) -> Vec<String> {
    find_in_operations(doc, &mut |op_name, op| {
        let (status, _) = op
            .get("responses")?
            .as_object()?
            .iter()
            .find(|(status, r)| {
                (status.starts_with('4') || status.starts_with('5'))
                    && r.get("content")
                        .and_then(Value::as_object)
                        .is_none_or(|c| c.is_empty())
            })?;
        Some(format!("{op_name}: {status} has no body"))
    })
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
    for_each_on_side_mut(doc, Role::Request, &mut |s, _| {
        drop_read_only_props(s, &comps)
    });
}

/// Post-condition: nothing only requests carry has a read-only property.
pub fn no_read_only_in_requests(doc: &Value) -> Vec<String> {
    let comps = components(doc);
    find_request_side(doc, &mut |s, _| {
        let (name, _) = s
            .get("properties")?
            .as_object()?
            .iter()
            .find(|(_, p)| is_read_only(p, &comps))?;
        Some(format!("the read-only `{name}` in a request"))
    })
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

/// Post-condition: every request body is required.
pub fn request_bodies_required(doc: &Value) -> Vec<String> {
    find_in_operations(doc, &mut |op_name, op| {
        let body = op.get("requestBody")?;
        (body.get("content").is_some() && body.get("required") != Some(&Value::Bool(true)))
            .then(|| format!("{op_name}: the request body is optional"))
    })
}

/// Quirk: `page_size` declares `maximum: 100` but no minimum, so 0 and negative sizes are
/// schema-valid; the API takes 1 to 100 and answers 400 otherwise. `minimum: 1` is added.
pub fn bound_page_size(doc: &mut Value) {
    for_each_operation_mut(doc, &mut |_, _, op| {
        for p in children_mut(op, "parameters") {
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

/// Post-condition: every `page_size` has a minimum.
pub fn page_size_bounded(doc: &Value) -> Vec<String> {
    find_in_operations(doc, &mut |op_name, op| {
        op.get("parameters")?
            .as_array()?
            .iter()
            .any(|p| {
                p.get("name") == Some(&json!("page_size"))
                    && p.get("in") == Some(&json!("query"))
                    && p.pointer("/schema/minimum").is_none()
            })
            .then(|| format!("{op_name}: page_size has no minimum"))
    })
}

/// Quirk: `phase`, `delivery_method`, `cdx.v1.Cloud` and `cdx.v1.ConnectionType` are open sets
/// (`x-extensible-enum`, not `enum`): the API adds values over time. typify would see plain
/// strings. Each becomes a named component (inline ones are hoisted as `<Component>.<property>`)
/// that the xtask generates as an enum with an `Unknown(String)` variant keeping the raw value.
pub fn open_extensible_enums(doc: &mut Value) {
    hoist(doc, &|s| s.contains_key("x-extensible-enum"));
}

/// Post-condition: every open enum is a component of its own.
pub fn open_enums_are_components(doc: &Value) -> Vec<String> {
    find_inline(doc, &mut |s, _| {
        s.contains_key("x-extensible-enum")
            .then(|| format!("an inline open enum {:?}", s["x-extensible-enum"]))
    })
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

/// Quirk: the spec marks the Kafka and Schema Registry secrets `x-redact`, but not the share
/// token that `shared-tokens:resources` and `:redeem` send, though whoever holds it can redeem
/// the share: the generated request types would print it in `Debug`. A `token` property of a
/// request-only schema is marked `x-redact` too, so [`redact_secret_fields`] makes it a `Secret`.
pub fn redact_share_tokens(doc: &mut Value) {
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
    for_each_on_side_mut(doc, Role::Request, mark);
}

/// Post-condition: every share token a request carries is marked `x-redact`.
pub fn share_tokens_marked(doc: &Value) -> Vec<String> {
    find_request_side(doc, &mut |s, _| {
        let token = s.get("properties")?.get("token")?;
        (token.get("type") == Some(&json!("string"))
            && token.get("x-redact") != Some(&Value::Bool(true)))
        .then(|| "an unmarked share token in a request".to_string())
    })
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

/// Post-condition: no `x-redact` property is a plain string.
pub fn secrets_are_secret(doc: &Value) -> Vec<String> {
    find_in_schemas(doc, &mut |s, _| {
        let (name, _) = s.get("properties")?.as_object()?.iter().find(|(_, p)| {
            p.get("x-redact") == Some(&Value::Bool(true)) && p.get("type") == Some(&json!("string"))
        })?;
        Some(format!("the secret `{name}` is a plain string"))
    })
}

/// Whether `s` is a `oneOf` union told apart by its `kind` property.
fn is_kind_union(s: &Map<String, Value>) -> bool {
    s.get("discriminator")
        .and_then(|d| d.get("propertyName"))
        .is_some_and(|p| p == "kind")
        && s.get("oneOf").is_some_and(Value::is_array)
}

/// Quirk: unions tagged by `kind` (shared resources, network cloud, consumer restriction) gain new
/// kinds over time, and a typify enum rejects the whole response on an unknown `kind`. Each such
/// union is hoisted to a named component marked [`OPEN_UNION`]; the xtask generates it as an enum
/// with an `Unknown` variant that keeps the raw object.
pub fn tolerate_unknown_union_kinds(doc: &mut Value) {
    hoist(doc, &is_kind_union);
    let comps = components_mut(doc);
    let mut members = BTreeMap::new();
    for (name, schema) in comps.iter_mut() {
        let Some(s) = schema.as_object_mut().filter(|s| is_kind_union(s)) else {
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

/// Post-condition: every union tagged by `kind` is a component marked [`OPEN_UNION`], whose
/// members are references.
pub fn unions_are_open_components(doc: &Value) -> Vec<String> {
    let mut found = find_inline(doc, &mut |s, _| {
        is_kind_union(s).then(|| "an inline union tagged by kind".to_string())
    });
    for (name, schema) in components(doc) {
        let Some(s) = schema.as_object().filter(|s| is_kind_union(s)) else {
            continue;
        };
        if s.get(OPEN_UNION) != Some(&Value::Bool(true)) {
            found.push(format!("the union {name} is not marked open"));
        }
        let members = s
            .get("oneOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        if members.into_iter().any(|m| m.get("$ref").is_none()) {
            found.push(format!("the union {name} has an inline member"));
        }
    }
    found
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

/// Post-condition: a response requires no field but a union member's `kind`.
pub fn response_fields_optional(doc: &Value) -> Vec<String> {
    find_response_side(doc, &mut |s, _| {
        let required = s.get("required")?.as_array()?;
        required
            .iter()
            .any(|r| r != "kind")
            .then(|| format!("a response requires {required:?}"))
    })
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

/// Post-condition: nothing denies unknown fields, and every component a response can carry
/// keeps them.
pub fn unknown_fields_kept(doc: &Value) -> Vec<String> {
    let mut found = find_in_schemas(doc, &mut |s, role| {
        (s.get("additionalProperties") == Some(&Value::Bool(false)))
            .then(|| format!("a {role:?} schema denies unknown fields"))
    });
    let request_only = request_only_components(doc);
    for (name, schema) in components(doc) {
        if !request_only.contains(&name)
            && schema.get("properties").is_some()
            && schema.get("additionalProperties").is_none()
        {
            found.push(format!("{name} drops unknown fields"));
        }
    }
    found
}

/// The constraints typify enforces when it decodes.
const CONSTRAINTS: [&str; 5] = ["maxLength", "minLength", "pattern", "minItems", "maxItems"];

/// Quirk: response schemas carry constraints (`id` `maxLength: 255`, `zones` `minItems: 3,
/// maxItems: 3`) that typify enforces on decode, as validated newtypes and fixed-size arrays: a
/// server that sends a longer id or four zones would make the response undecodable. The client
/// does not police the server's output: these constraints are dropped from response schemas and
/// from components that responses use.
pub fn relax_response_constraints(doc: &mut Value) {
    let relax = &mut |s: &mut Map<String, Value>, _: Role| {
        for k in CONSTRAINTS {
            s.remove(k);
        }
    };
    for_each_on_side_mut(doc, Role::Response, relax);
}

/// Post-condition: nothing a response can carry has a length, pattern or size constraint.
pub fn no_response_constraints(doc: &Value) -> Vec<String> {
    find_response_side(doc, &mut |s, _| {
        let key = CONSTRAINTS.iter().find(|k| s.contains_key(**k))?;
        Some(format!("a response schema keeps `{key}`"))
    })
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

/// Post-condition: image bodies are sent as octet streams and received as binary.
pub fn no_image_bodies(doc: &Value) -> Vec<String> {
    find_in_operations(doc, &mut |op_name, op| {
        let upload = op.pointer("/requestBody/content/image~1*").is_some();
        let download = op
            .get("responses")?
            .as_object()?
            .values()
            .filter_map(|r| r.pointer("/content/image~1*/schema"))
            .any(|s| s.get("format") != Some(&json!("binary")));
        (upload || download).then(|| format!("{op_name} declares an image body"))
    })
}

#[cfg(test)]
mod tests;
