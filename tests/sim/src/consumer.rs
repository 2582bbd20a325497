//! Consumer operations: consumer shares, consumer shared resources (image, network) and the
//! shared-token operations.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::ctx::Ctx;
use crate::http::{self, ApiError, Out};
use crate::kafka_access;
use crate::model::{Cloud, Phase, Redemption, Share, SharedResource};
use crate::paging::{self, ListQuery};
use crate::views;

fn email(ctx: &Ctx<'_>) -> String {
    ctx.st.orgs[ctx.org].user_email.clone()
}

/// Shares the caller sees on the consumer side and has not deleted.
fn live_visible<'a>(ctx: &'a Ctx<'_>) -> impl Iterator<Item = &'a Share> {
    let email = email(ctx);
    let org = ctx.org;
    ctx.st
        .shares
        .values()
        .filter(move |s| s.consumer_visible(org, &email) && !s.deleted_by_consumer)
}

/// Shares the caller sees on the consumer side that a listing with `q` shows (deleted ones
/// only with `include_deleted`).
fn listed<'a>(ctx: &'a Ctx<'_>, q: &'a ListQuery) -> impl Iterator<Item = &'a Share> {
    let email = email(ctx);
    let (org, now) = (ctx.org, ctx.now);
    ctx.st
        .shares
        .values()
        .filter(move |s| s.consumer_visible(org, &email))
        .filter(move |s| q.include_deleted || s.phase(now) != Phase::Deactivated)
}

fn visible_resource(ctx: &Ctx<'_>) -> Result<(), ApiError> {
    let id = &ctx.route.id;
    if live_visible(ctx).any(|s| &s.sr == id) {
        Ok(())
    } else {
        Err(ApiError::not_found("consumer shared resource", id))
    }
}

fn visible_share_id(ctx: &Ctx<'_>) -> Result<String, ApiError> {
    let id = &ctx.route.id;
    live_visible(ctx)
        .find(|s| &s.id == id)
        .map(|s| s.id.clone())
        .ok_or_else(|| ApiError::not_found("consumer share", id))
}

pub(crate) fn list_shared_resources(ctx: &mut Ctx<'_>) -> Result<Out, ApiError> {
    let q = paging::parse(&ctx.query, &["stream_share"], &ctx.shared.page_nonce)?;
    let ids: BTreeSet<&String> = listed(ctx, &q)
        .filter(|s| q.filter("stream_share").is_none_or(|f| s.id == f))
        .map(|s| &s.sr)
        .collect();
    let items: Vec<Value> = ids
        .into_iter()
        .map(|id| {
            views::consumer_shared_resource(ctx.st, &ctx.st.resources[id], ctx.org, ctx.base())
        })
        .collect();
    ctx.page("ConsumerSharedResourceList", items, &q)
}

pub(crate) fn get_shared_resource(ctx: &mut Ctx<'_>) -> Result<Out, ApiError> {
    visible_resource(ctx)?;
    let sr = &ctx.st.resources[&ctx.route.id];
    Ok(Out::Json(
        200,
        views::consumer_shared_resource(ctx.st, sr, ctx.org, ctx.base()),
    ))
}

/// The provider's image of the shared resource.
pub(crate) fn image(ctx: &mut Ctx<'_>) -> Result<Out, ApiError> {
    visible_resource(ctx)?;
    image_of(&ctx.st.resources[&ctx.route.id], &ctx.route.file_name)
}

/// A shared resource's image as an answer (404 when it has none by that name); the provider's
/// view of it is the same.
pub(crate) fn image_of(sr: &SharedResource, file_name: &str) -> Result<Out, ApiError> {
    let image = sr
        .images
        .get(file_name)
        .ok_or_else(|| ApiError::not_found("image", file_name))?;
    Ok(Out::Image {
        content_type: image.content_type.clone(),
        bytes: image.bytes.clone(),
    })
}

/// The shared cluster's network. `cloud` is filled in for a private-link cluster once the
/// caller redeemed a share of it with an account on that cloud.
pub(crate) fn network(ctx: &mut Ctx<'_>) -> Result<Out, ApiError> {
    visible_resource(ctx)?;
    let sr = &ctx.st.resources[&ctx.route.id];
    let ready = live_visible(ctx).any(|s| {
        s.sr == sr.id
            && s.phase(ctx.now) == Phase::Active
            && s.redemption
                .as_ref()
                .and_then(|r| r.account.as_ref())
                .is_some_and(|(cloud, _)| *cloud == sr.cloud)
    });
    Ok(Out::Json(
        200,
        views::network(ctx.st, sr, ctx.org, ready, ctx.base(), &ctx.shared.config),
    ))
}

pub(crate) fn list_shares(ctx: &mut Ctx<'_>) -> Result<Out, ApiError> {
    let q = paging::parse(&ctx.query, &["shared_resource"], &ctx.shared.page_nonce)?;
    let items: Vec<Value> = listed(ctx, &q)
        .filter(|s| q.filter("shared_resource").is_none_or(|f| s.sr == f))
        .map(|s| views::consumer_share(ctx.st, s, ctx.org, ctx.base(), ctx.now))
        .collect();
    ctx.page("ConsumerShareList", items, &q)
}

