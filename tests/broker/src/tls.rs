//! A throwaway certificate authority per broker run, made with the `openssl` command: the
//! broker's certificate names 127.0.0.1 and localhost, so clients verify the host as they do
//! against Confluent Cloud. Test-only: Confluent Cloud's certificates chain to public CAs, so
//! cdx's files never name a trust store; tests hand this CA to clients out of band.

use cdx_test_tools::require_program;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The files [`make`] wrote.
pub struct Tls {
    /// The CA certificate (PEM), what clients trust.
    pub ca_pem: PathBuf,
    /// The broker's PKCS#8 key followed by its certificate and the CA's (PEM), for
    /// `ssl.keystore.type=PEM`.
    pub broker_keystore: PathBuf,
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new(require_program("openssl"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("running openssl");
    assert!(
        out.status.success(),
        "openssl {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Makes a CA and a broker certificate in `dir`.
pub fn make(dir: &Path) -> Tls {
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
    ];
    let mut ca = vec!["req", "-x509"];
    ca.extend(ec);
    ca.extend([
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=cdx test CA",
    ]);
    openssl(dir, &ca);
    let mut csr = vec!["req"];
    csr.extend(ec);
    csr.extend([
        "-keyout",
        "broker.key",
        "-out",
        "broker.csr",
        "-subj",
        "/CN=127.0.0.1",
    ]);
    openssl(dir, &csr);
    std::fs::write(
        dir.join("san.ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\n",
    )
    .expect("writing san.ext");
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "broker.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "broker.pem",
            "-days",
            "2",
            "-extfile",
            "san.ext",
        ],
    );
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).expect("openssl output");
    let keystore = dir.join("broker-keystore.pem");
    std::fs::write(
        &keystore,
        format!(
            "{}{}{}",
            read("broker.key"),
            read("broker.pem"),
            read("ca.pem")
        ),
    )
    .expect("writing the broker keystore");
    Tls {
        ca_pem: dir.join("ca.pem"),
        broker_keystore: keystore,
    }
}
