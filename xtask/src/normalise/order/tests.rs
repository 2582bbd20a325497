//! The canonical order of paths and components.

use crate::normalise::fixture::{HEAD, doc};

#[test]
fn sort_paths_orders_paths_by_name() {
    let mut d = doc(&format!(
        r#"{HEAD}
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
fn sort_components_orders_every_section_by_name() {
    // Trait: each published layout lists its components in an order of its own.
    let mut d = doc(&format!(
        r#"{HEAD}
paths: {{}}
components:
  schemas: {{ b: {{ type: string }}, A: {{ type: string }}, a: {{ type: string }} }}
  responses: {{ Z: {{ description: z }}, Y: {{ description: y }} }}
"#
    ));
    run_step!(d, sort_components);
    let keys = |section: &str| -> Vec<String> {
        d["components"][section]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    };
    assert_eq!(keys("schemas"), ["A", "a", "b"]);
    assert_eq!(keys("responses"), ["Y", "Z"]);
}
