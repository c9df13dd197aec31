//! The R1CS side of the Stwo verifier.
//!
//! - [`merkle`]: openings of lifted Merkle commitments, and their witnesses.

pub mod merkle;
