//! Setup, key files, proving and verification on small circuits.

use std::path::Path;
use std::sync::OnceLock;

use ark_bn254::{Bn254, Fr, G1Affine, G2Affine};
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{BigInteger, PrimeField};
use ark_groth16::{Groth16, Proof, ProvingKey, VerifyingKey};
use ark_r1cs_std::alloc::AllocVar;
use ark_r1cs_std::eq::EqGadget;
use ark_r1cs_std::uint8::UInt8;
use ark_r1cs_std::uint32::UInt32;
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use ark_serialize::CanonicalSerialize;
use ark_std::rand::SeedableRng;
use ark_std::rand::rngs::StdRng;
use nzero_zkvm::{ProgramKey, ProgramRoots, ProgramShape};
use sha2::Digest as _;

use super::*;
use crate::circuit::{program_key_var, public_input_var};
use crate::evm::encoding::{encode_proof, selector};
use crate::evm::error::{EvmError, ProofPoint};
use crate::evm::verify::verify_encoded_proof;
use crate::poseidon2::{FrVar, permute_var};
use crate::statement::{public_input, public_values_digest};

/// The statement of a made-up program run: a Poseidon2 root computed by `permutations` permutations of a
/// seed (so the circuit has some Poseidon2 in it), a program key over it, and the public input over the key
/// and the public values' digest.
#[derive(Clone)]
struct StatementCircuit {
    seed: Fr,
    permutations: usize,
    shape: ProgramShape,
    blake2s: [u8; 32],
    public_values: Vec<u8>,
}

impl StatementCircuit {
    fn new(seed: u64, public_values: &[u8]) -> Self {
        Self {
            seed: Fr::from(seed),
            permutations: 3,
            shape: ProgramShape { entry: 0x1000, program_log_size: 10, image_log_size: 12 },
            blake2s: [7; 32],
            public_values: public_values.to_vec(),
        }
    }

    fn poseidon2_root(&self) -> Fr {
        let mut state = [self.seed, Fr::from(0u64), Fr::from(0u64)];
        (0..self.permutations).for_each(|_| nzero_poseidon2::permute(&mut state));
        state[0]
    }

    fn program_key(&self) -> [u8; 32] {
        let mut poseidon2 = [0u8; 32];
        poseidon2.copy_from_slice(&self.poseidon2_root().into_bigint().to_bytes_be());
        ProgramKey::from_parts(&self.shape, &ProgramRoots { blake2s: self.blake2s, poseidon2 }).0
    }

    fn public_input(&self) -> Fr {
        public_input(self.program_key(), &self.public_values)
    }
}

impl ConstraintSynthesizer<Fr> for StatementCircuit {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let input = FrVar::new_input(cs.clone(), || Ok(self.public_input()))?;
        let mut state = [
            FrVar::new_witness(cs.clone(), || Ok(self.seed))?,
            FrVar::new_witness(cs.clone(), || Ok(Fr::from(0u64)))?,
            FrVar::new_witness(cs.clone(), || Ok(Fr::from(0u64)))?,
        ];
        for _ in 0..self.permutations {
            permute_var(&mut state)?;
        }
        let word = |v: u32| UInt32::new_witness(cs.clone(), || Ok(v));
        let blake2s = Vec::<UInt8<Fr>>::new_witness(cs.clone(), || Ok(self.blake2s.to_vec()))?;
        let key = program_key_var(
            &word(self.shape.entry)?,
            &word(self.shape.program_log_size)?,
            &word(self.shape.image_log_size)?,
            &blake2s,
            &state[0],
        )?;
        let digest = UInt8::new_witness_vec(cs.clone(), &public_values_digest(&self.public_values))?;
        public_input_var(&key, &digest)?.enforce_equal(&input)
    }
}

/// A small circuit of another shape: `x` public, `permute([w, 0, 0])[0] == x` for a witness `w`.
#[derive(Clone)]
struct PermutationCircuit {
    w: Fr,
    x: Fr,
}

impl PermutationCircuit {
    fn new(w: u64) -> Self {
        let mut state = [Fr::from(w), Fr::from(0u64), Fr::from(0u64)];
        nzero_poseidon2::permute(&mut state);
        Self { w: Fr::from(w), x: state[0] }
    }
}

