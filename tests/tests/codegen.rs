//! The generated client against its spec: the API-surface snapshot, what a spec update does to
//! it, layout independence, and an independent OpenAPI validator on the normalised spec.

use cdx_test_tools::{python, workspace_root};
use serde_json::{Value, json};
use std::process::Command;

fn read(path: &str) -> String {
    std::fs::read_to_string(workspace_root().join(path))
        .unwrap_or_else(|e| panic!("reading {path}: {e}"))
}

fn generated(doc: Value) -> (String, Value) {
    let outputs = xtask::codegen::generate_doc(doc)
        .expect("the spec generates")
        .outputs;
    let get = |p: &str| {
        outputs
            .iter()
            .find(|o| o.path == p)
            .expect("output")
            .content
            .clone()
    };
    let normalised =
        serde_json::from_str(&get(xtask::codegen::NORMALISED)).expect("normalised spec is JSON");
    (get(xtask::codegen::GENERATED), normalised)
}

fn vendored() -> Value {
    xtask::spec::load(&workspace_root().join(xtask::codegen::SPEC))
        .expect("the vendored spec loads")
}

#[test]
fn api_surface_snapshot() {
    let normalised: Value = serde_json::from_str(&read(xtask::codegen::NORMALISED)).unwrap();
    let surface =
        xtask::surface::api_surface(&read(xtask::codegen::GENERATED), &normalised).unwrap();
    let operations = surface.lines().filter(|l| {
        ["GET ", "POST ", "PATCH ", "DELETE "]
            .iter()
            .any(|m| l.starts_with(m))
    });
    assert_eq!(operations.count(), 22, "all 22 operations");
    assert!(
        !surface.contains("NOT GENERATED"),
        "every operation has a method"
    );
    insta::assert_snapshot!("api_surface", surface);
}

#[test]
fn a_spec_update_regenerates_with_no_hand_edits_and_shows_in_the_surface() {
    let (before_code, before_spec) = generated(vendored());
    let before = xtask::surface::api_surface(&before_code, &before_spec).unwrap();

    let mut spec = vendored();
    let schemas = &mut spec["components"]["schemas"];
    // A new field, a new open-enum value, a new union kind, and a new operation.
    schemas["cdx.v1.ConsumerShare"]["properties"]["favourite_topic"] =
        json!({"type": "string", "readOnly": true});
    schemas["cdx.v1.Cloud"]["x-extensible-enum"]
        .as_array_mut()
        .unwrap()
        .push(json!("ORACLE"));
    schemas["cdx.v1.OracleNetwork"] = json!({
        "type": "object", "title": "cdx.v1.OracleNetwork", "required": ["kind"],
        "properties": {"kind": {"type": "string", "enum": ["OracleNetwork"]}, "ocid": {"type": "string"}}
    });
    schemas["cdx.v1.Network"]["properties"]["cloud"]["oneOf"]
        .as_array_mut()
        .unwrap()
        .push(json!({"$ref": "#/components/schemas/cdx.v1.OracleNetwork"}));
    spec["paths"]["/cdx/v1/consumer-shares/{id}:pause"] = json!({"post": {
        "operationId": "pauseCdxV1ConsumerShare",
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": {
            "204": {"description": "Paused."},
            "404": {"description": "Not Found", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Failure"}}}}
        }
    }});
    let table = xtask::codegen::generate_doc(spec.clone())
        .unwrap()
        .outputs
        .into_iter()
        .find(|o| o.path == xtask::operations::OPERATIONS)
        .unwrap()
        .content;
    assert!(
        table.contains("PauseConsumerShare,") && table.contains("\"pause_cdx_v1_consumer_share\""),
        "the new operation is in the generated Operation table"
    );
    let (after_code, after_spec) = generated(spec);
    let after = xtask::surface::api_surface(&after_code, &after_spec).unwrap();

    for expected in [
        "    favourite_topic: Option<String>",
        "enum CdxV1Cloud: Aws | Azure | Gcp | Oracle | Unknown(String)",
        "OracleNetwork(CdxV1OracleNetwork)",
        "POST /cdx/v1/consumer-shares/{id}:pause  (pauseCdxV1ConsumerShare)",
        "pause_cdx_v1_consumer_share(id: &'a str)",
    ] {
        assert!(
            after.contains(expected),
            "the surface lacks {expected:?}:\n{after}"
        );
    }
    // Only the two changed enum lines disappear; everything else is kept.
    let removed: Vec<&str> = before
        .lines()
        .filter(|l| !after.lines().any(|a| a == *l))
        .collect();
    assert_eq!(removed.len(), 2, "{removed:#?}");
}

