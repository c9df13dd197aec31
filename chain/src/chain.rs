//! A connection to a chain: a JSON-RPC provider, with a signing key when transactions are to be sent.

use std::time::Duration;

use alloy::network::{EthereumWallet, TransactionBuilder};
use alloy::primitives::{Address, B256};
use alloy::providers::{DynProvider, Provider, ProviderBuilder};
use alloy::rpc::types::TransactionRequest;
use alloy::signers::local::PrivateKeySigner;

use crate::ChainError;

/// How long a node may take to answer the first request.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// A chain reached over JSON-RPC.
pub struct Chain {
    provider: DynProvider,
    url: String,
    chain_id: u64,
    sender: Option<Address>,
}

impl Chain {
    /// Connects to the node at `url`, signing with `signer` if given, and asks for its chain id.
    ///
    /// # Errors
    /// [`ChainError::InvalidRpcUrl`], or [`ChainError::Unreachable`] when no node answers.
    pub async fn connect(url: &str, signer: Option<PrivateKeySigner>) -> Result<Self, ChainError> {
        let parsed: alloy::transports::http::reqwest::Url = url
            .parse()
            .map_err(|e| ChainError::InvalidRpcUrl { url: url.to_owned(), message: format!("{e}") })?;
        let sender = signer.as_ref().map(PrivateKeySigner::address);
        let provider = match signer {
            Some(signer) => {
                ProviderBuilder::new().wallet(EthereumWallet::from(signer)).connect_http(parsed).erased()
            }
            None => ProviderBuilder::new().connect_http(parsed).erased(),
        };
        let unreachable = |message: String| ChainError::Unreachable { url: url.to_owned(), message };
        let chain_id = tokio::time::timeout(CONNECT_TIMEOUT, provider.get_chain_id())
            .await
            .map_err(|_| unreachable(format!("no answer in {} s", CONNECT_TIMEOUT.as_secs())))?
            .map_err(|e| unreachable(e.to_string()))?;
        Ok(Self { provider, url: url.to_owned(), chain_id, sender })
    }

    /// The provider.
    pub fn provider(&self) -> &DynProvider {
        &self.provider
    }

    /// The node's URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The chain id.
    pub fn chain_id(&self) -> u64 {
        self.chain_id
    }

    /// The signing account, which must be funded.
    ///
    /// # Errors
    /// [`ChainError::NoSigner`], [`ChainError::Unfunded`].
    pub async fn funded_sender(&self) -> Result<Address, ChainError> {
        let sender = self.sender.ok_or(ChainError::NoSigner)?;
        let balance = self.provider.get_balance(sender).await.map_err(|e| self.rpc("eth_getBalance", e))?;
        if balance.is_zero() {
            return Err(ChainError::Unfunded { address: sender, chain_id: self.chain_id });
        }
        Ok(sender)
    }

    /// Whether `address` holds code.
    ///
    /// # Errors
    /// [`ChainError::Rpc`].
    pub async fn has_code(&self, address: Address) -> Result<bool, ChainError> {
        let code = self.provider.get_code_at(address).await.map_err(|e| self.rpc("eth_getCode", e))?;
        Ok(!code.is_empty())
    }

    /// Sends `tx` from the sender after checking with `eth_call` that it does not revert (so a revert is
    /// reported with its decoded error, and costs nothing); waits for it; returns its hash and gas used.
    ///
    /// # Errors
    /// [`ChainError::NoSigner`], [`ChainError::Unfunded`], [`ChainError::Reverted`], [`ChainError::Rpc`].
    pub async fn send(&self, what: &str, tx: TransactionRequest) -> Result<(B256, u64), ChainError> {
        let tx = tx.with_from(self.funded_sender().await?);
        crate::call(self, what, &tx).await?;
        let pending = self.provider.send_transaction(tx).await.map_err(|e| self.rpc(what, e))?;
        let receipt = pending.get_receipt().await.map_err(|e| self.rpc(what, e))?;
        if !receipt.status() {
            return Err(ChainError::Reverted {
                what: what.to_owned(),
                error: "the transaction failed".to_owned(),
            });
        }
        Ok((receipt.transaction_hash, receipt.gas_used))
    }

    /// The node's error for `request`, named.
    pub(crate) fn rpc(&self, request: &str, error: impl std::fmt::Display) -> ChainError {
        let message = error.to_string();
        if let Some(address) = self.sender.filter(|_| message.contains("insufficient funds")) {
            return ChainError::Unfunded { address, chain_id: self.chain_id };
        }
        ChainError::Rpc { url: self.url.clone(), request: request.to_owned(), message }
    }
}
