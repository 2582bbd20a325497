//! The normaliser: named steps, each turning one upstream trait of the cdx/v1 spec into
//! something progenitor and typify handle, without changing what goes over the wire.
//!
//! The vendored spec is never edited by hand; the steps run on a copy in memory, in the order of
//! [`STEPS`], and the result is committed as `cdx-client/cdx-v1.normalised.json`. The modules
//! hold the steps in that same order: [`layout`] (what only the published layout decides), then
//! [`repair`] (what the spec itself gets wrong for a client), then [`order`]; [`generator`] holds
//! what runs on the generator's copy only. Each step declares the steps it needs before it and a
//! post-condition: a check that the trait it repairs is gone.

use anyhow::{Result, bail};
use serde_json::Value;

#[cfg(test)]
#[macro_use]
mod fixture;

mod components;
pub mod generator;
pub mod layout;
pub mod order;
pub mod repair;

// Every step by its name: the table's dependencies are written with these, and callers use them.
pub use generator::crn_patterns_as_prefixes;
pub use layout::{
    drop_default_serialisation_styles, drop_example_overlays, drop_non_extension_operation_keys,
    inline_placeholder_components, inline_primitive_aliases, inline_shared_components,
    ref_inline_copies_of_components, string_discriminator_mappings,
};
pub use order::{sort_components, sort_paths};
pub use repair::{
    OPEN_UNION, SECRET, bound_page_size, collapse_required_overlays, drop_bodiless_error_responses,
    drop_read_only_from_requests, image_bodies_as_octet_stream, keep_unknown_fields,
    open_extensible_enums, optional_response_fields, redact_secret_fields, redact_share_tokens,
    relax_response_constraints, require_request_bodies, tolerate_unknown_union_kinds,
};

/// A normalisation step.
pub struct Step {
    /// The function's name, as it appears in reports and errors.
    pub name: &'static str,
    /// Applies the step to the whole document.
    pub apply: fn(&mut Value),
    /// The steps that must have run before this one.
    pub after: &'static [&'static str],
    /// The post-condition: where the trait the step repairs is still seen (empty when gone).
    pub check: fn(&Value) -> Vec<String>,
}

/// One [`Step`] from its module and function: the name is the function's, and each dependency
/// is written as a function, so a misspelt one does not compile.
macro_rules! step {
    ($module:ident :: $apply:ident, after: [$($dep:ident),* $(,)?], check: $check:ident) => {
        Step {
            name: stringify!($apply),
            apply: $module::$apply,
            after: &[$({
                let _: fn(&mut Value) = $dep;
                stringify!($dep)
            }),*],
            check: $module::$check,
        }
    };
}

