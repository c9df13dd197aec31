//! `nzero demo`: the whole path in one command — build a guest, execute it, prove it for the EVM, make
//! the size class's keys if there are none, wrap, export the verifier, deploy it with the gateway to a
//! chain (a local anvil by default), verify on chain, check that a tampered statement reverts — and a
//! summary of every stage.

use std::path::PathBuf;
use std::process::ExitCode;

use alloy::primitives::B256;
use anyhow::{Context, bail};
use nzero_chain::{ChainError, Target, default_salt};
use nzero_wrapper::solidity_verifier;
use nzero_wrapper::zkvm::wrap::verifier_contract;
use nzero_zkvm::SizeClass;
use serde::Serialize;

use super::onchain::{ChainArgs, gateway_and_verifier};
use super::pipeline::{Timed, prove_and_wrap};
use super::prove::parse_class;
use super::setup::KeysDirArg;
use super::verify::decode_hex;
use crate::output::{hex0x, peak_memory_bytes, report};
use crate::progress::stage;

/// Arguments of `nzero demo`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// The guest crate (default: the fibonacci example).
    #[arg(long, default_value = "examples/fibonacci")]
    guest: PathBuf,
    /// The private input as hex (default `0a`: n = 10 for fibonacci, as postcard encodes it).
    #[arg(long, value_name = "HEX", default_value = "0a")]
    input_hex: String,
    /// The size class (default `test`: small and fast, with an INSECURE STARK configuration).
    #[arg(long, value_parser = parse_class, default_value = "test")]
    class: SizeClass,
    /// Where the proofs and the verifier go.
    #[arg(long, default_value = "target/demo")]
    out: PathBuf,
    #[command(flatten)]
    chain: ChainArgs,
    #[command(flatten)]
    keys: KeysDirArg,
}

#[derive(Serialize)]
struct Report {
    guest: PathBuf,
    program_vkey: String,
    public_values: String,
    cycles: u64,
    size_class: String,
    security_bits: u32,
    stark_proof_bytes: usize,
    groth16_proof_bytes: usize,
    keys_made: bool,
    verifier: String,
    verifier_source: PathBuf,
    wrapped_proof: PathBuf,
    rpc_url: String,
    local_node: bool,
    gateway: String,
    gas: u64,
    execution_gas: u64,
    tampered_rejected_with: String,
    stages: Vec<Timed>,
    peak_memory_bytes: Option<u64>,
}

pub(crate) fn run(args: &Args, json: bool) -> anyhow::Result<ExitCode> {
    let class = args.class;
    let input = decode_hex(&args.input_hex)
        .with_context(|| format!("--input-hex {:?} is not valid hex", args.input_hex))?;
    std::fs::create_dir_all(&args.out).with_context(|| format!("creating {}", args.out.display()))?;
    let mut done = prove_and_wrap(&args.guest, &input, class, &args.keys.dir()?)?;
    let wrapped = &done.fixture;
    std::fs::write(args.out.join("proof.evm.bin"), &done.stark_proof).context("writing the STARK proof")?;
    let wrapped_path = args.out.join("proof.groth16.json");
    std::fs::write(&wrapped_path, wrapped.to_json()).context("writing the wrapped proof")?;
    let contract = verifier_contract(class);
    let source_path = args.out.join(format!("{contract}.sol"));
    std::fs::write(&source_path, solidity_verifier(done.keys.verifying_key(), &contract)?)
        .with_context(|| format!("writing {}", source_path.display()))?;

    let (gateway_code, verifier, seconds) = gateway_and_verifier(done.keys.verifying_key(), class)?;
    done.stages.push(Timed { stage: "compile", seconds });
    let session = args.chain.connect()?;
    let chain = &session.chain;
    let (deployed, seconds) = stage("deploying the gateway and verifier", || {
        session.block_on(nzero_chain::deploy(chain, default_salt(), &gateway_code, &[verifier], None, None))
    });
    let (deployment, _) = deployed.with_context(|| format!("deploying to {}", chain.url()))?;
    done.stages.push(Timed { stage: "deploy", seconds });
    let vkey = B256::from(wrapped.program_vkey);
    let target = Target::Gateway(deployment.gateway);
    let (verified, seconds) = stage("verifying on chain", || {
        session.block_on(nzero_chain::verify_proof(
            chain,
            target,
            vkey,
            &wrapped.public_values,
            &wrapped.proof,
        ))
    });
    let verification = verified.context("verifying on chain")?;
    done.stages.push(Timed { stage: "verify on chain", seconds });
    let tampered = [wrapped.public_values.as_slice(), &[1]].concat();
    let tampered_error =
        match session.block_on(nzero_chain::verify_proof(chain, target, vkey, &tampered, &wrapped.proof)) {
            Err(ChainError::Reverted { error, .. }) => error,
            Ok(_) => bail!("the chain accepted the proof for other public values"),
            Err(e) => return Err(e).context("verifying a tampered statement on chain"),
        };

    let report_value = Report {
        guest: args.guest.clone(),
        program_vkey: done.program_vkey,
        public_values: hex0x(&wrapped.public_values),
        cycles: done.cycles,
        size_class: class.name(),
        security_bits: done.security_bits,
        stark_proof_bytes: done.stark_proof.len(),
        groth16_proof_bytes: wrapped.proof.len(),
        keys_made: done.keys_made,
        verifier: contract,
        verifier_source: source_path,
        wrapped_proof: wrapped_path,
        rpc_url: chain.url().to_owned(),
        local_node: session.local.is_some(),
        gateway: deployment.gateway.to_string(),
        gas: verification.gas,
        execution_gas: verification.execution_gas,
        tampered_rejected_with: tampered_error,
        stages: done.stages,
        peak_memory_bytes: peak_memory_bytes(),
    };
    report(json, &report_value, || summary(&report_value));
    Ok(ExitCode::SUCCESS)
}

fn summary(r: &Report) -> String {
    let mut text = format!(
        "guest          {}\nprogram vkey   {}\npublic values  {}\ncycles         {}\n\
         STARK proof    {} bytes (class {}, {} bits)\nGroth16 proof  {} bytes ({}){}\n\
         on chain       {} via the gateway {} ({})\ngas            {} estimated ({} executing verifyProof, cold)\n\
         tampered       public values rejected: {}\n\nstage               seconds\n",
        r.guest.display(),
        r.program_vkey,
        r.public_values,
        r.cycles,
        r.stark_proof_bytes,
        r.size_class,
        r.security_bits,
        r.groth16_proof_bytes,
        r.wrapped_proof.display(),
        if r.keys_made { "\nkeys           made now (single-party setup: development only)" } else { "" },
        if r.local_node { "local anvil" } else { "chain" },
        r.gateway,
        r.rpc_url,
        r.gas,
        r.execution_gas,
        r.tampered_rejected_with,
    );
    for s in &r.stages {
        text += &format!("{:<18} {:>8.2}\n", s.stage, s.seconds);
    }
    let peak = r
        .peak_memory_bytes
        .map_or("unknown".into(), |b| format!("{:.2} GiB", b as f64 / (1u64 << 30) as f64));
    text + &format!("peak memory        {peak}")
}
