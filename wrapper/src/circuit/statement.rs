//! The statement in R1CS: the program key and the one Groth16 public input, computed in the circuit from
//! the values the STARK verification used, so that a proof is bound to what it verified.
//!
//! The twins of the native definitions:
//!
//! ```text
//! program_key  = sha256("nexus-zero/program-vkey/v1" ‖ le32(entry) ‖ le32(program_log_size)
//!                       ‖ le32(image_log_size) ‖ blake2s_root[32] ‖ be32(poseidon2_root))
//! public_input = sha256(program_key ‖ public_values_digest) & (2^253 - 1)        (big-endian integer)
//! ```
//!
//! (`nzero_zkvm::ProgramKey::from_parts` and [`crate::public_input`].) SHA-256 is arkworks' gadget
//! (`ark_crypto_primitives::crh::sha256::constraints`), about 38.5k constraints per compression of
//! variable data (its `UInt32` XORs, ANDs and additions are bitwise, one or two constraints per bit). The
//! program key's preimage is 102 bytes, two compressions; the public input's is 64 bytes, one compression
//! of variables and one of the constant padding block (its message schedule is then free, its rounds are
//! not: 35.5k). [`PROGRAM_KEY_CONSTRAINTS`] and [`PUBLIC_INPUT_CONSTRAINTS`] pin the costs, 151k together.

use ark_bn254::Fr;
use ark_crypto_primitives::crh::sha256::constraints::Sha256Gadget;
use ark_r1cs_std::boolean::Boolean;
use ark_r1cs_std::convert::{ToBitsGadget, ToBytesGadget};
use ark_r1cs_std::fields::fp::FpVar;
use ark_r1cs_std::uint8::UInt8;
use ark_r1cs_std::uint32::UInt32;
use ark_relations::gr1cs::SynthesisError;

use crate::poseidon2::FrVar;
use crate::statement::STATEMENT_BITS;

/// The program key's domain tag (`ProgramKey::TAG` in `nzero-zkvm`).
pub const PROGRAM_KEY_TAG: &[u8] = b"nexus-zero/program-vkey/v1";

/// Constraints of [`program_key_var`] on variable inputs: two SHA-256 compressions and the strict bit
/// decomposition of the Poseidon2 root (254 bits and its range check); nothing for the `u32`s and the
/// Blake2s root, whose bits the caller's `UInt32`/`UInt8` variables already are (allocating those costs
/// the caller one booleanity constraint a bit: 352).
pub const PROGRAM_KEY_CONSTRAINTS: usize = 77_581;

/// Constraints of [`public_input_var`] on variable inputs: two SHA-256 compressions (the second on the
/// constant padding block); the masked integer is a linear combination of the digest's bits. (The program
/// key's bytes come from [`program_key_var`]; allocating the digest's costs the caller 256.)
pub const PUBLIC_INPUT_CONSTRAINTS: usize = 73_758;

/// The program key as 32 byte variables, computed as `ProgramKey::from_parts` computes it natively.
///
/// `blake2s_root` must be 32 bytes. The Poseidon2 root enters as its canonical 32-byte big-endian
/// encoding: its bits are decomposed strictly (below the modulus), so a root has exactly one encoding and
/// the key is a function of the field element.
///
/// # Errors
/// [`SynthesisError::Unsatisfiable`] if `blake2s_root` is not 32 bytes; otherwise only if the
/// constraint system fails.
pub fn program_key_var(
    entry: &UInt32<Fr>,
    program_log_size: &UInt32<Fr>,
    image_log_size: &UInt32<Fr>,
    blake2s_root: &[UInt8<Fr>],
    poseidon2_root: &FrVar,
) -> Result<Vec<UInt8<Fr>>, SynthesisError> {
    if blake2s_root.len() != 32 {
        return Err(SynthesisError::Unsatisfiable);
    }
    let mut preimage: Vec<UInt8<Fr>> = PROGRAM_KEY_TAG.iter().map(|&b| UInt8::constant(b)).collect();
    for word in [entry, program_log_size, image_log_size] {
        // le32: a UInt32's bytes, least significant first (no constraint: its bits regrouped).
        preimage.extend(word.to_bytes_le()?);
    }
    preimage.extend_from_slice(blake2s_root);
    // `to_bytes_le` of an `FpVar` is the strict decomposition (bits enforced below r), little-endian and
    // padded to 32 bytes; reversed, it is `Poseidon2Hash::to_bytes_be`.
    let mut root = poseidon2_root.to_bytes_le()?;
    root.reverse();
    preimage.extend(root);
    Ok(Sha256Gadget::digest(&preimage)?.0)
}

