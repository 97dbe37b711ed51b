//! WebSocket connections: TCP, optional HTTP proxy (CONNECT), optional TLS (rustls with the
//! system roots plus an optional CA file), then the WebSocket upgrade. The only file that
//! names the WebSocket crate's connection types.

use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::WebSocketStream;

use crate::error::{Error, ErrorKind, Result};

/// Environment variable naming an extra CA file (PEM) to trust for `wss://`.
pub const ENV_CA: &str = "ZM_RTMS_CA";

/// A WebSocket over plain TCP or TLS.
pub type Ws = WebSocketStream<Stream>;
pub use tokio_tungstenite::tungstenite::Message as WsMessage;

/// How to reach a server.
#[derive(Debug, Clone, Default)]
pub struct TransportConfig {
    /// `http://host:port` of an HTTP proxy that supports CONNECT.
    pub proxy: Option<String>,
    /// Extra CA certificate file (PEM) for `wss://`; `ZM_RTMS_CA` when unset.
    pub ca_file: Option<PathBuf>,
    /// Largest WebSocket message accepted, in bytes.
    pub max_message_size: usize,
    /// Connect (TCP + TLS + upgrade) timeout.
    pub connect_timeout: Duration,
}

impl TransportConfig {
    pub fn new() -> Self {
        TransportConfig { proxy: None, ca_file: None, max_message_size: 64 << 20, connect_timeout: Duration::from_secs(10) }
    }
}

/// Plain TCP or TLS over TCP.
pub enum Stream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl AsyncRead for Stream {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_flush(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

struct Target {
    tls: bool,
    host: String,
    port: u16,
}

fn parse_target(url: &str) -> Result<Target> {
    let (tls, rest) = if let Some(r) = url.strip_prefix("wss://") {
        (true, r)
    } else if let Some(r) = url.strip_prefix("ws://") {
        (false, r)
    } else {
        return Err(Error::invalid_argument(format!("unsupported URL `{url}`: expected ws:// or wss://")));
    };
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    if authority.is_empty() {
        return Err(Error::invalid_argument(format!("URL `{url}` has no host")));
    }
    let (host, port) = split_host_port(authority, if tls { 443 } else { 80 })
        .ok_or_else(|| Error::invalid_argument(format!("URL `{url}` has an invalid port")))?;
    Ok(Target { tls, host, port })
}

fn split_host_port(authority: &str, default_port: u16) -> Option<(String, u16)> {
    if let Some(rest) = authority.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        let port = match after.strip_prefix(':') {
            Some(p) => p.parse().ok()?,
            None => default_port,
        };
        return Some((host.to_owned(), port));
    }
    match authority.rsplit_once(':') {
        Some((h, p)) => Some((h.to_owned(), p.parse().ok()?)),
        None => Some((authority.to_owned(), default_port)),
    }
}

/// Opens a WebSocket to `url` (`ws://` or `wss://`), through the proxy if one is configured.
pub async fn connect(url: &str, config: &TransportConfig) -> Result<Ws> {
    let attempt = connect_inner(url, config);
    match tokio::time::timeout(config.connect_timeout, attempt).await {
        Ok(r) => r,
        Err(_) => {
            Err(Error::new(ErrorKind::Timeout, format!("connecting to {} timed out after {:?}", redact(url), config.connect_timeout)))
        }
    }
}

async fn connect_inner(url: &str, config: &TransportConfig) -> Result<Ws> {
    let target = parse_target(url)?;
    let tcp = match &config.proxy {
        Some(proxy) => connect_via_proxy(proxy, &target).await?,
        None => TcpStream::connect((target.host.as_str(), target.port))
            .await
            .map_err(|e| Error::new(ErrorKind::Connect, format!("cannot connect to {}:{}: {e}", target.host, target.port)))?,
    };
    let _ = tcp.set_nodelay(true);
    let stream = if target.tls {
        let connector = tokio_rustls::TlsConnector::from(tls_config(config.ca_file.as_deref())?);
        let name = rustls_pki_types::ServerName::try_from(target.host.clone())
            .map_err(|e| Error::invalid_argument(format!("invalid TLS server name `{}`: {e}", target.host)))?;
        let tls = connector
            .connect(name, tcp)
            .await
            .map_err(|e| Error::new(ErrorKind::Tls, format!("TLS handshake with {} failed: {e}", target.host)))?;
        Stream::Tls(Box::new(tls))
    } else {
        Stream::Plain(tcp)
    };
    let mut request =
        url.into_client_request().map_err(|e| Error::invalid_argument(format!("invalid WebSocket URL `{}`: {e}", redact(url))))?;
    request.headers_mut().insert("User-Agent", HeaderValue::from_static(concat!("rtms-rs/", env!("CARGO_PKG_VERSION"))));
    let ws_config =
        WebSocketConfig::default().max_message_size(Some(config.max_message_size)).max_frame_size(Some(config.max_message_size));
    let (ws, _response) = tokio_tungstenite::client_async_with_config(request, stream, Some(ws_config))
        .await
        .map_err(|e| Error::new(ErrorKind::Connect, format!("WebSocket upgrade to {} failed: {e}", redact(url))))?;
    Ok(ws)
}

/// HTTP CONNECT through an `http://` proxy.
async fn connect_via_proxy(proxy: &str, target: &Target) -> Result<TcpStream> {
    let authority = proxy
        .strip_prefix("http://")
        .ok_or_else(|| Error::invalid_argument(format!("unsupported proxy `{proxy}`: only http:// proxies are supported")))?
        .trim_end_matches('/');
    let (host, port) = split_host_port(authority, 80).ok_or_else(|| Error::invalid_argument(format!("invalid proxy URL `{proxy}`")))?;
    let mut tcp = TcpStream::connect((host.as_str(), port))
        .await
        .map_err(|e| Error::new(ErrorKind::Connect, format!("cannot connect to proxy {host}:{port}: {e}")))?;
    let hostport = format!("{}:{}", target.host, target.port);
    tcp.write_all(format!("CONNECT {hostport} HTTP/1.1\r\nHost: {hostport}\r\n\r\n").as_bytes()).await?;
    let mut reader = BufReader::new(&mut tcp);
    let mut status = String::new();
    reader.read_line(&mut status).await?;
    let ok = status.split_whitespace().nth(1) == Some("200");
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
    }
    if !ok {
        return Err(Error::new(ErrorKind::Connect, format!("proxy {host}:{port} refused CONNECT {hostport}: {}", status.trim())));
    }
    Ok(tcp)
}

