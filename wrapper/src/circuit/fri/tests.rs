use ark_r1cs_std::GR1CSVar;
use ark_relations::gr1cs::{ConstraintSystem, SynthesisMode};
use nzero_poseidon2::Poseidon2Hash;
use stwo::core::fri::{CirclePolyDegreeBound, FriVerifier};
use stwo::core::queries::{Queries, draw_queries};
use stwo::prover::backend::CpuBackend;
use stwo::prover::backend::cpu::CpuCirclePoly;
use stwo::prover::fri::FriProver;
use stwo::prover::poly::BitReversedOrder;
use stwo::prover::poly::circle::{PolyOps, SecureEvaluation};

use super::*;
use crate::circuit::fields::tests::Rng;

type Evaluation = SecureEvaluation<CpuBackend, BitReversedOrder>;

/// A random QM31 polynomial of degree below `2^log_degree`, evaluated with blowup `2^log_blowup`.
fn evaluation(rng: &mut Rng, log_degree: u32, log_blowup: u32) -> Evaluation {
    let domain = CanonicCoset::new(log_degree + log_blowup).circle_domain();
    let coordinates = [0; SECURE_EXTENSION_DEGREE].map(|_| {
        CpuCirclePoly::new((0..1 << log_degree).map(|_| rng.m31()).collect()).evaluate(domain).values
    });
    let values = (0..domain.size())
        .map(|i| SecureField::from_m31_array(std::array::from_fn(|c| coordinates[c][i])))
        .collect();
    SecureEvaluation::new(domain, values)
}

/// A FRI proof from Stwo's prover, accepted by Stwo's verifier, and the circuit's witness of it.
struct Fixture {
    shape: FriShape,
    proof: FriProof<Poseidon2MerkleHasher>,
    raw_queries: Vec<usize>,
    /// The first layer's values at the distinct sorted queries.
    sorted_values: Vec<SecureField>,
    /// The first layer's values at the raw queries.
    raw_values: Vec<SecureField>,
    witness: FriWitness,
}

fn config(log_blowup: u32, fold_step: u32, log_last: u32) -> FriConfig {
    FriConfig::new(log_last, log_blowup, 9, fold_step)
}

fn fixture(seed: u64, log_degree: u32, config: FriConfig) -> Fixture {
    let column = evaluation(&mut Rng::new(seed), log_degree, config.log_blowup_factor);
    let twiddles = CpuBackend::precompute_twiddles(column.domain.half_coset);
    let mut channel = Poseidon2Channel::default();
    let prover =
        FriProver::<CpuBackend, Poseidon2MerkleChannel>::commit(&mut channel, config, &column, &twiddles);
    let result = prover.decommit(&mut channel);
    let proof = result.fri_proof.proof;
    let sorted_values = result.query_positions.iter().map(|&p| column.values.at(p)).collect_vec();

    let mut channel = Poseidon2Channel::default();
    let bound = CirclePolyDegreeBound::new(log_degree);
    let mut verifier =
        FriVerifier::<Poseidon2MerkleChannel>::commit(&mut channel, config, proof.clone(), bound)
            .expect("Stwo accepts the commitment");
    assert_eq!(verifier.sample_query_positions(&mut channel), result.query_positions);
    verifier.decommit(sorted_values.clone()).expect("Stwo accepts the proof");

    let shape = FriShape::new(config, log_degree).unwrap();
    assert_eq!(shape.inner_layers().len(), proof.inner_layers.len());
    let raw_queries = result.unsorted_query_locations;
    let witness = FriCommitment::new(&mut Poseidon2Channel::default(), &shape, proof.clone())
        .unwrap()
        .witness(&raw_queries, &sorted_values)
        .unwrap();
    let raw_values = raw_queries.iter().map(|&q| column.values.at(q)).collect();
    Fixture { shape, proof, raw_queries, sorted_values, raw_values, witness }
}

