//! Provider operations: shared resources (and their images), provider shares, opt-in.

use serde_json::{Map, Value};

use crate::ctx::Ctx;
use crate::http::{self, ApiError, Out};
use crate::model::{Image, Phase, SharedResource};
use crate::paging;
use crate::state::State;
use crate::util::{self, CrnTarget};
use crate::views;

/// A shared resource whose shares are all deactivated counts as deleted.
fn resource_deleted(st: &State, sr: &SharedResource, now: chrono::DateTime<chrono::Utc>) -> bool {
    !sr.shares.is_empty()
        && sr
            .shares
            .iter()
            .all(|id| st.shares[id].phase(now) == Phase::Deactivated)
}

fn own_resource<'a>(ctx: &'a Ctx<'_>) -> Result<&'a SharedResource, ApiError> {
    let id = &ctx.route.id;
    ctx.st
        .resources
        .get(id)
        .filter(|sr| sr.org == ctx.org)
        .ok_or_else(|| ApiError::not_found("provider shared resource", id))
}

/// The caller's share `route.id`, unless the provider deleted (revoked) it.
fn own_share_id(ctx: &Ctx<'_>) -> Result<String, ApiError> {
    let id = &ctx.route.id;
    ctx.st
        .shares
        .get(id)
        .filter(|s| s.org == ctx.org && !s.deleted_by_provider)
        .map(|s| s.id.clone())
        .ok_or_else(|| ApiError::not_found("provider share", id))
}

pub(crate) fn list_shared_resources(ctx: &mut Ctx<'_>) -> Result<Out, ApiError> {
    let q = paging::parse(&ctx.query, &["stream_share", "crn"], &ctx.shared.page_nonce)?;
    let st = &*ctx.st;
    let items: Vec<Value> = st
        .resources
        .values()
        .filter(|sr| sr.org == ctx.org)
        .filter(|sr| q.include_deleted || !resource_deleted(st, sr, ctx.now))
        .filter(|sr| {
            q.filter("stream_share")
                .is_none_or(|s| sr.shares.iter().any(|x| x == s))
        })
        .filter(|sr| {
            q.filter("crn")
                .is_none_or(|c| sr.crn == c || sr.resources.iter().any(|r| r == c))
        })
        .map(|sr| views::provider_shared_resource(st, sr, ctx.base()))
        .collect();
    ctx.page("ProviderSharedResourceList", items, &q)
}

pub(crate) fn get_shared_resource(ctx: &mut Ctx<'_>) -> Result<Out, ApiError> {
    let sr = own_resource(ctx)?;
    Ok(Out::Json(
        200,
        views::provider_shared_resource(ctx.st, sr, ctx.base()),
    ))
}

/// Checks shareable CRNs (semantics: 422): each names a topic or a subject, at least one topic.
fn check_crns(crns: &[String], pointer: &str) -> Result<(), ApiError> {
    let mut topics = 0;
    for (i, crn) in crns.iter().enumerate() {
        match util::parse_crn(crn) {
            Some(CrnTarget::Topic { .. }) => topics += 1,
            Some(CrnTarget::Subject { .. }) => {}
            None => {
                return Err(ApiError::unprocessable(
                    &format!("{pointer}/{i}"),
                    format!(
                        "'{crn}' does not name a Kafka topic (…/kafka=<cluster>/topic=<name>) or a Schema Registry subject (…/subject=<name>)"
                    ),
                ));
            }
        }
    }
    if topics == 0 {
        return Err(ApiError::unprocessable(
            pointer,
            "At least one resource must be a topic CRN",
        ));
    }
    Ok(())
}