/// Every step, in the order they run (which is also their order in the modules). A step's
/// `after` names the steps whose output it reads: shared components and inline copies must be
/// references before a step can look through them, overlays gone before `required` is touched,
/// components hoisted before they are sorted.
pub const STEPS: &[Step] = &[
    step!(layout::drop_non_extension_operation_keys,
        after: [], check: only_standard_operation_keys),
    step!(layout::inline_shared_components, after: [], check: no_shared_component_refs),
    step!(layout::ref_inline_copies_of_components, after: [], check: no_titled_inline_copies),
    step!(layout::string_discriminator_mappings,
        after: [ref_inline_copies_of_components], check: only_string_mappings),
    step!(layout::inline_placeholder_components,
        after: [inline_shared_components], check: no_placeholder_components),
    step!(layout::drop_example_overlays,
        after: [inline_shared_components, ref_inline_copies_of_components],
        check: no_example_overlays),
    step!(layout::inline_primitive_aliases,
        after: [inline_shared_components], check: no_parameter_alias_refs),
    step!(layout::drop_default_serialisation_styles,
        after: [inline_shared_components], check: no_default_styles),
    step!(repair::collapse_required_overlays,
        after: [ref_inline_copies_of_components, drop_example_overlays],
        check: no_required_overlays),
    step!(repair::drop_bodiless_error_responses,
        after: [inline_shared_components], check: error_responses_have_bodies),
    step!(repair::drop_read_only_from_requests,
        after: [collapse_required_overlays], check: no_read_only_in_requests),
    step!(repair::require_request_bodies,
        after: [inline_shared_components], check: request_bodies_required),
    step!(repair::bound_page_size, after: [inline_shared_components], check: page_size_bounded),
    step!(repair::open_extensible_enums,
        after: [ref_inline_copies_of_components], check: open_enums_are_components),
    step!(repair::redact_share_tokens, after: [], check: share_tokens_marked),
    step!(repair::redact_secret_fields, after: [redact_share_tokens], check: secrets_are_secret),
    step!(repair::tolerate_unknown_union_kinds,
        after: [ref_inline_copies_of_components], check: unions_are_open_components),
    step!(repair::optional_response_fields,
        after: [collapse_required_overlays, tolerate_unknown_union_kinds],
        check: response_fields_optional),
    step!(repair::keep_unknown_fields, after: [], check: unknown_fields_kept),
    step!(repair::relax_response_constraints, after: [], check: no_response_constraints),
    step!(repair::image_bodies_as_octet_stream,
        after: [inline_shared_components], check: no_image_bodies),
    step!(order::sort_paths, after: [], check: paths_sorted),
    step!(order::sort_components,
        after: [open_extensible_enums, redact_secret_fields, tolerate_unknown_union_kinds],
        check: components_sorted),
];

/// Steps that shape only what the generator sees, after the normalised spec is written: they
/// decide what the generated code checks locally, not what the API accepts, so the committed
/// normalised spec (which the simulator and its conformance test follow) keeps describing the
/// API. They run after every step of [`STEPS`].
pub const GENERATOR_STEPS: &[Step] = &[step!(generator::crn_patterns_as_prefixes,
    after: [relax_response_constraints], check: no_crn_patterns)];

/// Runs [`GENERATOR_STEPS`] on a normalised spec, then checks their post-conditions.
pub fn apply_generator_steps(doc: &mut Value) -> Result<()> {
    for step in GENERATOR_STEPS {
        (step.apply)(doc);
    }
    check(GENERATOR_STEPS, doc)
}

/// Runs every step, then checks that each step's post-condition still holds at the end (a later
/// step must not bring a trait back). Returns the names of the steps that changed the document.
pub fn apply_all(doc: &mut Value) -> Result<Vec<&'static str>> {
    let mut changed = Vec::new();
    // Compared as text: `Value` equality ignores key order, and reordering is a change. One
    // step's result is the next one's starting point, so each state is serialised once.
    let mut before = serde_json::to_string(doc)?;
    for step in STEPS {
        (step.apply)(doc);
        let after = serde_json::to_string(doc)?;
        if after != before {
            changed.push(step.name);
        }
        before = after;
    }
    check(STEPS, doc)?;
    Ok(changed)
}

fn check(steps: &[Step], doc: &Value) -> Result<()> {
    for step in steps {
        if let Some(p) = (step.check)(doc).first() {
            bail!(
                "normalisation left a quirk behind: `{}` did not hold: {p}",
                step.name
            );
        }
    }
    Ok(())
}

/// Where `steps` (run in this order) break a declared dependency: a step named in `after` that
/// runs later, or that is no step at all.
pub fn order_problems<'a>(steps: impl IntoIterator<Item = &'a Step>) -> Vec<String> {
    let steps: Vec<&Step> = steps.into_iter().collect();
    let mut problems = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        for dep in step.after {
            match steps.iter().position(|s| s.name == *dep) {
                Some(j) if j < i => {}
                Some(_) => problems.push(format!("`{}` runs before `{dep}`", step.name)),
                None => problems.push(format!("`{}` needs `{dep}`, which is no step", step.name)),
            }
        }
        if steps[..i].iter().any(|s| s.name == step.name) {
            problems.push(format!("`{}` is listed twice", step.name));
        }
    }
    problems
}

#[cfg(test)]
mod tests;
