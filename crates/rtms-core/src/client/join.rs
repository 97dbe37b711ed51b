//! Joining: signaling handshake, one data handshake per media connection, client ready,
//! event subscription.

use std::sync::Arc;

use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;
use tokio::time::Instant;
use tracing::{debug, info, warn};

use super::conn::{self, Frame};
use super::media;
use super::session::{self, Command, Shared};
use super::stats::Stats;
use super::{JoinParams, MediaLayout, Product, Settings};
use crate::error::{Error, ErrorKind, Result};
use crate::params::MediaParams;
use crate::protocol::*;
use crate::transport::{self, Ws};

/// What a successful join hands back to [`super::Client`].
pub(crate) struct Joined {
    pub(crate) commands: mpsc::UnboundedSender<Command>,
    pub(crate) done: watch::Receiver<bool>,
    pub(crate) media: Vec<(MediaType, String)>,
}

fn sequence() -> serde_json::Value {
    serde_json::Value::from(rand::random::<u32>() as u64 & 0x7fff_ffff)
}

/// Reads frames until one of type `want` arrives, answering keep-alives on the way.
async fn expect(ws: &mut Ws, want: i64, what: &str, stats: &Stats) -> Result<Message> {
    loop {
        match conn::next(ws).await {
            Frame::Data(bytes) => match Message::decode(&bytes) {
                Ok(msg) if msg.msg_type() == want => {
                    stats.frame(want);
                    return Ok(msg);
                }
                Ok(Message::KeepAliveReq(k)) => {
                    stats.keepalive();
                    conn::send(ws, &conn::keepalive_reply(k)).await?;
                }
                Ok(other) => debug!(msg_type = other.msg_type(), "ignored while waiting for the {what}"),
                Err(e) => {
                    stats.skipped();
                    warn!(error = %e, "skipped a frame while waiting for the {what}");
                }
            },
            Frame::Control => {}
            Frame::Closed => {
                return Err(Error::new(ErrorKind::ConnectionLost, format!("the server closed the connection before the {what}")))
            }
            Frame::Lost(e) => return Err(Error::new(ErrorKind::ConnectionLost, format!("connection lost before the {what}: {e}"))),
        }
    }
}

fn check_status(status: Option<i64>, reason: Option<&str>, what: &str) -> Result<()> {
    match status {
        None => Err(Error::protocol(format!("{what} response has no status_code"))),
        Some(0) => Ok(()),
        Some(code) => Err(Error::refused(what, code, reason.unwrap_or(""))),
    }
}

/// Connects to the first reachable signaling URL of a comma-separated list.
async fn connect_signaling(urls: &str, settings: &Settings) -> Result<Ws> {
    let list: Vec<&str> = urls.split(',').map(str::trim).filter(|u| !u.is_empty()).collect();
    if list.is_empty() {
        return Err(Error::invalid_argument("server_urls is empty"));
    }
    let mut errors = Vec::new();
    for url in &list {
        match transport::connect(url, &settings.transport).await {
            Ok(ws) => {
                info!(url = transport::redact(url), "signaling connected");
                return Ok(ws);
            }
            Err(e) => {
                warn!(url = transport::redact(url), error = %e, "signaling URL failed, trying the next");
                errors.push(e);
            }
        }
    }
    let last = errors.pop().unwrap_or_else(|| Error::new(ErrorKind::Connect, "no signaling URL"));
    Err(Error::new(last.kind(), format!("no signaling URL reachable ({} tried); last error: {last}", list.len())))
}

/// Which media sockets to open: one per type at its own URL, or combined on `all`.
fn plan_media(enabled: MediaType, urls: &ServerUrls, layout: MediaLayout) -> Result<Vec<(MediaType, String)>> {
    let mut plan = Vec::new();
    let mut combined = MediaType::UNDEFINED;
    for kind in enabled.singles() {
        match (layout, urls.get(kind.key())) {
            (MediaLayout::Split, Some(url)) => plan.push((kind, url.to_owned())),
            _ => combined |= kind,
        }
    }
    if combined.0 != 0 {
        let all = urls.all.as_deref().ok_or_else(|| {
            let missing: Vec<&str> = combined.singles().map(|k| k.key()).collect();
            Error::protocol(format!("the server gave no media URL for {} (and no `all` URL)", missing.join(", ")))
        })?;
        plan.push((combined, all.to_owned()));
    }
    Ok(plan)
}

/// The `media_params` for one socket: explicit params, else the official SDK's defaults.
fn params_for(mask: MediaType, settings: &Settings) -> MediaParams {
    let p = &settings.params;
    let mut out = MediaParams::default();
    for kind in mask.singles() {
        match kind {
            MediaType::AUDIO => out.audio = Some(p.audio.unwrap_or_else(crate::AudioParams::sdk_default)),
            MediaType::VIDEO => out.video = Some(p.video.unwrap_or_else(crate::VideoParams::sdk_default)),
            MediaType::DESKSHARE => out.deskshare = Some(p.deskshare.unwrap_or_else(crate::DeskshareParams::sdk_default)),
            MediaType::TRANSCRIPT => out.transcript = Some(p.transcript.unwrap_or_default()),
            _ => out.chat = Some(p.chat.unwrap_or_default()),
        }
    }
    out
}

