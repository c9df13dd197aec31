//! What can go wrong talking to a chain, named.

use std::path::PathBuf;

use alloy::primitives::{Address, FixedBytes};

/// A failed chain operation.
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
    /// The RPC URL does not parse.
    #[error("invalid RPC URL {url:?}: {message}")]
    InvalidRpcUrl {
        /// The URL given.
        url: String,
        /// Why it does not parse.
        message: String,
    },
    /// No node answers at the URL.
    #[error("no Ethereum node answers at {url}: {message}")]
    Unreachable {
        /// The node's URL.
        url: String,
        /// The transport's error.
        message: String,
    },
    /// A node answered a request with an error.
    #[error("the node at {url} failed {request}: {message}")]
    Rpc {
        /// The node's URL.
        url: String,
        /// What was asked.
        request: String,
        /// The node's error.
        message: String,
    },
    /// The sending account cannot pay for transactions.
    #[error("the account {address} has no funds on chain {chain_id}: fund it, or use another key")]
    Unfunded {
        /// The account.
        address: Address,
        /// The chain.
        chain_id: u64,
    },
    /// A transaction is needed but no key was given.
    #[error("sending transactions needs a key: set NZERO_PRIVATE_KEY or pass --keystore")]
    NoSigner,
    /// The signing key does not load.
    #[error("cannot load the signing key: {0}")]
    Signer(String),
    /// The chain lacks the CREATE2 deployment proxy.
    #[error(
        "chain {chain_id} has no CREATE2 deployment proxy at {factory}: deploy it first (see github.com/Arachnid/deterministic-deployment-proxy)"
    )]
    NoCreate2Factory {
        /// The chain.
        chain_id: u64,
        /// The proxy's expected address.
        factory: Address,
    },
    /// No contract at an address that should hold one.
    #[error("no contract at {address} on chain {chain_id}")]
    NoContract {
        /// The address.
        address: Address,
        /// The chain.
        chain_id: u64,
    },
    /// The gateway has no verifier for a proof's selector.
    #[error(
        "the gateway {gateway} has no route for selector {selector}: deploy its class's verifier (nzero deploy --class ...)"
    )]
    MissingRoute {
        /// The gateway.
        gateway: Address,
        /// The proof's selector.
        selector: FixedBytes<4>,
    },
    /// The gateway routes a selector to another verifier than the one deployed for it.
    #[error("the gateway routes selector {selector} to {routed}, not to {verifier}")]
    RouteConflict {
        /// The selector.
        selector: FixedBytes<4>,
        /// The verifier it routes to.
        routed: Address,
        /// The verifier deployed for it.
        verifier: Address,
    },
    /// A call or transaction reverted.
    #[error("{what} reverted: {error}")]
    Reverted {
        /// What was called.
        what: String,
        /// The decoded custom error.
        error: String,
    },
    /// A deployment did not leave code at its address.
    #[error("deploying {contract} left no code at {address}")]
    DeploymentFailed {
        /// The contract.
        contract: String,
        /// Its CREATE2 address.
        address: Address,
    },
    /// No Solidity compiler found.
    #[error(
        "no Solidity compiler: no project with script/solc and node_modules/solc above {start} (run script/bootstrap.sh), and NZERO_SOLC is unset"
    )]
    SolcNotFound {
        /// Where the search started.
        start: PathBuf,
    },
    /// The compiler failed.
    #[error("compiling {contract}: {message}")]
    Solc {
        /// The contract.
        contract: String,
        /// The compiler's errors.
        message: String,
    },
    /// No anvil to start a local node with.
    #[error(
        "no anvil: no node_modules/.bin/anvil above {start} (run script/bootstrap.sh), none on PATH, and NZERO_ANVIL is unset"
    )]
    AnvilNotFound {
        /// Where the search started.
        start: PathBuf,
    },
    /// The local node did not start.
    #[error("starting anvil: {0}")]
    AnvilStart(String),
    /// A deployment record cannot be read or written.
    #[error("deployment record {path}: {message}")]
    DeploymentFile {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}
