//! Deploying the gateway and verifiers at deterministic addresses, as `script/Deploy.s.sol` does: through
//! the CREATE2 deployment proxy, so an address depends only on the salt, the bytecode and (for the
//! gateway) its owner. Re-running is safe: what exists is kept, missing routes are added. The record
//! goes to `deployments/<chainId>.json`, in the forge script's format.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use alloy::network::TransactionBuilder;
use alloy::primitives::{Address, B256, Bytes, FixedBytes, keccak256};
use alloy::rpc::types::TransactionRequest;
use alloy::sol_types::SolValue;
use serde::{Deserialize, Serialize};

use crate::abi::{CREATE2_FACTORY, INexusGateway, INexusRoutedVerifier};
use crate::{Chain, ChainError};

/// The default salt, `keccak256("nexus-zero")`, the forge script's too.
pub fn default_salt() -> B256 {
    keccak256("nexus-zero")
}

/// A contract to deploy: its name and creation bytecode (constructor arguments appended).
#[derive(Clone, Debug)]
pub struct Contract {
    /// The contract's name, its key in the record.
    pub name: String,
    /// Creation bytecode.
    pub init_code: Vec<u8>,
}

/// A deployment on one chain (the forge script's JSON, keys in the same order).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deployment {
    /// The ComputeBridge, when deployed (`nzero deploy --bridge`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bridge: Option<Address>,
    /// The chain.
    pub chain_id: u64,
    /// The CREATE2 deployment proxy used.
    pub create2_factory: Address,
    /// The gateway.
    pub gateway: Address,
    /// The gateway's owner, who deployed it.
    pub owner: Address,
    /// The CREATE2 salt.
    pub salt: B256,
    /// The verifiers by contract name.
    pub verifiers: BTreeMap<String, Address>,
}

impl Deployment {
    /// `dir/<chain_id>.json`.
    pub fn path(dir: &Path, chain_id: u64) -> PathBuf {
        dir.join(format!("{chain_id}.json"))
    }

    /// The record of `chain_id` in `dir`, if there is one.
    ///
    /// # Errors
    /// [`ChainError::DeploymentFile`] when it exists but does not read.
    pub fn load(dir: &Path, chain_id: u64) -> Result<Option<Self>, ChainError> {
        let path = Self::path(dir, chain_id);
        let error = |message: String| ChainError::DeploymentFile { path: path.clone(), message };
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| error(e.to_string())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(error(e.to_string())),
        }
    }

    /// Writes the record to `dir/<chain_id>.json` (atomically: a temporary file renamed).
    ///
    /// # Errors
    /// [`ChainError::DeploymentFile`].
    pub fn save(&self, dir: &Path) -> Result<PathBuf, ChainError> {
        let path = Self::path(dir, self.chain_id);
        let error =
            |e: std::io::Error| ChainError::DeploymentFile { path: path.clone(), message: e.to_string() };
        std::fs::create_dir_all(dir).map_err(error)?;
        let tmp = path.with_extension("json.tmp");
        let json = serde_json::to_string_pretty(self).expect("plain JSON") + "\n";
        std::fs::write(&tmp, json).map_err(error)?;
        std::fs::rename(&tmp, &path).map_err(error)?;
        Ok(path)
    }
}

/// What one deployment step did.
#[derive(Clone, Debug, Serialize)]
pub struct Deployed {
    /// The contract's name.
    pub name: String,
    /// Its address.
    pub address: Address,
    /// Gas used to create it; `None` when it was there already.
    pub gas_used: Option<u64>,
    /// The selector routed to it in this run (verifiers only).
    pub routed: Option<FixedBytes<4>>,
}

