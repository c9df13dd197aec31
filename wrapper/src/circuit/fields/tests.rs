use ark_relations::gr1cs::ConstraintSystem;
use stwo::core::fields::qm31::SecureField;

use super::*;

const MODES: [AllocationMode; 3] = [AllocationMode::Constant, AllocationMode::Input, AllocationMode::Witness];

/// A deterministic generator (splitmix64): tests need spread values, not security.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub(crate) fn m31(&mut self) -> M31 {
        // Edge values now and then: 0, 1, p - 1.
        match self.next_u64() % 8 {
            0 => M31::from_u32_unchecked(0),
            1 => M31::from_u32_unchecked(P - 1),
            2 => M31::from_u32_unchecked(1),
            _ => M31::from_u32_unchecked((self.next_u64() % u64::from(P)) as u32),
        }
    }

    pub(crate) fn qm31(&mut self) -> QM31 {
        QM31::from_m31_array(std::array::from_fn(|_| self.m31()))
    }
}

fn cs() -> ConstraintSystemRef<Fr> {
    ConstraintSystem::<Fr>::new_ref()
}

#[test]
fn m31_ops_match_native_in_every_mode() {
    let mut rng = Rng::new(1);
    for mode in MODES {
        let cs = cs();
        for _ in 0..30 {
            let (a, b, c) = (rng.m31(), rng.m31(), rng.m31());
            let va = M31Var::new_variable(cs.clone(), || Ok(a), mode).unwrap();
            let vb = M31Var::new_variable(cs.clone(), || Ok(b), mode).unwrap();
            assert_eq!((&va + &vb).value().unwrap(), a + b);
            assert_eq!((&va - &vb).value().unwrap(), a - b);
            assert_eq!((&va * &vb).value().unwrap(), a * b);
            assert_eq!((-&va).value().unwrap(), -a);
            assert_eq!((-(&va * &vb)).value().unwrap(), -(a * b));
            assert_eq!(va.square().value().unwrap(), a * a);
            assert_eq!((va.clone() + c).value().unwrap(), a + c);
            assert_eq!((va.clone() - c).value().unwrap(), a - c);
            assert_eq!((va.clone() * c).value().unwrap(), a * c);
            let mut assigned = va.clone();
            assigned += &vb;
            assigned -= c;
            assigned *= vb.clone();
            assert_eq!(assigned.value().unwrap(), (a + b - c) * b);
            let reduced = (&va * &vb - &vb * &va + (&va * &vb)).reduce().unwrap();
            assert!(reduced.is_reduced());
            assert_eq!(reduced.value().unwrap(), a * b);
            assert_eq!(reduced.canonical_fr().unwrap().value().unwrap(), Fr::from((a * b).0));
            (&va * &vb).enforce_equal(&(&vb * &va)).unwrap();
            if b.0 != 0 {
                assert_eq!(vb.inverse().unwrap().value().unwrap(), b.inverse());
            }
        }
        assert!(cs.is_satisfied().unwrap(), "{mode:?}");
    }
}

/// Long chains of products and differences push bounds past the limit: the automatic reductions keep
/// the values right and the system satisfied.
#[test]
fn automatic_reductions_keep_long_chains_exact() {
    let mut rng = Rng::new(2);
    let cs = cs();
    let values: Vec<M31> = (0..40).map(|_| rng.m31()).collect();
    let vars: Vec<M31Var> =
        values.iter().map(|v| M31Var::new_witness(cs.clone(), || Ok(*v)).unwrap()).collect();
    let (mut product, mut native) = (M31Var::one(), M31::from_u32_unchecked(1));
    let (mut alternating, mut native_alternating) = (M31Var::zero(), M31::from_u32_unchecked(0));
    for (var, value) in vars.iter().zip(&values) {
        product = &product * var + var;
        native = native * *value + *value;
        alternating = (&alternating - &product) * var;
        native_alternating = (native_alternating - native) * *value;
        assert!(product.bound_bits() <= 251 && alternating.bound_bits() <= 251);
    }
    assert_eq!(product.value().unwrap(), native);
    assert_eq!(alternating.value().unwrap(), native_alternating);
    assert!(cs.is_satisfied().unwrap());
}