/// The Groth16 public input `sha256(program_key ‖ digest)` masked to [`STATEMENT_BITS`] bits, read as a
/// big-endian integer, as [`crate::public_input`] computes it natively from the public values.
///
/// The result is a linear combination of the digest's bits: the caller binds it to the circuit's one
/// public input with `enforce_equal` (one constraint).
///
/// # Errors
/// [`SynthesisError::Unsatisfiable`] if either input is not 32 bytes; otherwise only if the constraint
/// system fails.
pub fn public_input_var(
    program_key: &[UInt8<Fr>],
    digest: &[UInt8<Fr>],
) -> Result<FpVar<Fr>, SynthesisError> {
    if program_key.len() != 32 || digest.len() != 32 {
        return Err(SynthesisError::Unsatisfiable);
    }
    let preimage = [program_key, digest].concat();
    let hash = Sha256Gadget::digest(&preimage)?.0;
    // Big-endian bytes: the least significant bit is bit 0 of the last byte. The top 256 - 253 bits are
    // dropped, so the integer is below 2^253 < r and the linear combination needs no range check.
    let mut bits_le: Vec<Boolean<Fr>> = Vec::with_capacity(256);
    for byte in hash.iter().rev() {
        bits_le.extend(byte.to_bits_le()?);
    }
    Boolean::le_bits_to_fp(&bits_le[..STATEMENT_BITS as usize])
}

#[cfg(test)]
mod tests {
    use ark_ff::{BigInteger, PrimeField, UniformRand};
    use ark_r1cs_std::GR1CSVar;
    use ark_r1cs_std::alloc::{AllocVar, AllocationMode};
    use ark_r1cs_std::eq::EqGadget;
    use ark_relations::gr1cs::{ConstraintSystem, ConstraintSystemRef};
    use ark_std::rand::rngs::StdRng;
    use ark_std::rand::{Rng, SeedableRng};
    use nzero_zkvm::{ProgramKey, ProgramRoots, ProgramShape};

    use super::*;
    use crate::statement::{public_input, public_values_digest};

    const MODES: [AllocationMode; 3] =
        [AllocationMode::Constant, AllocationMode::Input, AllocationMode::Witness];

    /// Bits of the program key's `u32` and byte inputs (each allocated bit costs one constraint).
    const KEY_INPUT_BITS: usize = 3 * 32 + 32 * 8;

    struct KeyInputs {
        shape: ProgramShape,
        roots: ProgramRoots,
        root: Fr,
    }

