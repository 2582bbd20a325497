//! `cargo xtask spec import`: the cdx/v1 closure out of a multi-group document, a canonical
//! layout that re-imports to itself, the change report, and bad input refused with `openapi/`
//! untouched.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use xtask::codegen::SPEC;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

fn vendored_text() -> String {
    std::fs::read_to_string(root().join(SPEC)).unwrap()
}

/// A checkout with only the vendored spec.
fn checkout() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("openapi")).unwrap();
    std::fs::write(dir.path().join(SPEC), vendored_text()).unwrap();
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// The whole-document layout, made up: cdx/v1 beside an IAM-like and an org-like group that
/// share `Error`, `ListMeta`, `ObjectMeta` and the error responses with it, and bring shared
/// things of their own (a parameter, a response, a security scheme, tags, navigation).
fn multi_group() -> Value {
    let mut doc = xtask::spec::parse(&vendored_text()).unwrap();
    doc["info"] = json!({"title": "All the APIs", "version": "1.0.0"});
    doc["x-tagGroups"] = json!([{"name": "Everything", "tags": ["People (iam/v2)"]}]);
    doc["tags"].as_array_mut().unwrap().extend([
        json!({"name": "People (iam/v2)"}),
        json!({"name": "Places (org/v2)"}),
    ]);
    doc["security"] = json!([{"cloud-api-key": []}]);
    let failure = |code: &str| json!({"$ref": format!("#/components/responses/{code}")});
    doc["paths"]["/iam/v2/people"] = json!({"get": {
        "operationId": "listIamV2People",
        "tags": ["People (iam/v2)"],
        "parameters": [{"$ref": "#/components/parameters/PeoplePageSize"}],
        "security": [{"people-oauth": []}],
        "responses": {
            "200": {"description": "people", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/iam.v2.PersonList"}}}},
            "400": failure("BadRequestError"),
            "402": failure("OverQuotaError"),
            "429": failure("RateLimitError")
        }
    }});
    doc["paths"]["/org/v2/places/{id}"] = json!({"get": {
        "operationId": "getOrgV2Place",
        "tags": ["Places (org/v2)"],
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": {
            "200": {"description": "a place", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/org.v2.Place"}}}},
            "404": failure("NotFoundError"),
            "500": failure("DefaultSystemError")
        }
    }});
    let c = doc["components"].as_object_mut().unwrap();
    c.insert(
        "parameters".into(),
        json!({"PeoplePageSize": {"name": "page_size", "in": "query", "schema": {"type": "integer"}}}),
    );
    c["responses"]["OverQuotaError"] = json!({
        "description": "Over quota",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Failure"}}}
    });
    c["securitySchemes"]["people-oauth"] = json!({"type": "oauth2", "flows": {}});
    let s = c["schemas"].as_object_mut().unwrap();
    s.insert(
        "iam.v2.PersonList".into(),
        json!({"type": "object", "properties": {
            "metadata": {"$ref": "#/components/schemas/ListMeta"},
            "data": {"type": "array", "items": {"$ref": "#/components/schemas/iam.v2.Person"}}
        }}),
    );
    s.insert(
        "iam.v2.Person".into(),
        json!({"type": "object", "properties": {
            "metadata": {"$ref": "#/components/schemas/ObjectMeta"},
            "home": {"$ref": "#/components/schemas/org.v2.Place"}
        }}),
    );
    s.insert(
        "org.v2.Place".into(),
        json!({"type": "object", "properties": {
            "metadata": {"$ref": "#/components/schemas/ObjectMeta"},
            "error": {"$ref": "#/components/schemas/Error"}
        }}),
    );
    doc
}

#[test]
fn the_whole_document_yields_exactly_the_vendored_cdx_v1_closure() {
    let dir = checkout();
    let whole = multi_group();
    // Served as JSON, in a different key order: the canonical layout does not care.
    let mut shuffled = serde_json::Map::new();
    for (k, v) in whole.as_object().unwrap().iter().rev() {
        shuffled.insert(k.clone(), v.clone());
    }
    let file = write(
        dir.path(),
        "all.json",
        &serde_json::to_string(&shuffled).unwrap(),
    );
    let changes = xtask::import::run(dir.path(), &file).unwrap();
    let imported = std::fs::read_to_string(dir.path().join(SPEC)).unwrap();
    // The info block and the default security are the whole document's; everything else is
    // exactly cdx/v1's.
    let mut expected = xtask::spec::parse(&vendored_text()).unwrap();
    expected["info"] = whole["info"].clone();
    expected["security"] = whole["security"].clone();
    let expected = xtask::import::render(&expected).unwrap();
    let first_difference = imported.lines().zip(expected.lines()).find(|(a, b)| a != b);
    assert_eq!(first_difference, None);
    assert_eq!(imported.len(), expected.len());
    assert!(
        changes.is_empty(),
        "no operation, schema or field changed: {changes:?}"
    );
    for other in [
        "iam.v2",
        "org.v2",
        "OverQuotaError",
        "PeoplePageSize",
        "people-oauth",
        "x-tagGroups",
        "People (iam/v2)",
    ] {
        assert!(!imported.contains(other), "{other} is not cdx/v1's");
    }
}

#[test]
fn re_importing_the_vendored_spec_changes_nothing() {
    let dir = checkout();
    let file = write(dir.path(), "again.yaml", &vendored_text());
    let changes = xtask::import::run(dir.path(), &file).unwrap();
    assert!(changes.is_empty(), "{changes:?}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join(SPEC)).unwrap(),
        vendored_text()
    );
}

#[test]
fn an_upstream_change_is_reported_and_written() {
    let dir = checkout();
    let mut doc = xtask::spec::parse(&vendored_text()).unwrap();
    let schemas = doc["components"]["schemas"].as_object_mut().unwrap();
    schemas["cdx.v1.ConsumerShare"]["properties"]["favourite_colour"] = json!({"type": "string"});
    schemas.insert("cdx.v1.Nothing".into(), json!({"type": "object"}));
    doc["paths"]["/cdx/v1/nothing"] = json!({"get": {
        "operationId": "getCdxV1Nothing",
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/cdx.v1.Nothing"}}}}}
    }});
    let file = write(dir.path(), "new.json", &doc.to_string());
    let changes = xtask::import::run(dir.path(), &file).unwrap();
    assert_eq!(
        changes,
        [
            "+ operation GET /cdx/v1/nothing (getCdxV1Nothing)",
            "+ field cdx.v1.ConsumerShare.favourite_colour",
            "+ schema cdx.v1.Nothing",
        ]
    );
    let written = std::fs::read_to_string(dir.path().join(SPEC)).unwrap();
    assert!(written.contains("favourite_colour") && written.contains("/cdx/v1/nothing:"));
}

#[test]
fn bad_input_is_refused_with_openapi_untouched() {
    let dir = checkout();
    let mut dangling = xtask::spec::parse(&vendored_text()).unwrap();
    dangling["components"]["schemas"]
        .as_object_mut()
        .unwrap()
        .remove("cdx.v1.ConsumerShare");
    let mut other_groups = multi_group();
    other_groups["paths"]
        .as_object_mut()
        .unwrap()
        .retain(|p, _| !p.starts_with("/cdx/v1/"));
    let cases = [
        (
            "notes.txt",
            "{ this is: [not yaml".to_string(),
            "neither YAML nor JSON",
        ),
        (
            "list.yaml",
            "- just\n- a list\n".into(),
            "not an OpenAPI document",
        ),
        (
            "new.yaml",
            vendored_text().replacen("openapi: 3.0.0", "openapi: 3.1.0", 1),
            "OpenAPI 3.1.0; only OpenAPI 3.0.x",
        ),
        (
            "old.json",
            json!({"swagger": "2.0", "paths": {}}).to_string(),
            "Swagger 2.0",
        ),
        ("others.json", other_groups.to_string(), "no /cdx/v1/ paths"),
        (
            "dangling.json",
            dangling.to_string(),
            "dangling $ref `#/components/schemas/cdx.v1.ConsumerShare`",
        ),
    ];
    for (name, text, expected) in cases {
        let file = write(dir.path(), name, &text);
        let err = format!("{:#}", xtask::import::run(dir.path(), &file).unwrap_err());
        assert!(err.contains(expected), "{name}: {err}");
        assert!(
            err.contains(name),
            "{name}: the error names the file: {err}"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join(SPEC)).unwrap(),
            vendored_text(),
            "{name}: the vendored spec is unchanged"
        );
        let entries: Vec<_> = std::fs::read_dir(dir.path().join("openapi"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(entries, ["cdx-v1.yaml"], "{name}: nothing else in openapi/");
    }
}