#[test]
fn cm31_and_qm31_ops_match_native_in_every_mode() {
    let mut rng = Rng::new(3);
    for mode in MODES {
        let cs = cs();
        for _ in 0..10 {
            let (a, b, m) = (rng.qm31(), rng.qm31(), rng.m31());
            let va = QM31Var::new_variable(cs.clone(), || Ok(a), mode).unwrap();
            let vb = QM31Var::new_variable(cs.clone(), || Ok(b), mode).unwrap();
            let vm = M31Var::new_variable(cs.clone(), || Ok(m), mode).unwrap();
            assert_eq!((&va + &vb).value().unwrap(), a + b);
            assert_eq!((&va - &vb).value().unwrap(), a - b);
            assert_eq!((&va * &vb).value().unwrap(), a * b);
            assert_eq!((-&va).value().unwrap(), -a);
            assert_eq!(va.square().value().unwrap(), a * a);
            assert_eq!(va.double().value().unwrap(), a + a);
            assert_eq!(va.mul_m31(&vm).value().unwrap(), a * m);
            assert_eq!(va.mul_cm31(&vb.0).value().unwrap(), a.mul_cm31(b.0));
            assert_eq!((va.clone() * b).value().unwrap(), a * b);
            assert_eq!((va.clone() + b).value().unwrap(), a + b);
            assert_eq!((va.clone() - m).value().unwrap(), a - m);
            assert_eq!((va.clone() * m).value().unwrap(), a * m);
            assert_eq!((va.clone() * b.0).value().unwrap(), a.mul_cm31(b.0));
            assert_eq!(va.complex_conjugate().value().unwrap(), QM31(a.0, -a.1));
            let partial = QM31Var::from_partial_evals([va.clone(), vb.clone(), va.clone(), vb.clone()]);
            assert_eq!(partial.value().unwrap(), SecureField::from_partial_evals([a, b, a, b]));
            let (ca, cb) = (&va.0, &vb.0);
            assert_eq!((ca * cb).value().unwrap(), a.0 * b.0);
            assert_eq!(ca.square().value().unwrap(), a.0 * a.0);
            assert_eq!(ca.mul_m31(&vm).value().unwrap(), a.0 * m);
            if !a.is_zero() {
                assert_eq!(va.inverse().unwrap().value().unwrap(), a.inverse());
                assert_eq!(FieldExpOps::inverse(&va).value().unwrap(), a.inverse());
                assert_eq!(vb.div(&va).unwrap().value().unwrap(), b / a);
            }
            if !a.0.is_zero() {
                assert_eq!(ca.inverse().unwrap().value().unwrap(), a.0.inverse());
            }
            let reduced = (&va * &vb).reduce().unwrap();
            assert!(reduced.to_array().iter().all(M31Var::is_reduced));
            assert_eq!(reduced.value().unwrap(), a * b);
            (&va * &vb).enforce_equal(&(&vb * &va)).unwrap();
            let array = (&va * &vb).to_array();
            assert_eq!(QM31Var::from_array(array).value().unwrap(), a * b);
            assert_eq!(
                va.canonical_fr().unwrap().map(|c| c.value().unwrap()),
                a.to_m31_array().map(|c| Fr::from(c.0))
            );
        }
        assert!(cs.is_satisfied().unwrap(), "{mode:?}");
    }
}

#[test]
fn from_channel_and_traits_match_native() {
    let cs = cs();
    let a = Rng::new(4).qm31();
    let felt: SecureFieldVar =
        a.to_m31_array().map(|c| FrVar::new_witness(cs.clone(), || Ok(Fr::from(c.0))).unwrap());
    let var = QM31Var::from_channel(&felt);
    assert_eq!(var.value().unwrap(), a);
    assert_eq!(cs.num_constraints(), 0);
    assert!(<QM31Var as Zero>::zero().is_zero() && !var.is_zero());
    assert_eq!(<QM31Var as One>::one().value().unwrap(), QM31::from_u32_unchecked(1, 0, 0, 0));
    assert_eq!(var.pow(5).value().unwrap(), a.pow(5));
    assert_eq!(QM31Var::from(a).value().unwrap(), a);
    assert!(QM31Var::from(a).cs().is_none());
    assert!(cs.is_satisfied().unwrap());
}

#[test]
fn enforce_equal_is_equality_mod_p() {
    let cs = cs();
    let a = M31Var::new_witness(cs.clone(), || Ok(M31::from_u32_unchecked(5))).unwrap();
    // (a·a - a) · 2^40 is a large unreduced integer equal to 20 · 2^40 mod p.
    let big = (&a * &a - &a) * M31::from_u32_unchecked(1 << 20) * M31::from_u32_unchecked(1 << 20);
    let expected =
        M31::from_u32_unchecked(20) * M31::from_u32_unchecked(1 << 20) * M31::from_u32_unchecked(1 << 20);
    big.enforce_equal(&M31Var::constant(expected)).unwrap();
    M31Var::constant(expected).enforce_equal(&big).unwrap();
    assert!(cs.is_satisfied().unwrap());
    big.enforce_equal(&M31Var::constant(expected + M31::from_u32_unchecked(1))).unwrap();
    assert!(!cs.is_satisfied().unwrap());
    assert_eq!(M31Var::one().enforce_equal(&M31Var::zero()), Err(SynthesisError::Unsatisfiable));
}

