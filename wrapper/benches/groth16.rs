//! Groth16 setup and proving at a chosen size: setup time, key sizes on disk, key loading, proving with
//! arkworks' plain prover (which re-synthesizes the constraint matrices) against proving from the cached
//! matrices, and each phase's peak memory.
//!
//! ```sh
//! NZERO_BENCH_LOG_CONSTRAINTS=18 cargo bench -p nzero-wrapper --bench groth16
//! ```
//!
//! The circuit is a chain of Poseidon2 permutations (`permute_var`, 240 constraints each) with one public
//! input, the chain's output, sized to fill the FFT domain of `2^NZERO_BENCH_LOG_CONSTRAINTS` (default
//! 16). Each phase runs in its own process (this binary, re-executed), so its peak resident set (`VmHWM`)
//! is its own: `setup` (synthesis, setup, writing the key files), `plain` (load the proving key, prove
//! with `Groth16::create_random_proof_with_reduction`), `cached` (load the proving key and the matrices,
//! `nzero_wrapper::prove`). Keys go to `$NZERO_BENCH_KEYS_DIR` (default: a directory under the system's
//! temporary directory, removed at the end unless that variable is set).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use ark_bn254::{Bn254, Fr};
use ark_groth16::{Groth16, ProvingKey};
use ark_r1cs_std::alloc::AllocVar;
use ark_r1cs_std::eq::EqGadget;
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use ark_std::rand::SeedableRng;
use ark_std::rand::rngs::StdRng;
use nzero_wrapper::{FrVar, KeyKind, PERMUTATION_CONSTRAINTS, Stage, key_path, permute_var};

const CIRCUIT_ID: &str = "bench";

/// `x = permute^n([seed, 0, 0])[0]`, `x` public.
#[derive(Clone)]
struct Chain {
    permutations: usize,
    seed: Fr,
}

impl Chain {
    fn output(&self) -> Fr {
        let mut state = [self.seed, Fr::from(0u64), Fr::from(0u64)];
        (0..self.permutations).for_each(|_| nzero_poseidon2::permute(&mut state));
        state[0]
    }
}

impl ConstraintSynthesizer<Fr> for Chain {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let x = FrVar::new_input(cs.clone(), || Ok(self.output()))?;
        let mut state = [
            FrVar::new_witness(cs.clone(), || Ok(self.seed))?,
            FrVar::new_witness(cs.clone(), || Ok(Fr::from(0u64)))?,
            FrVar::new_witness(cs.clone(), || Ok(Fr::from(0u64)))?,
        ];
        for _ in 0..self.permutations {
            permute_var(&mut state)?;
        }
        state[0].enforce_equal(&x)
    }
}

fn digest(permutations: usize) -> [u8; 32] {
    let mut d = [0u8; 32];
    d[..8].copy_from_slice(&(permutations as u64).to_le_bytes());
    d
}

