//! The prover's MSM (`groth16::msm`, affine buckets with shared inversions) against arkworks'
//! `msm_bigint`, interleaved in one run, G1 and G2, on random scalars and on a Groth16-like assignment
//! (half the scalars bits, the rest full width).
//!
//! ```sh
//! LOG_N=20 cargo bench -p nzero-wrapper --features parallel --bench msm
//! ```

use std::time::Instant;

use ark_bn254::{Fr, G1Projective, G2Projective};
use ark_ec::short_weierstrass::{Affine, Projective, SWCurveConfig};
use ark_ec::{CurveGroup, VariableBaseMSM};
use ark_ff::{PrimeField, UniformRand};
use ark_std::rand::SeedableRng;
use ark_std::rand::rngs::StdRng;
use nzero_wrapper::groth16::msm::msm;

fn main() {
    let log_n: u32 = std::env::var("LOG_N").ok().and_then(|v| v.parse().ok()).unwrap_or(18);
    let runs: usize = std::env::var("RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(2);
    let n = 1usize << log_n;
    let mut rng = StdRng::seed_from_u64(7);
    let full: Vec<_> = (0..n).map(|_| Fr::rand(&mut rng).into_bigint()).collect();
    let assignment: Vec<_> = (0..n)
        .map(|i| if i % 2 == 0 { Fr::from((i / 2 % 2) as u64) } else { Fr::rand(&mut rng) }.into_bigint())
        .collect();
    println!("| group | scalars | 2^k | arkworks | ours | ratio |");
    println!("|---|---|---:|---:|---:|---:|");
    compare::<ark_bn254::g1::Config>(
        "G1",
        &points::<G1Projective>(&mut rng, n),
        &full,
        &assignment,
        log_n,
        runs,
    );
    if std::env::var("G1_ONLY").is_ok() {
        return;
    }
    compare::<ark_bn254::g2::Config>(
        "G2",
        &points::<G2Projective>(&mut rng, n),
        &full,
        &assignment,
        log_n,
        runs,
    );
}

/// `n` points: 256 random ones, then each the one 256 before plus the generator (cheap to make).
fn points<G: CurveGroup>(rng: &mut StdRng, n: usize) -> Vec<G::Affine> {
    let mut points: Vec<G> = (0..256.min(n)).map(|_| G::rand(rng)).collect();
    for i in points.len()..n {
        points.push(points[i - 256] + G::generator());
    }
    G::normalize_batch(&points)
}

fn compare<P: SWCurveConfig<ScalarField = Fr>>(
    group: &str,
    bases: &[Affine<P>],
    full: &[<Fr as PrimeField>::BigInt],
    assignment: &[<Fr as PrimeField>::BigInt],
    log_n: u32,
    runs: usize,
) {
    for (name, scalars) in [("random", full), ("assignment", assignment)] {
        if name == "assignment" && std::env::var("G1_ONLY").is_ok() {
            continue;
        }
        let (mut theirs, mut ours) = (f64::MAX, f64::MAX);
        for _ in 0..runs {
            let start = Instant::now();
            let expected = Projective::<P>::msm_bigint(bases, scalars);
            theirs = theirs.min(start.elapsed().as_secs_f64());
            let start = Instant::now();
            let found = msm(bases, scalars);
            ours = ours.min(start.elapsed().as_secs_f64());
            assert_eq!(found, expected);
        }
        println!("| {group} | {name} | {log_n} | {theirs:.2} s | {ours:.2} s | {:.2} |", theirs / ours);
    }
}
