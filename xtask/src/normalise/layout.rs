//! Steps that take out what only the *layout* of a published document decides: documentation
//! keys on operations, shared components referenced from operations, inline copies of
//! components and inline discriminator mappings, generator placeholders, documentation
//! overlays, alias schemas and default styles. Confluent publishes cdx/v1 in several layouts
//! (the whole Confluent Cloud document, the Go SDK's openapi-generator copy, fully dereferenced
//! API pages); after these steps they all say the same thing the same way, so the generated
//! names and signatures do not depend on which one was vendored. They run first, in the order
//! they are defined here.

use super::components::{
    all_refs, components, components_mut, find_in_operations, find_in_schemas, find_inline,
    schema_ref,
};
use crate::spec::{
    Role, children_mut, for_each_operation_mut, for_each_schema_mut, ref_name, walk_schema,
};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

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

/// Layout: the published operation pages (seeds 003, 004) carry `jsonRequestBodyExample` on the
/// operation, a documentation key outside OpenAPI 3.0 (only `x-` extensions may be added), which
/// independent validators reject. Unknown non-extension keys are dropped from operations.
pub fn drop_non_extension_operation_keys(doc: &mut Value) {
    for_each_operation_mut(doc, &mut |_, _, op| {
        if let Some(op) = op.as_object_mut() {
            op.retain(|k, _| k.starts_with("x-") || OPERATION_KEYS.contains(&k.as_str()));
        }
    });
}

/// Post-condition: operations hold only OpenAPI's keys and `x-` extensions.
pub fn only_standard_operation_keys(doc: &Value) -> Vec<String> {
    find_in_operations(doc, &mut |op_name, op| {
        let extra: Vec<&String> = op
            .as_object()?
            .keys()
            .filter(|k| !k.starts_with("x-") && !OPERATION_KEYS.contains(&k.as_str()))
            .collect();
        (!extra.is_empty()).then(|| format!("{op_name} has {extra:?}"))
    })
}

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
        for r in children_mut(op, "responses") {
            resolve(r);
            for h in children_mut(r, "headers") {
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

/// Post-condition: no shared section is left, and nothing refers into one.
pub fn no_shared_component_refs(doc: &Value) -> Vec<String> {
    let shared = |r: &str| {
        SHARED_SECTIONS
            .iter()
            .any(|s| r.starts_with(&format!("#/components/{s}/")))
    };
    let sections = SHARED_SECTIONS
        .iter()
        .filter(|s| doc.pointer(&format!("/components/{s}")).is_some())
        .map(|s| format!("components.{s} is still there"));
    let refs = all_refs(doc)
        .into_iter()
        .filter(|r| shared(r))
        .map(|r| format!("a $ref to {r}"));
    sections.chain(refs).collect()
}

/// Layout: the published operation pages (seeds 003 and 004) are fully dereferenced: each carries
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

/// Post-condition: apart from the components themselves, no schema carries a component's name
/// as its title.
pub fn no_titled_inline_copies(doc: &Value) -> Vec<String> {
    let names: BTreeSet<String> = components(doc).keys().cloned().collect();
    find_inline(doc, &mut |s, _| {
        let title = s.get("title").and_then(Value::as_str)?;
        names
            .contains(title)
            .then(|| format!("an inline copy of {title}"))
    })
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

/// Layout: upstream `discriminator.mapping` values are inline schemas (seed 004), where OpenAPI 3.0
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

/// Post-condition: every `discriminator.mapping` value is a string.
pub fn only_string_mappings(doc: &Value) -> Vec<String> {
    find_in_schemas(doc, &mut |s, _| {
        let mapping = s.get("discriminator")?.get("mapping")?.as_object()?;
        let (kind, _) = mapping.iter().find(|(_, v)| !v.is_string())?;
        Some(format!(
            "the mapping of `{kind}` still holds an inline schema"
        ))
    })
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

/// Post-condition: no placeholder component is left, and nothing refers to one.
pub fn no_placeholder_components(doc: &Value) -> Vec<String> {
    let comps = components(doc);
    let defined = comps.keys().filter(|n| is_placeholder(n)).cloned();
    let referred = all_refs(doc)
        .into_iter()
        .filter_map(|r| r.strip_prefix("#/components/schemas/"))
        .filter(|n| is_placeholder(n))
        .map(|n| format!("a $ref to {n}"));
    defined
        .map(|n| format!("component {n}"))
        .chain(referred)
        .collect()
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
/// stays behind as a required-overlay for [`super::repair::collapse_required_overlays`].
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

/// Post-condition: no `allOf` member after a `$ref` only restates documentation of properties
/// the referred component declares.
pub fn no_example_overlays(doc: &Value) -> Vec<String> {
    let comps = components(doc);
    find_in_schemas(doc, &mut |s, _| {
        let list = s.get("allOf")?.as_array()?;
        let base = list.first()?.as_object().and_then(ref_name)?;
        let declared = declared_properties(&comps, base);
        let restates = |m: &Value| {
            m.get("properties")
                .and_then(Value::as_object)
                .is_some_and(|p| !p.is_empty() && p.keys().all(|k| declared.contains(k)))
                && adds_nothing(m)
        };
        list[1..]
            .iter()
            .any(restates)
            .then(|| format!("an example overlay on {base}"))
    })
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
        for p in children_mut(op, "parameters") {
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

/// Post-condition: no operation parameter refers to a primitive alias.
pub fn no_parameter_alias_refs(doc: &Value) -> Vec<String> {
    let comps = components(doc);
    find_in_operations(doc, &mut |op_name, op| {
        op.get("parameters")?.as_array()?.iter().find_map(|p| {
            let name = p.get("schema")?.as_object().and_then(ref_name)?;
            comps
                .get(name)
                .filter(|a| is_primitive_alias(a))
                .map(|_| format!("{op_name}: a parameter refers to the alias {name}"))
        })
    })
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
        for p in children_mut(op, "parameters") {
            match p.get("in").and_then(Value::as_str) {
                Some("query" | "cookie") => strip(p, "form", true),
                Some("path" | "header") => strip(p, "simple", false),
                _ => {}
            }
        }
        for r in children_mut(op, "responses") {
            for h in children_mut(r, "headers") {
                strip(h, "simple", false);
            }
        }
    });
}

/// Post-condition: no parameter or response header spells out its default `style` or
/// `explode`.
pub fn no_default_styles(doc: &Value) -> Vec<String> {
    let spelt_out = |v: &Value, style: &str, explode: bool| match v.get("style") {
        Some(s) => s == style,
        None => v.get("explode").and_then(Value::as_bool) == Some(explode),
    };
    find_in_operations(doc, &mut |op_name, op| {
        let params = op
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|p| match p.get("in").and_then(Value::as_str) {
                Some("query" | "cookie") => spelt_out(p, "form", true),
                Some("path" | "header") => spelt_out(p, "simple", false),
                _ => false,
            });
        let headers = op
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|r| r.values())
            .filter_map(|r| r.get("headers").and_then(Value::as_object))
            .flat_map(|h| h.values())
            .filter(|h| spelt_out(h, "simple", false));
        (params.count() + headers.count() > 0)
            .then(|| format!("{op_name} spells out a default style"))
    })
}

#[cfg(test)]
mod tests;
