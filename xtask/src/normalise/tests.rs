//! One test per normalisation step, each on a small fixture showing the upstream quirk.

use super::*;
use serde_json::json;

fn doc(yaml: &str) -> Value {
    crate::spec::parse(yaml).expect("fixture is valid YAML")
}

const OP_HEAD: &str = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\n";

#[test]
fn drop_non_extension_operation_keys_keeps_standard_and_x_keys() {
    let mut d = doc(&format!(
        r#"{OP_HEAD}
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
fn ref_inline_copies_of_components_replaces_titled_inline_schemas() {
    let mut d = doc(&format!(
        r#"{OP_HEAD}
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
        r#"{OP_HEAD}
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
fn collapse_required_overlays_refs_responses_and_moves_request_requirements() {
    let mut d = doc(&format!(
        r#"{OP_HEAD}
paths:
  /s:
    post:
      operationId: create
      requestBody:
        content:
          application/json:
            schema:
              allOf:
                - $ref: '#/components/schemas/CreateReq'
                - type: object
                  required: [email]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                allOf:
                  - $ref: '#/components/schemas/Share'
                  - type: object
                    required: [id, status]
components:
  schemas:
    CreateReq: {{ type: object, properties: {{ email: {{ type: string }} }} }}
    Share: {{ type: object, properties: {{ id: {{ type: string }}, status: {{ type: string }} }} }}
    ShareList:
      type: object
      properties:
        data:
          type: array
          items:
            allOf:
              - $ref: '#/components/schemas/Share'
              - required: [id]
"#
    ));
    run_step!(d, collapse_required_overlays);
    let op = &d["paths"]["/s"]["post"];
    assert_eq!(
        op["requestBody"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/CreateReq"})
    );
    assert_eq!(
        d["components"]["schemas"]["CreateReq"]["required"],
        json!(["email"])
    );
    assert_eq!(
        op["responses"]["200"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/Share"})
    );
    assert_eq!(
        d["components"]["schemas"]["ShareList"]["properties"]["data"]["items"],
        json!({"$ref": "#/components/schemas/Share"})
    );
    assert!(
        d["components"]["schemas"]["Share"]
            .get("required")
            .is_none(),
        "response fields stay optional"
    );
}

#[test]
fn drop_bodiless_error_responses_removes_only_bodiless_errors() {
    let mut d = doc(&format!(
        r#"{OP_HEAD}
paths:
  /x:
    get:
      operationId: x
      responses:
        '204': {{ description: none }}
        '404':
          description: nf
          content: {{ application/json: {{ schema: {{ type: object }} }} }}
        '429':
          description: Rate Limit Exceeded
          headers:
            Retry-After: {{ schema: {{ type: integer }} }}
"#
    ));
    run_step!(d, drop_bodiless_error_responses);
    let responses = d["paths"]["/x"]["get"]["responses"].as_object().unwrap();
    assert_eq!(
        responses.keys().collect::<Vec<_>>(),
        ["204", "404"],
        "success without body stays"
    );
}

#[test]
fn keep_unknown_fields_opens_response_objects_and_stops_denying_in_requests() {
    let mut d = doc(&format!(
        r#"{OP_HEAD}
paths:
  /x:
    post:
      operationId: x
      requestBody:
        content:
          application/json:
            schema: {{ $ref: '#/components/schemas/Req' }}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{ $ref: '#/components/schemas/Thing' }}
        '400':
          description: bad
          content:
            application/json:
              schema: {{ type: object, additionalProperties: false, properties: {{ code: {{ type: string }} }} }}
components:
  schemas:
    Req: {{ type: object, additionalProperties: false, properties: {{ token: {{ type: string }} }} }}
    Thing:
      type: object
      properties:
        inner: {{ type: object, properties: {{ a: {{ type: string }} }} }}
        map: {{ type: object, additionalProperties: {{ type: string }} }}
        metadata:
          allOf:
            - {{ $ref: '#/components/schemas/Meta' }}
            - {{ properties: {{ self: {{ example: 'https://x' }} }} }}
    Meta: {{ type: object, properties: {{ self: {{ type: string }} }} }}
"#
    ));
    run_step!(d, keep_unknown_fields);
    assert_eq!(
        d["components"]["schemas"]["Thing"]["properties"]["metadata"]["allOf"][1],
        json!({"properties": {"self": {"example": "https://x"}}}),
        "an allOf member is left as it was (no extra map, no marker)"
    );
    assert_eq!(
        d["components"]["schemas"]["Meta"]["additionalProperties"],
        json!({})
    );
    let comps = &d["components"]["schemas"];
    assert!(
        comps["Req"].get("additionalProperties").is_none(),
        "a request-only object stops denying unknown fields, and gets no extra map"
    );
    assert_eq!(comps["Thing"]["additionalProperties"], json!({}));
    assert_eq!(
        comps["Thing"]["properties"]["inner"]["additionalProperties"],
        json!({}),
        "nested objects keep their unknown fields too"
    );
    assert_eq!(
        comps["Thing"]["properties"]["map"]["additionalProperties"],
        json!({"type": "string"}),
        "a map without declared properties is left alone"
    );
    let bad =
        &d["paths"]["/x"]["post"]["responses"]["400"]["content"]["application/json"]["schema"];
    assert_eq!(bad["additionalProperties"], json!({}));
}

#[test]
fn optional_response_fields_drops_required_except_union_kinds() {
    let mut d = doc(&format!(
        r#"{OP_HEAD}
paths:
  /x:
    post:
      operationId: x
      requestBody:
        content:
          application/json:
            schema: {{ $ref: '#/components/schemas/Req' }}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{ $ref: '#/components/schemas/List' }}
components:
  schemas:
    Req: {{ type: object, required: [token], properties: {{ token: {{ type: string }} }} }}
    List:
      type: object
      required: [kind, data]
      properties:
        kind: {{ type: string }}
        data: {{ type: array, items: {{ $ref: '#/components/schemas/Item' }} }}
    Item:
      x-cdx-open-union: true
      oneOf: [{{ $ref: '#/components/schemas/Topic' }}]
      discriminator: {{ propertyName: kind }}
    Topic:
      type: object
      required: [kind, topic]
      properties:
        kind: {{ type: string, enum: [Topic] }}
        topic: {{ type: string }}
"#
    ));
    run_step!(d, optional_response_fields);
    let comps = &d["components"]["schemas"];
    assert_eq!(
        comps["Req"]["required"],
        json!(["token"]),
        "requests keep theirs"
    );
    assert!(comps["List"].get("required").is_none());
    assert_eq!(
        comps["Topic"]["required"],
        json!(["kind"]),
        "the tag stays required"
    );
}

#[test]
fn require_request_bodies_marks_every_body_required() {
    let mut d = doc(&format!(
        r#"{OP_HEAD}
paths:
  /x:
    post:
      operationId: x
      requestBody:
        content:
          application/json:
            schema: {{ type: object }}
      responses: {{ '204': {{ description: ok }} }}
"#
    ));
    run_step!(d, require_request_bodies);
    assert_eq!(d["paths"]["/x"]["post"]["requestBody"]["required"], true);
}

#[test]
fn bound_page_size_adds_the_minimum_the_api_enforces() {
    let mut d = doc(&format!(
        r#"{OP_HEAD}
paths:
  /x:
    get:
      operationId: x
      parameters:
        - {{ name: page_size, in: query, schema: {{ type: integer, maximum: 100, default: 10 }} }}
        - {{ name: page_token, in: query, schema: {{ type: string, maxLength: 255 }} }}
      responses: {{ '204': {{ description: ok }} }}
"#
    ));
    run_step!(d, bound_page_size);
    let params = &d["paths"]["/x"]["get"]["parameters"];
    assert_eq!(
        params[0]["schema"],
        json!({"type": "integer", "maximum": 100, "default": 10, "minimum": 1})
    );
    assert!(params[1]["schema"].get("minimum").is_none());
}

#[test]
fn redact_share_tokens_marks_request_tokens_only() {
    let mut d = doc(&format!(
        r#"{OP_HEAD}
paths:
  /x:
    post:
      operationId: x
      requestBody:
        content:
          application/json:
            schema: {{ $ref: '#/components/schemas/SharedToken' }}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{ $ref: '#/components/schemas/Page' }}
components:
  schemas:
    SharedToken: {{ type: object, properties: {{ token: {{ type: string }} }} }}
    Page: {{ type: object, properties: {{ token: {{ type: string }} }} }}
"#
    ));
    run_step!(d, redact_share_tokens);
    let comps = &d["components"]["schemas"];
    assert_eq!(
        comps["SharedToken"]["properties"]["token"]["x-redact"],
        true
    );
    assert!(
        comps["Page"]["properties"]["token"]
            .get("x-redact")
            .is_none(),
        "a response field named token is not a share token"
    );
}

#[test]
fn drop_read_only_from_requests_strips_request_only_schemas() {
    let mut d = doc(&format!(
        r#"{OP_HEAD}
paths:
  /r:
    post:
      operationId: r
      requestBody:
        content:
          application/json:
            schema:
              allOf:
                - $ref: '#/components/schemas/Req'
                - type: object
                  required: [token]
      responses:
        '200':
          description: ok
          content: {{ application/json: {{ schema: {{ $ref: '#/components/schemas/Shared' }} }} }}
  /s:
    patch:
      operationId: s
      requestBody:
        content: {{ application/json: {{ schema: {{ $ref: '#/components/schemas/Shared' }} }} }}
      responses:
        '204': {{ description: ok }}
components:
  schemas:
    Meta: {{ readOnly: true, properties: {{ self: {{ type: string }} }} }}
    Req:
      type: object
      required: [id, token]
      properties:
        id: {{ type: string, readOnly: true }}
        metadata: {{ allOf: [{{ $ref: '#/components/schemas/Meta' }}, {{ properties: {{}} }}] }}
        inline_meta: {{ allOf: [{{ readOnly: true, properties: {{}} }}] }}
        token: {{ type: string }}
    Shared:
      type: object
      properties:
        kind: {{ type: string, readOnly: true }}
        enabled: {{ type: boolean }}
"#
    ));
    run_step!(d, drop_read_only_from_requests);
    let req = &d["components"]["schemas"]["Req"];
    assert_eq!(
        req["properties"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["token"]
    );
    assert_eq!(req["required"], json!(["token"]));
    let shared = &d["components"]["schemas"]["Shared"];
    assert!(
        shared["properties"].get("kind").is_some(),
        "schemas that responses use keep read-only fields"
    );
}

#[test]
fn open_extensible_enums_hoists_inline_enums_to_named_components() {
    let mut d = doc(&format!(
        r#"{OP_HEAD}
paths: {{}}
components:
  schemas:
    cdx.v1.Cloud: {{ type: string, x-extensible-enum: [AWS, GCP] }}
    cdx.v1.Status:
      type: object
      properties:
        phase: {{ type: string, description: The phase, x-extensible-enum: [ACTIVE] }}
"#
    ));
    run_step!(d, open_extensible_enums);
    let schemas = &d["components"]["schemas"];
    assert_eq!(
        schemas["cdx.v1.Cloud"]["x-extensible-enum"],
        json!(["AWS", "GCP"]),
        "components stay"
    );
    assert_eq!(
        schemas["cdx.v1.Status"]["properties"]["phase"],
        json!({"description": "The phase", "allOf": [{"$ref": "#/components/schemas/cdx.v1.Status.phase"}]})
    );
    assert_eq!(
        schemas["cdx.v1.Status.phase"]["x-extensible-enum"],
        json!(["ACTIVE"])
    );
    assert_eq!(
        schemas["cdx.v1.Status.phase"]["title"],
        "cdx.v1.Status.phase"
    );
}

#[test]
fn redact_secret_fields_points_x_redact_strings_at_secret() {
    let mut d = doc(&format!(
        r#"{OP_HEAD}
paths: {{}}
components:
  schemas:
    R:
      type: object
      properties:
        secret: {{ type: string, x-redact: true, readOnly: true }}
        api_key: {{ type: string }}
"#
    ));
    run_step!(d, redact_secret_fields);
    let schemas = &d["components"]["schemas"];
    assert_eq!(
        schemas["R"]["properties"]["secret"],
        json!({"readOnly": true, "x-redact": true, "allOf": [{"$ref": "#/components/schemas/Secret"}]})
    );
    assert_eq!(
        schemas["R"]["properties"]["api_key"],
        json!({"type": "string"})
    );
    assert_eq!(schemas["Secret"]["type"], "string");
}

#[test]
fn tolerate_unknown_union_kinds_hoists_and_marks_unions() {
    let mut d = doc(&format!(
        r#"{OP_HEAD}
paths: {{}}
components:
  schemas:
    cdx.v1.SharedTopic:
      type: object
      properties: {{ kind: {{ type: string, enum: [Topic] }}, topic: {{ type: string }} }}
    cdx.v1.Resp:
      type: object
      properties:
        resources:
          type: array
          items:
            type: object
            discriminator: {{ propertyName: kind }}
            oneOf:
              - $ref: '#/components/schemas/cdx.v1.SharedTopic'
              - type: object
                title: cdx.v1.SharedGroup
                properties: {{ kind: {{ type: string, enum: [Group] }} }}
"#
    ));
    run_step!(d, tolerate_unknown_union_kinds);
    let schemas = &d["components"]["schemas"];
    assert_eq!(
        schemas["cdx.v1.Resp"]["properties"]["resources"]["items"],
        json!({"allOf": [{"$ref": "#/components/schemas/cdx.v1.Resp.resources.item"}]})
    );
    let union = &schemas["cdx.v1.Resp.resources.item"];
    assert_eq!(union[OPEN_UNION], true);
    assert_eq!(
        union["oneOf"][1],
        json!({"$ref": "#/components/schemas/cdx.v1.SharedGroup"}),
        "inline members hoisted"
    );
    assert_eq!(
        schemas["cdx.v1.SharedGroup"]["properties"]["kind"]["enum"],
        json!(["Group"])
    );
}

#[test]
fn relax_response_constraints_keeps_request_only_constraints() {
    let mut d = doc(&format!(
        r#"{OP_HEAD}
paths:
  /r:
    post:
      operationId: r
      requestBody:
        content: {{ application/json: {{ schema: {{ $ref: '#/components/schemas/Req' }} }} }}
      responses:
        '200':
          description: ok
          content: {{ application/json: {{ schema: {{ $ref: '#/components/schemas/Net' }} }} }}
components:
  schemas:
    Req: {{ type: object, properties: {{ gcp_project: {{ type: string, minLength: 1 }} }} }}
    Net:
      type: object
      properties:
        id: {{ type: string, maxLength: 255 }}
        zones: {{ type: array, minItems: 3, maxItems: 3, items: {{ type: string }} }}
"#
    ));
    run_step!(d, relax_response_constraints);
    let schemas = &d["components"]["schemas"];
    assert_eq!(
        schemas["Net"]["properties"]["id"],
        json!({"type": "string"})
    );
    assert_eq!(
        schemas["Net"]["properties"]["zones"],
        json!({"type": "array", "items": {"type": "string"}})
    );
    assert_eq!(schemas["Req"]["properties"]["gcp_project"]["minLength"], 1);
}

#[test]
fn image_bodies_as_octet_stream_rewrites_image_media() {
    let mut d = doc(&format!(
        r#"{OP_HEAD}
paths:
  /i:
    post:
      operationId: up
      requestBody:
        content: {{ image/*: {{ schema: {{ type: string, format: base64 }} }} }}
      responses:
        '201': {{ description: created }}
    get:
      operationId: view
      responses:
        '200':
          description: ok
          content: {{ image/*: {{ schema: {{ type: string, format: base64 }} }} }}
"#
    ));
    run_step!(d, image_bodies_as_octet_stream);
    let op = &d["paths"]["/i"];
    assert_eq!(
        op["post"]["requestBody"]["content"],
        json!({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}})
    );
    assert_eq!(
        op["get"]["responses"]["200"]["content"]["image/*"]["schema"]["format"],
        "binary"
    );
}

#[test]
fn crn_patterns_as_prefixes_replaces_only_the_crn_pattern() {
    let mut d = doc(&format!(
        r#"{OP_HEAD}
paths: {{}}
components:
  schemas:
    Req:
      type: object
      properties:
        resources: {{ type: array, items: {{ type: string, format: uri, pattern: '^crn://.+$' }} }}
        other: {{ type: string, pattern: '^[a-z]+$' }}
"#
    ));
    run_step!(d, crn_patterns_as_prefixes);
    let props = &d["components"]["schemas"]["Req"]["properties"];
    assert_eq!(
        props["resources"]["items"],
        json!({"type": "string", "format": "uri", "minLength": 7})
    );
    assert_eq!(props["other"]["pattern"], "^[a-z]+$", "other patterns stay");
}

#[test]
fn sort_paths_orders_paths_by_name() {
    let mut d = doc(&format!(
        r#"{OP_HEAD}
paths:
  /b: {{ get: {{ operationId: b, responses: {{ '204': {{ description: ok }} }} }} }}
  /a:colon: {{ post: {{ operationId: c, responses: {{ '204': {{ description: ok }} }} }} }}
  /a: {{ get: {{ operationId: a, responses: {{ '204': {{ description: ok }} }} }} }}
"#
    ));
    run_step!(d, sort_paths);
    let paths: Vec<&String> = d["paths"].as_object().unwrap().keys().collect();
    assert_eq!(paths, ["/a", "/a:colon", "/b"]);
    assert_eq!(
        d["paths"]["/a:colon"]["post"]["operationId"], "c",
        "items move with their path"
    );
}

#[test]
fn apply_all_reports_changed_steps_and_is_idempotent() {
    let mut d = doc(&format!(
        r#"{OP_HEAD}
paths: {{}}
components:
  schemas:
    Error: {{ type: object, additionalProperties: false }}
"#
    ));
    assert_eq!(apply_all(&mut d).unwrap(), ["keep_unknown_fields"]);
    assert!(
        apply_all(&mut d).unwrap().is_empty(),
        "a normalised spec is a fixed point"
    );
}

fn every_step() -> impl DoubleEndedIterator<Item = &'static Step> {
    STEPS.iter().chain(GENERATOR_STEPS)
}

#[test]
fn every_step_runs_after_the_steps_it_declares() {
    assert_eq!(order_problems(every_step()), Vec::<String>::new());
}

#[test]
fn a_table_that_breaks_a_declared_dependency_is_reported() {
    let reversed: Vec<&Step> = every_step().rev().collect();
    let problems = order_problems(reversed);
    assert!(
        problems.contains(
            &"`string_discriminator_mappings` runs before `ref_inline_copies_of_components`"
                .to_string()
        ),
        "{problems:#?}"
    );
    let without = every_step().filter(|s| s.name != "inline_shared_components");
    let problems = order_problems(without);
    assert!(
        problems.contains(
            &"`bound_page_size` needs `inline_shared_components`, which is no step".to_string()
        ),
        "{problems:#?}"
    );
    let twice = every_step().chain(&STEPS[..1]);
    assert_eq!(
        order_problems(twice),
        ["`drop_non_extension_operation_keys` is listed twice"]
    );
}

#[test]
fn the_modules_define_the_steps_in_the_order_they_run() {
    // Module by module in the order of the table, then function by function.
    let source = [
        include_str!("layout.rs"),
        include_str!("repair.rs"),
        include_str!("order.rs"),
        include_str!("generator.rs"),
    ]
    .concat();
    let at = |name: &str| {
        source
            .find(&format!("\npub fn {name}("))
            .unwrap_or_else(|| panic!("`{name}` is defined in no step module"))
    };
    let positions: Vec<(usize, &str)> = every_step().map(|s| (at(s.name), s.name)).collect();
    for w in positions.windows(2) {
        assert!(
            w[0].0 < w[1].0,
            "`{}` is defined after `{}`",
            w[0].1,
            w[1].1
        );
    }
}

#[test]
fn each_post_condition_holds_on_the_vendored_spec_after_its_step_and_at_the_end() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/cdx-v1.yaml");
    let mut d = crate::spec::load(&path).unwrap();
    let flagged_before = every_step().filter(|s| !(s.check)(&d).is_empty()).count();
    assert!(
        flagged_before > 0,
        "the vendored spec shows upstream traits before normalisation"
    );
    for step in every_step() {
        (step.apply)(&mut d);
        assert_eq!(
            (step.check)(&d),
            Vec::<String>::new(),
            "after `{}`",
            step.name
        );
    }
    for step in every_step() {
        assert_eq!(
            (step.check)(&d),
            Vec::<String>::new(),
            "`{}` at the end",
            step.name
        );
    }
}

#[test]
fn a_trait_left_behind_is_an_error_naming_the_step() {
    // A reference cycle among shared responses (invalid OpenAPI) cannot be inlined.
    let mut d = doc(&format!(
        r#"{OP_HEAD}
paths:
  /x:
    get:
      operationId: x
      responses:
        '200': {{ $ref: '#/components/responses/A' }}
components:
  responses:
    A: {{ $ref: '#/components/responses/B' }}
    B: {{ $ref: '#/components/responses/A' }}
"#
    ));
    let err = apply_all(&mut d).unwrap_err().to_string();
    assert!(
        err.contains("`inline_shared_components` did not hold")
            && err.contains("#/components/responses/"),
        "{err}"
    );
}