impl ConstraintSynthesizer<Fr> for PermutationCircuit {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let x = FrVar::new_input(cs.clone(), || Ok(self.x))?;
        let mut state = [
            FrVar::new_witness(cs.clone(), || Ok(self.w))?,
            FrVar::new_witness(cs.clone(), || Ok(Fr::from(0u64)))?,
            FrVar::new_witness(cs.clone(), || Ok(Fr::from(0u64)))?,
        ];
        permute_var(&mut state)?;
        state[0].enforce_equal(&x)
    }
}

const STATEMENT_ID: &str = "class-test";
const STATEMENT_DIGEST: CircuitDigest = [0x5a; 32];
const PERMUTATION_ID: &str = "permutation-test";
const PERMUTATION_DIGEST: CircuitDigest = [0xa5; 32];

fn rng(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}

/// The statement circuit's keys, set up once, written and read back: every test proves with keys that
/// went through the files.
fn statement_keys() -> &'static (tempfile::TempDir, Keys) {
    static KEYS: OnceLock<(tempfile::TempDir, Keys)> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut stages = Vec::new();
        let keys =
            setup_with_progress(StatementCircuit::new(1, b""), &mut rng(1), &mut |s| stages.push(s)).unwrap();
        assert_eq!(
            stages,
            [Stage::Synthesize, Stage::Matrices, Stage::InstanceMap, Stage::KeyGeneration],
            "setup reports its stages in order"
        );
        let dir = tempfile::tempdir().unwrap();
        let paths = write_keys(dir.path(), STATEMENT_ID, &STATEMENT_DIGEST, &keys).unwrap();
        let names = paths.map(|p| p.file_name().unwrap().to_string_lossy().into_owned());
        assert_eq!(names, ["class-test.r1cs", "class-test.pk", "class-test.vk"]);
        let loaded = read_keys(dir.path(), STATEMENT_ID, &STATEMENT_DIGEST).unwrap();
        assert_eq!(loaded, keys);
        let vk: VerifyingKey<Bn254> = read_key(dir.path(), STATEMENT_ID, &STATEMENT_DIGEST).unwrap();
        assert_eq!(&vk, keys.verifying_key());
        (dir, loaded)
    })
}

/// A proof of the statement circuit for `public_values`, with its circuit.
fn statement_proof(public_values: &[u8]) -> (StatementCircuit, Proof<Bn254>) {
    let (_, keys) = statement_keys();
    let circuit = StatementCircuit::new(1, public_values);
    let proof = prove(keys, circuit.clone(), &mut rng(2)).unwrap();
    (circuit, proof)
}

fn permutation_keys() -> &'static (tempfile::TempDir, Keys) {
    static KEYS: OnceLock<(tempfile::TempDir, Keys)> = OnceLock::new();
    KEYS.get_or_init(|| {
        let keys = setup(PermutationCircuit::new(0), &mut rng(3)).unwrap();
        let dir = tempfile::tempdir().unwrap();
        write_keys(dir.path(), PERMUTATION_ID, &PERMUTATION_DIGEST, &keys).unwrap();
        (dir, keys)
    })
}

#[test]
fn groth16_setup_prove_verify_through_key_files() {
    let (_, keys) = statement_keys();
    assert_eq!(keys.matrices.num_instance_variables, 2);
    let mut stages = Vec::new();
    let circuit = StatementCircuit::new(1, b"hello");
    let proof = prove_with_progress(keys, circuit.clone(), &mut rng(4), &mut |s| stages.push(s)).unwrap();
    assert_eq!(stages, [Stage::Synthesize, Stage::WitnessMap, Stage::Msm, Stage::SelfCheck]);
    verify(keys.verifying_key(), circuit.public_input(), &proof).unwrap();
    // arkworks' own verifier agrees, and so does its prover (plain, re-synthesizing the matrices).
    let pvk = ark_groth16::prepare_verifying_key(keys.verifying_key());
    assert!(Groth16::<Bn254>::verify_proof(&pvk, &proof, &[circuit.public_input()]).unwrap());
    let plain =
        Groth16::<Bn254>::create_random_proof_with_reduction(circuit.clone(), &keys.proving_key, &mut rng(5))
            .unwrap();
    verify(keys.verifying_key(), circuit.public_input(), &plain).unwrap();
}

