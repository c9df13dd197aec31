//! `nzero relay`: serve a ComputeBridge. Watch its `Requested` events over JSON-RPC, run and prove each
//! request whose program is in the registry, wrap the proof, and submit `fulfil` — with a bounded pool
//! of workers, and a state file so that a restart loses no request and submits none twice.

mod registry;
mod state;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use alloy::primitives::{Address, U256};
use anyhow::{Context, bail};
use nzero_chain::bridge::{self, BridgeRequest, RequestStatus};
use nzero_chain::{Chain, Deployment};
use nzero_wrapper::groth16::{Keys, OsRng};
use nzero_wrapper::zkvm::wrap::wrap;
use nzero_zkvm::{ExecConfig, Poseidon2MerkleChannel, SizeClass, StarkConfig, prove_in};

use self::registry::Registry;
use self::state::{Entry, Progress, State};
use super::onchain::ChainArgs;
use super::prove::parse_class;
use super::setup::{KeysDirArg, load_keys};

/// Arguments of `nzero relay`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// The bridge (default: the one recorded for the chain by `nzero deploy --bridge`).
    #[arg(long)]
    bridge: Option<Address>,
    /// The directory of ELFs the relay serves (a request for another program is skipped).
    #[arg(long, value_name = "DIR")]
    registry: PathBuf,
    /// The state file (created if missing).
    #[arg(long, value_name = "FILE", default_value = "relay-state.json")]
    state: PathBuf,
    /// Requests proven at once (each takes a core or more, and the class's memory).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=64))]
    workers: u32,
    /// The size class to prove in (its verifier must be routed by the bridge's gateway).
    #[arg(long, value_parser = parse_class, default_value = "16")]
    class: SizeClass,
    /// The first block to read when there is no state yet.
    #[arg(long, default_value_t = 0)]
    from_block: u64,
    /// How often to poll for new events, in milliseconds.
    #[arg(long, default_value_t = 1000)]
    poll_ms: u64,
    #[command(flatten)]
    chain: ChainArgs,
    #[command(flatten)]
    keys: KeysDirArg,
}

/// What every worker shares.
struct Shared {
    state: Mutex<State>,
    registry: Registry,
    keys: Keys,
    class: SizeClass,
    bridge: Address,
    url: String,
    signer: alloy::signers::local::PrivateKeySigner,
}

pub(crate) fn run(args: &Args, _json: bool) -> anyhow::Result<ExitCode> {
    if !args.chain.has_rpc_url() {
        bail!("the relay serves a running chain: pass --rpc-url (or set NZERO_RPC_URL)");
    }
    let session = args.chain.connect()?;
    let chain = &session.chain;
    let signer = args
        .chain
        .signer()?
        .context("the relay signs fulfilments: set NZERO_PRIVATE_KEY or pass --keystore")?;
    let bridge = match args.bridge {
        Some(bridge) => bridge,
        None => Deployment::load(&args.chain.deployments_dir, chain.chain_id())?
            .and_then(|d| d.bridge)
            .with_context(|| format!("no bridge recorded for chain {}: pass --bridge", chain.chain_id()))?,
    };
    let registry = Registry::load(&args.registry)?;
    let class = args.class;
    let (keys, _) = load_keys(class, &args.keys.dir()?)?;
    let state = State::open(&args.state, chain.chain_id(), bridge, args.from_block)?;
    let shared = Arc::new(Shared {
        state: Mutex::new(state),
        registry,
        keys,
        class,
        bridge,
        url: chain.url().to_owned(),
        signer,
    });
    tracing::info!(%bridge, chain = chain.chain_id(), workers = args.workers, %class, "relay started");

    let (queue, jobs) = sync_channel::<U256>(args.workers as usize);
    let jobs = Arc::new(Mutex::new(jobs));
    for worker in 0..args.workers {
        let (shared, jobs) = (Arc::clone(&shared), Arc::clone(&jobs));
        std::thread::Builder::new()
            .name(format!("relay-worker-{worker}"))
            .spawn(move || work(&shared, &jobs))
            .context("starting a worker")?;
    }
    // What was unfinished when the relay last stopped goes first.
    let unfinished: Vec<U256> = {
        let state = shared.state.lock().expect("state lock");
        state.requests.iter().filter(|(_, e)| e.progress.unfinished()).map(|(id, _)| *id).collect()
    };
    for id in unfinished {
        tracing::info!(%id, "resuming");
        enqueue(&queue, id)?;
    }
    loop {
        if let Err(e) = session.block_on(watch(chain, &shared, &queue)) {
            tracing::warn!(error = %format!("{e:#}"), "reading the chain failed; retrying");
        }
        std::thread::sleep(Duration::from_millis(args.poll_ms));
    }
}

