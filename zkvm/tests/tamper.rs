//! Tampering with each field of a proof, one at a time: every change is rejected.

mod common;

use common::{CONFIG, halting, prove_and_verify};
use nzero_zkvm::isa::asm::li;
use nzero_zkvm::{Proof, SizeClass, StarkConfig, program_key, verify};
use stwo::core::fields::m31::BaseField;
use stwo::core::fields::qm31::SecureField;
use stwo::core::vcs::blake2_hash::Blake2sHash;

/// Applies `tamper` to a copy of `proof` and asserts the copy no longer verifies with the public values
/// it carries (as `nzero verify` reads them), neither with the program's key nor with the key the
/// tampered proof claims (so a change to the program's parts is caught as another program, and by the
/// STARK too).
fn rejected(proof: &Proof, key: &nzero_zkvm::ProgramKey, what: &str, tamper: impl FnOnce(&mut Proof)) {
    let mut bad = proof.clone();
    tamper(&mut bad);
    let public_values = bad.public_values.clone();
    assert!(verify(&bad, key, &public_values, &CONFIG).is_err(), "{what}: accepted with the program's key");
    assert!(
        verify(&bad, &bad.program_key(), &public_values, &CONFIG).is_err(),
        "{what}: accepted with its own key"
    );
}

fn flip(hash: &mut Blake2sHash) {
    hash.0[7] ^= 1;
}

fn one() -> SecureField {
    SecureField::from(1)
}

#[test]
fn every_field_of_a_proof_is_bound() {
    let mut code = li(5, 77).to_vec();
    code.extend(li(10, 3));
    let program = halting(&code);
    let proof = prove_and_verify(&program);
    let (_, _, key) = program_key(&program);

    rejected(&proof, &key, "config", |p| p.config = StarkConfig { n_queries: 5, ..CONFIG });
    rejected(&proof, &key, "entry", |p| p.shape.entry += 4);
    rejected(&proof, &key, "program size", |p| p.shape.program_log_size += 1);
    rejected(&proof, &key, "image size", |p| p.shape.image_log_size += 1);
    rejected(&proof, &key, "Blake2s root", |p| p.roots.blake2s[0] ^= 1);
    rejected(&proof, &key, "Poseidon2 root", |p| p.roots.poseidon2[31] ^= 1);
    rejected(&proof, &key, "exit code", |p| p.statement.exit_code ^= 1);
    rejected(&proof, &key, "public values digest", |p| p.statement.public_values_digest[3] ^= 1);
    rejected(&proof, &key, "public values", |p| p.public_values.push(0));
    rejected(&proof, &key, "size class", |p| p.class = SizeClass::C18);
    rejected(&proof, &key, "component size", |p| p.claim.log_sizes[3] += 1);
    rejected(&proof, &key, "claimed sum", |p| p.claimed_sums[2] += one());
    rejected(&proof, &key, "balanced claimed sums", |p| {
        p.claimed_sums[2] += one();
        p.claimed_sums[4] -= one();
    });

    let n_trees = proof.stark_proof.0.commitments.len();
    for tree in 0..n_trees {
        rejected(&proof, &key, &format!("commitment {tree}"), |p| {
            flip(&mut p.stark_proof.0.commitments[tree])
        });
        rejected(&proof, &key, &format!("sampled value in tree {tree}"), |p| {
            let column = p.stark_proof.0.sampled_values[tree].iter_mut().find(|c| !c.is_empty()).unwrap();
            column[0] += one();
        });
        rejected(&proof, &key, &format!("queried value in tree {tree}"), |p| {
            p.stark_proof.0.queried_values[tree][0][0] += BaseField::from(1);
        });
        if !proof.stark_proof.0.decommitments[tree].hash_witness.is_empty() {
            rejected(&proof, &key, &format!("Merkle sibling in tree {tree}"), |p| {
                flip(&mut p.stark_proof.0.decommitments[tree].hash_witness[0]);
            });
        }
    }
    rejected(&proof, &key, "proof of work", |p| p.stark_proof.0.proof_of_work ^= 1);
    rejected(&proof, &key, "FRI first layer root", |p| {
        flip(&mut p.stark_proof.0.fri_proof.first_layer.commitment)
    });
    rejected(&proof, &key, "FRI first layer witness", |p| {
        p.stark_proof.0.fri_proof.first_layer.fri_witness[0] += one();
    });
    rejected(&proof, &key, "FRI first layer sibling", |p| {
        flip(&mut p.stark_proof.0.fri_proof.first_layer.decommitment.hash_witness[0]);
    });
    let n_layers = proof.stark_proof.0.fri_proof.inner_layers.len();
    for layer in [0, n_layers / 2, n_layers - 1] {
        rejected(&proof, &key, &format!("FRI layer {layer} root"), |p| {
            flip(&mut p.stark_proof.0.fri_proof.inner_layers[layer].commitment);
        });
        rejected(&proof, &key, &format!("FRI layer {layer} witness"), |p| {
            p.stark_proof.0.fri_proof.inner_layers[layer].fri_witness[0] += one();
        });
        if !proof.stark_proof.0.fri_proof.inner_layers[layer].decommitment.hash_witness.is_empty() {
            rejected(&proof, &key, &format!("FRI layer {layer} sibling"), |p| {
                flip(&mut p.stark_proof.0.fri_proof.inner_layers[layer].decommitment.hash_witness[0]);
            });
        }
    }
    rejected(&proof, &key, "FRI last layer", |p| {
        let coefficients = p.stark_proof.0.fri_proof.last_layer_poly.clone().into_ordered_coefficients();
        let changed: Vec<SecureField> = coefficients.iter().map(|c| *c + one()).collect();
        p.stark_proof.0.fri_proof.last_layer_poly =
            stwo::core::poly::line::LinePoly::from_ordered_coefficients(changed);
    });
}
