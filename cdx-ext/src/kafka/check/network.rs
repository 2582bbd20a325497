//! The network steps: resolve the bootstrap host, connect over TCP, and a TLS handshake of
//! its own (trusted certificate naming the host), each with what to do when it fails.

use super::options::CheckOptions;
use super::report::{Failed, Problem, Step, StepKind, StepStatus, seconds, timed};
use crate::kafka::{PrivateDns, Target};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// Resolve, connect, TLS. True when all passed.
pub(super) async fn network_steps(
    target: &Target,
    options: &CheckOptions,
    steps: &mut Vec<Step>,
) -> bool {
    let t = options.step_timeout;
    let host = target
        .bootstrap
        .host()
        .trim_start_matches('[')
        .trim_end_matches(']');
    let port = target.bootstrap.port();

    // Resolve.
    let start = Instant::now();
    let mut step = Step::new(StepKind::Resolve, format!("Resolve {host}"));
    let addrs: Vec<SocketAddr> =
        match tokio::time::timeout(t, tokio::net::lookup_host((host, port))).await {
            Ok(Ok(addrs)) => addrs.collect(),
            Ok(Err(e)) => {
                step.fail(
                    Problem::UnresolvableHost,
                    e.to_string(),
                    resolve_hint(target, host),
                );
                Vec::new()
            }
            Err(_) => {
                step.fail(
                    Problem::Timeout,
                    format!("no answer from DNS within {}", seconds(t)),
                    resolve_hint(target, host),
                );
                Vec::new()
            }
        };
    if step.status == StepStatus::Passed {
        if addrs.is_empty() {
            step.fail(
                Problem::UnresolvableHost,
                "no addresses",
                resolve_hint(target, host),
            );
        } else {
            let shown: Vec<String> = addrs.iter().map(|a| a.ip().to_string()).collect();
            step.pass(shown.join(", "));
        }
    }
    let resolved = step.status == StepStatus::Passed;
    steps.push(timed(step, start));
    let title = format!("Connect to {}", target.bootstrap);
    if !resolved {
        skip_rest(steps, &title, target, "the host did not resolve");
        return false;
    }

    // Connect: the first address that accepts, as a client does.
    let start = Instant::now();
    let mut step = Step::new(StepKind::Connect, title);
    let mut connected = None;
    let mut last_error = None;
    for addr in &addrs {
        match tokio::time::timeout(t, tokio::net::TcpStream::connect(addr)).await {
            Ok(Ok(_)) => {
                connected = Some(*addr);
                break;
            }
            Ok(Err(e)) => last_error = Some(Err(e)),
            Err(_) => last_error = Some(Ok(())),
        }
    }
    let firewall = "check that this network may reach it (firewall rules, security groups, a proxy), and for a private-link share that the private endpoint is set up and accepted";
    match (connected, last_error) {
        (Some(addr), _) => step.pass(format!("connected to {addr}")),
        (None, Some(Err(e))) if e.kind() == std::io::ErrorKind::ConnectionRefused => step.fail(
            Problem::ConnectionRefused,
            format!("connection refused ({e})"),
            format!("Nothing accepts connections on port {port} there: check the port in bootstrap.servers (Confluent Cloud uses 9092), then {firewall}."),
        ),
        (None, Some(Err(e))) => step.fail(
            Problem::Unreachable,
            e.to_string(),
            format!("The server cannot be reached from here: {firewall}."),
        ),
        (None, _) => step.fail(
            Problem::Timeout,
            format!("no answer within {}", seconds(t)),
            format!("Connections are dropped on the way: {firewall}."),
        ),
    }
    let addr = connected;
    steps.push(timed(step, start));
    let title = format!("TLS handshake with {host}");
    let Some(addr) = addr else {
        skip_rest(steps, &title, target, "no connection");
        return false;
    };

    // TLS.
    let start = Instant::now();
    let mut step = Step::new(StepKind::Tls, title);
    match tls_handshake(host, addr, options).await {
        Ok(detail) => step.pass(detail),
        Err((problem, detail, hint)) => step.fail(problem, detail, hint),
    }
    let ok = step.status == StepStatus::Passed;
    steps.push(timed(step, start));
    if !ok {
        skip_rest(steps, "", target, "the TLS handshake failed");
    }
    ok
}