/// Merge-patch of the writable fields (`resources`, `display_name`, `organization_description`,
/// `organization_contact`); read-only and unknown fields are ignored.
pub(crate) fn update_shared_resource(ctx: &mut Ctx<'_>) -> Result<Out, ApiError> {
    let body = http::json_object(ctx.headers, ctx.body)?;
    let resources = http::opt_crns(&body, "resources")?;
    let contact = http::opt_str(&body, "organization_contact")?.map(str::to_owned);
    let description = http::opt_str(&body, "organization_description")?.map(str::to_owned);
    let display = http::opt_str(&body, "display_name")?.map(str::to_owned);
    own_resource(ctx)?;
    if let Some(c) = &contact
        && !util::is_email(c)
    {
        return Err(ApiError::unprocessable(
            "/organization_contact",
            format!("organization_contact must be an email address, not '{c}'"),
        ));
    }
    if let Some(r) = &resources {
        check_crns(r, "/resources")?;
    }
    let now = ctx.now;
    let sr = ctx.st.resources.get_mut(&ctx.route.id).expect("checked");
    if let Some(mut r) = resources {
        r.dedup();
        sr.resources = r;
    }
    if let Some(c) = contact {
        sr.organization_contact = Some(c);
    }
    if let Some(d) = description {
        sr.organization_description = d;
    }
    if let Some(d) = display {
        sr.display_name = d;
    }
    sr.updated_at = now;
    let sr = &ctx.st.resources[&ctx.route.id];
    Ok(Out::Json(
        200,
        views::provider_shared_resource(ctx.st, sr, ctx.base()),
    ))
}

/// The image type announced by the first bytes, if recognisable.
fn sniff(bytes: &[u8]) -> Option<&'static str> {
    let starts = |p: &[u8]| bytes.starts_with(p);
    if starts(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if starts(b"\xff\xd8\xff") {
        Some("image/jpeg")
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else if starts(b"BM") {
        Some("image/bmp")
    } else if starts(b"\x00\x00\x01\x00") {
        Some("image/x-icon")
    } else {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(256)]).to_ascii_lowercase();
        (head.trim_start().starts_with("<svg") || head.contains("<svg")).then_some("image/svg+xml")
    }
}

/// Raw image bytes. The content type must be `image/<type>`; `application/octet-stream` (the
/// media type of the normalised spec, which the generated client cannot send as `image/*`) is
/// also taken, and the stored type is then sniffed from the bytes (PNG if unrecognisable, since
/// reading it back can only answer `image/*`).
pub(crate) fn upload_image(ctx: &mut Ctx<'_>) -> Result<Out, ApiError> {
    let ct = ctx
        .headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let essence = ct.split(';').next().unwrap_or("").trim().to_string();
    let content_type = match essence.split_once('/') {
        Some(("image", sub)) if !sub.is_empty() && sub != "*" => essence.clone(),
        _ if essence == "application/octet-stream" => {
            sniff(ctx.body).unwrap_or("image/png").to_string()
        }
        _ => {
            return Err(ApiError::body(
                "",
                format!(
                    "Content-Type must be an image type such as image/png, not '{}'",
                    if essence.is_empty() {
                        "(none)"
                    } else {
                        &essence
                    }
                ),
            ));
        }
    };
    if ctx.body.is_empty() {
        return Err(ApiError::body("", "The image is empty"));
    }
    own_resource(ctx)?;
    if ctx.route.file_name.is_empty() {
        return Err(ApiError::not_found("image", ""));
    }
    let now = ctx.now;
    let location = format!(
        "{}/cdx/v1/provider-shared-resources/{}/images/{}",
        ctx.base(),
        util::percent_encode(&ctx.route.id),
        util::percent_encode(&ctx.route.file_name)
    );
    let sr = ctx.st.resources.get_mut(&ctx.route.id).expect("checked");
    sr.images.insert(
        ctx.route.file_name.clone(),
        Image {
            content_type,
            bytes: ctx.body.to_vec(),
        },
    );
    sr.updated_at = now;
    Ok(Out::Created {
        location,
        body: None,
    })
}

pub(crate) fn view_image(ctx: &mut Ctx<'_>) -> Result<Out, ApiError> {
    let sr = own_resource(ctx)?;
    crate::consumer::image_of(sr, &ctx.route.file_name)
}

