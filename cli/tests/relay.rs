//! The compute bridge end to end on a real anvil node: `nzero deploy --bridge`, a PrimeOracle asks for
//! the primes below 100 (and requests come for an unknown program and with a deadline already passed);
//! `nzero relay` — a separate process — skips those, starts proving, is killed mid-request and restarted,
//! and the request is fulfilled exactly once: the oracle's callback gets 25, the bridge emits one
//! `Fulfilled`, the relayer is paid once.

mod common;

use std::future::IntoFuture;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use alloy::network::TransactionBuilder;
use alloy::primitives::{Address, B256, Bytes, U256, keccak256};
use alloy::providers::Provider;
use alloy::rpc::types::{Filter, TransactionRequest};
use alloy::signers::local::PrivateKeySigner;
use alloy::sol;
use alloy::sol_types::{SolEvent, SolValue};
use common::{Anvil, DEV_KEY, json, nzero, ok, repo};
use nzero_chain::bridge::IComputeBridge;
use nzero_chain::{Chain, Solc};
use serde_json::Value;

/// anvil's second development key: the relayer.
const RELAYER_KEY: &str = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const FEE: u64 = 1_000_000_000_000_000_000;

sol! {
    #[sol(rpc)]
    interface PrimeOracle {
        function ask(uint32 n, uint64 deadline) external payable returns (uint256 requestId);
        function primesBelow(uint32 n) external view returns (uint32);
        function answered(uint32 n) external view returns (bool);
    }
}

/// `nzero relay` as its own process, logging to `log`.
fn start_relay(args: &[&str], log: &Path) -> Child {
    let log = std::fs::OpenOptions::new().create(true).append(true).open(log).unwrap();
    Command::new(env!("CARGO_BIN_EXE_nzero"))
        .current_dir(repo())
        .arg("relay")
        .args(args)
        .env("NZERO_PRIVATE_KEY", RELAYER_KEY)
        .env("NZERO_LOG", "nzero=info")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("nzero relay starts")
}

