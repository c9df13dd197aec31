//! The ComputeBridge (`contracts/bridge/ComputeBridge.sol`) as a relay sees it: the requests its
//! `Requested` events announce, a request's on-chain status, and `fulfil`.

use alloy::primitives::{Address, B256, Bytes, U256};
use alloy::providers::Provider;
use alloy::rpc::types::Filter;
use alloy::sol_types::SolEvent;
use serde::{Deserialize, Serialize};

use crate::{Chain, ChainError};

/// The bridge's ABI, generated: its variants and arguments are the contract's.
#[allow(missing_docs, clippy::too_many_arguments)]
mod bindings {
    use alloy::sol;

    sol! {
        /// The bridge's relay-facing ABI (mirroring `contracts/bridge/IComputeBridge.sol`).
        #[sol(rpc, all_derives)]
        interface IComputeBridge {
            enum Status { None, Pending, Fulfilled, Refunded }

            struct Request {
                address requester;
                uint64 deadline;
                uint32 callbackGasLimit;
                address callback;
                Status status;
                uint88 fee;
                bytes32 programVKey;
                bytes32 inputDigest;
            }

            event Requested(
                uint256 indexed requestId,
                address indexed requester,
                bytes32 indexed programVKey,
                bytes input,
                address callback,
                uint64 deadline,
                uint32 callbackGasLimit,
                uint256 fee
            );
            event Fulfilled(uint256 indexed requestId, address indexed fulfiller, bytes output, bool callbackSucceeded);

            function request(bytes32 programVKey, bytes calldata input, address callback, uint64 deadline, uint32 callbackGasLimit)
                external payable returns (uint256 requestId);
            function fulfil(uint256 requestId, bytes calldata publicValues, bytes calldata proof) external;
            function refund(uint256 requestId) external;
            function requests(uint256 requestId) external view returns (Request memory);
            function requestCount() external view returns (uint256);
        }
    }
}

pub use IComputeBridge::Status as RequestStatus;
pub use bindings::IComputeBridge;

/// A request as its `Requested` event announced it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BridgeRequest {
    /// The request's id.
    pub id: U256,
    /// The program to run.
    pub program_vkey: B256,
    /// Its private input, exactly.
    pub input: Bytes,
    /// The last timestamp at which it may be fulfilled.
    pub deadline: u64,
    /// The fee paid to the fulfiller.
    pub fee: U256,
    /// The block that announced it.
    pub block: u64,
}

/// The latest block number.
///
/// # Errors
/// [`ChainError::Rpc`].
pub async fn latest_block(chain: &Chain) -> Result<u64, ChainError> {
    chain.provider().get_block_number().await.map_err(|e| chain.rpc("eth_blockNumber", e))
}

/// The latest block's timestamp.
///
/// # Errors
/// [`ChainError::Rpc`].
pub async fn latest_timestamp(chain: &Chain) -> Result<u64, ChainError> {
    let block = chain
        .provider()
        .get_block_by_number(alloy::eips::BlockNumberOrTag::Latest)
        .await
        .map_err(|e| chain.rpc("eth_getBlockByNumber", e))?
        .ok_or_else(|| chain.rpc("eth_getBlockByNumber", "no latest block"))?;
    Ok(block.header.timestamp)
}

/// The requests announced by `bridge` in blocks `from..=to`.
///
/// # Errors
/// [`ChainError::Rpc`], or a log that does not decode.
pub async fn requests_in(
    chain: &Chain,
    bridge: Address,
    from: u64,
    to: u64,
) -> Result<Vec<BridgeRequest>, ChainError> {
    let filter = Filter::new()
        .address(bridge)
        .event_signature(IComputeBridge::Requested::SIGNATURE_HASH)
        .from_block(from)
        .to_block(to);
    let logs = chain.provider().get_logs(&filter).await.map_err(|e| chain.rpc("eth_getLogs", e))?;
    logs.into_iter()
        .map(|log| {
            let block = log.block_number.unwrap_or(to);
            let event = log
                .log_decode::<IComputeBridge::Requested>()
                .map_err(|e| chain.rpc("decoding Requested", e))?;
            let event = event.inner.data;
            Ok(BridgeRequest {
                id: event.requestId,
                program_vkey: event.programVKey,
                input: event.input,
                deadline: event.deadline,
                fee: event.fee,
                block,
            })
        })
        .collect()
}

/// A request's status on chain.
///
/// # Errors
/// [`ChainError::Rpc`].
pub async fn request_status(chain: &Chain, bridge: Address, id: U256) -> Result<RequestStatus, ChainError> {
    let request = IComputeBridge::new(bridge, chain.provider())
        .requests(id)
        .call()
        .await
        .map_err(|e| chain.rpc("requests()", e))?;
    Ok(request.status)
}

/// Sends `fulfil(id, public_values, proof)` and waits for it; returns the transaction's hash.
///
/// # Errors
/// [`ChainError::Reverted`] with the decoded error (checked by `eth_call` first, so a refused
/// fulfilment costs nothing), or a transport error.
pub async fn fulfil(
    chain: &Chain,
    bridge: Address,
    id: U256,
    public_values: &[u8],
    proof: &[u8],
) -> Result<B256, ChainError> {
    let tx = IComputeBridge::new(bridge, chain.provider())
        .fulfil(id, Bytes::copy_from_slice(public_values), Bytes::copy_from_slice(proof))
        .into_transaction_request();
    let (hash, _) = chain.send(&format!("fulfil({id})"), tx).await?;
    Ok(hash)
}
