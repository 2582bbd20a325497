//! The generator-only steps.

use crate::normalise::fixture::{HEAD, doc};
use serde_json::json;

#[test]
fn crn_patterns_as_prefixes_replaces_only_the_crn_pattern() {
    let mut d = doc(&format!(
        r#"{HEAD}
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
