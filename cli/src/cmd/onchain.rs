//! What the on-chain subcommands share: the chain (a node's URL, or a local anvil for the length of the
//! command), the signing key, and the contracts' bytecode compiled from this project's sources.

use std::path::PathBuf;

use alloy::primitives::B256;
use alloy::signers::local::PrivateKeySigner;
use anyhow::{Context, bail};
use ark_bn254::Bn254;
use ark_groth16::VerifyingKey;
use nzero_chain::{Chain, Contract, LocalNode, Solc};
use nzero_wrapper::solidity_verifier;
use nzero_wrapper::zkvm::wrap::verifier_contract;
use nzero_zkvm::SizeClass;

use crate::progress::stage;

/// The environment variable holding the signing key (hex), never a command-line literal.
const PRIVATE_KEY_ENV: &str = "NZERO_PRIVATE_KEY";
/// The environment variable holding a keystore's password.
const KEYSTORE_PASSWORD_ENV: &str = "NZERO_KEYSTORE_PASSWORD";

/// Which chain, and who signs.
#[derive(clap::Args, Debug)]
pub(crate) struct ChainArgs {
    /// The node's JSON-RPC URL (default: a local anvil started for this command and stopped after).
    #[arg(long, env = "NZERO_RPC_URL")]
    rpc_url: Option<String>,
    /// Sign with this encrypted JSON keystore (password in $NZERO_KEYSTORE_PASSWORD) instead of the key
    /// in $NZERO_PRIVATE_KEY.
    #[arg(long, value_name = "FILE")]
    keystore: Option<PathBuf>,
    /// Where deployments are recorded, as `<chainId>.json`.
    #[arg(long, value_name = "DIR", default_value = "deployments")]
    pub(crate) deployments_dir: PathBuf,
}

/// A connected chain, with the local node that serves it when no URL was given (stopped on drop).
pub(crate) struct Session {
    pub(crate) chain: Chain,
    pub(crate) local: Option<LocalNode>,
    pub(crate) runtime: tokio::runtime::Runtime,
}

impl ChainArgs {
    /// Connects, starting a local anvil when no URL was given; the local node's development key signs
    /// unless a key is given.
    pub(crate) fn connect(&self) -> anyhow::Result<Session> {
        let runtime =
            tokio::runtime::Builder::new_current_thread().enable_all().build().context("starting tokio")?;
        let signer = self.signer()?;
        let (local, url) = match &self.rpc_url {
            Some(url) => (None, url.clone()),
            None => {
                let node = LocalNode::start(&std::env::current_dir()?).context("starting a local chain")?;
                let url = node.url();
                tracing::info!(%url, "local anvil started");
                (Some(node), url)
            }
        };
        let signer = signer.or_else(|| local.as_ref().map(LocalNode::dev_signer));
        let chain = runtime.block_on(Chain::connect(&url, signer))?;
        Ok(Session { chain, local, runtime })
    }

    /// Whether a node's URL was given (otherwise a local anvil serves the command).
    pub(crate) fn has_rpc_url(&self) -> bool {
        self.rpc_url.is_some()
    }

    /// The signing key given: a keystore, or `$NZERO_PRIVATE_KEY`.
    pub(crate) fn signer(&self) -> anyhow::Result<Option<PrivateKeySigner>> {
        signer_from(
            self.keystore.as_deref(),
            std::env::var(KEYSTORE_PASSWORD_ENV).ok(),
            std::env::var(PRIVATE_KEY_ENV).ok(),
        )
    }
}

/// The signer of a keystore (with its password), or of a hex private key.
fn signer_from(
    keystore: Option<&std::path::Path>,
    password: Option<String>,
    private_key: Option<String>,
) -> anyhow::Result<Option<PrivateKeySigner>> {
    if let Some(path) = keystore {
        let Some(password) = password else {
            bail!("--keystore needs its password in ${KEYSTORE_PASSWORD_ENV}");
        };
        let signer = PrivateKeySigner::decrypt_keystore(path, password)
            .with_context(|| format!("decrypting the keystore {}", path.display()))?;
        return Ok(Some(signer));
    }
    private_key
        .map(|key| key.trim().parse().with_context(|| format!("${PRIVATE_KEY_ENV} is not a private key")))
        .transpose()
}