pub(crate) fn delete_image(ctx: &mut Ctx<'_>) -> Result<Out, ApiError> {
    own_resource(ctx)?;
    let now = ctx.now;
    let sr = ctx.st.resources.get_mut(&ctx.route.id).expect("checked");
    sr.images
        .remove(&ctx.route.file_name)
        .ok_or_else(|| ApiError::not_found("image", &ctx.route.file_name))?;
    sr.updated_at = now;
    Ok(Out::NoContent)
}

pub(crate) fn list_shares(ctx: &mut Ctx<'_>) -> Result<Out, ApiError> {
    let q = paging::parse(
        &ctx.query,
        &["shared_resource", "crn"],
        &ctx.shared.page_nonce,
    )?;
    let st = &*ctx.st;
    let items: Vec<Value> = st
        .shares
        .values()
        .filter(|s| s.org == ctx.org)
        .filter(|s| q.include_deleted || s.phase(ctx.now) != Phase::Deactivated)
        .filter(|s| q.filter("shared_resource").is_none_or(|f| s.sr == f))
        .filter(|s| {
            q.filter("crn").is_none_or(|c| {
                let sr = &st.resources[&s.sr];
                sr.crn == c || sr.resources.iter().any(|r| r == c)
            })
        })
        .map(|s| views::provider_share(st, s, ctx.base(), ctx.now))
        .collect();
    ctx.page("ProviderShareList", items, &q)
}

/// Checks the body's shape (400s), then the opt-in (403), then its meaning (422), then
/// uniqueness (409).
pub(crate) fn create_share(ctx: &mut Ctx<'_>) -> Result<Out, ApiError> {
    let body = http::json_object(ctx.headers, ctx.body)?;
    let email = consumer_email(&body)?;
    let delivery = http::req_str(&body, "delivery_method")?.to_string();
    let resources = http::opt_crns(&body, "resources")?
        .ok_or_else(|| ApiError::body("/resources", "'resources' is required"))?;

    // Not opted in: 403 rather than 409. Both are documented for this operation; the
    // organization is not *allowed* to share until it enables Stream Sharing, which is an
    // authorization decision, and the conflict code is kept for the duplicate invitation.
    if !ctx.st.orgs[ctx.org].opted_in {
        return Err(ApiError::forbidden(
            "Stream Sharing is not enabled for this organization: PATCH /cdx/v1/opt-in with {\"stream_share_enabled\": true} first",
        ));
    }
    if !delivery.eq_ignore_ascii_case("EMAIL") {
        return Err(ApiError::unprocessable(
            "/delivery_method",
            format!("Unsupported delivery_method '{delivery}': the only method is EMAIL"),
        ));
    }
    check_crns(&resources, "/resources")?;

    let now = ctx.now;
    let st = &*ctx.st;
    let key_crn = resources
        .iter()
        .find(|c| matches!(util::parse_crn(c), Some(CrnTarget::Topic { .. })))
        .cloned()
        .unwrap_or_default();
    let clash = st.shares.values().find(|s| {
        s.org == ctx.org
            && s.email.eq_ignore_ascii_case(&email)
            && match s.phase(now) {
                Phase::Invited => true,
                // Once accepted, re-inviting the same email to the same stream is an error too.
                Phase::Active => st.resources[&s.sr].crn == key_crn,
                _ => false,
            }
    });
    if let Some(s) = clash {
        return Err(ApiError::conflict(
            format!(
                "An invitation to '{}' already exists ({}, {})",
                s.email,
                s.id,
                s.phase(now).as_str()
            ),
            format!("{}/cdx/v1/provider-shares/{}", ctx.base(), s.id),
        ));
    }

    let (id, _) = ctx
        .st
        .create_share(&ctx.shared.config, ctx.org, &email, "EMAIL", &resources);
    let share = &ctx.st.shares[&id];
    Ok(Out::Created {
        location: format!("{}/cdx/v1/provider-shares/{id}", ctx.base()),
        body: Some(views::provider_share(ctx.st, share, ctx.base(), now)),
    })
}

