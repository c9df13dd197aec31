//! `nzero deploy`: the gateway and the size classes' verifiers, at CREATE2 addresses, routed.

use std::path::PathBuf;
use std::process::ExitCode;

use alloy::primitives::B256;
use anyhow::Context;
use nzero_chain::{Deployed, Deployment, default_salt};
use nzero_zkvm::SizeClass;
use serde::Serialize;

use super::onchain::{ChainArgs, bridge_code, gateway_code, parse_salt, solc, verifier};
use super::prove::parse_class;
use super::setup::KeysDirArg;
use crate::output::report;
use crate::progress::stage;

/// Arguments of `nzero deploy`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// The size classes whose verifiers to deploy (their keys from `nzero setup`); repeatable.
    #[arg(long = "class", value_parser = parse_class, default_value = "test")]
    classes: Vec<SizeClass>,
    /// The CREATE2 salt (default: keccak256("nexus-zero"), `script/Deploy.s.sol`'s).
    #[arg(long, value_parser = parse_salt)]
    salt: Option<B256>,
    /// Also deploy the ComputeBridge over the gateway (recorded as `bridge`).
    #[arg(long)]
    bridge: bool,
    #[command(flatten)]
    chain: ChainArgs,
    #[command(flatten)]
    keys: KeysDirArg,
}

#[derive(Serialize)]
struct Report {
    rpc_url: String,
    local_node: bool,
    deployment: Deployment,
    record: Option<PathBuf>,
    steps: Vec<Deployed>,
}

pub(crate) fn run(args: &Args, json: bool) -> anyhow::Result<ExitCode> {
    let solc = solc()?;
    let (compiled, _) = stage("compiling the gateway and verifiers", || -> anyhow::Result<_> {
        let gateway = gateway_code(&solc)?;
        let verifiers = args
            .classes
            .iter()
            .map(|&class| verifier(&solc, &args.keys.verifying_key(class)?, class))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let bridge = args.bridge.then(|| bridge_code(&solc)).transpose()?;
        Ok((gateway, verifiers, bridge))
    });
    let (gateway, verifiers, bridge) = compiled?;
    let session = args.chain.connect()?;
    let chain = &session.chain;
    let previous = Deployment::load(&args.chain.deployments_dir, chain.chain_id())?;
    let salt = args.salt.unwrap_or_else(default_salt);
    let (result, _) = stage(&format!("deploying to chain {}", chain.chain_id()), || {
        session.block_on(nzero_chain::deploy(chain, salt, &gateway, &verifiers, bridge.as_deref(), previous))
    });
    let (deployment, steps) = result.with_context(|| format!("deploying to {}", chain.url()))?;
    // A local node's chain vanishes with the command: its record would only mislead.
    let record = match session.local {
        None => Some(deployment.save(&args.chain.deployments_dir)?),
        Some(_) => None,
    };
    let report_value = Report {
        rpc_url: chain.url().to_owned(),
        local_node: session.local.is_some(),
        deployment,
        record,
        steps,
    };
    report(json, &report_value, || describe(&report_value));
    Ok(ExitCode::SUCCESS)
}

fn describe(report: &Report) -> String {
    let mut text = format!("chain {} at {}\n", report.deployment.chain_id, report.rpc_url);
    for step in &report.steps {
        let state = step.gas_used.map_or("already there".to_owned(), |gas| format!("deployed, {gas} gas"));
        let routed = step.routed.map(|s| format!(", routed {s}")).unwrap_or_default();
        text += &format!("{:<22} {} ({state}{routed})\n", step.name, step.address);
    }
    match &report.record {
        Some(path) => text += &format!("recorded in {}", path.display()),
        None => {
            text +=
                "local anvil: stopped with this command, nothing recorded (pass --rpc-url to keep a chain)"
        }
    }
    text
}