/// Deploys the gateway owned by the sender and `verifiers` under `salt`, routes every verifier, deploys
/// the ComputeBridge over the gateway when `bridge_code` is given, and returns the record (with the
/// verifiers and bridge of `previous`, when it is the record of the same gateway) and what each step did.
///
/// # Errors
/// [`ChainError`]: no key or funds, no CREATE2 proxy, a failed or reverted transaction, a selector
/// routed to another verifier.
pub async fn deploy(
    chain: &Chain,
    salt: B256,
    gateway_code: &[u8],
    verifiers: &[Contract],
    bridge_code: Option<&[u8]>,
    previous: Option<Deployment>,
) -> Result<(Deployment, Vec<Deployed>), ChainError> {
    let owner = chain.funded_sender().await?;
    if !chain.has_code(CREATE2_FACTORY).await? {
        return Err(ChainError::NoCreate2Factory { chain_id: chain.chain_id(), factory: CREATE2_FACTORY });
    }
    let gateway_init = [gateway_code, &owner.abi_encode()].concat();
    let gateway = create2(chain, salt, "NexusGateway", &gateway_init).await?;
    let mut steps = vec![gateway.clone()];
    let mut record = match previous {
        Some(previous) if previous.gateway == gateway.address && previous.chain_id == chain.chain_id() => {
            previous
        }
        _ => Deployment {
            chain_id: chain.chain_id(),
            create2_factory: CREATE2_FACTORY,
            gateway: gateway.address,
            owner,
            salt,
            verifiers: BTreeMap::new(),
            bridge: None,
        },
    };
    for verifier in verifiers {
        let mut step = create2(chain, salt, &verifier.name, &verifier.init_code).await?;
        step.routed = route(chain, gateway.address, step.address).await?;
        record.verifiers.insert(verifier.name.clone(), step.address);
        steps.push(step);
    }
    if let Some(code) = bridge_code {
        let init = [code, &gateway.address.abi_encode()].concat();
        let step = create2(chain, salt, "ComputeBridge", &init).await?;
        record.bridge = Some(step.address);
        steps.push(step);
    }
    Ok((record, steps))
}

/// The CREATE2 address of `init_code` under `salt`, deploying it there if nothing is there yet.
async fn create2(chain: &Chain, salt: B256, name: &str, init_code: &[u8]) -> Result<Deployed, ChainError> {
    let address = CREATE2_FACTORY.create2_from_code(salt, init_code);
    let mut step = Deployed { name: name.to_owned(), address, gas_used: None, routed: None };
    if chain.has_code(address).await? {
        tracing::info!(name, %address, "already deployed");
        return Ok(step);
    }
    let tx = TransactionRequest::default()
        .with_to(CREATE2_FACTORY)
        .with_input(Bytes::from([salt.as_slice(), init_code].concat()));
    let (_, gas_used) = chain.send(&format!("deploying {name}"), tx).await?;
    if !chain.has_code(address).await? {
        return Err(ChainError::DeploymentFailed { contract: name.to_owned(), address });
    }
    tracing::info!(name, %address, gas_used, "deployed");
    step.gas_used = Some(gas_used);
    Ok(step)
}

/// Routes `verifier` in `gateway` unless its selector is routed already (to it: fine; to another
/// verifier: the deployment is inconsistent and stops). Returns the selector if this call routed it.
async fn route(
    chain: &Chain,
    gateway: Address,
    verifier: Address,
) -> Result<Option<FixedBytes<4>>, ChainError> {
    let selector = INexusRoutedVerifier::new(verifier, chain.provider())
        .SELECTOR()
        .call()
        .await
        .map_err(|e| chain.rpc("SELECTOR()", e))?;
    let gateway_contract = INexusGateway::new(gateway, chain.provider());
    let routed =
        gateway_contract.routes(selector).call().await.map_err(|e| chain.rpc("routes()", e))?.verifier;
    if routed == verifier {
        return Ok(None);
    }
    if routed != Address::ZERO {
        return Err(ChainError::RouteConflict { selector, routed, verifier });
    }
    let tx = gateway_contract.addRoute(verifier).into_transaction_request();
    chain.send(&format!("addRoute({verifier})"), tx).await?;
    Ok(Some(selector))
}
