//! The `Operation` table against the generated client it describes: read from the client's
//! source (parsed with syn), not from the table's own generator. Every generated method has an
//! `Operation` and every `Operation` names a method; the id the method hands its hooks
//! (`OperationInfo::operation_id`), its HTTP verb and its path are the table's; and the table's
//! facts that steer retries and redaction match what each method sends.

use cdx_ext::Operation;
use quote::ToTokens;
use std::collections::{BTreeMap, BTreeSet};

/// What a generated method of `cdx_client::Client` does, read from its source.
#[derive(Debug)]
struct Method {
    /// The id the method passes to its hooks (`OperationInfo { operation_id }`).
    info_id: String,
    /// The reqwest builder it starts from (`self.client.get(url)` → `GET`).
    verb: String,
    /// The path from its doc ("Sends a `GET` request to `/cdx/v1/...`").
    path: String,
    /// The tokens of its signature.
    signature: String,
}

/// The text between `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let rest = &text[text.find(start)? + start.len()..];
    Some(&rest[..rest.find(end)?])
}

/// The public async methods of the generated `impl Client`, by name.
fn generated_methods() -> BTreeMap<String, Method> {
    let path = cdx_test_tools::workspace_root().join(xtask::codegen::GENERATED);
    let source = std::fs::read_to_string(&path).expect("the generated client");
    let file = syn::parse_file(&source).expect("the generated client parses");
    let mut methods = BTreeMap::new();
    for item in file.items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        if block.trait_.is_some() || block.self_ty.to_token_stream().to_string() != "Client" {
            continue;
        }
        for item in block.items {
            let syn::ImplItem::Fn(f) = item else { continue };
            if f.sig.asyncness.is_none() || !matches!(f.vis, syn::Visibility::Public(_)) {
                continue;
            }
            let name = f.sig.ident.to_string();
            let body = f.block.to_token_stream().to_string();
            let doc: String = f
                .attrs
                .iter()
                .filter(|a| a.path().is_ident("doc"))
                .map(|a| a.to_token_stream().to_string())
                .collect();
            let method = Method {
                info_id: between(&body, "operation_id : \"", "\"")
                    .unwrap_or_else(|| panic!("{name}: no OperationInfo"))
                    .to_string(),
                verb: between(&body, "self . client . ", " ")
                    .unwrap_or_else(|| panic!("{name}: no request builder"))
                    .to_uppercase(),
                path: between(&doc, "request to `", "`")
                    .unwrap_or_else(|| panic!("{name}: no path in its doc"))
                    .to_string(),
                signature: f.sig.to_token_stream().to_string(),
            };
            methods.insert(name, method);
        }
    }
    methods
}

#[test]
fn every_generated_method_has_an_operation_and_every_operation_a_method() {
    let methods = generated_methods();
    let names: BTreeSet<&str> = methods.keys().map(String::as_str).collect();
    let ids: BTreeSet<&str> = Operation::ALL.iter().map(|op| op.id()).collect();
    assert_eq!(
        ids, names,
        "Operation ids and the generated client's methods"
    );
    assert_eq!(Operation::ALL.len(), methods.len(), "no operation twice");
    assert_eq!(methods.len(), 22, "the 22 operations of cdx/v1");
}

#[test]
fn each_operation_is_what_its_method_sends() {
    for (name, method) in generated_methods() {
        let op = Operation::from_id(&name).unwrap_or_else(|| panic!("{name}: no Operation"));
        assert_eq!(method.info_id, op.id(), "{op:?}: the id the hooks see");
        assert_eq!(method.verb, op.method(), "{op:?}");
        assert_eq!(method.path, op.path(), "{op:?}");
        assert_eq!(Operation::from_id(op.operation_id()), Some(op), "{op:?}");
        assert_eq!(op.to_string(), name, "{op:?}: Display is the method name");
    }
}

#[test]
fn only_operations_whose_verb_is_idempotent_may_be_retried() {
    // Named here, apart from the table: POST and PATCH requests, which a retry could apply twice
    // (a second invitation, a spent token).
    let never_retried = BTreeSet::from([
        Operation::UpdateOptIn,
        Operation::UpdateProviderSharedResource,
        Operation::UploadImageProviderSharedResource,
        Operation::CreateProviderShare,
        Operation::ResendProviderShare,
        Operation::RedeemSharedToken,
        Operation::ResourcesSharedToken,
    ]);
    let methods = generated_methods();
    for &op in Operation::ALL {
        let verb = &methods[op.id()].verb;
        assert_eq!(
            op.is_idempotent(),
            !never_retried.contains(&op),
            "{op:?} ({verb})"
        );
        assert_eq!(
            matches!(verb.as_str(), "POST" | "PATCH"),
            never_retried.contains(&op),
            "{op:?}: the client sends it as {verb}"
        );
    }
}

#[test]
fn exactly_the_operations_whose_body_carries_a_share_token_say_so() {
    let methods = generated_methods();
    for &op in Operation::ALL {
        let signature = &methods[op.id()].signature;
        let token_body = [
            "types :: CdxV1RedeemTokenRequest",
            "types :: CdxV1SharedToken",
        ]
        .iter()
        .any(|body| signature.contains(body));
        assert_eq!(op.uses_share_token(), token_body, "{op:?}: {signature}");
    }
    assert!(Operation::RedeemSharedToken.uses_share_token());
}
