use std::sync::Arc;

use rtms_sim::Sim;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, ServerName};
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn wss_with_the_written_ca() {
    let dir = std::env::temp_dir().join(format!("rtms-sim-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ca_path = dir.join("ca.pem");
    let mut cfg = config(short(1000));
    cfg.tls = true;
    cfg.ca_out = Some(ca_path.clone());
    let sim = Sim::start(cfg).await.unwrap();
    let m = sim.meetings()[0].clone();
    assert!(m.server_urls.starts_with("wss://127.0.0.1:"), "{}", m.server_urls);
    let pem = std::fs::read(&ca_path).unwrap();
    assert_eq!(Some(std::str::from_utf8(&pem).unwrap()), sim.ca_pem());

    let mut roots = rustls::RootCertStore::empty();
    roots.add(CertificateDer::from_pem_slice(&pem).unwrap()).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(tls));
    let tcp = tokio::net::TcpStream::connect(sim.local_addr()).await.unwrap();
    let stream = connector.connect(ServerName::try_from("127.0.0.1").unwrap(), tcp).await.expect("certificate verifies");
    let authority = format!("127.0.0.1:{}", sim.local_addr().port());
    let mut ws = handshake(Box::new(stream), &authority, "/signaling?meeting=0").await.unwrap();
    send(&mut ws, sig_handshake(&sim, &m)).await;
    let resp = next_of(&mut ws, 2).await;
    assert_eq!(resp["status_code"], 0);
    assert!(resp["media_server"]["server_urls"]["audio"].as_str().unwrap().starts_with("wss://"));
    send(&mut ws, json!({"msg_type": 19})).await;
    assert_eq!(next_of(&mut ws, 20).await["msg_type"], 20);
    sim.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}
