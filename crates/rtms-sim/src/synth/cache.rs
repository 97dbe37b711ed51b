//! A process-wide memo table: each key is computed once, even when asked for concurrently.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, OnceLock};

/// One memo slot, filled once.
type Slot<V> = Arc<OnceLock<Result<V, String>>>;

/// Results are `Result<V, String>` so a failed encode is remembered too (and reported once
/// per connection rather than retried on every frame).
pub struct Memo<K, V> {
    map: Mutex<HashMap<K, Slot<V>>>,
}

impl<K: Eq + Hash + Clone, V: Clone> Memo<K, V> {
    pub fn new() -> Self {
        Memo { map: Mutex::new(HashMap::new()) }
    }

    fn cell(&self, key: &K) -> Slot<V> {
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(key.clone()).or_default().clone()
    }

    /// The value if it is already computed.
    pub fn peek(&self, key: &K) -> Option<Result<V, String>> {
        self.cell(key).get().cloned()
    }

    /// The value, computing it with `f` (blocking) if nobody has yet.
    pub fn get_or_compute(&self, key: &K, f: impl FnOnce() -> Result<V, String>) -> Result<V, String> {
        self.cell(key).get_or_init(f).clone()
    }
}