pub(crate) fn get_share(ctx: &mut Ctx<'_>) -> Result<Out, ApiError> {
    let id = visible_share_id(ctx)?;
    Ok(Out::Json(
        200,
        views::consumer_share(ctx.st, &ctx.st.shares[&id], ctx.org, ctx.base(), ctx.now),
    ))
}

/// Leaves the share (or declines the invitation): DEACTIVATED, listed only with
/// `include_deleted`, gone for GET, token no longer usable.
pub(crate) fn delete_share(ctx: &mut Ctx<'_>) -> Result<Out, ApiError> {
    let id = visible_share_id(ctx)?;
    ctx.deactivate_share(&id).deleted_by_consumer = true;
    Ok(Out::NoContent)
}

/// The share behind a usable token: unknown, revoked, declined and expired tokens are 404, a
/// redeemed one is 409 (`Location`: the consumer share).
fn share_for_token(ctx: &Ctx<'_>, token: &str) -> Result<String, ApiError> {
    let not_found = || {
        ApiError::new(
            404,
            "not_found",
            "No invitation matches this token (it may be unknown, expired or revoked)",
        )
    };
    let id = ctx.st.tokens.get(token).ok_or_else(not_found)?;
    let share = &ctx.st.shares[id];
    match share.phase(ctx.now) {
        Phase::Invited => Ok(id.clone()),
        Phase::Active => Err(ApiError::conflict(
            format!("This token was already redeemed (share {id})"),
            format!("{}/cdx/v1/consumer-shares/{id}", ctx.base()),
        )),
        Phase::Expired | Phase::Deactivated => Err(not_found()),
    }
}

/// Shows what a token shares, without redeeming it.
pub(crate) fn token_resources(ctx: &mut Ctx<'_>) -> Result<Out, ApiError> {
    let body = http::json_object(ctx.headers, ctx.body)?;
    let token = http::req_str(&body, "token")?;
    let id = share_for_token(ctx, token)?;
    let sr = &ctx.st.resources[&ctx.st.shares[&id].sr];
    Ok(Out::Json(
        200,
        json!({
            "consumer_shared_resources": [
                views::consumer_shared_resource(ctx.st, sr, ctx.org, ctx.base())
            ]
        }),
    ))
}

/// A deterministic secret-looking string (xorshift over `seed`).
fn pseudo_secret(seed: u64, len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            ALPHABET[(x % ALPHABET.len() as u64) as usize] as char
        })
        .collect()
}

/// Redeems a token for read-only credentials. Body shape (400) → token (404/409) → private-link
/// account (400: at most one, not empty, on the cluster's cloud if it is private).
pub(crate) fn redeem(ctx: &mut Ctx<'_>) -> Result<Out, ApiError> {
    let body = http::json_object(ctx.headers, ctx.body)?;
    let token = http::req_str(&body, "token")?.to_string();
    let mut given = Vec::new();
    for cloud in [Cloud::Aws, Cloud::Azure, Cloud::Gcp] {
        if let Some(v) = http::opt_str(&body, cloud.account_field())? {
            given.push((cloud, v.to_string()));
        }
    }
    let id = share_for_token(ctx, &token)?;

    for (cloud, v) in &given {
        if v.trim().is_empty() {
            return Err(ApiError::body(
                &format!("/{}", cloud.account_field()),
                format!(
                    "'{}' must not be empty: leave it out instead",
                    cloud.account_field()
                ),
            ));
        }
    }
    if given.len() > 1 {
        return Err(ApiError::body(
            &format!("/{}", given[1].0.account_field()),
            "Give at most one of aws_account, azure_subscription and gcp_project",
        ));
    }
    let sr_id = ctx.st.shares[&id].sr.clone();
    let sr = &ctx.st.resources[&sr_id];
    let account = given.pop();
    if let Some((cloud, _)) = &account
        && sr.private
        && *cloud != sr.cloud
    {
        return Err(ApiError::body(
            &format!("/{}", cloud.account_field()),
            format!(
                "The shared cluster is reachable over {} private networking: give {} instead of {}",
                sr.cloud.as_str(),
                sr.cloud.account_field(),
                cloud.account_field()
            ),
        ));
    }

    let now = ctx.now;
    let service_account = ctx.st.next_service_account();
    let share = ctx.st.shares.get_mut(&id).expect("share");
    let n = u64::from(share.number);
    let (api_key, secret, sr_secret) = match &ctx.shared.config.kafka {
        Some(_) => {
            let (secret, sr_secret) = kafka_access::secrets(n, pseudo_secret);
            (kafka_access::api_key(), secret, sr_secret)
        }
        None => (
            format!("SHAREKEY{:08}", share.number),
            pseudo_secret(n, 64),
            pseudo_secret(n + 0x5EC0_0000, 64),
        ),
    };
    share.redemption = Some(Redemption {
        org: ctx.org,
        at: now,
        account,
        service_account,
        api_key,
        secret,
        sr_api_key: format!("SRKEY{:011}", share.number),
        sr_secret,
    });
    share.updated_at = now;
    let share = &ctx.st.shares[&id];
    if let Some(kafka) = &ctx.shared.config.kafka {
        kafka.grant(share);
    }
    let sr = &ctx.st.resources[&sr_id];
    Ok(Out::Json(
        200,
        views::redeem_response(
            share,
            sr,
            ctx.base(),
            &ctx.shared.config,
            ctx.shared.schema_registry.url.get(),
        ),
    ))
}
