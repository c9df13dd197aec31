//! Proof-system parameters.

use serde::{Deserialize, Serialize};
use stwo::core::fri::FriConfig;
use stwo::core::pcs::PcsConfig;

use crate::class::SizeClass;
use crate::hash::HashKind;

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
    /// `log2` of how many FRI folds each inner layer makes: more per layer means fewer layers, so
    /// fewer Merkle paths per query (the verifier circuit's cost), at more queried values per layer.
    pub fri_fold_step: u32,
}

impl StarkConfig {
    /// The default for native (Blake2s) proofs: 100 conjectured bits of security (`20 + 1 × 80`).
    /// Blowup 2 keeps proving fastest; the query count makes up the security.
    pub const fn secure() -> Self {
        Self::with_blowup(HashKind::Blake2s, 20, 80, 1)
    }

    /// **Insecure** (12 bits) native configuration: for tests only, where proving speed matters and
    /// soundness does not.
    pub const fn insecure_for_tests() -> Self {
        Self::with_blowup(HashKind::Blake2s, 8, 4, 1)
    }

    /// The configuration of EVM-bound (Poseidon2) proofs: 101 conjectured bits (`20 + 3 × 27`). A higher
    /// blowup buys the security with fewer queries, and folding by 8 per FRI layer needs fewer Merkle
    /// paths per query: the verifier circuit pays for both (`docs/BENCHMARKS.md`, "Verifier circuit").
    pub const fn evm() -> Self {
        Self::with_blowup(HashKind::Poseidon2, 20, 27, 3)
    }

    /// **Insecure** (14 bits) EVM-mode configuration: for tests of the wrapper only.
    pub const fn evm_insecure_for_tests() -> Self {
        Self::with_blowup(HashKind::Poseidon2, 8, 2, 3)
    }

    /// The configuration of EVM proofs in `class` (and of its verifier circuit): [`Self::evm`], or
    /// for the test class [`Self::evm_insecure_for_tests`].
    pub const fn evm_for(class: SizeClass) -> Self {
        match class {
            SizeClass::Test => Self::evm_insecure_for_tests(),
            _ => Self::evm(),
        }
    }

    /// A configuration at the blowup the program key of `kind` is made at.
    const fn with_blowup(kind: HashKind, pow_bits: u32, n_queries: u32, fri_fold_step: u32) -> Self {
        Self {
            pow_bits,
            log_blowup_factor: kind.log_blowup_factor(),
            n_queries,
            log_last_layer_degree_bound: 0,
            fri_fold_step,
        }
    }

    /// Conjectured security: `pow_bits + log_blowup_factor × n_queries`.
    pub const fn security_bits(&self) -> u32 {
        self.pow_bits + self.log_blowup_factor * self.n_queries
    }

    /// Stwo's form of the configuration.
    pub fn pcs(&self) -> PcsConfig {
        PcsConfig {
            pow_bits: self.pow_bits,
            fri_config: FriConfig::new(
                self.log_last_layer_degree_bound,
                self.log_blowup_factor,
                self.n_queries as usize,
                self.fri_fold_step,
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
    use crate::hash::HashKind;

    #[test]
    fn secure_configs_have_100_bits_and_share_the_blowup_with_their_test_configs() {
        // The preprocessed commitment (and so the program key) depends on the blowup: every
        // configuration of one hash must use the same one for one key to cover them all.
        for (kind, secure, test) in [
            (HashKind::Blake2s, StarkConfig::secure(), StarkConfig::insecure_for_tests()),
            (HashKind::Poseidon2, StarkConfig::evm(), StarkConfig::evm_insecure_for_tests()),
        ] {
            assert!(secure.security_bits() >= 100);
            assert!(test.security_bits() < 100);
            assert_eq!(secure.log_blowup_factor, kind.log_blowup_factor());
            assert_eq!(test.log_blowup_factor, kind.log_blowup_factor());
        }
    }
}