    fn random_inputs(rng: &mut StdRng) -> KeyInputs {
        let root = Fr::rand(rng);
        let mut poseidon2 = [0u8; 32];
        poseidon2.copy_from_slice(&root.into_bigint().to_bytes_be());
        KeyInputs {
            shape: ProgramShape {
                entry: rng.r#gen(),
                program_log_size: rng.r#gen(),
                image_log_size: rng.r#gen(),
            },
            roots: ProgramRoots { blake2s: rng.r#gen(), poseidon2 },
            root,
        }
    }

    fn alloc_key(
        cs: &ConstraintSystemRef<Fr>,
        inputs: &KeyInputs,
        mode: AllocationMode,
    ) -> Result<Vec<UInt8<Fr>>, SynthesisError> {
        let word = |v: u32| UInt32::new_variable(cs.clone(), || Ok(v), mode);
        let blake2s = Vec::<UInt8<Fr>>::new_variable(cs.clone(), || Ok(inputs.roots.blake2s.to_vec()), mode)?;
        let root = FrVar::new_variable(cs.clone(), || Ok(inputs.root), mode)?;
        program_key_var(
            &word(inputs.shape.entry)?,
            &word(inputs.shape.program_log_size)?,
            &word(inputs.shape.image_log_size)?,
            &blake2s,
            &root,
        )
    }

    fn bytes_value(bytes: &[UInt8<Fr>]) -> Vec<u8> {
        bytes.iter().map(|b| b.value().unwrap()).collect()
    }

    #[test]
    fn program_key_matches_native_in_every_mode() {
        let mut rng = StdRng::seed_from_u64(1);
        for round in 0..3 {
            let inputs = random_inputs(&mut rng);
            let expected = ProgramKey::from_parts(&inputs.shape, &inputs.roots).0;
            for mode in MODES {
                // Constant inputs on the first round only: they cost no constraints and take as long.
                if mode == AllocationMode::Constant && round > 0 {
                    continue;
                }
                let cs = ConstraintSystem::<Fr>::new_ref();
                let key = alloc_key(&cs, &inputs, mode).unwrap();
                assert_eq!(bytes_value(&key), expected, "{mode:?}");
                assert!(cs.is_satisfied().unwrap(), "{mode:?}");
                // Allocating 3 u32s and 32 bytes costs a booleanity constraint a bit.
                let expected_constraints = match mode {
                    AllocationMode::Constant => 0,
                    _ => PROGRAM_KEY_CONSTRAINTS + KEY_INPUT_BITS,
                };
                assert_eq!(cs.num_constraints(), expected_constraints, "{mode:?}");
            }
        }
    }

    #[test]
    fn program_key_of_extreme_roots() {
        // The largest root (r - 1) and zero: the big-endian encoding is exact at both ends.
        let mut rng = StdRng::seed_from_u64(2);
        for root in [Fr::from(0u64), -Fr::from(1u64)] {
            let mut inputs = random_inputs(&mut rng);
            inputs.root = root;
            inputs.roots.poseidon2.copy_from_slice(&root.into_bigint().to_bytes_be());
            let cs = ConstraintSystem::<Fr>::new_ref();
            let key = alloc_key(&cs, &inputs, AllocationMode::Witness).unwrap();
            assert_eq!(bytes_value(&key), ProgramKey::from_parts(&inputs.shape, &inputs.roots).0);
            assert!(cs.is_satisfied().unwrap());
        }
    }

    #[test]
    fn public_input_matches_native_in_every_mode() {
        let mut rng = StdRng::seed_from_u64(3);
        for round in 0..3 {
            let program_key: [u8; 32] = rng.r#gen();
            let public_values: Vec<u8> = (0..rng.gen_range(0..100)).map(|_| rng.r#gen()).collect();
            let digest = public_values_digest(&public_values);
            let expected = public_input(program_key, &public_values);
            for mode in MODES {
                if mode == AllocationMode::Constant && round > 0 {
                    continue;
                }
                let cs = ConstraintSystem::<Fr>::new_ref();
                let key =
                    Vec::<UInt8<Fr>>::new_variable(cs.clone(), || Ok(program_key.to_vec()), mode).unwrap();
                let digest =
                    Vec::<UInt8<Fr>>::new_variable(cs.clone(), || Ok(digest.to_vec()), mode).unwrap();
                let input = public_input_var(&key, &digest).unwrap();
                assert_eq!(input.value().unwrap(), expected, "{mode:?}");
                assert!(cs.is_satisfied().unwrap(), "{mode:?}");
                let expected_constraints = match mode {
                    AllocationMode::Constant => 0,
                    _ => PUBLIC_INPUT_CONSTRAINTS + 2 * 256,
                };
                assert_eq!(cs.num_constraints(), expected_constraints, "{mode:?}");
            }
        }
    }

    /// The whole statement, as the verifier circuit will bind it: key inputs and digest as witnesses, the
    /// one public input allocated and enforced equal.
    fn statement_system(inputs: &KeyInputs, digest: [u8; 32], claimed: Fr) -> ConstraintSystemRef<Fr> {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let claimed = FrVar::new_input(cs.clone(), || Ok(claimed)).unwrap();
        let key = alloc_key(&cs, inputs, AllocationMode::Witness).unwrap();
        let digest = UInt8::new_witness_vec(cs.clone(), &digest).unwrap();
        public_input_var(&key, &digest).unwrap().enforce_equal(&claimed).unwrap();
        cs
    }

    #[test]
    fn wrong_statement_is_unsatisfied() {
        let mut rng = StdRng::seed_from_u64(4);
        let inputs = random_inputs(&mut rng);
        let program_key = ProgramKey::from_parts(&inputs.shape, &inputs.roots).0;
        let digest = public_values_digest(b"values");
        let right = public_input(program_key, b"values");
        let cs = statement_system(&inputs, digest, right);
        assert!(cs.is_satisfied().unwrap());
        // The key's inputs and the digest allocated, both gadgets, the binding equality.
        assert_eq!(
            cs.num_constraints(),
            KEY_INPUT_BITS + PROGRAM_KEY_CONSTRAINTS + 256 + PUBLIC_INPUT_CONSTRAINTS + 1
        );

        // Another public input, another digest, another key input: each is unsatisfied.
        assert!(!statement_system(&inputs, digest, right + Fr::from(1u64)).is_satisfied().unwrap());
        assert!(!statement_system(&inputs, public_values_digest(b"valuet"), right).is_satisfied().unwrap());
        let mut other = random_inputs(&mut rng);
        other.shape = inputs.shape;
        other.roots.blake2s = inputs.roots.blake2s;
        assert!(!statement_system(&other, digest, right).is_satisfied().unwrap());
        let mut other_entry = random_inputs(&mut rng);
        other_entry.roots = inputs.roots;
        other_entry.root = inputs.root;
        other_entry.shape = ProgramShape { entry: inputs.shape.entry ^ 4, ..inputs.shape };
        assert!(!statement_system(&other_entry, digest, right).is_satisfied().unwrap());
    }

    #[test]
    fn wrong_lengths_are_errors() {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let short = UInt8::new_witness_vec(cs.clone(), &[0u8; 31]).unwrap();
        let full = UInt8::new_witness_vec(cs.clone(), &[0u8; 32]).unwrap();
        assert!(matches!(public_input_var(&short, &full), Err(SynthesisError::Unsatisfiable)));
        assert!(matches!(public_input_var(&full, &short), Err(SynthesisError::Unsatisfiable)));
        let word = UInt32::new_witness(cs.clone(), || Ok(0)).unwrap();
        let root = FrVar::new_witness(cs.clone(), || Ok(Fr::from(0u64))).unwrap();
        assert!(matches!(
            program_key_var(&word, &word, &word, &short, &root),
            Err(SynthesisError::Unsatisfiable)
        ));
    }
}