#[test]
fn groth16_proofs_pass_the_evm_verifier() {
    let (_, keys) = statement_keys();
    let (circuit, proof) = statement_proof(b"evm");
    let vk = keys.verifying_key();
    let encoded = encode_proof(selector(vk).unwrap(), &proof);
    verify_encoded_proof(vk, circuit.program_key(), b"evm", &encoded).unwrap();
    assert_eq!(
        verify_encoded_proof(vk, circuit.program_key(), b"evn", &encoded),
        Err(EvmError::ProofInvalid)
    );
    let mut other_key = circuit.program_key();
    other_key[0] ^= 1;
    assert_eq!(verify_encoded_proof(vk, other_key, b"evm", &encoded), Err(EvmError::ProofInvalid));
    // The generated Solidity verifier embeds this key.
    let source = crate::evm::solidity::solidity_verifier(vk, "NexusVerifierClassTest").unwrap();
    assert!(source.contains(&format!("0x{}", hex::encode(selector(vk).unwrap()))));
}

#[test]
fn groth16_tampered_proofs_and_inputs_are_rejected() {
    let (_, keys) = statement_keys();
    let (circuit, proof) = statement_proof(b"tamper");
    let vk = keys.verifying_key();
    let input = circuit.public_input();
    verify(vk, input, &proof).unwrap();

    // Another valid group element in each position.
    let g1 = |p: G1Affine| (p + G1Affine::generator()).into_affine();
    let g2 = |p: G2Affine| (p + G2Affine::generator()).into_affine();
    let tampered = [
        Proof { a: g1(proof.a), ..proof },
        Proof { b: g2(proof.b), ..proof },
        Proof { c: g1(proof.c), ..proof },
    ];
    for bad in &tampered {
        assert!(matches!(verify(vk, input, bad), Err(Groth16Error::ProofInvalid)));
    }
    // Malformed points: the identity, a point off the curve.
    let zero = [
        (ProofPoint::A, Proof { a: G1Affine::zero(), ..proof }),
        (ProofPoint::B, Proof { b: G2Affine::zero(), ..proof }),
        (ProofPoint::C, Proof { c: G1Affine::new_unchecked(proof.c.x, proof.c.x), ..proof }),
    ];
    for (point, bad) in &zero {
        assert!(
            matches!(verify(vk, input, bad), Err(Groth16Error::InvalidProofPoint { point: p }) if p == *point),
            "{point}"
        );
    }
    // Another public input: the next integer, and the input of other public values.
    assert!(matches!(verify(vk, input + Fr::from(1u64), &proof), Err(Groth16Error::ProofInvalid)));
    let other = StatementCircuit::new(1, b"tampes").public_input();
    assert!(matches!(verify(vk, other, &proof), Err(Groth16Error::ProofInvalid)));
}

#[test]
fn groth16_another_circuits_key_is_rejected() {
    let (_, statement) = statement_keys();
    let (_, permutation) = permutation_keys();
    let (circuit, proof) = statement_proof(b"cross");
    // A key of the same shape (one public input) from another circuit and setup.
    assert!(matches!(
        verify(permutation.verifying_key(), circuit.public_input(), &proof),
        Err(Groth16Error::ProofInvalid)
    ));
    let small = PermutationCircuit::new(9);
    let small_proof = prove(permutation, small.clone(), &mut rng(6)).unwrap();
    verify(permutation.verifying_key(), small.x, &small_proof).unwrap();
    assert!(matches!(
        verify(statement.verifying_key(), small.x, &small_proof),
        Err(Groth16Error::ProofInvalid)
    ));
    // Proving one circuit with the other's keys: a witness of another shape.
    assert!(matches!(
        prove(permutation, circuit.clone(), &mut rng(7)),
        Err(Groth16Error::WitnessShape { expected_instance: 2, found_instance: 2, .. })
    ));
    // Matrices of one setup with the proving key of another setup of the same circuit.
    let other_setup = setup(PermutationCircuit::new(0), &mut rng(8)).unwrap();
    let mixed = Keys { proving_key: other_setup.proving_key, matrices: permutation.matrices.clone() };
    prove(&mixed, small.clone(), &mut rng(9)).unwrap();
    let mixed = Keys { proving_key: statement.proving_key.clone(), matrices: statement.matrices.clone() };
    prove(&mixed, circuit, &mut rng(10)).unwrap();
}

#[test]
fn groth16_unsatisfied_witness_is_a_named_error() {
    let (_, keys) = permutation_keys();
    let wrong =
        PermutationCircuit { x: PermutationCircuit::new(9).x + Fr::from(1u64), ..PermutationCircuit::new(9) };
    assert!(matches!(prove(keys, wrong, &mut rng(11)), Err(Groth16Error::Unsatisfied { .. })));
}

