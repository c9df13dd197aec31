//! Proof-dependent values inside an unchanged `FrameworkEval`.
//!
//! A Groth16 circuit is fixed at setup, so every value that changes from proof to proof (logUp lookup
//! elements, claimed sums) must be a variable. But a `FrameworkEval` holds them as native constants
//! (`LookupElements` of `SecureField`s, the component's `claimed_sum`), and the constraint framework
//! turns them into the evaluator's field only through `From<SecureField>`. So the circuit builds its
//! components with *placeholder* constants (pseudo-random, one per variable) and evaluates them inside a
//! [`Substitutions::enter`] scope, where `QM31Var::from(placeholder)` yields the variable the placeholder
//! stands for. Any other constant converts to itself; a genuine AIR constant equal to a placeholder by
//! chance has probability about `2^-124` per constant.

use std::cell::RefCell;
use std::collections::HashMap;

use ark_r1cs_std::GR1CSVar;
use ark_relations::gr1cs::SynthesisError;
use stwo::core::fields::m31::{M31, P};
use stwo::core::fields::qm31::QM31;
use stwo_constraint_framework::logup::LookupElements;

use super::fields::QM31Var;
use crate::channel::Poseidon2ChannelVar;

type Key = [u32; 4];

fn key(value: QM31) -> Key {
    value.to_m31_array().map(|c| c.0)
}

thread_local! {
    /// The substitutions of the innermost active scope on this thread.
    static ACTIVE: RefCell<Option<HashMap<Key, QM31Var>>> = const { RefCell::new(None) };
}

/// The variable `value` stands for in the active scope, if it is a registered placeholder.
pub(crate) fn lookup(value: QM31) -> Option<QM31Var> {
    ACTIVE.with(|active| active.borrow().as_ref().and_then(|map| map.get(&key(value)).cloned()))
}

/// Placeholder constants and the variables they stand for.
#[derive(Clone, Debug, Default)]
pub struct Substitutions {
    map: HashMap<Key, QM31Var>,
    counter: u64,
}

/// The logUp lookup elements `z`, `alpha` and the powers of `alpha`, as variables: the twin of
/// `stwo_constraint_framework::logup::LookupElements`.
#[derive(Clone, Debug)]
pub struct LookupElementsVar<const N: usize> {
    /// The shift `z`.
    pub z: QM31Var,
    /// The combination coefficient `alpha`.
    pub alpha: QM31Var,
    /// `alpha^0, ..., alpha^(N-1)`.
    pub alpha_powers: [QM31Var; N],
}

impl<const N: usize> LookupElementsVar<N> {
    /// Draws `z` and `alpha` from the channel, as `LookupElements::draw`; the powers cost a reduced
    /// product (284 constraints) each beyond `alpha`.
    ///
    /// # Errors
    /// Fails only if the constraint system fails.
    pub fn draw(channel: &mut Poseidon2ChannelVar) -> Result<Self, SynthesisError> {
        let felts = channel.draw_secure_felts(2)?;
        Self::new(QM31Var::from_channel(&felts[0]), QM31Var::from_channel(&felts[1]))
    }

    /// The elements for given `z` and `alpha`. The powers are reduced once here: every lookup of the
    /// relation multiplies them by its values, and an unreduced power would be reduced (or widen the
    /// product) at every use.
    ///
    /// # Errors
    /// Fails only if the constraint system fails.
    pub fn new(z: QM31Var, alpha: QM31Var) -> Result<Self, SynthesisError> {
        let mut alpha_powers = Vec::with_capacity(N);
        if N > 0 {
            alpha_powers.push(QM31Var::one());
        }
        while alpha_powers.len() < N {
            let last = alpha_powers.last().expect("one power at least");
            alpha_powers.push((last * &alpha).reduce()?);
        }
        let alpha_powers = alpha_powers.try_into().expect("N powers");
        Ok(Self { z, alpha, alpha_powers })
    }
}

impl Substitutions {
    /// No substitutions.
    pub fn new() -> Self {
        Self::default()
    }

    /// A fresh pseudo-random constant (neither zero nor one, distinct from earlier ones).
    fn fresh(&mut self) -> QM31 {
        loop {
            self.counter += 1;
            // splitmix64: any fixed sequence of well-spread values will do.
            let coordinates = [0u64, 1, 2, 3].map(|i| {
                let mut z = (self.counter * 4 + i).wrapping_mul(0x9e37_79b9_7f4a_7c15);
                z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                M31::from_u32_unchecked(((z ^ (z >> 31)) % u64::from(P)) as u32)
            });
            let value = QM31::from_m31_array(coordinates);
            let k = key(value);
            if k != [0; 4] && k != [1, 0, 0, 0] && !self.map.contains_key(&k) {
                return value;
            }
        }
    }

    /// A placeholder constant that stands for `variable` inside [`Self::enter`] scopes. A constant
    /// `variable` is its own placeholder.
    pub fn placeholder(&mut self, variable: &QM31Var) -> QM31 {
        if let (true, Ok(value)) = (variable.cs().is_none(), variable.value()) {
            return value;
        }
        let placeholder = self.fresh();
        self.map.insert(key(placeholder), variable.clone());
        placeholder
    }

    /// Native lookup elements that stand for `elements` inside [`Self::enter`] scopes: build a
    /// relation (e.g. one made by `relation!`) from them, and the eval combines with the variables.
    pub fn lookup_elements<const N: usize>(&mut self, elements: &LookupElementsVar<N>) -> LookupElements<N> {
        let z = self.placeholder(&elements.z);
        let alpha = self.placeholder(&elements.alpha);
        // alpha^0 = 1 is the same constant for every alpha: no placeholder.
        let alpha_powers = std::array::from_fn(|i| match i {
            0 => QM31::from_u32_unchecked(1, 0, 0, 0),
            1 => alpha,
            _ => self.placeholder(&elements.alpha_powers[i]),
        });
        LookupElements { z, alpha, alpha_powers }
    }

    /// Activates the substitutions on this thread until the returned guard drops (scopes nest).
    pub fn enter(&self) -> SubstitutionScope {
        let previous = ACTIVE.with(|active| active.replace(Some(self.map.clone())));
        SubstitutionScope { previous }
    }
}

/// Restores the enclosing scope's substitutions when dropped.
#[derive(Debug)]
#[must_use = "the substitutions are active only while the scope is alive"]
pub struct SubstitutionScope {
    previous: Option<HashMap<Key, QM31Var>>,
}

impl Drop for SubstitutionScope {
    fn drop(&mut self) {
        let previous = self.previous.take();
        ACTIVE.with(|active| *active.borrow_mut() = previous);
    }
}
