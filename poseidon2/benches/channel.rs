//! Native proving cost of the Poseidon2-BN254 Merkle channel against Stwo's Blake2s channel, on the same
//! AIR (the squaring chain of `tests/support`: one preprocessed column, a logUp lookup).
//!
//! `cargo bench -p nzero-poseidon2 --bench channel` (environment: `LOG_N_ROWS`, default 16; `N_COLUMNS`,
//! default 100; `RUNS`, default 3, the median is reported; `PARTS`, a comma-separated subset of
//! `permutation,merkle,grind,prove`). Each figure is wall time and, in brackets, the CPU time of all
//! threads: on a shared machine the CPU time is the steadier of the two.

#[path = "../tests/support/mod.rs"]
#[allow(dead_code)]
mod support;

use std::hint::black_box;
use std::time::{Duration, Instant};

use ark_bn254::Fr;
use nzero_poseidon2::{Poseidon2Channel, Poseidon2MerkleChannel, Poseidon2MerkleHasher, permute};
use stwo::core::channel::{Blake2sChannel, Channel, MerkleChannel};
use stwo::core::fields::m31::BaseField;
use stwo::core::fri::FriConfig;
use stwo::core::pcs::PcsConfig;
use stwo::core::proof_of_work::GrindOps;
use stwo::core::vcs_lifted::blake2_merkle::{Blake2sMerkleChannel, Blake2sMerkleHasher};
use stwo::core::vcs_lifted::merkle_hasher::MerkleHasherLifted;
use stwo::prover::backend::BackendForChannel;
use stwo::prover::backend::simd::SimdBackend;
use stwo::prover::backend::simd::column::BaseColumn;
use stwo::prover::vcs_lifted::ops::MerkleOpsLifted;
use stwo::prover::vcs_lifted::prover::MerkleProverLifted;
use support::{prove_squaring_chain, verify_squaring_chain};

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// CPU time of this process (all threads), from `/proc/self/stat` (Linux; zero elsewhere).
fn cpu_time() -> Duration {
    let ticks = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|stat| {
            // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
            let rest = stat.rsplit_once(')')?.1;
            let fields: Vec<&str> = rest.split_whitespace().collect();
            Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
        })
        .unwrap_or(0);
    // The kernel's USER_HZ is 100 on Linux.
    Duration::from_millis(ticks * 10)
}

/// Median wall time and median CPU time of `runs` runs.
#[derive(Clone, Copy)]
struct Timing {
    wall: Duration,
    cpu: Duration,
}

