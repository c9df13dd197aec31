use ark_r1cs_std::GR1CSVar;
use ark_r1cs_std::alloc::AllocVar;
use ark_relations::gr1cs::{ConstraintSystem, ConstraintSystemRef};
use stwo::core::channel::{Blake2sChannel, Channel};
use stwo::core::constraints;
use stwo::core::fields::qm31::{QM31, SecureField};
use stwo::core::utils::bit_reverse_index;

use super::*;
use crate::circuit::fields::tests::Rng;

fn cs() -> ConstraintSystemRef<Fr> {
    ConstraintSystem::<Fr>::new_ref()
}

fn witness_point(cs: &ConstraintSystemRef<Fr>, point: CirclePoint<QM31>) -> CirclePointVar<QM31Var> {
    CirclePointVar {
        x: QM31Var::new_witness(cs.clone(), || Ok(point.x)).unwrap(),
        y: QM31Var::new_witness(cs.clone(), || Ok(point.y)).unwrap(),
    }
}

fn secure_point(rng: &mut Rng) -> CirclePoint<SecureField> {
    let mut channel = Blake2sChannel::default();
    channel.mix_u64(rng.next_u64());
    CirclePoint::get_random_point(&mut channel)
}

#[test]
fn group_operations_match_native() {
    let mut rng = Rng::new(10);
    let cs = cs();
    for _ in 0..5 {
        let (p, q) = (secure_point(&mut rng), secure_point(&mut rng));
        let (vp, vq) = (witness_point(&cs, p), witness_point(&cs, q));
        assert_eq!(vp.add(&vq).value().unwrap(), p + q);
        assert_eq!(vp.sub(&vq).value().unwrap(), p - q);
        assert_eq!(vp.double().value().unwrap(), p.double());
        assert_eq!(vp.repeated_double(5).value().unwrap(), p.repeated_double(5));
        assert_eq!(vp.conjugate().value().unwrap(), p.conjugate());
        assert_eq!(vp.antipode().value().unwrap(), p.antipode());
        let step = CanonicCoset::new(7).step();
        assert_eq!(vp.add_base(step).value().unwrap(), p + step.into_ef());
        assert_eq!(vp.add_constant(q).value().unwrap(), p + q);
        vp.add(&vq).reduce().unwrap().enforce_equal(&vq.add(&vp)).unwrap();
        let base = CirclePointVar::<M31Var>::from_base(step);
        assert_eq!(base.clone().into_ef().value().unwrap(), step.into_ef());
        assert_eq!(base.double().value().unwrap(), step.double());
    }
    assert_eq!(CirclePointVar::<QM31Var>::zero().value().unwrap(), CirclePoint::zero());
    assert!(cs.is_satisfied().unwrap());
}

#[test]
fn random_point_matches_the_channels() {
    let cs = cs();
    for seed in 0..5 {
        let mut channel = Blake2sChannel::default();
        channel.mix_u64(seed);
        let t = channel.clone().draw_secure_felt();
        let native = CirclePoint::<SecureField>::get_random_point(&mut channel);
        let before = cs.num_constraints();
        let point = random_point_from(&QM31Var::new_witness(cs.clone(), || Ok(t)).unwrap()).unwrap();
        assert_eq!(point.value().unwrap(), native);
        assert_eq!(cs.num_constraints() - before, 128 + 448);
    }
    assert!(cs.is_satisfied().unwrap());
}

fn position_bits(cs: &ConstraintSystemRef<Fr>, position: u32, n_bits: u32) -> Vec<Boolean<Fr>> {
    (0..n_bits).map(|i| Boolean::new_witness(cs.clone(), || Ok(position >> i & 1 == 1)).unwrap()).collect()
}

#[test]
fn domain_points_match_the_bit_reversed_domain() {
    let mut rng = Rng::new(11);
    for log_size in 1..=12u32 {
        let domain = CanonicCoset::new(log_size).circle_domain();
        let positions: Vec<u32> = if log_size <= 6 {
            (0..1 << log_size).collect()
        } else {
            (0..20).map(|_| (rng.next_u64() % (1 << log_size)) as u32).collect()
        };
        let cs = cs();
        for position in positions {
            // A whole 31-bit word: the bits above the domain's size are ignored, as Stwo's queries mask.
            let word = position | ((rng.next_u64() as u32) << log_size & 0x7fff_ffff);
            let point = domain_point_at_bitrev(&position_bits(&cs, word, 31), log_size).unwrap();
            let native = domain.at(bit_reverse_index(position as usize, log_size));
            assert_eq!(point.value().unwrap(), native, "log size {log_size}, position {position}");
        }
        assert!(cs.is_satisfied().unwrap());
    }
}

#[test]
fn domain_point_costs_and_errors() {
    let costs: Vec<usize> = [5u32, 10, 16, 20, 24]
        .iter()
        .map(|&log_size| {
            let cs = cs();
            let bits = position_bits(&cs, 12345 % (1 << log_size), log_size);
            let before = cs.num_constraints();
            let point = domain_point_at_bitrev(&bits, log_size).unwrap().reduce().unwrap();
            assert_eq!(
                point.value().unwrap(),
                CanonicCoset::new(log_size)
                    .circle_domain()
                    .at(bit_reverse_index(12345 % (1 << log_size), log_size))
            );
            assert!(cs.is_satisfied().unwrap());
            cs.num_constraints() - before
        })
        .collect();
    // Including the final reduction of both coordinates to canonical values.
    assert_eq!(costs, [86, 237, 475, 486, 572]);

    let cs = cs();
    let bits = position_bits(&cs, 3, 4);
    assert!(matches!(
        domain_point_at_bitrev(&bits, 5),
        Err(CircuitError::TooFewPositionBits { log_size: 5, got: 4 })
    ));
    assert!(matches!(domain_point_at_bitrev(&bits, 0), Err(CircuitError::InvalidLogSize(0))));
    assert!(matches!(domain_point_at_bitrev(&bits, 31), Err(CircuitError::InvalidLogSize(31))));
}

#[test]
fn vanishing_polynomials_match_native() {
    let mut rng = Rng::new(12);
    let cs = cs();
    for _ in 0..3 {
        let p = secure_point(&mut rng);
        let vp = witness_point(&cs, p);
        for coset in [
            CanonicCoset::new(5).coset(),
            CanonicCoset::new(8).coset(),
            Coset::half_odds(4),
            Coset::subgroup(3),
        ] {
            assert_eq!(
                coset_vanishing(coset, &vp).unwrap().value().unwrap(),
                constraints::coset_vanishing(coset, p)
            );
        }
        let before = cs.num_constraints();
        coset_vanishing(CanonicCoset::new(9).coset(), &vp).unwrap();
        // Eight doublings, each a QM31 square (6) and four reductions of about 68 bits.
        assert_eq!(cs.num_constraints() - before, 2264);
        let q = secure_point(&mut rng);
        let vanishing = point_vanishing(&witness_point(&cs, q), &vp).unwrap();
        assert_eq!(vanishing.value().unwrap(), constraints::point_vanishing(q, p));
    }
    assert!(cs.is_satisfied().unwrap());
}