/// Reads the new blocks' requests into the state and queues them.
async fn watch(chain: &Chain, shared: &Shared, queue: &SyncSender<U256>) -> anyhow::Result<()> {
    let latest = bridge::latest_block(chain).await?;
    let from = shared.state.lock().expect("state lock").next_block;
    if from > latest {
        return Ok(());
    }
    let requests = bridge::requests_in(chain, shared.bridge, from, latest).await?;
    let mut new = Vec::new();
    {
        let mut state = shared.state.lock().expect("state lock");
        for request in requests {
            if let std::collections::btree_map::Entry::Vacant(slot) = state.requests.entry(request.id) {
                tracing::info!(id = %request.id, vkey = %request.program_vkey, deadline = request.deadline, "request seen");
                new.push(request.id);
                slot.insert(Entry { request, progress: Progress::Queued });
            }
        }
        state.next_block = latest + 1;
        state.save()?;
    }
    for id in new {
        enqueue(queue, id)?;
    }
    Ok(())
}

fn enqueue(queue: &SyncSender<U256>, id: U256) -> anyhow::Result<()> {
    // Blocks while every worker is busy: the queue is bounded.
    queue.send(id).context("the workers stopped")
}

/// A worker: takes requests off the queue until it closes.
fn work(shared: &Shared, jobs: &Mutex<Receiver<U256>>) {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => return tracing::error!(error = %e, "a worker cannot start tokio"),
    };
    let chain = match runtime.block_on(Chain::connect(&shared.url, Some(shared.signer.clone()))) {
        Ok(chain) => chain,
        Err(e) => return tracing::error!(error = %e, "a worker cannot reach the chain"),
    };
    loop {
        let Ok(id) = jobs.lock().expect("queue lock").recv() else { return };
        let request = {
            let state = shared.state.lock().expect("state lock");
            state.requests[&id].request.clone()
        };
        let progress = runtime.block_on(serve(shared, &chain, &request)).unwrap_or_else(|e| {
            tracing::warn!(%id, error = %format!("{e:#}"), "request failed");
            Progress::Failed { error: format!("{e:#}") }
        });
        tracing::info!(%id, ?progress, "request done");
        if let Err(e) = shared.state.lock().expect("state lock").set(id, progress) {
            tracing::error!(%id, error = %format!("{e:#}"), "cannot save the relay state");
        }
    }
}

/// Serves one request: skip it, or prove, wrap and fulfil it.
async fn serve(shared: &Shared, chain: &Chain, request: &BridgeRequest) -> anyhow::Result<Progress> {
    let id = request.id;
    let status = bridge::request_status(chain, shared.bridge, id).await?;
    if status != RequestStatus::Pending {
        return Ok(Progress::Settled { status: format!("{status:?}") });
    }
    if bridge::latest_timestamp(chain).await? > request.deadline {
        return Ok(Progress::Skipped { reason: "deadline passed".into() });
    }
    let Some((name, program)) = shared.registry.get(&request.program_vkey) else {
        return Ok(Progress::Skipped { reason: format!("unknown program {}", request.program_vkey) });
    };
    shared.state.lock().expect("state lock").set(id, Progress::Proving)?;
    tracing::info!(%id, program = %name, input_bytes = request.input.len(), class = %shared.class, "proving");
    let config = StarkConfig::evm_for(shared.class);
    let (_, proof) = prove_in::<Poseidon2MerkleChannel>(
        program,
        &request.input,
        &config,
        &ExecConfig::default(),
        Some(shared.class),
    )
    .with_context(|| format!("proving request {id}"))?;
    tracing::info!(%id, "wrapping");
    let wrapped = wrap(&proof, &shared.keys, &mut OsRng, &mut |_| {})
        .with_context(|| format!("wrapping request {id}"))?;
    // Someone may have answered while this relay proved: check again rather than pay for a revert.
    if bridge::request_status(chain, shared.bridge, id).await? != RequestStatus::Pending {
        return Ok(Progress::Settled { status: "answered meanwhile".into() });
    }
    tracing::info!(%id, "submitting");
    let tx = bridge::fulfil(chain, shared.bridge, id, &wrapped.public_values, &wrapped.proof).await?;
    tracing::info!(%id, %tx, "fulfilled");
    Ok(Progress::Fulfilled { tx })
}
