//! A generated verifier in an in-process EVM: a fresh key, a fresh proof, accepted; every tampered part
//! rejected with the error the contract names; the gas of a direct `verifyProof`.

use ark_bn254::{Bn254, Fq2, G2Affine};
use ark_groth16::ProvingKey;
use nzero_wrapper::{PROOF_LENGTH, Selector, decode_proof, encode_proof, selector, solidity_verifier};
use revm::primitives::Address;

use crate::chain::{Chain, Outcome, error_data, uint, verify_proof_calldata};
use crate::circuit::{fresh_rng, prove, setup};
use crate::solc::compile;

const PROGRAM_VKEY: [u8; 32] = [0x5a; 32];
const PUBLIC_VALUES: &[u8] = b"fibonacci(20) = 6765; public values longer than one 32-byte word";

/// The only gas figure the brief fixes: a direct call must stay within 190,000 execution gas.
const GAS_TARGET: u64 = 190_000;

struct Deployed {
    chain: Chain,
    verifier: Address,
    selector: Selector,
    proof: [u8; PROOF_LENGTH],
}

fn deploy_fresh() -> (Deployed, ProvingKey<Bn254>) {
    let mut rng = fresh_rng();
    let pk = setup(&mut rng);
    let source = solidity_verifier(&pk.vk, "NexusVerifierFresh").expect("generate");
    let code = compile("contracts/generated/NexusVerifierFresh.sol", &source, "NexusVerifierFresh");
    let mut chain = Chain::new();
    let verifier = chain.deploy(code);
    let selector = selector(&pk.vk).expect("selector");
    let proof = encode_proof(selector, &prove(&pk, PROGRAM_VKEY, PUBLIC_VALUES, &mut rng));
    (Deployed { chain, verifier, selector, proof }, pk)
}

impl Deployed {
    fn verify(&mut self, program_vkey: [u8; 32], public_values: &[u8], proof: &[u8]) -> Outcome {
        self.chain.call(self.verifier, verify_proof_calldata(program_vkey, public_values, proof))
    }

    fn assert_reverts(
        &mut self,
        program_vkey: [u8; 32],
        public_values: &[u8],
        proof: &[u8],
        expected: &[u8],
    ) {
        match self.verify(program_vkey, public_values, proof) {
            Outcome::Revert(data) => assert_eq!(hex::encode(data), hex::encode(expected)),
            other => panic!("expected a revert with 0x{}, got {other:?}", hex::encode(expected)),
        }
    }
}

fn proof_invalid() -> Vec<u8> {
    error_data("ProofInvalid()", &[])
}

#[test]
fn fresh_proof_verifies_in_the_evm_and_tampering_is_rejected() {
    let (mut d, pk) = deploy_fresh();
    let proof = d.proof;

    let gas = match d.verify(PROGRAM_VKEY, PUBLIC_VALUES, &proof) {
        Outcome::Success { execution_gas } => execution_gas,
        other => panic!("a valid proof must verify: {other:?}"),
    };
    eprintln!("direct verifyProof: {gas} execution gas ({} bytes of public values)", PUBLIC_VALUES.len());
    assert!(gas <= GAS_TARGET, "verifyProof took {gas} gas, target {GAS_TARGET}");

    // The statement binds the program key and every byte of the public values.
    let mut other_key = PROGRAM_VKEY;
    other_key[0] ^= 1;
    d.assert_reverts(other_key, PUBLIC_VALUES, &proof, &proof_invalid());
    let mut values = PUBLIC_VALUES.to_vec();
    *values.last_mut().unwrap() ^= 1;
    d.assert_reverts(PROGRAM_VKEY, &values, &proof, &proof_invalid());
    d.assert_reverts(PROGRAM_VKEY, &PUBLIC_VALUES[1..], &proof, &proof_invalid());

    // A valid proof of another statement under the same key does not transfer.
    let mut rng = fresh_rng();
    let other =
        encode_proof(d.selector, &crate::circuit::prove(&pk, PROGRAM_VKEY, b"other values", &mut rng));
    d.assert_reverts(PROGRAM_VKEY, PUBLIC_VALUES, &other, &proof_invalid());
    assert!(matches!(d.verify(PROGRAM_VKEY, b"other values", &other), Outcome::Success { .. }));
}

