//! `rtms._rtms.Simulator`: rtms-sim (a simulated Zoom RTMS server) for Python tests.
//! `rtms.testing.Simulator` is the documented wrapper.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use pyo3::prelude::*;
use rtms_sim::{Scenario, Sim, SimConfig};
use serde::Serialize;

use crate::error::failure;
use crate::runtime;

/// Converts anything serialisable into Python values (through JSON, once per call).
fn to_python<T: Serialize>(py: Python<'_>, value: &T) -> PyResult<Py<PyAny>> {
    let text = serde_json::to_string(value).map_err(|e| failure(format!("cannot serialise the simulator state: {e}")))?;
    Ok(py.import("json")?.getattr("loads")?.call1((text,))?.unbind())
}

fn sim_error(e: rtms_sim::SimError) -> PyErr {
    failure(format!("simulator: {e}"))
}

/// A running simulator.
#[pyclass(module = "rtms._rtms", name = "Simulator", frozen)]
pub struct PySim {
    sim: Mutex<Option<Arc<Sim>>>,
}

impl PySim {
    fn sim(&self) -> PyResult<Arc<Sim>> {
        self.sim.lock().unwrap_or_else(|p| p.into_inner()).clone().ok_or_else(|| failure("the simulator was shut down"))
    }
}

#[pymethods]
impl PySim {
    /// Starts a simulator on 127.0.0.1 (free port). `scenario` is a built-in name (`quick`,
    /// `minimal`, `demo`) unless `scenario_toml` gives a whole scenario.
    #[new]
    #[pyo3(signature = (scenario="quick", scenario_toml=None, speed=1.0, meetings=1, tls=false, client_id=None, client_secret=None,
        webhook_url=None, webhook_secret=None, validate_webhook=false, keepalive_interval=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        scenario: &str,
        scenario_toml: Option<&str>,
        speed: f64,
        meetings: usize,
        tls: bool,
        client_id: Option<String>,
        client_secret: Option<String>,
        webhook_url: Option<String>,
        webhook_secret: Option<String>,
        validate_webhook: bool,
        keepalive_interval: Option<f64>,
    ) -> PyResult<Self> {
        let scenario = match scenario_toml {
            Some(text) => Scenario::from_toml(text),
            None => Scenario::builtin(scenario),
        }
        .map_err(sim_error)?;
        let mut cfg = SimConfig::new(scenario);
        cfg.speed = speed;
        cfg.meetings = meetings;
        cfg.tls = tls;
        if let Some(id) = client_id {
            cfg.client_id = id;
        }
        if let Some(secret) = client_secret {
            cfg.client_secret = secret;
        }
        cfg.webhook_url = webhook_url;
        cfg.webhook_secret = webhook_secret;
        cfg.validate_webhook = validate_webhook;
        if let Some(s) = keepalive_interval.filter(|s| s.is_finite() && *s > 0.0) {
            cfg.keepalive_interval = Duration::from_secs_f64(s);
        }
        let rt = runtime::handle()?;
        let sim = py.detach(|| rt.block_on(Sim::start(cfg))).map_err(sim_error)?;
        Ok(PySim { sim: Mutex::new(Some(Arc::new(sim))) })
    }

    /// The generic signaling URL.
    #[getter]
    fn signaling_url(&self) -> PyResult<String> {
        Ok(self.sim()?.signaling_url())
    }

    /// The CA certificate (PEM) to trust for `wss://`, when TLS is on.
    #[getter]
    fn ca_pem(&self) -> PyResult<Option<String>> {
        Ok(self.sim()?.ca_pem().map(str::to_owned))
    }

    /// Every meeting as a webhook would announce it (list of dicts).
    fn meetings(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_python(py, &self.sim()?.meetings())
    }

    /// The summary as of now (dict).
    fn summary(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_python(py, &self.sim()?.summary())
    }

    /// Waits (without the GIL) until every meeting ended and returns the summary, or `None`
    /// after `timeout` seconds.
    #[pyo3(signature = (timeout=None))]
    fn wait(&self, py: Python<'_>, timeout: Option<f64>) -> PyResult<Option<Py<PyAny>>> {
        let sim = self.sim()?;
        let rt = runtime::handle()?;
        let limit = timeout.map(|t| Duration::from_secs_f64(t.max(0.0)));
        let summary = py.detach(|| {
            rt.block_on(async {
                match limit {
                    Some(limit) => tokio::time::timeout(limit, sim.wait()).await.ok(),
                    None => Some(sim.wait().await),
                }
            })
        });
        summary.map(|s| to_python(py, &s)).transpose()
    }

    /// Ends meeting `index` (every meeting when `None`) with a stop reason.
    #[pyo3(signature = (stop_reason=6, index=None))]
    fn end_meeting(&self, stop_reason: i32, index: Option<usize>) -> PyResult<()> {
        let faults = self.sim()?.faults();
        match index {
            Some(i) => faults.meeting(i).end_meeting(stop_reason),
            None => faults.end_meeting(stop_reason),
        }
        Ok(())
    }

    /// Refuses the next handshake with a Zoom status code.
    fn refuse_next_handshake(&self, status: i64) -> PyResult<()> {
        self.sim()?.faults().refuse_next_handshake(status);
        Ok(())
    }

    /// Closes every socket and stops the simulator (waits without the GIL, about 2 s at most).
    fn shutdown(&self, py: Python<'_>) -> PyResult<()> {
        let sim = self.sim.lock().unwrap_or_else(|p| p.into_inner()).take();
        let Some(sim) = sim else { return Ok(()) };
        let rt = runtime::handle()?;
        // Someone may still be waiting on it: then it stops when the last handle goes.
        if let Ok(sim) = Arc::try_unwrap(sim) {
            py.detach(|| rt.block_on(sim.shutdown()));
        }
        Ok(())
    }
}