/// A field of `/proc/self/status` in bytes (`VmHWM`: peak resident set; `VmRSS`: current).
fn status_bytes(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

fn gib(bytes: u64) -> f64 {
    bytes as f64 / (1u64 << 30) as f64
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1u64 << 20) as f64
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// Runs one phase in this process and prints its results as one JSON line on stdout.
fn run_phase(phase: &str, dir: &Path, chain: Chain) {
    let digest = digest(chain.permutations);
    let mut rng = StdRng::seed_from_u64(1);
    let mut out = serde_json::Map::new();
    let mut put = |k: &str, v: serde_json::Value| {
        out.insert(k.to_owned(), v);
    };
    match phase {
        "setup" => {
            let mut marks: Vec<(Stage, Instant)> = Vec::new();
            let start = Instant::now();
            let keys =
                nzero_wrapper::setup_with_progress(chain, &mut rng, &mut |s| marks.push((s, Instant::now())))
                    .expect("setup");
            let setup_s = start.elapsed().as_secs_f64();
            marks.push((Stage::SelfCheck, Instant::now()));
            for pair in marks.windows(2) {
                put(&format!("setup_{}_s", pair[0].0.name()), (pair[1].1 - pair[0].1).as_secs_f64().into());
            }
            put("constraints", keys.matrices.num_constraints.into());
            put("variables", keys.matrices.num_variables().into());
            put("non_zero", keys.matrices.num_non_zero().into());
            put("setup_s", setup_s.into());
            let rss_keys = status_bytes("VmRSS");
            let start = Instant::now();
            let paths = nzero_wrapper::write_keys(dir, CIRCUIT_ID, &digest, &keys).expect("write keys");
            put("write_s", start.elapsed().as_secs_f64().into());
            put("rss_with_keys_bytes", rss_keys.into());
            for (name, path) in ["r1cs_bytes", "pk_bytes", "vk_bytes"].into_iter().zip(&paths) {
                put(name, file_size(path).into());
            }
        }
        "plain" => {
            let start = Instant::now();
            let pk: ProvingKey<Bn254> = nzero_wrapper::read_key(dir, CIRCUIT_ID, &digest).expect("read pk");
            put("load_s", start.elapsed().as_secs_f64().into());
            put("rss_loaded_bytes", status_bytes("VmRSS").into());
            let x = chain.output();
            let start = Instant::now();
            let proof = Groth16::<Bn254>::create_random_proof_with_reduction(chain, &pk, &mut rng)
                .expect("plain prove");
            put("prove_s", start.elapsed().as_secs_f64().into());
            nzero_wrapper::verify(&pk.vk, x, &proof).expect("plain proof verifies");
        }
        "cached" => {
            let start = Instant::now();
            let keys = nzero_wrapper::read_keys(dir, CIRCUIT_ID, &digest).expect("read keys");
            put("load_s", start.elapsed().as_secs_f64().into());
            put("rss_loaded_bytes", status_bytes("VmRSS").into());
            let x = chain.output();
            let mut marks: Vec<(Stage, Instant)> = Vec::new();
            let start = Instant::now();
            let proof = nzero_wrapper::prove_with_progress(&keys, chain, &mut rng, &mut |s| {
                marks.push((s, Instant::now()))
            })
            .expect("cached prove");
            let end = Instant::now();
            put("prove_s", (end - start).as_secs_f64().into());
            marks.push((Stage::SelfCheck, end));
            for pair in marks.windows(2) {
                put(&format!("prove_{}_s", pair[0].0.name()), (pair[1].1 - pair[0].1).as_secs_f64().into());
            }
            nzero_wrapper::verify(keys.verifying_key(), x, &proof).expect("cached proof verifies");
        }
        other => panic!("unknown phase {other}"),
    }
    put("peak_rss_bytes", status_bytes("VmHWM").into());
    println!("{}", serde_json::Value::Object(out));
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is not used.
    let log: u32 =
        std::env::var("NZERO_BENCH_LOG_CONSTRAINTS").ok().and_then(|v| v.parse().ok()).unwrap_or(16);
    // Fill the domain: constraints + instance variables (2) must stay within 2^log.
    let permutations = ((1usize << log) - 2 - 1) / PERMUTATION_CONSTRAINTS;
    let chain = Chain { permutations, seed: Fr::from(42u64) };
    let keep = std::env::var_os("NZERO_BENCH_KEYS_DIR").map(PathBuf::from);
    let dir = keep
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join(format!("nzero-groth16-bench-{}", std::process::id())));

    if let Ok(phase) = std::env::var("NZERO_BENCH_PHASE") {
        run_phase(&phase, &dir, chain);
        return;
    }

    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "groth16 bench: 2^{log} domain, {permutations} Poseidon2 permutations, {threads} threads, load average {}",
        load.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
    );
    let exe = std::env::current_exe().expect("own path");
    let mut results = serde_json::Map::new();
    for phase in ["setup", "plain", "cached"] {
        let output = Command::new(&exe)
            .env("NZERO_BENCH_PHASE", phase)
            .env("NZERO_BENCH_LOG_CONSTRAINTS", log.to_string())
            .env("NZERO_BENCH_KEYS_DIR", &dir)
            .output()
            .expect("run phase");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "phase {phase} failed: {stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let line = stdout.lines().last().unwrap_or_default();
        let value: serde_json::Value = serde_json::from_str(line).expect("phase JSON");
        println!("{phase:>6}: {line}");
        results.insert(phase.to_owned(), value);
    }
    let f = |phase: &str, key: &str| results[phase][key].as_f64().unwrap_or(f64::NAN);
    println!(
        "\n| log | constraints | setup s | setup peak GiB | pk MiB | r1cs MiB | vk B | plain: load s, prove s, peak GiB | cached: load s, prove s (synth, witness map, msm), peak GiB |"
    );
    println!(
        "| {log} | {} | {:.1} | {:.2} | {:.0} | {:.0} | {} | {:.1}, {:.1}, {:.2} | {:.1}, {:.1} ({:.1}, {:.1}, {:.1}), {:.2} |",
        results["setup"]["constraints"],
        f("setup", "setup_s"),
        gib(f("setup", "peak_rss_bytes") as u64),
        mib(f("setup", "pk_bytes") as u64),
        mib(f("setup", "r1cs_bytes") as u64),
        results["setup"]["vk_bytes"],
        f("plain", "load_s"),
        f("plain", "prove_s"),
        gib(f("plain", "peak_rss_bytes") as u64),
        f("cached", "load_s"),
        f("cached", "prove_s"),
        f("cached", "prove_synthesize_s"),
        f("cached", "prove_witness_map_s"),
        f("cached", "prove_msm_s"),
        gib(f("cached", "peak_rss_bytes") as u64),
    );
    if keep.is_none() {
        for kind in [KeyKind::ProvingKey, KeyKind::VerifyingKey, KeyKind::Matrices] {
            let _ = std::fs::remove_file(key_path(&dir, CIRCUIT_ID, kind).expect("valid id"));
        }
        let _ = std::fs::remove_dir(&dir);
    }
}