fn tls_config(ca_file: Option<&Path>) -> Result<Arc<rustls::ClientConfig>> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_native_certs::load_native_certs().certs {
        let _ = roots.add(cert);
    }
    let env_ca = std::env::var_os(ENV_CA).map(PathBuf::from);
    if let Some(path) = ca_file.map(Path::to_path_buf).or(env_ca) {
        use rustls_pki_types::pem::PemObject;
        let certs = rustls_pki_types::CertificateDer::pem_file_iter(&path)
            .map_err(|e| Error::new(ErrorKind::Tls, format!("cannot read CA file {}: {e}", path.display())))?;
        for cert in certs {
            let cert = cert.map_err(|e| Error::new(ErrorKind::Tls, format!("bad certificate in {}: {e}", path.display())))?;
            roots.add(cert).map_err(|e| Error::new(ErrorKind::Tls, format!("unusable certificate in {}: {e}", path.display())))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::new(ErrorKind::Tls, e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// A URL with its query string removed, for logs (queries may carry tokens).
pub fn redact(url: &str) -> &str {
    url.split('?').next().unwrap_or(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        let t = parse_target("wss://rtms.zoom.us/path?x=1").unwrap();
        assert!(t.tls && t.host == "rtms.zoom.us" && t.port == 443);
        let t = parse_target("ws://127.0.0.1:9000").unwrap();
        assert!(!t.tls && t.port == 9000);
        let t = parse_target("ws://[::1]:9000/x").unwrap();
        assert_eq!((t.host.as_str(), t.port), ("::1", 9000));
        assert!(parse_target("http://x").is_err());
        assert!(parse_target("ws://host:notaport/").is_err());
        assert_eq!(redact("ws://a/b?token=1"), "ws://a/b");
    }
}
