//! The whole verifier circuit on a real proof of the test AIRs (one with preprocessed columns and logUp),
//! and one tampering test per part of the proof.

use ark_relations::gr1cs::ConstraintSystem;
use nzero_poseidon2::Poseidon2Hash;
use stwo::core::air::Component;

use super::*;
use crate::circuit::test_air::*;
use crate::circuit::{LookupElementsVar, Substitutions};

fn trace_sizes() -> TreeVec<Vec<u32>> {
    let (plain, lookup) = components(PairRelation::dummy(), SecureField::from(0));
    TreeVec::concat_cols(
        [Component::trace_log_degree_bounds(&plain), Component::trace_log_degree_bounds(&lookup)].into_iter(),
    )
}

/// The native transcript up to the composition, and the witness from there.
fn witness(proved: &Proved<Poseidon2MerkleChannel>) -> Result<StarkWitness, StarkWitnessError> {
    let sizes = trace_sizes();
    let proof = &proved.proof;
    let channel = &mut Poseidon2Channel::default();
    config().mix_into(channel);
    Poseidon2MerkleChannel::mix_root(channel, proof.commitments[0]);
    Poseidon2MerkleChannel::mix_root(channel, proof.commitments[1]);
    PairRelation::draw(channel);
    Poseidon2MerkleChannel::mix_root(channel, proof.commitments[2]);
    channel.mix_felts(&[proved.claimed_sum]);
    let (plain, lookup) = components(PairRelation(proved.elements.clone()), proved.claimed_sum);
    StarkWitness::new(&[&plain, &lookup], &config(), &sizes.0[..3], channel, proof)
}

/// The public part the circuit reads before the STARK: the trace roots and the claimed sum.
#[derive(Clone)]
struct Public {
    roots: [Poseidon2Hash; 3],
    claimed_sum: SecureField,
}

fn public(proved: &Proved<Poseidon2MerkleChannel>) -> Public {
    let c = &proved.proof.commitments;
    Public { roots: [c[0], c[1], c[2]], claimed_sum: proved.claimed_sum }
}

/// Builds the circuit (`witness` `None`: setup mode); returns whether it is satisfied, its size and the
/// STARK part's breakdown.
fn check(public: Option<&Public>, witness: Option<&StarkWitness>) -> (bool, usize, ConstraintCounts) {
    let cs = ConstraintSystem::<Fr>::new_ref();
    if witness.is_none() {
        cs.set_mode(ark_relations::gr1cs::SynthesisMode::Setup);
    }
    let sizes = trace_sizes();
    let channel = &mut Poseidon2ChannelVar::default();
    mix_config(channel, &config()).unwrap();
    let mut scheme = CommitmentSchemeVar::new(config());
    let root = |i: usize| {
        FrVar::new_witness(cs.clone(), || {
            public.map(|p| p.roots[i].0).ok_or(SynthesisError::AssignmentMissing)
        })
        .unwrap()
    };
    scheme.commit(root(0), &sizes[0], channel).unwrap();
    scheme.commit(root(1), &sizes[1], channel).unwrap();
    let elements = LookupElementsVar::<2>::draw(channel).unwrap();
    scheme.commit(root(2), &sizes[2], channel).unwrap();
    let claimed_sum = QM31Var::new_witness(cs.clone(), || {
        public.map(|p| p.claimed_sum).ok_or(SynthesisError::AssignmentMissing)
    })
    .unwrap();
    channel.mix_felts(&[claimed_sum.canonical_fr().unwrap()]).unwrap();

    let mut substitutions = Substitutions::new();
    let relation = PairRelation(substitutions.lookup_elements(&elements));
    let (plain, lookup) = components(relation, substitutions.placeholder(&claimed_sum));
    let _scope = substitutions.enter();
    let counts = verify_stark(&cs, &[&plain, &lookup], channel, scheme, witness).unwrap();
    let satisfied = witness.is_some() && cs.is_satisfied().unwrap();
    (satisfied, cs.num_constraints(), counts)
}

#[test]
fn a_valid_proof_satisfies_the_circuit_whose_shape_does_not_depend_on_it() {
    let proved = prove_both::<Poseidon2MerkleChannel>();
    let witness = witness(&proved).expect("a valid proof has a witness");
    let (satisfied, n, counts) = check(Some(&public(&proved)), Some(&witness));
    assert!(satisfied);
    let (_, n_setup, setup_counts) = check(None, None);
    assert_eq!((n, counts), (n_setup, setup_counts), "the setup builds the same constraints");
    assert!(counts.total() <= n);
    eprintln!("verifier circuit of the test AIRs: {n} constraints; STARK part {counts:?}");
}

