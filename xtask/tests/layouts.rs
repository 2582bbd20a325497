//! The generated client does not depend on the layout the spec was published in: the vendored
//! (canonical) spec, an openapi-generator-style re-serialisation of it (hoisted and numbered
//! inline responses, example overlays, filter aliases, every shared response written out, keys
//! and paths in another order) and an API-pages-style one (fully dereferenced copies titled with
//! the component name, inline discriminator mappings, a documentation key on operations) all
//! generate the same `generated.rs`, byte for byte — so cdx-ext, which builds on the first,
//! builds on all three.

use serde_json::{Map, Value, json};
use std::path::Path;
use xtask::codegen::{GENERATED, SPEC};

fn vendored() -> Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    xtask::spec::load(&root.join(SPEC)).unwrap()
}

fn generated(doc: Value) -> String {
    let out = xtask::codegen::generate_doc(doc).expect("the layout generates");
    out.outputs
        .into_iter()
        .find(|o| o.path == GENERATED)
        .unwrap()
        .content
}

fn operations(doc: &mut Value) -> Vec<&mut Map<String, Value>> {
    doc["paths"]
        .as_object_mut()
        .unwrap()
        .values_mut()
        .flat_map(|item| item.as_object_mut().unwrap().values_mut())
        .filter_map(Value::as_object_mut)
        .filter(|op| op.contains_key("responses"))
        .collect()
}

fn reversed(map: &mut Value) {
    if let Some(m) = map.as_object_mut() {
        let entries: Vec<(String, Value)> = std::mem::take(m).into_iter().rev().collect();
        m.extend(entries);
    }
}

/// Shared responses written out in each operation, as openapi-generator does.
fn write_out_shared_responses(doc: &mut Value) {
    let shared = doc["components"]["responses"].clone();
    for op in operations(doc) {
        for r in op["responses"].as_object_mut().unwrap().values_mut() {
            if let Some(name) = r["$ref"].as_str().and_then(|r| r.rsplit('/').next()) {
                *r = shared[name].clone();
            }
        }
    }
}

fn openapi_generator_style(mut doc: Value) -> Value {
    write_out_shared_responses(&mut doc);
    let schemas = doc["components"]["schemas"].clone();
    let mut hoisted = Map::new();
    // Inline response objects hoisted under numbered names.
    for op in operations(&mut doc) {
        for (status, r) in op["responses"].as_object_mut().unwrap().iter_mut() {
            let Some(schema) = r.pointer_mut("/content/application~1json/schema") else {
                continue;
            };
            if let Some(target) = schema["$ref"]
                .as_str()
                .and_then(|r| r.rsplit('/').next())
                .filter(|t| !t.starts_with("inline_"))
            {
                // An example-only overlay on every referenced answer.
                let first = schemas[target]["properties"]
                    .as_object()
                    .and_then(|p| p.keys().next().cloned());
                if let Some(first) = first {
                    *schema = json!({"allOf": [schema.clone(), {
                        "type": "object",
                        "properties": {first: {"example": "made-up"}}
                    }]});
                }
            } else if schema.get("properties").is_some() {
                let name = format!("inline_response_{status}_{}", hoisted.len() + 1);
                hoisted.insert(name.clone(), schema.clone());
                *schema = json!({"$ref": format!("#/components/schemas/{name}")});
            }
        }
    }
    doc["components"]["schemas"]
        .as_object_mut()
        .unwrap()
        .extend(hoisted);
    reversed(&mut doc["paths"]);
    reversed(&mut doc["components"]["schemas"]);
    // Served as JSON, from a run that numbered its placeholders differently.
    // and named the filter aliases its own way.
    let text = doc
        .to_string()
        .replace("inline_response_200\"", "inline_response_200_7\"")
        .replace("SearchFilter\"", "Text\"")
        .replace("BooleanFilter\"", "Flag\"");
    serde_json::from_str(&text).unwrap()
}

/// A copy of component `name`, titled as the API pages title their inline copies.
fn titled_copy(schemas: &Value, name: &str) -> Value {
    let mut copy = schemas[name].clone();
    copy["title"] = json!(name);
    copy
}