#[test]
fn a_respelled_spec_generates_byte_identical_code() {
    // The same document in another layout (JSON, keys reordered) must not change the output.
    let spec = vendored();
    let as_json = serde_json::to_string(&spec).unwrap();
    let mut reordered: Value = serde_json::from_str(&as_json).unwrap();
    if let Some(paths) = reordered["paths"].as_object_mut() {
        let mut entries: Vec<(String, Value)> = std::mem::take(paths).into_iter().collect();
        entries.reverse();
        paths.extend(entries);
    }
    let yaml = serde_norway::to_string(&reordered).unwrap();
    let (code, _) = generated(xtask::spec::parse(&yaml).unwrap());
    let (code_again, _) = generated(vendored());
    assert_eq!(
        code, code_again,
        "the generated code depends only on the document, not its layout"
    );
}

#[test]
fn normalised_spec_passes_an_independent_openapi_validator() {
    let spec = workspace_root().join(xtask::codegen::NORMALISED);
    let script = "import json,sys\nfrom openapi_spec_validator import validate\nfrom openapi_spec_validator.validation import OpenAPIV30SpecValidator\nvalidate(json.load(open(sys.argv[1])), cls=OpenAPIV30SpecValidator)\nprint('valid')";
    let out = Command::new(python())
        .args(["-c", script])
        .arg(&spec)
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "openapi-spec-validator rejected the normalised spec:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // The vendored spec is a published layout as is: valid OpenAPI 3.0 too.
    let raw = serde_json::to_string(&vendored()).unwrap();
    let tmp = std::env::temp_dir().join(format!("cdx-raw-{}.json", std::process::id()));
    std::fs::write(&tmp, raw).unwrap();
    let out = Command::new(python())
        .args(["-c", script])
        .arg(&tmp)
        .output()
        .expect("python runs");
    std::fs::remove_file(&tmp).ok();
    assert!(
        out.status.success(),
        "openapi-spec-validator rejected the vendored spec:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_progenitor_panic_is_an_error_naming_the_operation() {
    // progenitor asserts one error body type per operation; give one operation two.
    let mut spec = vendored();
    spec["paths"]["/cdx/v1/consumer-shares/{id}"]["get"]["responses"]["404"] = json!({
        "description": "Not Found",
        "content": {"application/json": {"schema": {"type": "object", "properties": {"gone": {"type": "boolean"}}}}}
    });
    let err = match xtask::codegen::generate_doc(spec) {
        Ok(_) => panic!("progenitor was expected to refuse two error body types"),
        Err(e) => format!("{e:#}"),
    };
    assert!(
        err.contains("getCdxV1ConsumerShare") && err.contains("panicked"),
        "{err}"
    );
}

#[test]
fn check_mode_fails_with_a_diff_when_the_committed_code_is_stale() {
    // A copy of the workspace's generator inputs, with a stale generated file.
    let dir = tempfile::tempdir().unwrap();
    for path in [
        xtask::codegen::SPEC,
        xtask::codegen::NORMALISED,
        xtask::codegen::GENERATED,
        xtask::operations::OPERATIONS,
    ] {
        let to = dir.path().join(path);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(workspace_root().join(path), &to).unwrap();
    }
    xtask::codegen::run(dir.path(), true).expect("an up-to-date copy passes --check");
    let generated = dir.path().join(xtask::codegen::GENERATED);
    let stale = read(xtask::codegen::GENERATED).replacen("pub struct", "pub  struct", 1);
    std::fs::write(&generated, &stale).unwrap();
    let err = xtask::codegen::run(dir.path(), true)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("stale") && err.contains(xtask::codegen::GENERATED),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&generated).unwrap(),
        stale,
        "--check writes nothing"
    );
    xtask::codegen::run(dir.path(), false).unwrap();
    assert_eq!(
        std::fs::read_to_string(&generated).unwrap(),
        read(xtask::codegen::GENERATED)
    );
}