/// What to do when the bootstrap host does not resolve: for a private-link share, name what
/// must resolve inside the consumer's network.
fn resolve_hint(target: &Target, host: &str) -> String {
    let private = target
        .private_dns
        .clone()
        .or_else(|| guess_private_dns(host));
    match private {
        Some(dns) => private_dns_hint(&dns),
        None => format!(
            "Check the host name in bootstrap.servers ({host}) and that this machine's DNS resolves public names."
        ),
    }
}

/// What to do when a private-link cluster's host does not resolve: name the DNS domain and
/// the zonal subdomains that must resolve inside the consumer's network.
pub fn private_dns_hint(dns: &PrivateDns) -> String {
    let zonal = if dns.zonal_subdomains.is_empty() {
        "its zonal subdomains (`cdx consumer share describe` lists them)".to_string()
    } else {
        format!("its zonal subdomains ({})", dns.zonal_subdomains.join(", "))
    };
    format!(
        "This is a private-link cluster: the DNS domain {} and {zonal} must resolve inside your network, so create the private DNS zone for your private endpoint and run the check from a machine in that network.",
        dns.dns_domain
    )
}

/// Confluent Cloud's private-link host names carry the network's DNS domain after the
/// cluster's label, and that domain starts with a `dom…` label (public ones do not).
fn guess_private_dns(host: &str) -> Option<PrivateDns> {
    let (_, domain) = host.split_once('.')?;
    let first = domain.split('.').next()?;
    (first.starts_with("dom") && first.len() > 3 && domain.ends_with(".confluent.cloud")).then(
        || PrivateDns {
            dns_domain: domain.to_string(),
            zonal_subdomains: Vec::new(),
        },
    )
}

/// Adds the steps that cannot run any more, as skipped.
fn skip_rest(steps: &mut Vec<Step>, next_title: &str, target: &Target, why: &str) {
    let kinds: &[StepKind] = match steps.last().map(|s| s.kind) {
        Some(StepKind::Resolve) => &[StepKind::Connect, StepKind::Tls],
        Some(StepKind::Connect) => &[StepKind::Tls],
        _ => &[],
    };
    let host = target.bootstrap.host();
    for (i, kind) in kinds.iter().enumerate() {
        let title = if i == 0 && !next_title.is_empty() {
            next_title.to_string()
        } else {
            match kind {
                StepKind::Tls => format!("TLS handshake with {host}"),
                _ => format!("Connect to {}", target.bootstrap),
            }
        };
        let mut step = Step::new(*kind, title);
        step.skip(format!("not run: {why}"));
        steps.push(step);
    }
}

/// A TLS handshake on its own connection: trusted certificate, naming the host.
async fn tls_handshake(
    host: &str,
    addr: SocketAddr,
    options: &CheckOptions,
) -> Result<String, Failed> {
    let t = options.step_timeout;
    let mut builder = native_tls::TlsConnector::builder();
    if let Some(path) = &options.ca_file {
        let pem = std::fs::read(path).map_err(|e| {
            (
                Problem::Other,
                format!("cannot read the CA file {}: {e}", path.display()),
                "Pass a readable PEM file with --ca-file.".to_string(),
            )
        })?;
        let certs = native_tls::Certificate::stack_from_pem(&pem).map_err(|e| {
            (
                Problem::Other,
                format!("the CA file {} is not PEM: {e}", path.display()),
                "Pass a PEM file of CA certificates with --ca-file.".to_string(),
            )
        })?;
        for cert in certs {
            builder.add_root_certificate(cert);
        }
    }
    let connector = builder.build().map_err(|e| {
        (
            Problem::Other,
            format!("cannot set up TLS: {e}"),
            "Check the system's OpenSSL installation.".to_string(),
        )
    })?;
    let host_owned = host.to_string();
    let handshake =
        tokio::task::spawn_blocking(move || -> std::io::Result<Result<String, String>> {
            let stream = std::net::TcpStream::connect_timeout(&addr, t)?;
            stream.set_read_timeout(Some(t))?;
            stream.set_write_timeout(Some(t))?;
            match connector.connect(&host_owned, stream) {
                Ok(tls) => {
                    let subject = tls
                        .peer_certificate()
                        .ok()
                        .flatten()
                        .map(|_| "certificate trusted and valid for the host".to_string())
                        .unwrap_or_else(|| "handshake complete".to_string());
                    Ok(Ok(subject))
                }
                Err(native_tls::HandshakeError::Failure(e)) => Ok(Err(e.to_string())),
                Err(native_tls::HandshakeError::WouldBlock(_)) => {
                    Ok(Err("the handshake did not complete in time".to_string()))
                }
            }
        });
    let outcome = tokio::time::timeout(t + Duration::from_secs(1), handshake).await;
    let text = match outcome {
        Ok(Ok(Ok(Ok(detail)))) => return Ok(detail),
        Ok(Ok(Ok(Err(text)))) => text,
        Ok(Ok(Err(io))) => io.to_string(),
        Ok(Err(join)) => join.to_string(),
        Err(_) => {
            return Err((
                Problem::Timeout,
                format!("no TLS answer within {}", seconds(t)),
                "The server accepted the connection but did not complete a TLS handshake: check that the port is the cluster's SASL_SSL listener (9092 on Confluent Cloud).".to_string(),
            ));
        }
    };
    Err(classify_tls(host, &text))
}