/// Builds the verifier circuit for `witness`, with the raw queries' first-layer values `values`; returns
/// whether it is satisfied.
fn satisfied(f: &Fixture, witness: &FriWitness, values: &[SecureField]) -> bool {
    let cs = ConstraintSystem::<Fr>::new_ref();
    let proof = FriProofVar::new_witness(cs.clone(), &f.shape, Some(witness)).unwrap();
    let mut channel = Poseidon2ChannelVar::default();
    let verifier = FriVerifierVar::commit(&mut channel, &f.shape, proof).unwrap();
    let queries = verifier.draw_queries(&mut channel).unwrap();
    for (index, (bits, value)) in queries.iter().zip(values).enumerate() {
        let value = QM31Var::new_witness(cs.clone(), || Ok(*value)).unwrap();
        verifier.verify_query(index, bits, &value).unwrap();
    }
    cs.is_satisfied().unwrap()
}

fn bits_value(bits: &[Boolean<Fr>]) -> usize {
    bits.iter().rev().fold(0, |acc, b| (acc << 1) | usize::from(b.value().unwrap()))
}

#[test]
fn line_domain_points_are_circle_points_at_twice_the_position() {
    for log_size in 1..=6 {
        let domain = LineDomain::new(Coset::half_odds(log_size));
        for s in 0..1usize << log_size {
            let position = 2 * s;
            let bits = (0..=log_size).map(|i| Boolean::constant(position >> i & 1 == 1)).collect_vec();
            let point = domain_point_at_bitrev(&bits, log_size + 1).unwrap().value().unwrap();
            assert_eq!(point.x, domain.at(bit_reverse_index(s, log_size)), "log size {log_size}, {s}");
            // The same point as the line coset's, which the folds' offsets rely on.
            assert_eq!(point, domain.coset().at(bit_reverse_index(s, log_size)));
        }
    }
}

#[test]
fn draws_the_queries_stwo_draws() {
    let f = fixture(1, 4, config(1, 1, 0));
    let cs = ConstraintSystem::<Fr>::new_ref();
    let proof = FriProofVar::new_witness(cs.clone(), &f.shape, Some(&f.witness)).unwrap();
    let mut channel = Poseidon2ChannelVar::default();
    let verifier = FriVerifierVar::commit(&mut channel, &f.shape, proof).unwrap();
    let queries = verifier.draw_queries(&mut channel).unwrap();
    assert_eq!(queries.iter().map(|q| bits_value(q)).collect_vec(), f.raw_queries);

    let mut native = Poseidon2Channel::default();
    FriCommitment::new(&mut native, &f.shape, f.proof.clone()).unwrap();
    assert_eq!(channel.digest().value().unwrap(), native.digest());
    assert_eq!(draw_queries(&mut native, f.shape.first_layer().log_size, 9), f.raw_queries);
}

/// Stwo's valid proofs satisfy the circuit, for each fold step, two sizes each, with and without inner
/// layers folding by less than the fold step.
#[test]
fn valid_proofs_satisfy_the_circuit() {
    for (seed, log_degree, config) in [
        (1, 4, config(1, 1, 0)),
        (2, 6, config(2, 1, 1)),
        (3, 5, config(1, 2, 0)),
        (4, 7, config(2, 2, 1)),
        (5, 6, config(1, 3, 0)),
        (6, 8, config(2, 3, 2)),
    ] {
        let f = fixture(seed, log_degree, config);
        assert!(satisfied(&f, &f.witness, &f.raw_values), "{config:?}, log degree {log_degree}");
    }
}

/// Every layer of a raw query, mutated one kind at a time, leaves the circuit unsatisfied.
#[test]
fn a_changed_root_leaves_it_unsatisfied() {
    for config in [config(1, 1, 0), config(1, 3, 0)] {
        let f = fixture(7, 6, config);
        let mut bad = f.witness.clone();
        bad.first_root += Fr::from(1u64);
        assert!(!satisfied(&f, &bad, &f.raw_values), "first root, {config:?}");
        for i in 0..bad.inner_roots.len() {
            let mut bad = f.witness.clone();
            bad.inner_roots[i] += Fr::from(1u64);
            assert!(!satisfied(&f, &bad, &f.raw_values), "inner root {i}, {config:?}");
        }
    }
}

#[test]
fn a_changed_first_layer_value_leaves_it_unsatisfied() {
    for config in [config(1, 1, 0), config(1, 3, 0)] {
        let f = fixture(8, 6, config);
        for q in [0, 4] {
            let mut values = f.raw_values.clone();
            values[q] += SecureField::from_u32_unchecked(0, 0, 1, 0);
            assert!(!satisfied(&f, &f.witness, &values), "query {q}, {config:?}");
        }
    }
}