struct Identity<'a> {
    meeting_uuid: &'a str,
    stream_id: &'a str,
    signature: &'a str,
}

async fn open_media(mask: MediaType, url: String, settings: &Settings, id: &Identity<'_>, stats: &Stats) -> Result<Ws> {
    let mut ws = transport::connect(&url, &settings.transport).await?;
    let req = Message::DataHandshakeReq(DataHandshakeReq {
        protocol_version: 1,
        meeting_uuid: id.meeting_uuid.to_owned(),
        rtms_stream_id: id.stream_id.to_owned(),
        signature: id.signature.to_owned(),
        sequence: Some(sequence()),
        media_type: mask.0,
        payload_encryption: None,
        media_params: Some(params_for(mask, settings)),
    });
    conn::send(&mut ws, &req).await?;
    let what = format!("{} data handshake", mask.key());
    let Message::DataHandshakeResp(resp) = expect(&mut ws, 4, &what, stats).await? else { unreachable!("expect returns the wanted type") };
    check_status(resp.status_code, resp.reason.as_deref(), &what)?;
    if resp.payload_encrypted {
        return Err(Error::protocol(format!("{what}: the server wants payload encryption, which this client does not support yet")));
    }
    debug!(media = mask.key(), params = ?resp.media_params, "data handshake done");
    Ok(ws)
}

/// Runs the whole join. On success the session runs in the background.
pub(crate) async fn join(params: &JoinParams, settings: &Settings, stats: Arc<Stats>) -> Result<Joined> {
    let signature = match &params.signature {
        Some(s) => s.clone(),
        None => {
            let (id, secret) = crate::signature::credentials(params.client_id.as_deref(), params.client_secret.as_deref())?;
            crate::signature::generate_signature(&id, &secret, &params.instance_id, &params.stream_id)
        }
    };
    let id = Identity { meeting_uuid: &params.instance_id, stream_id: &params.stream_id, signature: &signature };
    let started = Instant::now();

    let mut sig = connect_signaling(&params.server_urls, settings).await?;
    let hello = Message::SignalingHandshakeReq(SignalingHandshakeReq {
        protocol_version: 1,
        meeting_uuid: params.instance_id.clone(),
        rtms_stream_id: params.stream_id.clone(),
        signature: signature.clone(),
        sequence: Some(sequence()),
        rtms_client_agent: Some(settings.agent.clone()),
        buffer_data: None,
    });
    conn::send(&mut sig, &hello).await?;
    let Message::SignalingHandshakeResp(resp) = expect(&mut sig, 2, "signaling handshake", &stats).await? else {
        unreachable!("expect returns the wanted type")
    };
    check_status(resp.status_code, resp.reason.as_deref(), "signaling handshake")?;
    let urls = resp
        .media_server
        .map(|m| m.server_urls)
        .ok_or_else(|| Error::protocol("signaling handshake response has no media_server.server_urls"))?;

    let enabled = settings.enabled;
    let plan = if enabled.0 == 0 { Vec::new() } else { plan_media(enabled, &urls, settings.layout)? };
    let opened = futures_util::future::join_all(plan.iter().map(|(mask, url)| open_media(*mask, url.clone(), settings, &id, &stats))).await;
    let mut sockets = Vec::with_capacity(opened.len());
    for r in opened {
        sockets.push(r?);
    }

    conn::send(&mut sig, &Message::ClientReadyAck(ClientReadyAck { rtms_stream_id: params.stream_id.clone() })).await?;
    if !settings.events.is_empty() {
        let events = settings.events.iter().map(|(t, on)| EventSubscriptionItem { event_type: *t, subscribe: *on }).collect();
        conn::send(&mut sig, &Message::EventSubscription(EventSubscription { events })).await?;
    }
    info!(meeting = %params.instance_id, stream = %params.stream_id, media = plan.len(), elapsed_ms = started.elapsed().as_millis() as u64, "joined");

    let shared = Arc::new(Shared::new(
        settings.sinks.clone(),
        stats,
        params.instance_id.clone(),
        params.stream_id.clone(),
        params.product == Product::ContactCenter,
        settings.keepalive_timeout,
        settings.close_timeout,
    ));
    let (close_tx, close_rx) = watch::channel(media::Control::Run);
    let mut tasks = JoinSet::new();
    for (ws, (mask, _)) in sockets.into_iter().zip(plan.iter()) {
        tasks.spawn(media::run(ws, *mask, shared.clone(), close_rx.clone()));
    }
    let (cmd_tx, cmd_rx) = mpsc::unbounded_channel();
    let (done_tx, done_rx) = watch::channel(false);
    tokio::spawn(session::run(sig, shared, cmd_rx, tasks, close_tx, done_tx));
    Ok(Joined { commands: cmd_tx, done: done_rx, media: plan })
}
