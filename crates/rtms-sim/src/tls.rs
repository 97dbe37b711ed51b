//! `wss://`: a throw-away CA and a server certificate for 127.0.0.1/localhost, made at start.

use std::path::Path;
use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::TlsAcceptor;

use crate::error::SimError;

fn tls_err(e: impl std::fmt::Display) -> SimError {
    SimError::Tls(e.to_string())
}

/// A fresh CA (its PEM is what clients trust) and an acceptor serving a certificate it signed.
pub struct SimTls {
    pub acceptor: TlsAcceptor,
    pub ca_pem: String,
}

impl SimTls {
    /// Makes the CA and the server certificate (valid for `127.0.0.1`, `::1`, `localhost`
    /// and `host`).
    pub fn generate(host: &str) -> Result<SimTls, SimError> {
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(tls_err)?;
        ca_params.distinguished_name.push(DnType::CommonName, "rtms-sim test CA");
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
        let ca_key = KeyPair::generate().map_err(tls_err)?;
        let ca_cert = ca_params.self_signed(&ca_key).map_err(tls_err)?;
        let issuer = Issuer::new(ca_params, ca_key);

        let mut names = vec!["127.0.0.1".to_owned(), "::1".to_owned(), "localhost".to_owned()];
        if !names.iter().any(|n| n == host) {
            names.push(host.to_owned());
        }
        let mut leaf_params = CertificateParams::new(names).map_err(tls_err)?;
        leaf_params.distinguished_name.push(DnType::CommonName, "rtms-sim");
        let leaf_key = KeyPair::generate().map_err(tls_err)?;
        let leaf = leaf_params.signed_by(&leaf_key, &issuer).map_err(tls_err)?;

        let chain: Vec<CertificateDer<'static>> = vec![leaf.der().clone(), ca_cert.der().clone()];
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(tls_err)?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(tls_err)?;
        Ok(SimTls { acceptor: TlsAcceptor::from(Arc::new(config)), ca_pem: ca_cert.pem() })
    }

    /// Writes the CA certificate as PEM.
    pub fn write_ca(&self, path: &Path) -> Result<(), SimError> {
        std::fs::write(path, &self.ca_pem)?;
        Ok(())
    }
}