#[test]
fn groth16_os_randomness_sets_up_and_proves() {
    let keys = setup(PermutationCircuit::new(0), &mut OsRng).unwrap();
    let circuit = PermutationCircuit::new(3);
    let proof = prove(&keys, circuit.clone(), &mut OsRng).unwrap();
    verify(keys.verifying_key(), circuit.x, &proof).unwrap();
    // Fresh randomness: another setup, another key.
    assert_ne!(setup(PermutationCircuit::new(0), &mut OsRng).unwrap().proving_key, keys.proving_key);
}

#[test]
fn groth16_key_for_more_inputs_is_refused() {
    let (_, keys) = permutation_keys();
    let mut vk = keys.verifying_key().clone();
    vk.gamma_abc_g1.push(G1Affine::generator());
    let proof = prove(keys, PermutationCircuit::new(1), &mut rng(12)).unwrap();
    assert!(matches!(verify(&vk, Fr::from(0u64), &proof), Err(Groth16Error::PublicInputCount { found: 2 })));
}

fn pk_path(dir: &Path) -> std::path::PathBuf {
    key_path(dir, PERMUTATION_ID, KeyKind::ProvingKey).unwrap()
}

/// A copy of the permutation circuit's key files in a fresh directory, to damage.
fn fresh_key_dir() -> tempfile::TempDir {
    let (_, keys) = permutation_keys();
    let dir = tempfile::tempdir().unwrap();
    write_keys(dir.path(), PERMUTATION_ID, &PERMUTATION_DIGEST, keys).unwrap();
    dir
}

fn read_pk(dir: &Path) -> Result<ProvingKey<Bn254>, KeyFileError> {
    read_key(dir, PERMUTATION_ID, &PERMUTATION_DIGEST)
}

fn header_len() -> usize {
    8 + 4 + 4 + 4 + PERMUTATION_ID.len() + 32 + 8 + 32
}

#[test]
fn groth16_key_files_round_trip_every_kind() {
    let (dir, keys) = permutation_keys();
    let pk: ProvingKey<Bn254> = read_key(dir.path(), PERMUTATION_ID, &PERMUTATION_DIGEST).unwrap();
    let vk: VerifyingKey<Bn254> = read_key(dir.path(), PERMUTATION_ID, &PERMUTATION_DIGEST).unwrap();
    let matrices: ConstraintMatrices = read_key(dir.path(), PERMUTATION_ID, &PERMUTATION_DIGEST).unwrap();
    assert_eq!((&pk, &vk, &matrices), (&keys.proving_key, keys.verifying_key(), &keys.matrices));
    let bytes = std::fs::read(pk_path(dir.path())).unwrap();
    assert_eq!(bytes[..8], KEY_FILE_MAGIC);
    assert_eq!(bytes.len(), header_len() + keys.proving_key.uncompressed_size());
    // No temporary file is left behind.
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 3, "{names:?}");
}

