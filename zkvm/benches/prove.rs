//! Proving speed and peak memory on the example guests, per size class, with the secure
//! configuration and Blake2s (native proofs).
//!
//! `cargo bench -p nzero-zkvm --bench prove [-- <max log2 cycles>]` — prints a Markdown table for
//! `docs/BENCHMARKS.md`. Each row runs in a fresh child process so its peak RSS is its own.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use nzero_zkvm::{
    BuildOptions, ExecConfig, Input, Program, StarkConfig, build_guest, execute, program_key, prove, verify,
};

fn program(name: &str) -> Program {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples").join(name);
    let elf = build_guest(&dir, &BuildOptions::default()).expect("example builds");
    Program::from_elf(&std::fs::read(elf).expect("ELF readable")).expect("valid ELF")
}

/// An input making `name` run close to (but below) `2^log` cycles.
fn input_for(name: &str, program: &Program, log: u32) -> Vec<u8> {
    let target = (1u64 << log) * 9 / 10;
    let make = |size: u64| -> Vec<u8> {
        match name {
            "fibonacci" => {
                let mut input = Input::new();
                input.write(&(size as u32)).expect("encodes");
                input.as_bytes().to_vec()
            }
            "json" => {
                let items: Vec<String> = (0..size)
                    .map(|i| {
                        format!(r#"{{"from":"a{}","to":"b{}","amount":{}}}"#, i % 97, i % 89, i * 7 % 1000)
                    })
                    .collect();
                format!(r#"{{"threshold":500,"transfers":[{}]}}"#, items.join(",")).into_bytes()
            }
            _ => (0..size).map(|i| (i * 7 % 251) as u8).collect(),
        }
    };
    // Cycles grow linearly with the size: measure once, scale.
    let probe = 200;
    let cycles = |size| execute(program, &make(size), &ExecConfig::default()).expect("runs").cycles;
    let (base, at_probe) = (cycles(0), cycles(probe));
    let per_unit = (at_probe - base) as f64 / probe as f64;
    make(((target - base) as f64 / per_unit) as u64)
}

fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn run_one(name: &str, log: u32) {
    let program = program(name);
    let input = input_for(name, &program, log);
    let config = StarkConfig::secure();
    let start = Instant::now();
    let (run, proof) = prove(&program, &input, &config, &ExecConfig::default()).expect("proves");
    let seconds = start.elapsed().as_secs_f64();
    let (_, _, key) = program_key(&program);
    let verify_start = Instant::now();
    verify(&proof, &key, &run.public_values, &config).expect("verifies");
    let verify_ms = verify_start.elapsed().as_secs_f64() * 1e3;
    println!(
        "| {name} | 2^{log} | {} | {:.1} s | {:.0} | {:.2} GiB | {} KiB | {:.0} ms |",
        run.cycles,
        seconds,
        run.cycles as f64 / seconds,
        peak_rss_kib() as f64 / (1 << 20) as f64,
        proof.to_bytes().len() / 1024,
        verify_ms,
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let (Some(name), Some(log)) =
        (args.iter().position(|a| a == "--one").and_then(|i| args.get(i + 1)), args.last())
    {
        run_one(name, log.parse().expect("a log2 cycle count"));
        return;
    }
    let max_log: u32 = args.iter().skip(1).find_map(|a| a.parse().ok()).unwrap_or(20);
    println!("| guest | class | cycles | prove time | cycles/s | peak RSS | proof | verify |");
    println!("|---|---|---:|---:|---:|---:|---:|---:|");
    for log in [16, 18, 20, 22].into_iter().filter(|&l| l <= max_log) {
        for name in ["fibonacci", "sha256", "json"] {
            let status = Command::new(std::env::current_exe().expect("own path"))
                .args(["--one", name, &log.to_string()])
                .status()
                .expect("runs");
            assert!(status.success(), "{name} at 2^{log} failed");
        }
    }
}