#[test]
fn a_changed_fold_partner_leaves_it_unsatisfied() {
    for config in [config(1, 1, 0), config(1, 2, 0)] {
        let f = fixture(9, 6, config);
        // In the proof: the first fri witness value of each layer, rebuilt into the witness.
        for layer in 0..=f.proof.inner_layers.len() {
            let mut proof = f.proof.clone();
            let layer_proof =
                if layer == 0 { &mut proof.first_layer } else { &mut proof.inner_layers[layer - 1] };
            let Some(value) = layer_proof.fri_witness.first_mut() else { continue };
            *value += SecureField::from_u32_unchecked(1, 0, 0, 0);
            let witness = FriCommitment::new(&mut Poseidon2Channel::default(), &f.shape, proof)
                .unwrap()
                .witness(&f.raw_queries, &f.sorted_values)
                .unwrap();
            assert!(!satisfied(&f, &witness, &f.raw_values), "layer {layer}, {config:?}");
        }
        // In the witness: a subset entry of one query in each layer.
        for layer in 0..f.witness.queries[0].len() {
            for entry in 0..1 << config.fold_step {
                let mut bad = f.witness.clone();
                bad.queries[2][layer].subset[entry] += SecureField::from_u32_unchecked(0, 1, 0, 0);
                assert!(!satisfied(&f, &bad, &f.raw_values), "layer {layer} entry {entry}, {config:?}");
            }
        }
    }
}

#[test]
fn a_changed_merkle_sibling_leaves_it_unsatisfied() {
    for config in [config(1, 1, 0), config(1, 3, 0)] {
        let f = fixture(10, 6, config);
        for (layer, witness) in f.witness.queries[1].iter().enumerate() {
            for level in 0..witness.siblings.len() {
                let mut bad = f.witness.clone();
                bad.queries[1][layer].siblings[level] += Fr::from(1u64);
                assert!(!satisfied(&f, &bad, &f.raw_values), "layer {layer} level {level}, {config:?}");
            }
        }
    }
}

#[test]
fn a_changed_last_layer_coefficient_leaves_it_unsatisfied() {
    let f = fixture(11, 6, config(1, 1, 1));
    for i in 0..f.witness.last_layer_poly.len() {
        let mut bad = f.witness.clone();
        bad.last_layer_poly[i] += SecureField::from_u32_unchecked(0, 0, 0, 1);
        assert!(!satisfied(&f, &bad, &f.raw_values), "coefficient {i}");
    }
}

/// A proof folded with other alphas (the prover's transcript out of sync with the verifier's), opened at
/// the verifier's queries: every Merkle opening holds, only the folds fail.
#[test]
fn folds_by_alphas_out_of_sync_leave_it_unsatisfied() {
    for config in [config(1, 1, 0), config(1, 3, 0)] {
        let log_degree = 6;
        let column = evaluation(&mut Rng::new(12), log_degree, config.log_blowup_factor);
        let twiddles = CpuBackend::precompute_twiddles(column.domain.half_coset);
        // A prover whose transcript has one more mix than the verifier's.
        let decommit = |queries: &Queries| {
            let mut prover_channel = Poseidon2Channel::default();
            prover_channel.mix_u64(1);
            FriProver::<CpuBackend, Poseidon2MerkleChannel>::commit(
                &mut prover_channel,
                config,
                &column,
                &twiddles,
            )
            .decommit_on_queries(queries)
            .proof
        };

        let shape = FriShape::new(config, log_degree).unwrap();
        let log_size = shape.first_layer().log_size;
        let mut channel = Poseidon2Channel::default();
        // The roots are the prover's; the verifier's transcript draws its own alphas and queries.
        FriCommitment::new(&mut channel, &shape, decommit(&Queries::new(&[0], log_size))).unwrap();
        let raw_queries = draw_queries(&mut channel, log_size, config.n_queries);
        let queries = Queries::new(&raw_queries, log_size);
        let proof = decommit(&queries);
        let sorted_values = queries.iter().map(|&p| column.values.at(p)).collect_vec();
        let witness = FriCommitment::new(&mut Poseidon2Channel::default(), &shape, proof.clone())
            .unwrap()
            .witness(&raw_queries, &sorted_values)
            .unwrap();
        let raw_values = raw_queries.iter().map(|&q| column.values.at(q)).collect_vec();
        let f = Fixture { shape, proof, raw_queries, sorted_values, raw_values, witness };
        assert!(!satisfied(&f, &f.witness, &f.raw_values), "{config:?}");
    }
}

