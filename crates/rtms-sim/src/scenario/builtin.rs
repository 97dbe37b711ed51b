//! The scenarios compiled into the crate.

/// Names accepted by [`super::Scenario::builtin`].
pub const NAMES: &[&str] = &["demo", "minimal", "quick"];

/// The TOML text of a built-in scenario.
pub fn text(name: &str) -> Option<&'static str> {
    match name {
        "demo" => Some(include_str!("../../scenarios/demo.toml")),
        "minimal" => Some(include_str!("../../scenarios/minimal.toml")),
        "quick" => Some(include_str!("../../scenarios/quick.toml")),
        _ => None,
    }
}
