//! The verifying key, a proof and its public inputs in snarkjs's JSON formats (`verification_key.json`,
//! `proof.json`, `public.json`), so that tools outside this project (`snarkjs groth16 verify`, circom's
//! ecosystem) can check our proofs independently.
//!
//! snarkjs writes field elements as decimal strings, points in projective form with `z = 1` (infinity is
//! `["0", "1", "0"]`), and an `Fq2` element as `[c0, c1]`: real part first, the opposite of EIP-197.

use ark_bn254::{Bn254, Fq2, Fr, G1Affine, G2Affine};
use ark_ec::AffineRepr;
use ark_ff::PrimeField;
use ark_groth16::{Proof, VerifyingKey};
use serde_json::{Value, json};

fn decimal<F: PrimeField>(value: F) -> String {
    value.into_bigint().to_string()
}

fn fq2(value: Fq2) -> Value {
    json!([decimal(value.c0), decimal(value.c1)])
}

fn g1(point: &G1Affine) -> Value {
    match point.xy() {
        Some((x, y)) => json!([decimal(x), decimal(y), "1"]),
        None => json!(["0", "1", "0"]),
    }
}

fn g2(point: &G2Affine) -> Value {
    match point.xy() {
        Some((x, y)) => json!([fq2(x), fq2(y), ["1", "0"]]),
        None => json!([["0", "0"], ["1", "0"], ["0", "0"]]),
    }
}

/// `verification_key.json`.
pub fn snarkjs_verification_key(vk: &VerifyingKey<Bn254>) -> Value {
    json!({
        "protocol": "groth16",
        "curve": "bn128",
        "nPublic": vk.gamma_abc_g1.len().saturating_sub(1),
        "vk_alpha_1": g1(&vk.alpha_g1),
        "vk_beta_2": g2(&vk.beta_g2),
        "vk_gamma_2": g2(&vk.gamma_g2),
        "vk_delta_2": g2(&vk.delta_g2),
        "IC": vk.gamma_abc_g1.iter().map(g1).collect::<Vec<_>>(),
    })
}

/// `proof.json`.
pub fn snarkjs_proof(proof: &Proof<Bn254>) -> Value {
    json!({
        "pi_a": g1(&proof.a),
        "pi_b": g2(&proof.b),
        "pi_c": g1(&proof.c),
        "protocol": "groth16",
        "curve": "bn128",
    })
}

/// `public.json`: the public inputs as decimal strings (for Nexus Zero proofs, the one statement value).
pub fn snarkjs_public_inputs(inputs: &[Fr]) -> Value {
    Value::Array(inputs.iter().map(|input| Value::String(decimal(*input))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bn254::Fq;

    #[test]
    fn decimal_strings_and_infinity() {
        assert_eq!(decimal(Fq::from(1234567u64)), "1234567");
        assert_eq!(g1(&G1Affine::zero()), json!(["0", "1", "0"]));
        let generator = g1(&G1Affine::generator());
        assert_eq!(generator, json!(["1", "2", "1"]));
    }
}
