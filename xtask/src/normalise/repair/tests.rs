//! One test per repair step, each on a small fixture showing the upstream quirk.

use super::*;
use crate::normalise::fixture::{HEAD, doc};
use serde_json::json;

#[test]
fn collapse_required_overlays_refs_responses_and_moves_request_requirements() {
    let mut d = doc(&format!(
        r#"{HEAD}
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
        r#"{HEAD}
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
fn drop_read_only_from_requests_strips_request_only_schemas() {
    let mut d = doc(&format!(
        r#"{HEAD}
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
fn require_request_bodies_marks_every_body_required() {
    let mut d = doc(&format!(
        r#"{HEAD}
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
        r#"{HEAD}
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
fn open_extensible_enums_hoists_inline_enums_to_named_components() {
    let mut d = doc(&format!(
        r#"{HEAD}
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
fn redact_share_tokens_marks_request_tokens_only() {
    let mut d = doc(&format!(
        r#"{HEAD}
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
fn redact_secret_fields_points_x_redact_strings_at_secret() {
    let mut d = doc(&format!(
        r#"{HEAD}
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
        r#"{HEAD}
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
fn optional_response_fields_drops_required_except_union_kinds() {
    let mut d = doc(&format!(
        r#"{HEAD}
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
fn keep_unknown_fields_opens_response_objects_and_stops_denying_in_requests() {
    let mut d = doc(&format!(
        r#"{HEAD}
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
fn relax_response_constraints_keeps_request_only_constraints() {
    let mut d = doc(&format!(
        r#"{HEAD}
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
        r#"{HEAD}
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