#[test]
fn enforce_bits_checks_the_range() {
    let cs = cs();
    let x = FrVar::new_witness(cs.clone(), || Ok(Fr::from(1000u64))).unwrap();
    let bits = enforce_bits(&x, 10).unwrap();
    assert_eq!(bits.iter().map(|b| b.value().unwrap()).filter(|b| *b).count(), 6);
    assert_eq!(cs.num_constraints(), 11);
    assert!(cs.is_satisfied().unwrap());
    enforce_bits(&x, 9).unwrap();
    assert!(!cs.is_satisfied().unwrap());
    assert!(enforce_bits(&FrVar::constant(Fr::from(1000u64)), 10).is_ok());
    assert_eq!(
        enforce_bits(&FrVar::constant(Fr::from(1000u64)), 9).err(),
        Some(SynthesisError::Unsatisfiable)
    );
    assert_eq!(enforce_bits(&x, 253).err(), Some(SynthesisError::Unsatisfiable));
}

/// A product of two canonical values and its honest reduction.
fn product_of_witnesses(cs: &ConstraintSystemRef<Fr>, a: u32, b: u32) -> (M31Var, Bound) {
    let va = M31Var::new_witness(cs.clone(), || Ok(M31::from_u32_unchecked(a))).unwrap();
    let vb = M31Var::new_witness(cs.clone(), || Ok(M31::from_u32_unchecked(b))).unwrap();
    let product = &va * &vb;
    (product, Bound::from_u64(u64::from(a) * u64::from(b)))
}

/// `p - 1 + 1`: the integer `p` (≡ 0), not known to be canonical.
fn integer_p(cs: &ConstraintSystemRef<Fr>) -> M31Var {
    M31Var::new_witness(cs.clone(), || Ok(M31::from_u32_unchecked(P - 1))).unwrap()
        + M31::from_u32_unchecked(1)
}

#[test]
fn forged_reduction_witnesses_are_unsatisfiable() {
    let p = u64::from(P);
    // Honest: satisfied.
    let cs = cs();
    let (product, x) = product_of_witnesses(&cs, 123_456, 654_321);
    product.reduce_with(Some(x.div_rem_p())).unwrap();
    let zero = integer_p(&cs).reduce().unwrap();
    assert_eq!(zero.value().unwrap().0, 0);
    assert!(cs.is_satisfied().unwrap());

    // r + p with q - 1: the equation holds, but r needs 32 bits.
    let cs = self::cs();
    let (product, x) = product_of_witnesses(&cs, 123_456, 654_321);
    let (q, r) = x.div_rem_p();
    let q_minus_one = Bound::from_u64(u64::from_le_bytes(q.to_bytes_le()[..8].try_into().unwrap()) - 1);
    product.reduce_with(Some((q_minus_one, (u64::from(r) + p) as u32))).unwrap();
    assert!(!cs.is_satisfied().unwrap());

    // r = p, q = 0 for the integer p: the equation holds and r fits 31 bits; only r ≠ p catches it.
    let cs = self::cs();
    integer_p(&cs).reduce_with(Some((Bound::from_u64(0), P))).unwrap();
    assert!(!cs.is_satisfied().unwrap());

    // A wrong remainder with the right quotient.
    let cs = self::cs();
    let (product, x) = product_of_witnesses(&cs, 99_999, 77_777);
    product.reduce_with(Some((x.div_rem_p().0, x.div_rem_p().1 + 1))).unwrap();
    assert!(!cs.is_satisfied().unwrap());
}

#[test]
fn out_of_range_values_are_unsatisfiable() {
    // A witness is built from 31 bits: only p itself is out of the canonical range.
    let cs = cs();
    M31Var::new_witness(cs.clone(), || Ok(M31::from_u32_unchecked(P))).unwrap();
    assert!(!cs.is_satisfied().unwrap());
    // A public input is one variable, range-checked.
    for value in [P, 1 << 31, u32::MAX] {
        let cs = self::cs();
        M31Var::new_input(cs.clone(), || Ok(M31::from_u32_unchecked(value))).unwrap();
        assert!(!cs.is_satisfied().unwrap(), "{value}");
    }
}

#[test]
fn wrong_inverses_are_unsatisfiable() {
    let mut rng = Rng::new(5);
    let a = rng.qm31();
    let cs = cs();
    let var = QM31Var::new_witness(cs.clone(), || Ok(a)).unwrap();
    var.inverse_with(|| Ok(a.inverse() + QM31::from_u32_unchecked(0, 0, 1, 0))).unwrap();
    assert!(!cs.is_satisfied().unwrap());

    let cs = self::cs();
    let zero = QM31Var::new_witness(cs.clone(), || Ok(QM31::from_u32_unchecked(0, 0, 0, 0))).unwrap();
    zero.inverse().unwrap();
    assert!(!cs.is_satisfied().unwrap());
    assert_eq!(QM31Var::zero().inverse().err(), Some(SynthesisError::Unsatisfiable));

    let cs = self::cs();
    let zero = M31Var::new_witness(cs.clone(), || Ok(M31::from_u32_unchecked(0))).unwrap();
    zero.inverse().unwrap();
    assert!(!cs.is_satisfied().unwrap());
}