/// Waits up to `limit` for `done`, failing with the relay's log.
fn wait_for(what: &str, limit: Duration, log: &Path, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < limit,
            "{what}: not within {limit:?}; relay log:\n{}",
            std::fs::read_to_string(log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// The state file's entry for request `id` (`null` until the relay has seen it).
fn entry(state: &Path, id: u64) -> Value {
    let Ok(bytes) = std::fs::read(state) else { return Value::Null };
    let Ok(state) = serde_json::from_slice::<Value>(&bytes) else { return Value::Null };
    state["requests"][format!("0x{id:x}")].clone()
}

#[test]
fn the_relay_fulfils_a_request_exactly_once_across_a_restart() {
    let work = tempfile::tempdir().unwrap();
    let path = |name: &str| work.path().join(name).to_str().unwrap().to_owned();
    let (keys, deployments, registry, state, log) =
        (path("keys"), path("deployments"), path("registry"), path("relay-state.json"), path("relay.log"));
    ok(&nzero(&["setup", "--class", "test", "--keys-dir", &keys, "--json"], &[]));
    let anvil = Anvil::start();
    let deployed = ok(&nzero(
        &[
            "deploy",
            "--bridge",
            "--rpc-url",
            &anvil.url,
            "--deployments-dir",
            &deployments,
            "--keys-dir",
            &keys,
            "--json",
        ],
        &[("NZERO_PRIVATE_KEY", DEV_KEY)],
    ));
    let bridge: Address = deployed["deployment"]["bridge"].as_str().expect("a bridge").parse().unwrap();

    // The registry: the primes guest.
    let elf = json(&nzero(&["build", "examples/primes", "--json"], &[]))["elf"].as_str().unwrap().to_owned();
    std::fs::create_dir_all(&registry).unwrap();
    std::fs::copy(&elf, Path::new(&registry).join("primes.elf")).unwrap();
    let vkey: B256 =
        json(&nzero(&["vkey", &elf, "--json"], &[]))["program_vkey"].as_str().unwrap().parse().unwrap();

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let signer: PrivateKeySigner = DEV_KEY.parse().unwrap();
    let chain = runtime.block_on(Chain::connect(&anvil.url, Some(signer))).unwrap();
    let provider = chain.provider().clone();
    let relayer = RELAYER_KEY.parse::<PrivateKeySigner>().unwrap().address();
    let relayer_before = runtime.block_on(provider.get_balance(relayer).into_future()).unwrap();

    // The consumer, compiled with the project's solc, and two requests: one it asks, one for a program
    // the relay does not serve.
    let source = std::fs::read_to_string(repo().join("contracts/examples/PrimeOracle.sol")).unwrap();
    let path_sol = "contracts/examples/PrimeOracle.sol";
    let code = Solc::find(&repo()).unwrap().compile(&[(path_sol, &source)], path_sol, "PrimeOracle").unwrap();
    let oracle = runtime.block_on(async {
        let deploy = TransactionRequest::default()
            .with_deploy_code(Bytes::from([code, (bridge, vkey).abi_encode_params()].concat()));
        let (hash, _) = chain.send("deploying PrimeOracle", deploy).await.unwrap();
        let receipt = provider.get_transaction_receipt(hash).await.unwrap().unwrap();
        receipt.contract_address.unwrap()
    });
    let oracle_contract = PrimeOracle::new(oracle, &provider);
    let bridge_contract = IComputeBridge::new(bridge, &provider);
    runtime.block_on(async {
        let deadline =
            provider.get_block_by_number(Default::default()).await.unwrap().unwrap().header.timestamp + 3600;
        let ask = oracle_contract.ask(100, deadline).value(U256::from(FEE));
        chain.send("asking the oracle", ask.into_transaction_request()).await.unwrap();
        let unserved = bridge_contract.request(
            keccak256("a program nobody serves"),
            Bytes::from_static(&[0, 0, 0, 7]),
            Address::ZERO,
            deadline,
            0,
        );
        chain.send("requesting an unserved program", unserved.into_transaction_request()).await.unwrap();
        // And one for the primes guest whose deadline passes before the relay looks at it.
        let late = bridge_contract.request(
            vkey,
            Bytes::from_static(&[0, 0, 0, 50]),
            Address::ZERO,
            deadline - 3600 + 30,
            0,
        );
        chain.send("requesting with a near deadline", late.into_transaction_request()).await.unwrap();
        let _: serde_json::Value = provider.raw_request("evm_increaseTime".into(), (60,)).await.unwrap();
        let _: serde_json::Value = provider.raw_request("evm_mine".into(), ()).await.unwrap();
    });

    let relay_args = [
        "--rpc-url",
        &anvil.url,
        "--deployments-dir",
        &deployments,
        "--registry",
        &registry,
        "--state",
        &state,
        "--class",
        "test",
        "--keys-dir",
        &keys,
        "--poll-ms",
        "200",
        "--workers",
        "2",
    ];
    let state_path = Path::new(&state);
    let log_path = Path::new(&log);

    // Killed while proving the oracle's request: nothing is fulfilled yet.
    let mut relay = start_relay(&relay_args, log_path);
    wait_for("the relay starts proving request 1", Duration::from_secs(120), log_path, || {
        entry(state_path, 1)["state"] == "proving"
    });
    relay.kill().unwrap();
    relay.wait().unwrap();
    assert!(!runtime.block_on(oracle_contract.answered(100).call().into_future()).unwrap());
    // The second worker skipped the unknown program and the expired request meanwhile.
    wait_for("requests 2 and 3 skipped", Duration::from_secs(30), log_path, || {
        entry(state_path, 2)["state"] == "skipped" && entry(state_path, 3)["state"] == "skipped"
    });

    // Restarted: it resumes the request from its state file and fulfils it, once.
    let mut relay = start_relay(&relay_args, log_path);
    wait_for("request 1 fulfilled", Duration::from_secs(600), log_path, || {
        runtime.block_on(oracle_contract.answered(100).call().into_future()).unwrap()
    });
    wait_for("the relay records it", Duration::from_secs(30), log_path, || {
        entry(state_path, 1)["state"] == "fulfilled"
    });
    std::thread::sleep(Duration::from_secs(2)); // room for a (wrong) second submission
    relay.kill().unwrap();
    relay.wait().unwrap();

    assert_eq!(runtime.block_on(oracle_contract.primesBelow(100).call().into_future()).unwrap(), 25);
    let fulfilled = runtime
        .block_on(
            provider.get_logs(
                &Filter::new()
                    .address(bridge)
                    .event_signature(IComputeBridge::Fulfilled::SIGNATURE_HASH)
                    .from_block(0),
            ),
        )
        .unwrap();
    assert_eq!(fulfilled.len(), 1, "one fulfilment");
    let event = fulfilled[0].log_decode::<IComputeBridge::Fulfilled>().unwrap().inner.data;
    assert_eq!((event.requestId, event.fulfiller, event.callbackSucceeded), (U256::from(1), relayer, true));
    assert_eq!(event.output, Bytes::from_static(&[0, 0, 0, 25]));
    let relayer_after = runtime.block_on(provider.get_balance(relayer).into_future()).unwrap();
    let earned = relayer_after - relayer_before;
    assert!(
        earned > U256::from(FEE / 100 * 99) && earned < U256::from(FEE),
        "paid the fee once, less gas: {earned}"
    );
    assert_eq!(entry(state_path, 2)["state"], "skipped");
    assert!(entry(state_path, 2)["reason"].as_str().unwrap().contains("unknown program"));
    assert_eq!(entry(state_path, 3)["reason"], "deadline passed");
}
