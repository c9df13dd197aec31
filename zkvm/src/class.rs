//! Size classes: the few execution lengths proofs are made for.

use serde::{Deserialize, Serialize};

/// A bound on an execution's length. Every proof names its class; the verifier holds each chip's
/// table to the class, and a verifier circuit exists per class (one verifying key each). EVM proofs
/// take the class's fixed shape (`Claim::evm`), where every instruction chip has `2^k` rows: every
/// run of up to `2^k` cycles fits, and a longer one whose instructions spread over several chips may.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum SizeClass {
    /// Up to 2^16 cycles.
    C16,
    /// Up to 2^18 cycles.
    C18,
    /// Up to 2^20 cycles.
    C20,
    /// Up to 2^22 cycles (the largest: timestamps must stay below 2^24).
    C22,
    /// **Test class**: up to 2^12 cycles, never chosen automatically. Its EVM shape is small enough
    /// for tests to prove, set up and wrap in a few minutes with an insecure configuration.
    Test,
}

/// The log size of the program and image tables in EVM proofs: one shape for every program (up to
/// 2^16 code words and 2^16 image words), so that one circuit per class verifies them all.
pub const EVM_TABLE_LOG_SIZE: u32 = 16;

/// An execution longer than the largest class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the execution ran {cycles} cycles; the largest size class holds {max}")]
pub struct ExecutionTooLong {
    /// The execution's length.
    pub cycles: u64,
    /// The largest class's bound.
    pub max: u64,
}

impl SizeClass {
    /// Every class, smallest first.
    pub const ALL: [Self; 4] = [Self::C16, Self::C18, Self::C20, Self::C22];

    /// `log2` of the class's cycle bound.
    pub const fn log_cycles(self) -> u32 {
        match self {
            Self::C16 => 16,
            Self::C18 => 18,
            Self::C20 => 20,
            Self::C22 => 22,
            Self::Test => 12,
        }
    }

    /// The class's cycle bound.
    pub const fn max_cycles(self) -> u64 {
        1 << self.log_cycles()
    }

    /// The smallest class that holds `cycles`.
    ///
    /// # Errors
    /// [`ExecutionTooLong`] beyond the largest class.
    pub fn for_cycles(cycles: u64) -> Result<Self, ExecutionTooLong> {
        Self::ALL
            .into_iter()
            .find(|class| cycles <= class.max_cycles())
            .ok_or(ExecutionTooLong { cycles, max: Self::C22.max_cycles() })
    }

    /// The class with this `log2` cycle bound.
    pub fn from_log_cycles(log: u32) -> Option<Self> {
        Self::ALL.into_iter().find(|class| class.log_cycles() == log)
    }

    /// The class's name on the command line and in key file names: its `log2` bound, or `test`.
    pub fn name(self) -> String {
        match self {
            Self::Test => "test".into(),
            class => class.log_cycles().to_string(),
        }
    }

    /// The class named `name` (see [`Self::name`]).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "test" => Some(Self::Test),
            log => Self::from_log_cycles(log.parse().ok()?),
        }
    }
}

impl std::fmt::Display for SizeClass {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Test => write!(f, "test (2^{})", self.log_cycles()),
            class => write!(f, "2^{}", class.log_cycles()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_smallest_class_that_fits() {
        assert_eq!(SizeClass::for_cycles(1), Ok(SizeClass::C16));
        assert_eq!(SizeClass::for_cycles(1 << 16), Ok(SizeClass::C16));
        assert_eq!(SizeClass::for_cycles((1 << 16) + 1), Ok(SizeClass::C18));
        assert_eq!(SizeClass::for_cycles(1 << 22), Ok(SizeClass::C22));
        assert_eq!(
            SizeClass::for_cycles((1 << 22) + 1),
            Err(ExecutionTooLong { cycles: (1 << 22) + 1, max: 1 << 22 })
        );
    }

    #[test]
    fn names_round_trip_and_the_test_class_is_never_chosen() {
        for class in SizeClass::ALL.into_iter().chain([SizeClass::Test]) {
            assert_eq!(SizeClass::from_name(&class.name()), Some(class));
        }
        assert_eq!(SizeClass::from_name("17"), None);
        assert!(!SizeClass::ALL.contains(&SizeClass::Test));
    }
}