#[test]
fn groth16_corrupt_key_files_give_named_errors() {
    let dir = fresh_key_dir();
    let path = pk_path(dir.path());
    let good = std::fs::read(&path).unwrap();
    let header = header_len();
    let write = |bytes: &[u8]| std::fs::write(&path, bytes).unwrap();

    // A flipped body byte (first, middle, last): the hash catches it.
    for at in [header, (header + good.len()) / 2, good.len() - 1] {
        let mut bad = good.clone();
        bad[at] ^= 0x40;
        write(&bad);
        assert!(matches!(read_pk(dir.path()), Err(KeyFileError::HashMismatch { .. })), "byte {at}");
    }
    // A flipped hash byte.
    let mut bad = good.clone();
    bad[header - 1] ^= 1;
    write(&bad);
    assert!(matches!(read_pk(dir.path()), Err(KeyFileError::HashMismatch { .. })));
    // Truncated anywhere: in the header, in the body; an empty file.
    for len in [0, 5, 20, header - 1, header, good.len() - 1] {
        write(&good[..len]);
        assert!(matches!(read_pk(dir.path()), Err(KeyFileError::Truncated { .. })), "length {len}");
    }
    let mut long = good.clone();
    long.push(0);
    write(&long);
    assert!(matches!(read_pk(dir.path()), Err(KeyFileError::TrailingBytes { extra: 1, .. })));
    // Magic, version.
    let mut bad = good.clone();
    bad[0] = b'X';
    write(&bad);
    assert!(matches!(read_pk(dir.path()), Err(KeyFileError::BadMagic { .. })));
    let mut bad = good.clone();
    bad[8..12].copy_from_slice(&2u32.to_le_bytes());
    write(&bad);
    assert!(matches!(read_pk(dir.path()), Err(KeyFileError::UnsupportedVersion { found: 2, .. })));
    // A header id length past the limit.
    let mut bad = good.clone();
    bad[16..20].copy_from_slice(&u32::MAX.to_le_bytes());
    write(&bad);
    assert!(matches!(read_pk(dir.path()), Err(KeyFileError::WrongCircuit { .. })));
    // A body that hashes right but is not a proving key: a verifying key's body under a pk header.
    let vk_file =
        std::fs::read(key_path(dir.path(), PERMUTATION_ID, KeyKind::VerifyingKey).unwrap()).unwrap();
    let mut bad = good[..header].to_vec();
    let vk_body = &vk_file[header..];
    bad[header - 40..header - 32].copy_from_slice(&(vk_body.len() as u64).to_le_bytes());
    bad[header - 32..header].copy_from_slice(&sha2::Sha256::digest(vk_body));
    bad.extend_from_slice(vk_body);
    write(&bad);
    assert!(matches!(read_pk(dir.path()), Err(KeyFileError::Deserialize { .. })));
    // Matrices with a valid hash that index past the assignment: refused, not used.
    let (_, keys) = permutation_keys();
    let mut malformed = keys.matrices.clone();
    malformed.point_past_the_variables();
    write_key(dir.path(), PERMUTATION_ID, &PERMUTATION_DIGEST, &malformed).unwrap();
    assert!(matches!(
        read_key::<ConstraintMatrices>(dir.path(), PERMUTATION_ID, &PERMUTATION_DIGEST),
        Err(KeyFileError::Deserialize { .. })
    ));
    // A missing file is I/O, with its path.
    std::fs::remove_file(&path).unwrap();
    match read_pk(dir.path()) {
        Err(KeyFileError::Io { path: p, .. }) => assert_eq!(p, path),
        other => panic!("{other:?}"),
    }
}

#[test]
fn groth16_wrong_kind_and_wrong_circuit_are_named() {
    let dir = fresh_key_dir();
    // A verifying key file renamed to the proving key's name.
    let vk_path = key_path(dir.path(), PERMUTATION_ID, KeyKind::VerifyingKey).unwrap();
    std::fs::copy(&vk_path, pk_path(dir.path())).unwrap();
    assert!(matches!(
        read_pk(dir.path()),
        Err(KeyFileError::WrongKind { expected: KeyKind::ProvingKey, found: 2, .. })
    ));
    // The same circuit id with another digest, and another id (a file copied under another name).
    let other = [1u8; 32];
    match read_key::<VerifyingKey<Bn254>>(dir.path(), PERMUTATION_ID, &other) {
        Err(KeyFileError::WrongCircuit { expected, found, .. }) => {
            assert_eq!((expected.digest, found.digest), (other, PERMUTATION_DIGEST));
            assert_eq!((expected.id.as_str(), found.id.as_str()), (PERMUTATION_ID, PERMUTATION_ID));
        }
        other => panic!("{other:?}"),
    }
    std::fs::copy(&vk_path, key_path(dir.path(), "class-16", KeyKind::VerifyingKey).unwrap()).unwrap();
    match read_key::<VerifyingKey<Bn254>>(dir.path(), "class-16", &PERMUTATION_DIGEST) {
        Err(KeyFileError::WrongCircuit { expected, found, .. }) => {
            assert_eq!((expected.id.as_str(), found.id.as_str()), ("class-16", PERMUTATION_ID));
        }
        other => panic!("{other:?}"),
    }
    // Ids name files: no separators, no hidden files.
    for id in ["", ".hidden", "a/b", "../up", &"x".repeat(65)] {
        assert!(matches!(
            key_path(dir.path(), id, KeyKind::VerifyingKey),
            Err(KeyFileError::InvalidCircuitId(_))
        ));
    }
}

#[test]
fn groth16_keys_dir_follows_the_environment() {
    // (Setting variables needs `unsafe` in this edition: the test reads the environment it is given.)
    match std::env::var_os("NZERO_KEYS_DIR") {
        Some(dir) => assert_eq!(keys_dir().unwrap(), std::path::PathBuf::from(dir)),
        None if std::env::var_os("HOME").is_some() || std::env::var_os("XDG_CACHE_HOME").is_some() => {
            let path = keys_dir().unwrap();
            assert!(path.ends_with("nexus-zero/keys"), "{path:?}");
        }
        None => assert!(matches!(keys_dir(), Err(KeyFileError::NoKeysDir))),
    }
}