impl Timing {
    fn show(self, scale: f64, unit: &str) -> String {
        format!(
            "{:.3} {unit} [cpu {:.3} {unit}]",
            self.wall.as_secs_f64() * scale,
            self.cpu.as_secs_f64() * scale
        )
    }
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Timing {
    let (wall, cpu): (Vec<_>, Vec<_>) = (0..runs)
        .map(|_| {
            let (start, start_cpu) = (Instant::now(), cpu_time());
            black_box(f());
            (start.elapsed(), cpu_time().saturating_sub(start_cpu))
        })
        .unzip();
    Timing { wall: median(wall), cpu: median(cpu) }
}

fn bench_permutation() {
    let n = 100_000;
    let mut state = [Fr::from(0u64), Fr::from(1u64), Fr::from(2u64)];
    let elapsed = time(3, || {
        for _ in 0..n {
            permute(&mut state);
        }
        state
    });
    println!("poseidon2 permutation: {}", elapsed.show(1e6 / n as f64, "us"));
}

/// The field operations the permutation is made of (dependent chains, single thread).
fn bench_field() {
    let n = 1_000_000;
    let (mut a, b) = (Fr::from(3u64), Fr::from(5u64));
    let mul = time(3, || {
        for _ in 0..n {
            a *= b;
        }
        a
    });
    let add = time(3, || {
        for _ in 0..n {
            a += b;
        }
        a
    });
    println!("fr mul: {}, fr add: {}", mul.show(1e9 / n as f64, "ns"), add.show(1e9 / n as f64, "ns"));
}

fn bench_merkle<H: MerkleHasherLifted>(name: &str, log_n_rows: u32, n_columns: usize, runs: usize)
where
    SimdBackend: MerkleOpsLifted<H>,
{
    let columns: Vec<BaseColumn> = (0..n_columns)
        .map(|j| (0..1u32 << log_n_rows).map(|i| BaseField::from(i ^ j as u32)).collect())
        .collect();
    let elapsed = time(runs, || {
        MerkleProverLifted::<SimdBackend, H>::commit(columns.iter().collect(), log_n_rows, 0).root()
    });
    println!("{name} merkle commit 2^{log_n_rows} x {n_columns}: {}", elapsed.show(1.0, "s"));
}

fn bench_grind<C: Channel>(name: &str, pow_bits: u32)
where
    SimdBackend: GrindOps<C>,
{
    let mut channel = C::default();
    let elapsed = time(3, || {
        channel.mix_u64(1);
        <SimdBackend as GrindOps<C>>::grind(&channel, pow_bits)
    });
    println!("{name} grind {pow_bits} bits: {}", elapsed.show(1.0, "s"));
}

fn bench_prove<MC: MerkleChannel>(
    name: &str,
    config: PcsConfig,
    log_n_rows: u32,
    n_columns: usize,
    runs: usize,
) where
    SimdBackend: BackendForChannel<MC>,
    MC::H: serde::Serialize,
{
    let mut proof = None;
    let prove = time(runs, || {
        proof = Some(prove_squaring_chain::<MC>(config, log_n_rows, n_columns).expect("proves"));
    });
    let proof = proof.expect("at least one run");
    let size = postcard::to_stdvec(&proof).map(|b| b.len()).unwrap_or_default();
    let verify = time(runs, || {
        verify_squaring_chain::<MC>(config, log_n_rows, n_columns, proof.clone()).expect("verifies")
    });
    println!(
        "{name} prove 2^{log_n_rows} x {n_columns} (pow {}, log blowup {}, {} queries): prove {}, verify {:.1} ms, proof \
         {} KiB",
        config.pow_bits,
        config.fri_config.log_blowup_factor,
        config.fri_config.n_queries,
        prove.show(1.0, "s"),
        verify.wall.as_secs_f64() * 1e3,
        size / 1024,
    );
}

fn main() {
    let log_n_rows = env_or("LOG_N_ROWS", 16);
    let n_columns = env_or("N_COLUMNS", 100);
    let runs = env_or("RUNS", 3);
    let parts = env_or("PARTS", "permutation,merkle,grind,prove".to_string());
    let run = |part: &str| parts.split(',').any(|p| p == part);
    println!("threads: {}", available_threads());

    if run("permutation") {
        bench_field();
        bench_permutation();
    }
    if run("merkle") {
        bench_merkle::<Poseidon2MerkleHasher>("poseidon2", log_n_rows, n_columns, runs);
        bench_merkle::<Blake2sMerkleHasher>("blake2s", log_n_rows, n_columns, runs);
    }
    if run("grind") {
        bench_grind::<Poseidon2Channel>("poseidon2", 16);
        bench_grind::<Blake2sChannel>("blake2s", 16);
    }
    // Stwo's default configuration (13 bits, for tests), then one of 100 bits (20 + 2 · 40).
    let configs = [
        PcsConfig::default(),
        PcsConfig { pow_bits: 20, fri_config: FriConfig::new(0, 2, 40, 1), lifting_log_size: None },
    ];
    for config in configs.into_iter().filter(|_| run("prove")) {
        bench_prove::<Poseidon2MerkleChannel>("poseidon2", config, log_n_rows, n_columns, runs);
        bench_prove::<Blake2sMerkleChannel>("blake2s", config, log_n_rows, n_columns, runs);
    }
}

fn available_threads() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}
