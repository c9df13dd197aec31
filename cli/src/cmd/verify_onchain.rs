//! `nzero verify-onchain`: call `verifyProof` with a wrapped proof on a chain; report success and gas,
//! or the decoded custom error.

use std::path::PathBuf;
use std::process::ExitCode;

use alloy::primitives::{Address, B256};
use anyhow::Context;
use nzero_chain::{Deployment, Target, Verification, default_salt};
use nzero_wrapper::Fixture;
use nzero_wrapper::zkvm::wrap::class_of_verifier;
use serde::Serialize;

use super::onchain::{ChainArgs, gateway_and_verifier};
use super::setup::KeysDirArg;
use crate::output::report;
use crate::progress::stage;

/// Arguments of `nzero verify-onchain`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// The wrapped proof (`nzero wrap`).
    proof: PathBuf,
    /// Call this gateway (default: the one recorded for the chain in the deployments directory).
    #[arg(long, conflicts_with = "verifier")]
    gateway: Option<Address>,
    /// Call this verifier directly instead of a gateway.
    #[arg(long)]
    verifier: Option<Address>,
    #[command(flatten)]
    chain: ChainArgs,
    #[command(flatten)]
    keys: KeysDirArg,
}

#[derive(Serialize)]
struct Report {
    rpc_url: String,
    chain_id: u64,
    local_node: bool,
    target: Address,
    via_gateway: bool,
    verified: bool,
    #[serde(flatten)]
    verification: Verification,
}

pub(crate) fn run(args: &Args, json: bool) -> anyhow::Result<ExitCode> {
    let text =
        std::fs::read_to_string(&args.proof).with_context(|| format!("reading {}", args.proof.display()))?;
    let fixture: Fixture = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a wrapped proof", args.proof.display()))?;
    let session = args.chain.connect()?;
    let chain = &session.chain;
    let target = match (args.verifier, args.gateway) {
        (Some(verifier), _) => Target::Verifier(verifier),
        (None, Some(gateway)) => Target::Gateway(gateway),
        // A fresh local chain: deploy the gateway and the proof's verifier first.
        (None, None) if session.local.is_some() => {
            let class = class_of_verifier(&fixture.verifier)
                .with_context(|| format!("{} is not a verifier of a size class", fixture.verifier))?;
            let (gateway, verifier, _) = gateway_and_verifier(&args.keys.verifying_key(class)?, class)?;
            let (deployed, _) = stage("deploying to the local chain", || {
                session.block_on(nzero_chain::deploy(
                    chain,
                    default_salt(),
                    &gateway,
                    &[verifier],
                    None,
                    None,
                ))
            });
            Target::Gateway(deployed?.0.gateway)
        }
        (None, None) => {
            let dir = &args.chain.deployments_dir;
            let deployment = Deployment::load(dir, chain.chain_id())?.with_context(|| {
                format!(
                    "no deployment of chain {} in {}: run `nzero deploy` or pass --gateway",
                    chain.chain_id(),
                    dir.display()
                )
            })?;
            Target::Gateway(deployment.gateway)
        }
    };
    let (result, _) = stage("calling verifyProof", || {
        session.block_on(nzero_chain::verify_proof(
            chain,
            target,
            B256::from(fixture.program_vkey),
            &fixture.public_values,
            &fixture.proof,
        ))
    });
    let verification = result
        .with_context(|| format!("verifying {} on chain {}", args.proof.display(), chain.chain_id()))?;
    let (address, via_gateway) = (target.address(), matches!(target, Target::Gateway(_)));
    let report_value = Report {
        rpc_url: chain.url().to_owned(),
        chain_id: chain.chain_id(),
        local_node: session.local.is_some(),
        target: address,
        via_gateway,
        verified: true,
        verification,
    };
    report(json, &report_value, || {
        format!(
            "proof accepted by {} {} on chain {}\ngas            {} ({} executing verifyProof)",
            if via_gateway { "the gateway" } else { "the verifier" },
            address,
            report_value.chain_id,
            verification.gas,
            verification.execution_gas,
        )
    });
    Ok(ExitCode::SUCCESS)
}
