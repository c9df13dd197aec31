//! Proof-system parameters.

use serde::{Deserialize, Serialize};
use stwo::core::fri::FriConfig;
use stwo::core::pcs::PcsConfig;

/// The STARK parameters of a proof. They are mixed into the transcript before anything else, and
/// the verifier only accepts the configuration it expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StarkConfig {
    /// Proof-of-work bits before the FRI queries.
    pub pow_bits: u32,
    /// `log2` of the FRI blowup factor.
    pub log_blowup_factor: u32,
    /// Number of FRI queries.
    pub n_queries: u32,
    /// `log2` of the degree bound of FRI's last layer.
    pub log_last_layer_degree_bound: u32,
}

impl StarkConfig {
    /// The default: 100 conjectured bits of security (`20 + 1 × 80`). Blowup 2 keeps proving
    /// fastest; the query count makes up the security.
    pub const fn secure() -> Self {
        Self { pow_bits: 20, log_blowup_factor: 1, n_queries: 80, log_last_layer_degree_bound: 0 }
    }

    /// **Insecure** (12 bits): for tests only, where proving speed matters and soundness does not.
    pub const fn insecure_for_tests() -> Self {
        Self { pow_bits: 8, log_blowup_factor: 1, n_queries: 4, log_last_layer_degree_bound: 0 }
    }

    /// Conjectured security: `pow_bits + log_blowup_factor × n_queries`.
    pub const fn security_bits(&self) -> u32 {
        self.pow_bits + self.log_blowup_factor * self.n_queries
    }

    /// Stwo's form of the configuration.
    pub(crate) fn pcs(&self) -> PcsConfig {
        PcsConfig {
            pow_bits: self.pow_bits,
            fri_config: FriConfig::new(
                self.log_last_layer_degree_bound,
                self.log_blowup_factor,
                self.n_queries as usize,
                1,
            ),
            lifting_log_size: None,
        }
    }
}

impl Default for StarkConfig {
    fn default() -> Self {
        Self::secure()
    }
}

#[cfg(test)]
mod tests {
    use super::StarkConfig;

    #[test]
    fn the_secure_config_has_100_bits_and_shares_the_blowup_with_the_test_config() {
        assert!(StarkConfig::secure().security_bits() >= 100);
        assert!(StarkConfig::insecure_for_tests().security_bits() < 100);
        // The preprocessed commitment (and so the program key) depends on the blowup: every
        // Blake2s configuration must use the same one for one key to cover them all.
        assert_eq!(
            StarkConfig::secure().log_blowup_factor,
            StarkConfig::insecure_for_tests().log_blowup_factor
        );
    }
}
