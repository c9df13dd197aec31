//! Nexus Zero on EVM chains, with alloy: compile the contracts with the project's solc, deploy the
//! gateway and verifiers at CREATE2 addresses (`deploy`), call `verifyProof` and decode refusals
//! (`verify`), and run a local anvil when no chain is given (`node`).

pub mod abi;
pub mod bridge;
mod chain;
mod deploy;
mod error;
mod node;
mod solc;
mod verify;

pub use chain::Chain;
pub use deploy::{Contract, Deployed, Deployment, default_salt, deploy};
pub use error::ChainError;
pub use node::{LocalNode, foundry_binary};
pub use solc::{SOURCES, Solc};
pub use verify::{Target, Verification, call, verify_proof};