/// In setup mode (no values) every gadget builds the same constraints as in proving mode.
#[test]
fn setup_mode_builds_the_same_constraints() {
    let build = |cs: ConstraintSystemRef<Fr>| {
        let a = QM31Var::new_witness(cs.clone(), || Ok(Rng::new(6).qm31())).unwrap();
        let b = QM31Var::new_input(cs.clone(), || Ok(Rng::new(7).qm31())).unwrap();
        let c = (&a * &b).square() * &a - b.inverse().unwrap();
        c.reduce().unwrap().enforce_equal(&c).unwrap();
        cs.num_constraints()
    };
    let setup = cs();
    setup.set_mode(ark_relations::gr1cs::SynthesisMode::Setup);
    assert_eq!(build(setup), build(cs()));
}

/// The constraint counts of the module documentation.
#[test]
fn constraint_costs() {
    let cost = |f: &dyn Fn(&ConstraintSystemRef<Fr>)| {
        let cs = cs();
        f(&cs);
        cs.num_constraints()
    };
    let m31 = |cs: &ConstraintSystemRef<Fr>| {
        M31Var::new_witness(cs.clone(), || Ok(M31::from_u32_unchecked(7))).unwrap()
    };
    let qm31 =
        |cs: &ConstraintSystemRef<Fr>| QM31Var::new_witness(cs.clone(), || Ok(Rng::new(8).qm31())).unwrap();
    let costs = [
        cost(&|cs| drop(m31(cs))),
        cost(&|cs| drop(M31Var::new_input(cs.clone(), || Ok(M31::from_u32_unchecked(7))).unwrap())),
        cost(&|cs| drop(qm31(cs))),
        cost(&|cs| drop(m31(cs) * m31(cs))) - 64,
        cost(&|cs| drop((m31(cs) * m31(cs)).reduce().unwrap())) - 64,
        cost(&|cs| m31(cs).enforce_equal(&m31(cs)).unwrap()) - 64,
        cost(&|cs| (m31(cs) * m31(cs)).enforce_equal(&m31(cs)).unwrap()) - 96,
        cost(&|cs| drop(qm31(cs) * qm31(cs))) - 256,
        cost(&|cs| drop(qm31(cs).square())) - 128,
        cost(&|cs| drop((qm31(cs) * qm31(cs)).reduce().unwrap())) - 256,
        cost(&|cs| qm31(cs).enforce_equal(&qm31(cs)).unwrap()) - 256,
        cost(&|cs| (qm31(cs) * qm31(cs)).enforce_equal(&qm31(cs)).unwrap()) - 384,
        cost(&|cs| drop(qm31(cs).inverse().unwrap())) - 128,
        cost(&|cs| drop(qm31(cs).div(&qm31(cs)).unwrap())) - 256,
        cost(&|cs| drop(qm31(cs).mul_m31(&m31(cs)))) - 160,
        cost(&|cs| drop(qm31(cs) * Rng::new(9).qm31() + M31::from_u32_unchecked(3))) - 128,
    ];
    // witness M31, input M31, witness QM31, M31 product, its reduction (64 + the product), M31 eq,
    // eq of a product, QM31 product, QM31 square, QM31 product reduced, QM31 eq, QM31 eq of a product,
    // inverse, quotient, times M31, constant arithmetic.
    assert_eq!(costs, [32, 33, 128, 1, 65, 2, 33, 9, 6, 284, 8, 156, 284, 284, 4, 0]);
}

/// A 31-bit witness: 31 constraints, exact arithmetic, and the integer `p` accepted as zero.
#[test]
fn thirty_one_bit_witnesses() {
    let cs = cs();
    let value = M31::from_u32_unchecked(P - 5);
    let var = M31Var::new_31_bit_witness(cs.clone(), || Ok(value)).unwrap();
    assert_eq!(cs.num_constraints(), 31);
    assert_eq!((&var * &var).value().unwrap(), value * value);
    assert_eq!((var * M31::from_u32_unchecked(P - 2)).value().unwrap(), value * -M31::from(2));
    let p = M31Var::new_31_bit_witness(cs.clone(), || Ok(M31::from_u32_unchecked(P))).unwrap();
    assert_eq!(p.value().unwrap(), M31::from(0));
    p.enforce_equal(&M31Var::zero()).unwrap();
    assert!(cs.is_satisfied().unwrap());
}