fn classify_tls(host: &str, text: &str) -> Failed {
    let lower = text.to_ascii_lowercase();
    if lower.contains("hostname mismatch") || lower.contains("ip address mismatch") {
        (
            Problem::HostnameMismatch,
            text.to_string(),
            format!(
                "The server's certificate does not name {host}: use the bootstrap host exactly as the redemption gives it (not an IP address or an alias)."
            ),
        )
    } else if lower.contains("certificate verify failed")
        || lower.contains("self-signed")
        || lower.contains("self signed")
        || lower.contains("unable to get local issuer")
    {
        (
            Problem::UntrustedCertificate,
            text.to_string(),
            "The server's certificate is not trusted: Confluent Cloud's certificates chain to public CAs, so install the system's CA certificates (Debian: ca-certificates) or route around a TLS-intercepting proxy; for a private or test cluster, pass its CA with --ca-file.".to_string(),
        )
    } else if lower.contains("wrong version number")
        || lower.contains("packet length too long")
        || lower.contains("unexpected eof")
        || lower.contains("record layer failure")
        || lower.contains("http request")
    {
        (
            Problem::NotTls,
            text.to_string(),
            "The server there does not speak TLS: check that bootstrap.servers names the cluster's SASL_SSL endpoint and port (9092 on Confluent Cloud).".to_string(),
        )
    } else {
        (
            Problem::Other,
            text.to_string(),
            "The TLS handshake failed: check that bootstrap.servers names the cluster's SASL_SSL endpoint, and that no proxy intercepts TLS.".to_string(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_link_domains_are_recognised() {
        let dns = guess_private_dns("lkc-abc12.dom1x2y3z.us-east-1.aws.confluent.cloud").unwrap();
        assert_eq!(dns.dns_domain, "dom1x2y3z.us-east-1.aws.confluent.cloud");
        assert_eq!(
            guess_private_dns("pkc-abc.us-west-2.aws.confluent.cloud"),
            None
        );
        assert_eq!(guess_private_dns("localhost"), None);
    }

    #[test]
    fn tls_failures_are_told_apart() {
        let host = "h";
        for (text, problem) in [
            (
                "error:0A000086:SSL routines:tls_post_process_server_certificate:certificate verify failed:ssl/statem/statem_clnt.c:1889: (self-signed certificate in certificate chain)",
                Problem::UntrustedCertificate,
            ),
            (
                "error:0A000086:SSL routines::certificate verify failed: (Hostname mismatch)",
                Problem::HostnameMismatch,
            ),
            (
                "error:0A00010B:SSL routines:ssl3_get_record:wrong version number",
                Problem::NotTls,
            ),
            ("something else", Problem::Other),
        ] {
            assert_eq!(classify_tls(host, text).0, problem, "{text}");
        }
    }
}
