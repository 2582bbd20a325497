//! The pipeline as a whole: the table's order and dependencies, the post-conditions on the
//! vendored spec, what `apply_all` reports and refuses.

use super::*;
use crate::normalise::fixture::{HEAD, doc};

#[test]
fn apply_all_reports_changed_steps_and_is_idempotent() {
    let mut d = doc(&format!(
        r#"{HEAD}
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
        r#"{HEAD}
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
