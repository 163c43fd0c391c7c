//! Bounded exponential backoff with jitter for transient Octopus failures and locked journals.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::config::RetrySettings;

static DRAWS: AtomicU64 = AtomicU64::new(0);

/// How often and how long to wait between attempts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub attempts: u32,
    base: Duration,
    max: Duration,
}

impl From<RetrySettings> for Backoff {
    fn from(settings: RetrySettings) -> Self {
        Self {
            attempts: settings.attempts.max(1),
            base: Duration::from_millis(settings.base_delay_ms),
            max: Duration::from_millis(settings.max_delay_ms.max(settings.base_delay_ms)),
        }
    }
}

impl Backoff {
    /// The longest wait before attempt `attempt + 1` (1-based `attempt` just failed):
    /// `min(max, base * 2^(attempt-1))`.
    pub fn ceiling(&self, attempt: u32) -> Duration {
        let factor = 1u32 << attempt.saturating_sub(1).min(20);
        self.base.saturating_mul(factor).min(self.max)
    }

    /// The jittered wait after failed attempt `attempt`: between half the ceiling and the
    /// ceiling, so replicas that failed together do not retry together.
    pub fn delay(&self, attempt: u32) -> Duration {
        let ceiling = self.ceiling(attempt);
        let half = ceiling / 2;
        let spread = u64::try_from((ceiling - half).as_micros()).unwrap_or(u64::MAX);
        let draw = RandomState::new().hash_one(DRAWS.fetch_add(1, Ordering::Relaxed));
        half + Duration::from_micros(draw % spread.saturating_add(1))
    }

    /// Waits after failed attempt `attempt`; `hint` (Octopus's Retry-After) replaces the
    /// computed wait when it is not longer than the longest wait.
    pub async fn wait(&self, attempt: u32, hint: Option<Duration>) {
        let delay = match hint {
            Some(hint) if hint <= self.max => hint,
            _ => self.delay(attempt),
        };
        tokio::time::sleep(delay).await;
    }

    /// Whether Octopus's Retry-After is longer than this policy is willing to wait.
    pub fn too_long(&self, hint: Option<Duration>) -> bool {
        hint.is_some_and(|hint| hint > self.max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn backoff() -> Backoff {
        Backoff::from(RetrySettings {
            attempts: 4,
            base_delay_ms: 200,
            max_delay_ms: 5_000,
        })
    }

    #[test]
    fn doubles_up_to_the_cap() {
        let backoff = backoff();
        let ceilings: Vec<u128> = (1..=7).map(|n| backoff.ceiling(n).as_millis()).collect();
        assert_eq!(ceilings, [200, 400, 800, 1_600, 3_200, 5_000, 5_000]);
        assert_eq!(backoff.ceiling(200), Duration::from_secs(5));
    }

    #[test]
    fn jitter_stays_between_half_and_the_ceiling_and_varies() {
        let backoff = backoff();
        let delays: Vec<Duration> = (0..50).map(|_| backoff.delay(3)).collect();
        for delay in &delays {
            assert!(*delay >= Duration::from_millis(400) && *delay <= Duration::from_millis(800));
        }
        let first = delays[0];
        assert!(delays.iter().any(|delay| *delay != first), "no jitter");
    }

    #[test]
    fn settings_are_made_sane() {
        let odd = Backoff::from(RetrySettings {
            attempts: 0,
            base_delay_ms: 10,
            max_delay_ms: 1,
        });
        assert_eq!(odd.attempts, 1);
        assert_eq!(odd.ceiling(5), Duration::from_millis(10));
        assert!(odd.too_long(Some(Duration::from_secs(1))));
        assert!(!odd.too_long(None));
    }

    #[tokio::test(start_paused = true)]
    async fn waits_the_hint_when_it_is_short_enough() {
        let backoff = backoff();
        let started = tokio::time::Instant::now();
        backoff.wait(1, Some(Duration::from_secs(3))).await;
        assert_eq!(started.elapsed(), Duration::from_secs(3));
        let started = tokio::time::Instant::now();
        backoff.wait(2, Some(Duration::from_secs(60))).await;
        let waited = started.elapsed();
        assert!(waited >= Duration::from_millis(200) && waited <= Duration::from_millis(400));
    }
}
