//! One fixture per published-layout trait, each small and in our own words.

use super::*;
use crate::normalise::fixture::{HEAD, doc};
use serde_json::json;

fn ok_schema(d: &Value, path: &str, method: &str) -> Value {
    d["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"].clone()
}

#[test]
fn drop_non_extension_operation_keys_keeps_standard_and_x_keys() {
    let mut d = doc(&format!(
        r#"{HEAD}
paths:
  /x:
    post:
      operationId: x
      x-name: cdx.v1.SharedToken
      jsonRequestBodyExample: {{ token: string }}
      servers: [{{ url: 'https://api.confluent.cloud' }}]
      responses: {{ '204': {{ description: ok }} }}
"#
    ));
    run_step!(d, drop_non_extension_operation_keys);
    let op = d["paths"]["/x"]["post"].as_object().unwrap();
    assert_eq!(
        op.keys().collect::<Vec<_>>(),
        ["operationId", "x-name", "servers", "responses"]
    );
}

#[test]
fn inline_shared_components_copies_referenced_responses_parameters_and_headers() {
    // Trait: the whole Confluent Cloud document declares error answers once, in
    // components.responses, and operations of every group point at them.
    let mut d = doc(&format!(
        r#"{HEAD}
paths:
  /w:
    parameters: [{{ $ref: '#/components/parameters/Size' }}]
    get:
      operationId: w
      parameters: [{{ $ref: '#/components/parameters/Size' }}]
      responses:
        '200':
          description: ok
          headers: {{ X-Id: {{ $ref: '#/components/headers/Id' }} }}
        '404': {{ $ref: '#/components/responses/Missing' }}
        '429': {{ $ref: '#/components/responses/Slow' }}
components:
  parameters:
    Size: {{ name: size, in: query, schema: {{ type: integer }} }}
  headers:
    Id: {{ schema: {{ type: string }} }}
  responses:
    Missing: {{ $ref: '#/components/responses/Gone' }}
    Gone:
      description: not there
      content: {{ application/json: {{ schema: {{ $ref: '#/components/schemas/Failure' }} }} }}
    Slow: {{ description: too many }}
  schemas:
    Failure: {{ type: object }}
"#
    ));
    run_step!(d, inline_shared_components);
    let op = &d["paths"]["/w"]["get"];
    assert_eq!(op["parameters"][0]["name"], "size");
    assert_eq!(d["paths"]["/w"]["parameters"][0]["name"], "size");
    assert_eq!(
        op["responses"]["200"]["headers"]["X-Id"]["schema"]["type"],
        "string"
    );
    assert_eq!(
        op["responses"]["404"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/Failure"}),
        "a reference to a reference is followed"
    );
    assert_eq!(op["responses"]["429"], json!({"description": "too many"}));
    let comps = d["components"].as_object().unwrap();
    assert_eq!(
        comps.keys().collect::<Vec<_>>(),
        ["schemas"],
        "only schemas stay shared"
    );
}

#[test]
fn ref_inline_copies_of_components_replaces_titled_inline_schemas() {
    let mut d = doc(&format!(
        r#"{HEAD}
paths:
  /x:
    post:
      operationId: x
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                title: cdx.v1.Thing
                properties: {{ a: {{ type: string }} }}
        '400':
          description: bad
          content:
            application/json:
              schema: {{ type: object, title: Untitled-elsewhere }}
components:
  schemas:
    cdx.v1.Thing:
      type: object
      title: cdx.v1.Thing
      properties:
        a: {{ type: string }}
        inner: {{ type: object, title: cdx.v1.Thing }}
"#
    ));
    run_step!(d, ref_inline_copies_of_components);
    let ok = &d["paths"]["/x"]["post"]["responses"]["200"]["content"]["application/json"]["schema"];
    assert_eq!(ok, &json!({"$ref": "#/components/schemas/cdx.v1.Thing"}));
    let bad =
        &d["paths"]["/x"]["post"]["responses"]["400"]["content"]["application/json"]["schema"];
    assert_eq!(
        bad["title"], "Untitled-elsewhere",
        "a title naming no component stays inline"
    );
    let comp = &d["components"]["schemas"]["cdx.v1.Thing"];
    assert_eq!(
        comp["title"], "cdx.v1.Thing",
        "the component itself is kept"
    );
    assert_eq!(
        comp["properties"]["inner"],
        json!({"$ref": "#/components/schemas/cdx.v1.Thing"})
    );
}

#[test]
fn string_discriminator_mappings_turns_inline_values_into_refs_or_drops_them() {
    let mut d = doc(&format!(
        r#"{HEAD}
paths: {{}}
components:
  schemas:
    U:
      oneOf: [{{ $ref: '#/components/schemas/A' }}]
      discriminator:
        propertyName: kind
        mapping:
          A: {{ $ref: '#/components/schemas/A' }}
          B: {{ type: object, title: B }}
          C: '#/components/schemas/C'
    V:
      oneOf: [{{ type: object }}]
      discriminator:
        propertyName: kind
        mapping:
          Only: {{ type: object }}
"#
    ));
    run_step!(d, string_discriminator_mappings);
    assert_eq!(
        d["components"]["schemas"]["U"]["discriminator"]["mapping"],
        json!({"A": "#/components/schemas/A", "C": "#/components/schemas/C"})
    );
    assert_eq!(
        d["components"]["schemas"]["V"]["discriminator"],
        json!({"propertyName": "kind"})
    );
    // The result is what openapiv3 accepts.
    let _: openapiv3::OpenAPI =
        serde_json::from_value(d).expect("openapiv3 parses the normalised fixture");
}

#[test]
fn inline_placeholder_components_puts_generator_placeholders_back_in_place() {
    // Trait: the Go SDK copy answers `shared-tokens:resources` with `inline_response_200`.
    let mut d = doc(&format!(
        r#"{HEAD}
paths:
  /t:
    post:
      operationId: t
      responses:
        '200':
          description: ok
          content:
            application/json: {{ schema: {{ $ref: '#/components/schemas/inline_response_200' }} }}
components:
  schemas:
    inline_response_200:
      type: object
      properties: {{ things: {{ type: array, items: {{ $ref: '#/components/schemas/Thing' }} }} }}
    inline_responses_are_not_me: {{ type: string }}
    Thing: {{ type: object }}
"#
    ));
    run_step!(d, inline_placeholder_components);
    assert_eq!(
        ok_schema(&d, "/t", "post")["properties"]["things"]["items"],
        json!({"$ref": "#/components/schemas/Thing"})
    );
    let names: Vec<_> = d["components"]["schemas"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(names, ["inline_responses_are_not_me", "Thing"]);
}

#[test]
fn drop_example_overlays_leaves_the_referenced_schema_and_the_required_list() {
    // Trait: the Go SDK copy's get/list/update responses for provider shares and provider shared
    // resources: `allOf [$ref, required-overlay, example-only overlay]`, nested in lists.
    let mut d = doc(&format!(
        r#"{HEAD}
paths:
  /s:
    get:
      operationId: s
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                allOf:
                  - $ref: '#/components/schemas/Share'
                  - {{ type: object, required: [id] }}
                  - {{ type: object, properties: {{ id: {{ example: s-1 }} }} }}
  /l:
    get:
      operationId: l
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                allOf:
                  - $ref: '#/components/schemas/ShareList'
                  - type: object
                    properties:
                      metadata:
                        allOf:
                          - $ref: '#/components/schemas/ListMeta'
                          - {{ type: object, properties: {{ next: {{ example: 'https://x/l?page_token=2' }} }} }}
                      data:
                        type: array
                        items:
                          allOf:
                            - $ref: '#/components/schemas/Share'
                            - {{ type: object, required: [id] }}
  /keep:
    get:
      operationId: keep
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                allOf:
                  - $ref: '#/components/schemas/Share'
                  - {{ type: object, properties: {{ extra: {{ type: string }} }} }}
                  - {{ type: object, properties: {{ id: {{ format: uuid }} }} }}
components:
  schemas:
    Share: {{ type: object, properties: {{ id: {{ type: string }} }} }}
    ShareList:
      type: object
      properties:
        metadata: {{ $ref: '#/components/schemas/ListMeta' }}
        data: {{ type: array, items: {{ $ref: '#/components/schemas/Share' }} }}
    ListMeta: {{ type: object, properties: {{ next: {{ type: string }} }} }}
"#
    ));
    run_step!(d, drop_example_overlays);
    assert_eq!(
        ok_schema(&d, "/s", "get"),
        json!({"allOf": [
            {"$ref": "#/components/schemas/Share"},
            {"type": "object", "required": ["id"]}
        ]}),
        "the example overlay goes, the required list stays for collapse_required_overlays"
    );
    assert_eq!(
        ok_schema(&d, "/l", "get"),
        json!({"allOf": [{"$ref": "#/components/schemas/ShareList"}]}),
        "a list overlay restating metadata and items adds nothing"
    );
    assert_eq!(
        ok_schema(&d, "/keep", "get")["allOf"]
            .as_array()
            .unwrap()
            .len(),
        3,
        "an overlay with a new property, or one that adds a format, is kept"
    );
    // With the other steps, the responses are the components themselves.
    run_step!(d, collapse_required_overlays);
    assert_eq!(
        ok_schema(&d, "/s", "get"),
        json!({"$ref": "#/components/schemas/Share"})
    );
}

#[test]
fn inline_primitive_aliases_types_filters_in_place_and_drops_unused_aliases() {
    // Trait: the Go SDK copy and the whole document type list filters as `$ref: SearchFilter`
    // (a string) or `$ref: BooleanFilter` (a boolean).
    let mut d = doc(&format!(
        r#"{HEAD}
paths:
  /l:
    get:
      operationId: l
      parameters:
        - {{ name: crn, in: query, description: by crn, schema: {{ $ref: '#/components/schemas/SearchFilter' }} }}
        - {{ name: gone, in: query, schema: {{ $ref: '#/components/schemas/BooleanFilter' }} }}
        - {{ name: kind, in: query, schema: {{ $ref: '#/components/schemas/Kind' }} }}
      responses: {{ '204': {{ description: ok }} }}
components:
  schemas:
    SearchFilter: {{ type: string, description: a filter }}
    BooleanFilter: {{ type: boolean }}
    Kind: {{ type: string, enum: [a, b] }}
    Named: {{ type: object, properties: {{ label: {{ $ref: '#/components/schemas/Label' }} }} }}
    Label: {{ type: string }}
"#
    ));
    run_step!(d, inline_primitive_aliases);
    let params = &d["paths"]["/l"]["get"]["parameters"];
    assert_eq!(params[0]["schema"], json!({"type": "string"}));
    assert_eq!(
        params[0]["description"], "by crn",
        "the parameter's own words stay"
    );
    assert_eq!(params[1]["schema"], json!({"type": "boolean"}));
    assert_eq!(
        params[2]["schema"],
        json!({"$ref": "#/components/schemas/Kind"}),
        "an enum is a type of its own"
    );
    let names: Vec<_> = d["components"]["schemas"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(
        names,
        ["Kind", "Named", "Label"],
        "aliases used elsewhere or never inlined stay"
    );
}

#[test]
fn drop_default_serialisation_styles_keeps_only_styles_that_change_the_wire() {
    // Trait: the Go SDK copy writes `style`/`explode` on every parameter and header, with the
    // defaults; the API pages write `style: form` alone, or nothing.
    let mut d = doc(&format!(
        r#"{HEAD}
paths:
  /w/{{id}}:
    get:
      operationId: w
      parameters:
        - {{ name: id, in: path, required: true, style: simple, explode: false, schema: {{ type: string }} }}
        - {{ name: q, in: query, style: form, explode: true, schema: {{ type: string }} }}
        - {{ name: r, in: query, style: form, explode: false, schema: {{ type: array, items: {{ type: string }} }} }}
        - {{ name: s, in: query, style: spaceDelimited, schema: {{ type: array, items: {{ type: string }} }} }}
      responses:
        '200':
          description: ok
          headers: {{ X-Id: {{ style: simple, explode: false, schema: {{ type: string }} }} }}
"#
    ));
    run_step!(d, drop_default_serialisation_styles);
    let params = &d["paths"]["/w/{id}"]["get"]["parameters"];
    assert!(params[0].get("style").is_none() && params[0].get("explode").is_none());
    assert!(params[1].get("style").is_none() && params[1].get("explode").is_none());
    assert_eq!(params[2]["explode"], false, "a non-default explode is kept");
    assert_eq!(params[3]["style"], "spaceDelimited");
    let header = &d["paths"]["/w/{id}"]["get"]["responses"]["200"]["headers"]["X-Id"];
    assert_eq!(header, &json!({"schema": {"type": "string"}}));
}
