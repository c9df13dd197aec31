//! Plain execution speed (MHz = million guest instructions per second) on the example guests.
//!
//! `cargo bench -p nzero-zkvm --bench execute` — prints a Markdown table for `docs/BENCHMARKS.md`.

use std::path::Path;
use std::time::Instant;

use nzero_zkvm::{BuildOptions, ExecConfig, Input, Program, build_guest, execute};

fn program(name: &str) -> Program {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples").join(name);
    let elf = build_guest(&dir, &BuildOptions::default()).expect("example builds");
    Program::from_elf(&std::fs::read(elf).expect("ELF readable")).expect("valid ELF")
}

fn ledger(transfers: usize) -> Vec<u8> {
    let items: Vec<String> = (0..transfers)
        .map(|i| {
            format!(r#"{{"from":"account-{}","to":"account-{}","amount":{}}}"#, i % 97, i % 89, i * 7 % 1000)
        })
        .collect();
    format!(r#"{{"threshold":500,"transfers":[{}]}}"#, items.join(",")).into_bytes()
}

fn main() {
    let mut fib_input = Input::new();
    fib_input.write(&5_000_000u32).expect("u32 encodes");
    let workloads: Vec<(&str, String, Vec<u8>)> = vec![
        ("fibonacci", "n = 5,000,000".into(), fib_input.as_bytes().to_vec()),
        ("sha256", "1 MiB input".into(), (0..1u32 << 20).map(|i| i as u8).collect()),
        ("json", "20,000 transfers (1.1 MB)".into(), ledger(20_000)),
    ];
    println!("| guest | workload | cycles | best time | speed |");
    println!("|---|---|---:|---:|---:|");
    for (name, workload, input) in workloads {
        let program = program(name);
        let mut best = f64::INFINITY;
        let mut cycles = 0;
        for _ in 0..5 {
            let start = Instant::now();
            let run = execute(&program, &input, &ExecConfig::default()).expect("example runs");
            best = best.min(start.elapsed().as_secs_f64());
            assert_eq!(run.exit_code, 0);
            cycles = run.cycles;
        }
        println!(
            "| {name} | {workload} | {cycles} | {:.1} ms | {:.0} MHz |",
            best * 1e3,
            cycles as f64 / best / 1e6
        );
    }
}