impl Session {
    /// Runs `future` to completion.
    pub(crate) fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }
}

/// Parses a 32-byte hex salt.
pub(crate) fn parse_salt(hex: &str) -> Result<B256, String> {
    hex.parse().map_err(|e| format!("a 32-byte hex salt: {e}"))
}

/// The project's Solidity compiler.
pub(crate) fn solc() -> anyhow::Result<Solc> {
    Ok(Solc::find(&std::env::current_dir()?)?)
}

/// The gateway's creation bytecode (its owner is appended at deployment).
pub(crate) fn gateway_code(solc: &Solc) -> anyhow::Result<Vec<u8>> {
    Ok(solc.compile(&[], "contracts/NexusGateway.sol", "NexusGateway")?)
}

/// The gateway's and `class`'s verifier's bytecode for a deployment of the two (`nzero demo`, and
/// `nzero verify-onchain` on a fresh local chain), compiled behind a spinner; with the seconds it took.
pub(crate) fn gateway_and_verifier(
    vk: &VerifyingKey<Bn254>,
    class: SizeClass,
) -> anyhow::Result<(Vec<u8>, Contract, f64)> {
    let solc = solc()?;
    let (compiled, seconds) = stage("compiling the gateway and verifier", || -> anyhow::Result<_> {
        Ok((gateway_code(&solc)?, verifier(&solc, vk, class)?))
    });
    let (gateway, verifier) = compiled?;
    Ok((gateway, verifier, seconds))
}

/// The ComputeBridge's creation bytecode (its gateway is appended at deployment).
pub(crate) fn bridge_code(solc: &Solc) -> anyhow::Result<Vec<u8>> {
    Ok(solc.compile(&[], "contracts/bridge/ComputeBridge.sol", "ComputeBridge")?)
}

/// The verifier of `class`'s verifying key `vk`: generated and compiled.
pub(crate) fn verifier(solc: &Solc, vk: &VerifyingKey<Bn254>, class: SizeClass) -> anyhow::Result<Contract> {
    let name = verifier_contract(class);
    let source = solidity_verifier(vk, &name)?;
    let path = format!("contracts/generated/{name}.sol");
    let init_code = solc.compile(&[(&path, &source)], &path, &name)?;
    Ok(Contract { name, init_code })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    #[test]
    fn a_keystore_or_a_key_signs() {
        let dir = tempfile::tempdir().unwrap();
        let key = hex::decode(&KEY[2..]).unwrap();
        let (expected, _) = PrivateKeySigner::encrypt_keystore(
            dir.path(),
            &mut nzero_wrapper::groth16::OsRng,
            &key,
            "hunter2",
            Some("deployer.json"),
        )
        .unwrap();
        let file = dir.path().join("deployer.json");
        let signer = signer_from(Some(&file), Some("hunter2".into()), None).unwrap().unwrap();
        assert_eq!(signer.address(), expected.address());

        let wrong = signer_from(Some(&file), Some("hunter3".into()), None).unwrap_err();
        assert!(format!("{wrong:#}").contains("decrypting the keystore"), "{wrong:#}");
        let missing = signer_from(Some(&file), None, None).unwrap_err();
        assert!(missing.to_string().contains("NZERO_KEYSTORE_PASSWORD"));

        let from_env = signer_from(None, None, Some(format!(" {KEY}\n"))).unwrap().unwrap();
        assert_eq!(from_env.address(), expected.address());
        assert!(signer_from(None, None, Some("0x1234".into())).is_err());
        assert!(signer_from(None, None, None).unwrap().is_none());
    }
}
