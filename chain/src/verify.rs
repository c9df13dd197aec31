//! Calling `verifyProof` on a verifier or the gateway: success, or the decoded custom error, and gas.

use alloy::network::TransactionBuilder;
use alloy::primitives::{Address, B256, Bytes, FixedBytes};
use alloy::providers::Provider;
use alloy::rpc::types::TransactionRequest;
use alloy::sol_types::SolCall;
use serde::Serialize;

use crate::abi::{INexusGateway, INexusRoutedVerifier, decode_revert};
use crate::{Chain, ChainError};

/// Gas of a transaction's fixed part (EIP-2028 calldata prices).
const TX_BASE_GAS: u64 = 21_000;

/// An accepted proof and what checking it costs.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Verification {
    /// Gas of a transaction that calls `verifyProof` (the node's estimate).
    pub gas: u64,
    /// The part spent executing it: `gas` less the transaction's base cost and calldata.
    pub execution_gas: u64,
}

/// What a contract should check: where, and whether it is a gateway (which routes by selector).
#[derive(Clone, Copy, Debug)]
pub enum Target {
    /// A verifier contract, called directly.
    Verifier(Address),
    /// The gateway.
    Gateway(Address),
}

impl Target {
    /// The contract called.
    pub fn address(self) -> Address {
        match self {
            Self::Verifier(a) | Self::Gateway(a) => a,
        }
    }
}

/// Calls `verifyProof(program_vkey, public_values, proof)` on `target`.
///
/// # Errors
/// [`ChainError::NoContract`], [`ChainError::MissingRoute`] (the gateway has no verifier for the
/// proof's selector), [`ChainError::Reverted`] with the decoded custom error when the proof is refused.
pub async fn verify_proof(
    chain: &Chain,
    target: Target,
    program_vkey: B256,
    public_values: &[u8],
    proof: &[u8],
) -> Result<Verification, ChainError> {
    let address = target.address();
    if !chain.has_code(address).await? {
        return Err(ChainError::NoContract { address, chain_id: chain.chain_id() });
    }
    if let (Target::Gateway(gateway), Some(selector)) = (target, proof.first_chunk::<4>()) {
        let selector = FixedBytes(*selector);
        let route = INexusGateway::new(gateway, chain.provider())
            .routes(selector)
            .call()
            .await
            .map_err(|e| chain.rpc("routes()", e))?;
        if route.verifier == Address::ZERO {
            return Err(ChainError::MissingRoute { gateway, selector });
        }
    }
    let input = INexusRoutedVerifier::verifyProofCall {
        programVKey: program_vkey,
        publicValues: Bytes::copy_from_slice(public_values),
        proof: Bytes::copy_from_slice(proof),
    }
    .abi_encode();
    let calldata_gas: u64 = input.iter().map(|&b| if b == 0 { 4 } else { 16 }).sum();
    let tx = TransactionRequest::default().with_to(address).with_input(Bytes::from(input));
    call(chain, "verifyProof", &tx).await?;
    let gas = chain.provider().estimate_gas(tx).await.map_err(|e| chain.rpc("eth_estimateGas", e))?;
    Ok(Verification { gas, execution_gas: gas.saturating_sub(TX_BASE_GAS + calldata_gas) })
}

/// `eth_call` of `tx`: its output, or [`ChainError::Reverted`] with the decoded custom error.
///
/// # Errors
/// [`ChainError::Reverted`], or [`ChainError::Rpc`] for other failures.
pub async fn call(chain: &Chain, what: &str, tx: &TransactionRequest) -> Result<Bytes, ChainError> {
    chain.provider().call(tx.clone()).await.map_err(|e| {
        match e.as_error_resp().and_then(|payload| payload.as_revert_data()) {
            Some(data) => ChainError::Reverted { what: what.to_owned(), error: decode_revert(&data) },
            None => chain.rpc(what, e),
        }
    })
}
