//! Packs built on request and kept until the data changes: any notification on the features or
//! the tiles channel (every table a layer reads notifies one of them, whoever writes it) drops
//! every kept pack. While a listener is down nothing is kept, and a pack built across a change
//! is not kept either (the generation moved while it was built).
use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicU64, AtomicU8, Ordering},
        Arc, Mutex,
    },
};

use crate::db::{
    listen::{self, Subscriber},
    replicas::Reads,
};

/// At most this many packs are kept (the national one is the largest, tens of MB).
const KEPT: usize = 16;

pub struct PackCache {
    packs: Mutex<HashMap<String, Arc<Vec<u8>>>>,
    generation: AtomicU64,
    /// Listeners up (one per channel): packs are kept only when both are.
    up: AtomicU8,
}

impl PackCache {
    pub fn new(reads: &Arc<Reads>) -> Arc<Self> {
        let cache = Arc::new(Self {
            packs: Mutex::new(HashMap::new()),
            generation: AtomicU64::new(0),
            up: AtomicU8::new(0),
        });
        listen::start(reads, crate::features::read::cache::CHANNEL, &cache);
        listen::start(reads, crate::tiles::listen::CHANNEL, &cache);
        cache
    }

    fn drop_all(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut p) = self.packs.lock() {
            p.clear();
        }
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    pub fn get(&self, code: &str) -> Option<Arc<Vec<u8>>> {
        self.packs.lock().ok()?.get(code).cloned()
    }

    /// Keep `pack` if nothing changed since `generation` and both listeners are up.
    pub fn keep(&self, code: &str, generation: u64, pack: Arc<Vec<u8>>) {
        if self.up.load(Ordering::SeqCst) < 2 || self.generation() != generation {
            return;
        }
        if let Ok(mut p) = self.packs.lock() {
            if p.len() >= KEPT {
                p.clear();
            }
            p.insert(code.to_string(), pack);
        }
    }
}

impl Subscriber for PackCache {
    async fn connected(&self, up: bool) {
        self.drop_all();
        if up {
            self.up.fetch_add(1, Ordering::SeqCst);
        } else {
            let _ = self
                .up
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
        }
    }

    async fn notified(&self, _payload: &str) {
        self.drop_all();
    }
}