fn api_pages_style(mut doc: Value) -> Value {
    write_out_shared_responses(&mut doc);
    let schemas = doc["components"]["schemas"].clone();
    let deref = |v: &mut Value| {
        if let Some(name) = v["$ref"].as_str().and_then(|r| r.rsplit('/').next()) {
            // (The placeholder is written in place untitled, below.)
            if schemas[name].get("properties").is_some() && !name.starts_with("inline_") {
                *v = titled_copy(&schemas, name);
            }
        }
    };
    for op in operations(&mut doc) {
        for r in op["responses"].as_object_mut().unwrap().values_mut() {
            if let Some(schema) = r.pointer_mut("/content/application~1json/schema") {
                deref(schema);
                for member in schema
                    .get_mut("allOf")
                    .and_then(Value::as_array_mut)
                    .into_iter()
                    .flatten()
                {
                    deref(member);
                }
            }
        }
        if let Some(body) = op.get_mut("requestBody") {
            if let Some(schema) = body.pointer_mut("/content/application~1json/schema") {
                deref(schema);
            }
            op.insert("jsonRequestBodyExample".into(), json!({"made": "up"}));
        }
        for p in op
            .get_mut("parameters")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            if let Some(name) = p["schema"]["$ref"]
                .as_str()
                .and_then(|r| r.rsplit('/').next())
            {
                p["schema"] = json!({"type": schemas[name]["type"].clone()});
            }
            let o = p.as_object_mut().unwrap();
            o.remove("style");
            o.remove("explode");
        }
    }
    // Discriminator mappings to inline copies instead of reference strings.
    inline_mappings(&mut doc, &schemas);
    // The pages write what the Go SDK hoists or aliases in place: no such components.
    let placeholder = schemas["inline_response_200"].clone();
    let s = doc["components"]["schemas"].as_object_mut().unwrap();
    for alias in ["SearchFilter", "BooleanFilter", "inline_response_200"] {
        s.remove(alias);
    }
    let text = doc.to_string().replace(
        "{\"$ref\":\"#/components/schemas/inline_response_200\"}",
        &placeholder.to_string(),
    );
    serde_json::from_str(&text).unwrap()
}

fn inline_mappings(v: &mut Value, schemas: &Value) {
    match v {
        Value::Object(o) => {
            for (k, child) in o.iter_mut() {
                if k == "mapping" {
                    for target in child
                        .as_object_mut()
                        .into_iter()
                        .flat_map(|m| m.values_mut())
                    {
                        if let Some(name) = target.as_str().and_then(|r| r.rsplit('/').next()) {
                            *target = titled_copy(schemas, name);
                        }
                    }
                } else {
                    inline_mappings(child, schemas);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|c| inline_mappings(c, schemas)),
        _ => {}
    }
}

/// Fails with a short diff, not two whole files.
fn assert_same(actual: &str, expected: &str, layout: &str) {
    if actual != expected {
        let diff = similar::TextDiff::from_lines(expected, actual)
            .unified_diff()
            .context_radius(2)
            .to_string();
        let short: String = diff.chars().take(4000).collect();
        panic!("the {layout} layout changes the generated client:\n{short}");
    }
}

#[test]
fn three_published_layouts_generate_the_same_client() {
    let canonical = generated(vendored());
    let og = openapi_generator_style(vendored());
    let og_text = og.to_string();
    assert!(
        og_text.contains("inline_response_200_7") && og_text.contains("made-up"),
        "the openapi-generator layout has hoisted responses and overlays"
    );
    assert!(og.pointer("/components/schemas/Text").is_some());
    assert_same(&generated(og), &canonical, "openapi-generator");
    let pages = api_pages_style(vendored());
    let pages_text = pages.to_string();
    assert!(pages_text.contains("jsonRequestBodyExample"));
    assert!(
        pages_text.contains("\"mapping\":{\"Group\":{"),
        "the API-pages layout has inline mappings"
    );
    assert_same(&generated(pages), &canonical, "API-pages");
}