#[test]
fn malformed_proofs_are_named_errors() {
    let f = fixture(13, 6, config(1, 2, 0));
    let commit = |proof: FriProof<Poseidon2MerkleHasher>| {
        FriCommitment::new(&mut Poseidon2Channel::default(), &f.shape, proof)
    };
    let witness = |proof: FriProof<Poseidon2MerkleHasher>| {
        commit(proof).unwrap().witness(&f.raw_queries, &f.sorted_values)
    };

    let mut proof = f.proof.clone();
    proof.inner_layers.pop();
    let n_inner = f.shape.inner_layers().len();
    assert_eq!(commit(proof).err(), Some(FriError::LayerCount { expected: n_inner, got: n_inner - 1 }));

    let mut proof = f.proof.clone();
    proof.last_layer_poly = stwo::core::poly::line::LinePoly::new(vec![SecureField::from(1); 2]);
    assert_eq!(commit(proof).err(), Some(FriError::LastLayerLength { expected: 1, got: 2 }));

    let mut proof = f.proof.clone();
    proof.first_layer.fri_witness.pop();
    assert_eq!(witness(proof), Err(FriError::WitnessTooShort { layer: 0 }));
    let mut proof = f.proof.clone();
    proof.inner_layers[0].fri_witness.push(SecureField::from(1));
    assert_eq!(witness(proof), Err(FriError::WitnessTooLong { layer: 1 }));

    let mut proof = f.proof.clone();
    proof.first_layer.decommitment.hash_witness.pop();
    assert_eq!(
        witness(proof),
        Err(FriError::Decommitment { layer: 0, source: MerkleWitnessError::WitnessTooShort })
    );
    let mut proof = f.proof.clone();
    proof.inner_layers[0].decommitment.hash_witness.push(Poseidon2Hash::default());
    assert_eq!(
        witness(proof),
        Err(FriError::Decommitment { layer: 1, source: MerkleWitnessError::WitnessTooLong })
    );

    let commitment = commit(f.proof.clone()).unwrap();
    assert_eq!(
        commitment.witness(&f.raw_queries[1..], &f.sorted_values),
        Err(FriError::QueryCount { expected: 9, got: 8 })
    );
    let mut queries = f.raw_queries.clone();
    queries[3] = 1 << 7;
    assert_eq!(
        commitment.witness(&queries, &f.sorted_values),
        Err(FriError::QueryOutOfRange { position: 1 << 7, log_size: 7 })
    );
    assert!(matches!(
        commitment.witness(&f.raw_queries, &f.sorted_values[1..]),
        Err(FriError::FirstLayerValues { .. })
    ));

    assert_eq!(FriShape::new(FriConfig { fold_step: 0, ..config(1, 1, 0) }, 6), Err(FriError::ZeroFoldStep));
    assert!(matches!(FriShape::new(config(1, 3, 2), 4), Err(FriError::CannotFold { .. })));
    assert_eq!(FriShape::new(config(4, 1, 0), 28), Err(FriError::DomainTooLarge { log_size: 32 }));
}

/// Constraints of one query's layer, measured on [`fold_layer`] (a layer of log size `log_size`).
fn layer_cost(circle: bool, layer: LayerShape) -> usize {
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_mode(SynthesisMode::Setup);
    let fr = || FrVar::new_witness(cs.clone(), || Ok(Fr::from(0u64))).unwrap();
    let qm31 = || QM31Var::new_witness(cs.clone(), || Ok(SecureField::from(0))).unwrap();
    let root = fr();
    let alpha_powers = (0..layer.subset_size()).map(|_| qm31()).collect_vec();
    let value = qm31();
    let bits =
        (0..layer.log_size).map(|_| Boolean::new_witness(cs.clone(), || Ok(false)).unwrap()).collect_vec();
    let witness = FriLayerWitnessVar {
        subset: (0..layer.subset_size()).map(|_| qm31()).collect(),
        siblings: (0..layer.path_len()).map(|_| fr()).collect(),
    };
    let before = cs.num_constraints();
    fold_layer(circle, &layer, &root, &alpha_powers, &bits, &value, &witness).unwrap();
    cs.num_constraints() - before
}

