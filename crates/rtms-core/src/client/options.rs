//! What to join and how: [`JoinParams`], [`Product`], [`MediaLayout`], and what a join returns.

use std::time::Duration;

use crate::protocol::MediaType;

/// Which product a stream belongs to; it decides how event types 8+ are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Product {
    #[default]
    Meeting,
    Webinar,
    Session,
    ContactCenter,
}

/// How media connections are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MediaLayout {
    /// One connection per media type at its own URL (what Zoom's SDK does); types without
    /// their own URL share the `all` URL.
    #[default]
    Split,
    /// Every media type on one connection at the `all` URL.
    Combined,
}

/// What to join: the ids from the `*.rtms_started` webhook.
#[derive(Debug, Clone, Default)]
pub struct JoinParams {
    /// Meeting uuid, webinar uuid, session id or engagement id, exactly as delivered.
    pub instance_id: String,
    pub product: Product,
    pub stream_id: String,
    /// Signaling URL(s), comma-separated; tried in order until one connects.
    pub server_urls: String,
    /// A precomputed signature; when `None` it is computed from the credentials.
    pub signature: Option<String>,
    /// Client id; `ZM_RTMS_CLIENT` when `None`.
    pub client_id: Option<String>,
    /// Client secret; `ZM_RTMS_SECRET` when `None`.
    pub client_secret: Option<String>,
    /// Join timeout (default 10 s).
    pub timeout: Option<Duration>,
}

impl JoinParams {
    fn with(product: Product, instance_id: &str, stream_id: &str, server_urls: &str) -> JoinParams {
        JoinParams {
            instance_id: instance_id.into(),
            product,
            stream_id: stream_id.into(),
            server_urls: server_urls.into(),
            ..Default::default()
        }
    }
    /// A meeting stream (`meeting.rtms_started`).
    pub fn meeting(meeting_uuid: &str, stream_id: &str, server_urls: &str) -> JoinParams {
        JoinParams::with(Product::Meeting, meeting_uuid, stream_id, server_urls)
    }
    /// A webinar stream.
    pub fn webinar(webinar_uuid: &str, stream_id: &str, server_urls: &str) -> JoinParams {
        JoinParams::with(Product::Webinar, webinar_uuid, stream_id, server_urls)
    }
    /// A Video SDK session stream.
    pub fn session(session_id: &str, stream_id: &str, server_urls: &str) -> JoinParams {
        JoinParams::with(Product::Session, session_id, stream_id, server_urls)
    }
    /// A Contact Center engagement stream.
    pub fn engagement(engagement_id: &str, stream_id: &str, server_urls: &str) -> JoinParams {
        JoinParams::with(Product::ContactCenter, engagement_id, stream_id, server_urls)
    }
    /// Sets the client id and secret.
    pub fn credentials(mut self, client_id: &str, client_secret: &str) -> JoinParams {
        self.client_id = Some(client_id.into());
        self.client_secret = Some(client_secret.into());
        self
    }
    /// Uses a precomputed signature.
    pub fn signature(mut self, signature: &str) -> JoinParams {
        self.signature = Some(signature.into());
        self
    }
    /// Sets the join timeout.
    pub fn timeout(mut self, timeout: Duration) -> JoinParams {
        self.timeout = Some(timeout);
        self
    }
}

/// What [`Client::join`] returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinInfo {
    /// The media connections opened: the types each carries and its URL.
    pub media: Vec<(MediaType, String)>,
}