#[test]
fn every_proof_word_and_the_selector_are_checked() {
    let (mut d, _) = deploy_fresh();
    let proof = d.proof;
    let word_error = |word: u64| error_data("ProofCoordinateOutOfRange(uint256)", &[uint(word)]);
    let point_error = |point: u64| error_data("ProofPointNotOnCurve(uint256)", &[uint(point)]);
    let q = hex::decode("30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47").unwrap();

    for word in 0..8 {
        let at = 4 + 32 * word;
        // The last bit flipped: the point leaves its curve (staying on it has negligible probability).
        let mut flipped = proof;
        flipped[at + 31] ^= 1;
        let point = [0, 0, 1, 1, 1, 1, 2, 2][word];
        d.assert_reverts(PROGRAM_VKEY, PUBLIC_VALUES, &flipped, &point_error(point));
        // The modulus itself: out of range, reported before any curve arithmetic.
        let mut at_q = proof;
        at_q[at..at + 32].copy_from_slice(&q);
        d.assert_reverts(PROGRAM_VKEY, PUBLIC_VALUES, &at_q, &word_error(word as u64));
        // All ones: out of range too (no reduction modulo q happens anywhere).
        let mut ones = proof;
        ones[at..at + 32].fill(0xff);
        d.assert_reverts(PROGRAM_VKEY, PUBLIC_VALUES, &ones, &word_error(word as u64));
    }

    // -A is on the curve and in range: only the pairing can reject it.
    let (_, mut decoded) = decode_proof(&proof).expect("a valid encoding");
    decoded.a = -decoded.a;
    d.assert_reverts(PROGRAM_VKEY, PUBLIC_VALUES, &encode_proof(d.selector, &decoded), &proof_invalid());

    // B on its curve but outside the prime-order subgroup: the pairing precompile refuses it.
    let outside = (1u64..)
        .filter_map(|x| G2Affine::get_point_from_x_unchecked(Fq2::from(x), false))
        .find(|p| !p.is_in_correct_subgroup_assuming_on_curve())
        .expect("most points of the twist are outside the subgroup");
    decoded.a = -decoded.a;
    decoded.b = outside;
    d.assert_reverts(PROGRAM_VKEY, PUBLIC_VALUES, &encode_proof(d.selector, &decoded), &proof_invalid());

    // Infinity (zeros) is not accepted as A, B or C.
    for (point, range) in [(0u64, 4..68), (1, 68..196), (2, 196..260)] {
        let mut zeroed = proof;
        zeroed[range].fill(0);
        d.assert_reverts(PROGRAM_VKEY, PUBLIC_VALUES, &zeroed, &point_error(point));
    }

    // Selector and length.
    let mut wrong_selector = proof;
    wrong_selector[0] ^= 0x80;
    let mut expected = crate::chain::selector_of("SelectorMismatch(bytes4,bytes4)").to_vec();
    let mut word = [0u8; 32];
    word[..4].copy_from_slice(&d.selector);
    expected.extend_from_slice(&word);
    word[..4].copy_from_slice(&wrong_selector[..4]);
    expected.extend_from_slice(&word);
    d.assert_reverts(PROGRAM_VKEY, PUBLIC_VALUES, &wrong_selector, &expected);
    let length_error = |len: u64| error_data("ProofLengthInvalid(uint256,uint256)", &[uint(260), uint(len)]);
    for len in [0usize, 3, 4, 259] {
        d.assert_reverts(PROGRAM_VKEY, PUBLIC_VALUES, &proof[..len], &length_error(len as u64));
    }
    let mut long = proof.to_vec();
    long.push(0);
    d.assert_reverts(PROGRAM_VKEY, PUBLIC_VALUES, &long, &length_error(261));
}
