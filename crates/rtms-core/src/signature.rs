//! HMAC-SHA256 signatures: the join signature and Zoom's webhook signatures.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::error::{Error, ErrorKind, Result};

type HmacSha256 = Hmac<Sha256>;

/// Environment variable holding the client id.
pub const ENV_CLIENT: &str = "ZM_RTMS_CLIENT";
/// Environment variable holding the client secret.
pub const ENV_SECRET: &str = "ZM_RTMS_SECRET";

fn hmac_hex(key: &[u8], parts: &[&[u8]]) -> String {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail.
    let mut mac = HmacSha256::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    for p in parts {
        mac.update(p);
    }
    hex::encode(mac.finalize().into_bytes())
}

/// The join signature: `hex(HMAC-SHA256(secret, "client_id,instance_id,stream_id"))`.
/// `instance_id` is the meeting uuid, webinar uuid, session id or engagement id, exactly as
/// the webhook delivered it.
pub fn generate_signature(client_id: &str, client_secret: &str, instance_id: &str, stream_id: &str) -> String {
    hmac_hex(client_secret.as_bytes(), &[client_id.as_bytes(), b",", instance_id.as_bytes(), b",", stream_id.as_bytes()])
}

/// Client credentials: from the arguments when given, else from `ZM_RTMS_CLIENT` /
/// `ZM_RTMS_SECRET`.
pub fn credentials(client_id: Option<&str>, client_secret: Option<&str>) -> Result<(String, String)> {
    let pick = |arg: Option<&str>, env: &str| {
        arg.filter(|s| !s.is_empty()).map(str::to_owned).or_else(|| std::env::var(env).ok().filter(|s| !s.is_empty()))
    };
    let id = pick(client_id, ENV_CLIENT);
    let secret = pick(client_secret, ENV_SECRET);
    match (id, secret) {
        (Some(id), Some(secret)) => Ok((id, secret)),
        (None, _) => Err(Error::new(ErrorKind::MissingCredentials, format!("no client id: pass `client` or set {ENV_CLIENT}"))),
        (_, None) => Err(Error::new(ErrorKind::MissingCredentials, format!("no client secret: pass `secret` or set {ENV_SECRET}"))),
    }
}

/// The answer to Zoom's `endpoint.url_validation`: `hex(HMAC-SHA256(webhook secret, plainToken))`.
pub fn url_validation_token(webhook_secret: &str, plain_token: &str) -> String {
    hmac_hex(webhook_secret.as_bytes(), &[plain_token.as_bytes()])
}

/// The `x-zm-signature` header value for a raw body: `v0=hex(HMAC(secret, "v0:{ts}:{body}"))`.
pub fn webhook_signature(webhook_secret: &str, timestamp: &str, body: &[u8]) -> String {
    format!("v0={}", hmac_hex(webhook_secret.as_bytes(), &[b"v0:", timestamp.as_bytes(), b":", body]))
}

/// Checks an `x-zm-signature` header against the raw body, in constant time.
pub fn verify_webhook_signature(webhook_secret: &str, timestamp: &str, body: &[u8], signature: &str) -> bool {
    let Some(hex_sig) = signature.strip_prefix("v0=") else { return false };
    let Ok(expected) = hex::decode(hex_sig) else { return false };
    let mut mac = HmacSha256::new_from_slice(webhook_secret.as_bytes()).unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    mac.update(b"v0:");
    mac.update(timestamp.as_bytes());
    mac.update(b":");
    mac.update(body);
    mac.verify_slice(&expected).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Test vectors from shared/protocol.md; vectors 1 and 2 were sent by Zoom's own SDK.
    #[test]
    fn join_signature_vectors() {
        assert_eq!(generate_signature("cid", "csecret", "m1", "s1"), "0aceedde2f60606a09c53b97f83a21818a1c0a27a953b20595527a8cad99c08a");
        assert_eq!(
            generate_signature("refserver-client-id", "refserver-client-secret", "refserver-meeting-uuid", "refserver-stream-id"),
            "52fb591656f11bb74dd219736c4818c69db31390d1b926af44d233c129e5cfb6"
        );
        assert_eq!(
            generate_signature("client123", "secret123", "4S8fdu9eRxOFRhCuSBkH7w==", "rtms_stream_abc"),
            "3d107bce60b95a863b4c46900a0479e16e4fb1f45cb1dd00b859445cb447a070"
        );
        assert_eq!(
            generate_signature("client123", "secret123", "Gy4m0w6hQz2D1hHt5sYkgw==", "stream-xyz"),
            "5eaeffe92cae885dad95a3b26c6b26f45c177e0fb87a1213a6bcac3e9c108f17"
        );
    }

    #[test]
    fn webhook_vectors() {
        assert_eq!(
            url_validation_token("ZOOM_WEBHOOK_SECRET_TOKEN", "qgg8vlvZRS6UYooatFL8Aw"),
            "86b96838c461c5cafc27d6631f663bbfd12746efb4293fc18dce8af8f1aaad30"
        );
        let body = br#"{"event":"meeting.rtms_started","event_ts":1732000000000,"payload":{"meeting_uuid":"4S8fdu9eRxOFRhCuSBkH7w==","operator_id":"op-1","rtms_stream_id":"rtms_stream_abc","server_urls":"wss://127.0.0.1:9001"}}"#;
        let sig = "v0=18e9eba8aaa9b979ea8f68c13cb898c3bcf2b4f96bd45d50a2a23002283cc01f";
        assert_eq!(webhook_signature("ZOOM_WEBHOOK_SECRET_TOKEN", "1732000000", body), sig);
        assert!(verify_webhook_signature("ZOOM_WEBHOOK_SECRET_TOKEN", "1732000000", body, sig));
        assert!(!verify_webhook_signature("other", "1732000000", body, sig));
        assert!(!verify_webhook_signature("ZOOM_WEBHOOK_SECRET_TOKEN", "1732000001", body, sig));
        assert!(!verify_webhook_signature("ZOOM_WEBHOOK_SECRET_TOKEN", "1732000000", body, "v0=zz"));
    }

    #[test]
    fn credentials_prefer_arguments() {
        assert_eq!(credentials(Some("a"), Some("b")).unwrap(), ("a".into(), "b".into()));
        let err = credentials(Some("a"), Some("")).map(|_| ()).or_else(|e| if std::env::var(ENV_SECRET).is_ok() { Ok(()) } else { Err(e) });
        if let Err(e) = err {
            assert_eq!(e.kind(), ErrorKind::MissingCredentials);
            assert!(e.to_string().contains("ZM_RTMS_SECRET"));
        }
    }
}