/// The FRI verifier's constraints for `shape`, built in setup mode: (the proof's witness, the commit
/// and query draws, one query's checks).
fn verifier_cost(shape: &FriShape) -> (usize, usize, usize) {
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_mode(SynthesisMode::Setup);
    let proof = FriProofVar::new_witness(cs.clone(), shape, None).unwrap();
    let witness = cs.num_constraints();
    let mut channel = Poseidon2ChannelVar::default();
    let verifier = FriVerifierVar::commit(&mut channel, shape, proof).unwrap();
    let queries = verifier.draw_queries(&mut channel).unwrap();
    let transcript = cs.num_constraints() - witness;
    let value = QM31Var::new_witness(cs.clone(), || Ok(SecureField::from(0))).unwrap();
    let before = cs.num_constraints();
    verifier.verify_query(0, &queries[0], &value).unwrap();
    (witness, transcript, cs.num_constraints() - before)
}

/// Pins the checks of one query in one layer (its subset's witness, `2^fold_step` canonical QM31s at
/// 128 constraints, comes on top). `fold_step` 1 at log size `m`: the selection and equality (~12), two
/// leaves and their node (3 permutations, 720), `m - 1` Merkle levels (241 each), the subset's domain
/// point (~17 per bit) and one fold (~150). `fold_step` 3 (packed leaves): two leaves and a node, `m - 3`
/// levels, the point (reduced once) and seven folds (~1,000, of which the seven inverses ~650).
#[test]
fn constraint_counts_per_query_and_layer() {
    let counts =
        [(1, true, 22), (1, false, 21), (1, false, 10), (3, true, 22), (3, false, 19), (3, false, 10)]
            .map(|(fold_step, circle, log_size)| layer_cost(circle, LayerShape::new(log_size, fold_step)));
    assert_eq!(counts, [6304, 6026, 3083, 6449, 5933, 3548]);
}

/// Totals for a column of degree below 2^19 (first layer 2^22: blowup 8), 27 queries, a constant last
/// layer, per fold step: (witness, commit and draws, checks per query, total).
#[test]
fn constraint_totals_for_a_2_19_column() {
    let expected = [
        (131_456, 25_192, 79_382, 2_299_962),
        (131_456, 20_107, 38_770, 1_198_353),
        (172_928, 21_820, 33_065, 1_087_503),
        (248_960, 26_938, 37_950, 1_300_548),
    ];
    let actual = (1..=4).map(|fold_step| {
        let shape = FriShape::new(FriConfig::new(0, 3, 27, fold_step), 19).unwrap();
        let (witness, transcript, query) = verifier_cost(&shape);
        let total = witness + transcript + 27 * query;
        println!(
            "fold step {fold_step}: {} inner layers, witness {witness} ({} per query), transcript {transcript}, checks per query {query}, total {total}",
            shape.inner_layers().len(),
            witness / 27
        );
        (witness, transcript, query, total)
    });
    assert_eq!(actual.collect::<Vec<_>>(), expected);
}

#[test]
fn wide_product_matches_native() {
    let cs = ConstraintSystem::<Fr>::new_ref();
    let mut rng = Rng::new(14);
    for _ in 0..5 {
        let (a, b) = (rng.qm31(), rng.qm31());
        let (x, y) = (
            QM31Var::new_witness(cs.clone(), || Ok(a)).unwrap(),
            QM31Var::new_witness(cs.clone(), || Ok(b)).unwrap(),
        );
        // A wide operand (a product, ~2^94) stays unreduced.
        let wide = &x * &y;
        assert_eq!(mul_wide(&x, &wide).value().unwrap(), a * a * b);
    }
    assert!(cs.is_satisfied().unwrap());
}