#[test]
fn changing_any_part_of_the_proof_or_statement_is_unsatisfiable() {
    let proved = prove_both::<Poseidon2MerkleChannel>();
    let good = witness(&proved).unwrap();
    let public = public(&proved);
    let one = SecureField::from(1);
    let fr_one = Fr::from(1u64);

    let mut cases: Vec<(String, Public, StarkWitness)> = Vec::new();
    let mut with_public = |name: &str, change: &dyn Fn(&mut Public)| {
        let mut p = public.clone();
        change(&mut p);
        cases.push((name.to_string(), p, good.clone()));
    };
    for tree in 0..3 {
        with_public(&format!("trace root {tree}"), &|p| p.roots[tree].0 += fr_one);
    }
    with_public("claimed sum (the statement)", &|p| p.claimed_sum += one);
    let mut with_witness = |name: &str, change: &dyn Fn(&mut StarkWitness)| {
        let mut w = good.clone();
        change(&mut w);
        cases.push((name.to_string(), public.clone(), w));
    };
    with_witness("composition root", &|w| w.composition_root += fr_one);
    for (tree, column) in [(0, 0), (1, 0), (1, 7), (2, 1), (3, 5)] {
        with_witness(&format!("sampled value {tree}/{column}"), &|w| {
            w.sampled_values[tree][column][0] += one
        });
    }
    for tree in 0..4 {
        with_witness(&format!("queried value in tree {tree}"), &|w| {
            w.openings[tree][1].leaf[0] += BaseField::from(1)
        });
        with_witness(&format!("Merkle sibling in tree {tree}"), &|w| {
            w.openings[tree][0].siblings[0] += fr_one
        });
    }
    with_witness("proof-of-work nonce", &|w| w.proof_of_work ^= 1);
    let n_layers = good.fri.queries[0].len();
    for layer in [0, n_layers / 2, n_layers - 1] {
        with_witness(&format!("FRI layer {layer} value"), &|w| w.fri.queries[0][layer].subset[1] += one);
        with_witness(&format!("FRI layer {layer} sibling"), &|w| {
            w.fri.queries[2][layer].siblings[0] += fr_one
        });
    }
    with_witness("FRI first root", &|w| w.fri.first_root += fr_one);
    with_witness("FRI inner root", &|w| w.fri.inner_roots[0] += fr_one);
    with_witness("FRI last layer", &|w| w.fri.last_layer_poly[0] += one);

    for (name, public, witness) in cases {
        assert!(!check(Some(&public), Some(&witness)).0, "{name}: still satisfied");
    }
}

#[test]
fn malformed_proofs_are_named_errors() {
    let proved = prove_both::<Poseidon2MerkleChannel>();
    let bad_pow = proved.clone_with(|p| p.proof.0.proof_of_work ^= 1);
    assert!(matches!(witness(&bad_pow), Err(StarkWitnessError::ProofOfWork)));
    let short = proved.clone_with(|p| {
        p.proof.0.sampled_values[1].pop();
    });
    assert!(matches!(witness(&short), Err(StarkWitnessError::Shape(_))));
    let no_siblings = proved.clone_with(|p| p.proof.0.decommitments[1].hash_witness.clear());
    assert!(matches!(witness(&no_siblings), Err(StarkWitnessError::Merkle { tree: 1, .. })));
    let few_layers = proved.clone_with(|p| {
        p.proof.0.fri_proof.inner_layers.pop();
    });
    assert!(matches!(witness(&few_layers), Err(StarkWitnessError::Fri(_))));
}

/// The plain AIR alone, another configuration: native transcript and witness, then the circuit.
fn plain_circuit(proof: &StarkProof<Poseidon2MerkleHasher>, tamper: impl FnOnce(&mut StarkWitness)) -> bool {
    let component = plain_component();
    let sizes = Component::trace_log_degree_bounds(&component);
    let config = plain_config();
    let channel = &mut Poseidon2Channel::default();
    config.mix_into(channel);
    Poseidon2MerkleChannel::mix_root(channel, proof.commitments[0]);
    Poseidon2MerkleChannel::mix_root(channel, proof.commitments[1]);
    let trees = [vec![], sizes[1].clone()];
    let mut witness = StarkWitness::new(&[&component], &config, &trees, channel, proof).expect("a witness");
    tamper(&mut witness);

    let cs = ConstraintSystem::<Fr>::new_ref();
    let channel = &mut Poseidon2ChannelVar::default();
    mix_config(channel, &config).unwrap();
    let mut scheme = CommitmentSchemeVar::new(config);
    for (tree, sizes) in trees.iter().enumerate() {
        let root = FrVar::new_witness(cs.clone(), || Ok(proof.commitments[tree].0)).unwrap();
        scheme.commit(root, sizes, channel).unwrap();
    }
    let counts = verify_stark(&cs, &[&component], channel, scheme, Some(&witness)).unwrap();
    eprintln!("plain AIR, blowup 2, fold step 2: {} constraints; {counts:?}", cs.num_constraints());
    cs.is_satisfied().unwrap()
}

#[test]
fn another_air_and_shape_without_preprocessed_columns_or_lookups() {
    let proof = prove_plain::<Poseidon2MerkleChannel>();
    assert!(plain_circuit(&proof, |_| {}));
    assert!(!plain_circuit(&proof, |w| w.sampled_values[1][2][0] += SecureField::from(1)));
    assert!(!plain_circuit(&proof, |w| w.openings[1][0].leaf[3] += BaseField::from(1)));
    assert!(!plain_circuit(&proof, |w| w.fri.queries[1][1].subset[0] += SecureField::from(1)));
}
