//! `Simulator`: rtms-sim (a simulated Zoom RTMS server) for tests (`rtms/testing`).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use rtms_sim::{Scenario, Sim, SimConfig};
use serde::Serialize;

use crate::error::{failure, to_js, JsResult};

fn json<T: Serialize>(env: &Env, value: &T) -> JsResult<String> {
    serde_json::to_string(value).map_err(|e| to_js(env, &failure(format!("cannot serialise the simulator state: {e}"))))
}

fn sim_error(env: &Env, e: rtms_sim::SimError) -> Error {
    to_js(env, &failure(format!("simulator: {e}")))
}

/// How to start a simulator (every field optional).
#[napi(object)]
pub struct SimulatorOptions {
    /// A built-in scenario: `quick` (default), `minimal`, `demo`.
    pub scenario: Option<String>,
    /// A whole scenario as TOML (wins over `scenario`).
    pub scenario_toml: Option<String>,
    /// Playback speed (default 1.0).
    pub speed: Option<f64>,
    /// Number of meetings (default 1).
    pub meetings: Option<u32>,
    pub tls: Option<bool>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub webhook_url: Option<String>,
    pub webhook_secret: Option<String>,
    pub validate_webhook: Option<bool>,
}

/// A running simulator.
#[napi(js_name = "Simulator")]
pub struct JsSimulator {
    sim: Mutex<Option<Arc<Sim>>>,
}

impl JsSimulator {
    fn sim(&self, env: &Env) -> JsResult<Arc<Sim>> {
        self.sim.lock().unwrap_or_else(|p| p.into_inner()).clone().ok_or_else(|| to_js(env, &failure("the simulator was shut down")))
    }
}

#[napi]
impl JsSimulator {
    /// Starts a simulator on 127.0.0.1 (free port).
    #[napi(ts_return_type = "Promise<Simulator>")]
    pub fn start<'env>(env: &'env Env, options: Option<SimulatorOptions>) -> JsResult<PromiseRaw<'env, JsSimulator>> {
        let o = options.unwrap_or(SimulatorOptions {
            scenario: None,
            scenario_toml: None,
            speed: None,
            meetings: None,
            tls: None,
            client_id: None,
            client_secret: None,
            webhook_url: None,
            webhook_secret: None,
            validate_webhook: None,
        });
        let scenario = match &o.scenario_toml {
            Some(text) => Scenario::from_toml(text),
            None => Scenario::builtin(o.scenario.as_deref().unwrap_or("quick")),
        }
        .map_err(|e| sim_error(env, e))?;
        let mut cfg = SimConfig::new(scenario);
        cfg.speed = o.speed.filter(|s| s.is_finite() && *s > 0.0).unwrap_or(1.0);
        cfg.meetings = o.meetings.map(|m| m as usize).unwrap_or(1);
        cfg.tls = o.tls.unwrap_or(false);
        if let Some(id) = o.client_id {
            cfg.client_id = id;
        }
        if let Some(secret) = o.client_secret {
            cfg.client_secret = secret;
        }
        cfg.webhook_url = o.webhook_url;
        cfg.webhook_secret = o.webhook_secret;
        cfg.validate_webhook = o.validate_webhook.unwrap_or(false);
        env.spawn_future(async move {
            let sim = Sim::start(cfg).await.map_err(|e| Error::from_reason(format!("simulator: {e}")))?;
            Ok(JsSimulator { sim: Mutex::new(Some(Arc::new(sim))) })
        })
    }

    /// The generic signaling URL.
    #[napi(getter)]
    pub fn signaling_url(&self, env: &Env) -> JsResult<String> {
        Ok(self.sim(env)?.signaling_url())
    }

    /// The CA certificate (PEM) to trust for `wss://`, when TLS is on.
    #[napi(getter)]
    pub fn ca_pem(&self, env: &Env) -> JsResult<Option<String>> {
        Ok(self.sim(env)?.ca_pem().map(str::to_owned))
    }

    /// Every meeting as a webhook would announce it (JSON array).
    #[napi]
    pub fn meetings(&self, env: &Env) -> JsResult<String> {
        json(env, &self.sim(env)?.meetings())
    }

    /// The summary as of now (JSON).
    #[napi]
    pub fn summary(&self, env: &Env) -> JsResult<String> {
        json(env, &self.sim(env)?.summary())
    }

    /// Waits until every meeting ended and resolves to the summary (JSON), or to `null` after
    /// `timeoutMs`.
    #[napi(ts_return_type = "Promise<string | null>")]
    pub fn wait<'env>(&self, env: &'env Env, timeout_ms: Option<u32>) -> JsResult<PromiseRaw<'env, Option<String>>> {
        let sim = self.sim(env)?;
        env.spawn_future(async move {
            let summary = match timeout_ms {
                Some(ms) => tokio::time::timeout(Duration::from_millis(u64::from(ms)), sim.wait()).await.ok(),
                None => Some(sim.wait().await),
            };
            summary.map(|s| serde_json::to_string(&s).map_err(|e| Error::from_reason(e.to_string()))).transpose()
        })
    }

    /// Ends meeting `index` (every meeting when unset) with a stop reason (default 6).
    #[napi]
    pub fn end_meeting(&self, env: &Env, stop_reason: Option<i32>, index: Option<u32>) -> JsResult<()> {
        let faults = self.sim(env)?.faults();
        let reason = stop_reason.unwrap_or(6);
        match index {
            Some(i) => faults.meeting(i as usize).end_meeting(reason),
            None => faults.end_meeting(reason),
        }
        Ok(())
    }

    /// Refuses the next handshake with a Zoom status code.
    #[napi]
    pub fn refuse_next_handshake(&self, env: &Env, status: i64) -> JsResult<()> {
        self.sim(env)?.faults().refuse_next_handshake(status);
        Ok(())
    }

    /// Closes every socket and stops the simulator.
    #[napi(ts_return_type = "Promise<void>")]
    pub fn shutdown<'env>(&self, env: &'env Env) -> JsResult<PromiseRaw<'env, ()>> {
        let sim = self.sim.lock().unwrap_or_else(|p| p.into_inner()).take();
        env.spawn_future(async move {
            // Someone may still be waiting on it: then it stops when the last handle goes.
            if let Some(Ok(sim)) = sim.map(Arc::try_unwrap) {
                sim.shutdown().await;
            }
            Ok(())
        })
    }
}