/// `consumer_restriction`: `{"kind": "Email", "email": <email>}`.
fn consumer_email(body: &Map<String, Value>) -> Result<String, ApiError> {
    let cr = body.get("consumer_restriction").ok_or_else(|| {
        ApiError::body(
            "/consumer_restriction",
            "'consumer_restriction' is required",
        )
    })?;
    let Value::Object(cr) = cr else {
        return Err(ApiError::body(
            "/consumer_restriction",
            "'consumer_restriction' must be an object",
        ));
    };
    let kind = http::req_str(cr, "kind")
        .map_err(|e| ApiError::body("/consumer_restriction/kind", e.detail.clone()))?;
    if kind != "Email" {
        return Err(ApiError::body(
            "/consumer_restriction/kind",
            format!("Unsupported consumer_restriction kind '{kind}': the only kind is Email"),
        ));
    }
    let email = http::req_str(cr, "email")
        .map_err(|e| ApiError::body("/consumer_restriction/email", e.detail.clone()))?;
    if !util::is_email(email) {
        return Err(ApiError::body(
            "/consumer_restriction/email",
            format!("'{email}' is not an email address"),
        ));
    }
    Ok(email.to_string())
}

pub(crate) fn get_share(ctx: &mut Ctx<'_>) -> Result<Out, ApiError> {
    let id = own_share_id(ctx)?;
    Ok(Out::Json(
        200,
        views::provider_share(ctx.st, &ctx.st.shares[&id], ctx.base(), ctx.now),
    ))
}

/// Revokes: the share becomes DEACTIVATED (listed only with `include_deleted`), its token stops
/// working, and it is gone for this organization's GET.
pub(crate) fn delete_share(ctx: &mut Ctx<'_>) -> Result<Out, ApiError> {
    let id = own_share_id(ctx)?;
    ctx.deactivate_share(&id).deleted_by_provider = true;
    Ok(Out::NoContent)
}

/// Sends the invitation again, renewing its expiry. Only unredeemed, live invitations (INVITED
/// or EXPIRED); otherwise 400: the spec documents no 409 for this operation.
pub(crate) fn resend_share(ctx: &mut Ctx<'_>) -> Result<Out, ApiError> {
    let id = own_share_id(ctx)?;
    let now = ctx.now;
    let ttl = ctx.shared.config.token_ttl;
    let share = ctx.st.shares.get_mut(&id).expect("checked");
    match share.phase(now) {
        Phase::Invited | Phase::Expired => {
            share.expired = false;
            share.expires_at = now + ttl;
            share.updated_at = now;
            let mail = (share.email.clone(), share.token.clone());
            ctx.st.mail.push(mail);
            Ok(Out::NoContent)
        }
        phase => Err(ApiError::new(
            400,
            "invalid_state",
            format!(
                "Share {id} is {}: only an invitation that has not been accepted can be resent",
                phase.as_str()
            ),
        )),
    }
}

pub(crate) fn get_opt_in(ctx: &mut Ctx<'_>) -> Result<Out, ApiError> {
    Ok(Out::Json(200, views::opt_in(&ctx.st.orgs[ctx.org])))
}

pub(crate) fn update_opt_in(ctx: &mut Ctx<'_>) -> Result<Out, ApiError> {
    let body = http::json_object(ctx.headers, ctx.body)?;
    let enabled = match body.get("stream_share_enabled") {
        None => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(_) => {
            return Err(ApiError::body(
                "/stream_share_enabled",
                "'stream_share_enabled' must be a boolean",
            ));
        }
    };
    if let Some(b) = enabled {
        ctx.st.orgs[ctx.org].opted_in = b;
    }
    Ok(Out::Json(200, views::opt_in(&ctx.st.orgs[ctx.org])))
}
