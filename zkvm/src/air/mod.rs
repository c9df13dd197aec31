//! The AIR of the zkVM: components (instruction chips, memory boundary, lookup tables) and the
//! relations between them, written once as Stwo `FrameworkEval`s and shared by the prover, the
//! verifier and (later) the recursive circuit. `docs/AIR.md` describes the design.

pub(crate) mod boundary;
pub(crate) mod chips;
pub(crate) mod columns;
pub(crate) mod lookup;
pub mod opcode;
pub(crate) mod relations;
pub(crate) mod tables;

use nzero_abi::layout::MEMORY_END;
use stwo::core::air::Component;
use stwo::core::fields::FieldExpOps;
use stwo::core::fields::m31::BaseField;
use stwo::core::fields::qm31::SecureField;
use stwo_constraint_framework::preprocessed_columns::PreProcessedColumnId;
use stwo_constraint_framework::{
    FrameworkComponent, FrameworkEval, Relation, RelationEFTraitBound, TraceLocationAllocator,
};

pub use relations::{LookupElementsSource, Relations};
pub use tables::{PreprocessedTables, RANGE_BITS};

use crate::air::tables::word_limbs;
use crate::class::{EVM_TABLE_LOG_SIZE, SizeClass};

/// Every component, in the fixed order of their columns in the trace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ComponentKind {
    /// `add`, `sub` and what decodes to them.
    AddSub,
    /// `jal`, `jalr`.
    Jump,
    /// Loads.
    Load,
    /// Stores.
    Store,
    /// `ecall` other than `HALT`.
    Ecall,
    /// The halting `ecall`.
    Halt,
    /// `slt`, `sltu` and their immediate forms.
    Compare,
    /// The conditional branches.
    Branch,
    /// `and`, `or`, `xor` and their immediate forms.
    Bitwise,
    /// `sll`, `srl`, `sra` and their immediate forms.
    Shift,
    /// The byte-operation table (`and`, `or`, `xor` of every pair of bytes).
    BitwiseTable,
    /// The shift table (limb split of every shift amount and direction).
    ShiftTable,
    /// `mul`, `mulh`, `mulhsu`, `mulhu`.
    Mul,
    /// `div`, `divu`, `rem`, `remu`.
    DivRem,
    /// The memory boundary.
    Boundary,
    /// The program table.
    Program,
    /// The initial memory image.
    Image,
    /// The range table for values below `2^bits`.
    Range(u32),
}

impl ComponentKind {
    /// All components, in trace order.
    pub fn all() -> Vec<Self> {
        let mut all = vec![
            Self::AddSub,
            Self::Jump,
            Self::Load,
            Self::Store,
            Self::Ecall,
            Self::Halt,
            Self::Compare,
            Self::Branch,
            Self::Bitwise,
            Self::Shift,
            Self::BitwiseTable,
            Self::ShiftTable,
            Self::Mul,
            Self::DivRem,
            Self::Boundary,
            Self::Program,
            Self::Image,
        ];
        all.extend(RANGE_BITS.map(Self::Range));
        all
    }
}

/// Calls `$body` with `$eval` bound to the `FrameworkEval` of `$kind`.
macro_rules! with_eval {
    ($kind:expr, $log_size:expr, $relations:expr, |$eval:ident| $body:expr) => {{
        use $crate::air::{ComponentKind, boundary, chips, tables};
        let (log_size, relations) = ($log_size, $relations);
        match $kind {
            ComponentKind::AddSub => {
                let $eval = chips::add_sub::AddSubEval { log_size, relations };
                $body
            }
            ComponentKind::Jump => {
                let $eval = chips::jump::JumpEval { log_size, relations };
                $body
            }
            ComponentKind::Load => {
                let $eval = chips::load::LoadEval { log_size, relations };
                $body
            }
            ComponentKind::Store => {
                let $eval = chips::store::StoreEval { log_size, relations };
                $body
            }
            ComponentKind::Ecall => {
                let $eval = chips::ecall::EcallEval { log_size, relations };
                $body
            }
            ComponentKind::Halt => {
                let $eval = chips::halt::HaltEval { log_size, relations };
                $body
            }
            ComponentKind::Compare => {
                let $eval = chips::compare::CompareEval { log_size, relations };
                $body
            }
            ComponentKind::Branch => {
                let $eval = chips::branch::BranchEval { log_size, relations };
                $body
            }
            ComponentKind::Bitwise => {
                let $eval = chips::bitwise::BitwiseEval { log_size, relations };
                $body
            }
            ComponentKind::Shift => {
                let $eval = chips::shift::ShiftEval { log_size, relations };
                $body
            }
            ComponentKind::BitwiseTable => {
                let _ = log_size;
                let $eval = tables::BitwiseTableEval { relations };
                $body
            }
            ComponentKind::ShiftTable => {
                let _ = log_size;
                let $eval = tables::ShiftTableEval { relations };
                $body
            }
            ComponentKind::Mul => {
                let $eval = chips::mul::MulEval { log_size, relations };
                $body
            }
            ComponentKind::DivRem => {
                let $eval = chips::divrem::DivRemEval { log_size, relations };
                $body
            }
            ComponentKind::Boundary => {
                let $eval = boundary::BoundaryEval { log_size, relations };
                $body
            }
            ComponentKind::Program => {
                let $eval = tables::ProgramTableEval { log_size, relations };
                $body
            }
            ComponentKind::Image => {
                let $eval = tables::ImageTableEval { log_size, relations };
                $body
            }
            ComponentKind::Range(bits) => {
                let _ = log_size;
                let $eval = tables::RangeTableEval { bits, relations };
                $body
            }
        }
    }};
}
#[cfg_attr(not(feature = "prover"), allow(unused_imports))]
pub(crate) use with_eval;

/// The shape of a proof: each component's log size, in [`ComponentKind::all`] order.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Claim {
    /// Log sizes, one per component.
    pub log_sizes: Vec<u32>,
}

impl Claim {
    /// The fixed shape of every EVM proof in `class`, the one its verifier circuit is built for: each
    /// instruction chip holds the class's cycles, the halting chip its one row, the memory boundary
    /// twice the cycles (the image, at most `2^16` words in the real classes, and one new cell per
    /// cycle), the program and image tables
    /// [`EVM_TABLE_LOG_SIZE`] rows, the fixed tables their own sizes.
    pub fn evm(class: SizeClass) -> Self {
        let chips = class.log_cycles();
        let log_sizes = ComponentKind::all()
            .into_iter()
            .map(|kind| match kind {
                ComponentKind::Halt => tables::MIN_LOG_SIZE,
                ComponentKind::Boundary => chips + 1,
                ComponentKind::Program | ComponentKind::Image => EVM_TABLE_LOG_SIZE,
                ComponentKind::Range(bits) => bits,
                ComponentKind::BitwiseTable => tables::BITWISE_LOG_SIZE,
                ComponentKind::ShiftTable => tables::SHIFT_LOG_SIZE,
                _ => chips,
            })
            .collect();
        Self { log_sizes }
    }

    /// The log size of `kind`.
    pub fn log_size(&self, kind: ComponentKind) -> u32 {
        let index = ComponentKind::all().iter().position(|&k| k == kind).expect("every kind is listed");
        self.log_sizes[index]
    }

    /// Log sizes of each tree's columns, for the commitment scheme: preprocessed, main, interaction.
    pub fn column_log_sizes(&self) -> [Vec<u32>; 3] {
        let mut trees: [Vec<u32>; 3] = Default::default();
        let dummy = Relations::dummy();
        for (&kind, &log_size) in ComponentKind::all().iter().zip(&self.log_sizes) {
            with_eval!(kind, log_size, dummy.clone(), |eval| {
                let info = eval.evaluate(stwo_constraint_framework::InfoEvaluator::empty());
                let log_size = eval.log_size();
                for (tree, offsets) in info.mask_offsets.iter().enumerate().skip(1) {
                    trees[tree].extend(std::iter::repeat_n(log_size, offsets.len()));
                }
            })
        }
        trees
    }
}

/// Takes each component of a proof in turn, whatever its eval: how code that needs the components
/// as its own type (Stwo's prover and verifier, the recursive verifier circuit) gets at the AIR.
pub trait ComponentVisitor {
    /// Takes the next component, in [`ComponentKind::all`] order.
    fn visit<E: FrameworkEval + Sync + 'static>(&mut self, component: FrameworkComponent<E>);
}

/// Builds the components of a proof with the given claim, relations, claimed sums (one per component)
/// and preprocessed column ids, and hands each to `visitor` in trace order.
pub fn visit_components(
    claim: &Claim,
    relations: &Relations,
    claimed_sums: &[SecureField],
    preprocessed: &[PreProcessedColumnId],
    visitor: &mut impl ComponentVisitor,
) {
    let mut allocator = TraceLocationAllocator::new_with_preprocessed_columns(preprocessed);
    for ((kind, &log_size), &sum) in ComponentKind::all().into_iter().zip(&claim.log_sizes).zip(claimed_sums)
    {
        with_eval!(kind, log_size, relations.clone(), |eval| {
            visitor.visit(FrameworkComponent::new(&mut allocator, eval, sum))
        });
    }
}

/// The components as Stwo verifier components.
pub(crate) fn build_components(
    claim: &Claim,
    relations: &Relations,
    claimed_sums: &[SecureField],
    preprocessed: &[PreProcessedColumnId],
) -> Vec<Box<dyn Component>> {
    struct Boxed(Vec<Box<dyn Component>>);
    impl ComponentVisitor for Boxed {
        fn visit<E: FrameworkEval + Sync + 'static>(&mut self, component: FrameworkComponent<E>) {
            self.0.push(Box::new(component));
        }
    }
    let mut boxed = Boxed(Vec::new());
    visit_components(claim, relations, claimed_sums, preprocessed, &mut boxed);
    boxed.0
}

/// The components as Stwo prover components.
#[cfg(feature = "prover")]
pub(crate) fn build_provers(
    claim: &Claim,
    relations: &Relations,
    claimed_sums: &[SecureField],
    preprocessed: &[PreProcessedColumnId],
) -> Vec<Box<dyn stwo::prover::ComponentProver<stwo::prover::backend::simd::SimdBackend>>> {
    type Prover = dyn stwo::prover::ComponentProver<stwo::prover::backend::simd::SimdBackend>;
    struct Boxed(Vec<Box<Prover>>);
    impl ComponentVisitor for Boxed {
        fn visit<E: FrameworkEval + Sync + 'static>(&mut self, component: FrameworkComponent<E>) {
            self.0.push(Box::new(component));
        }
    }
    let mut boxed = Boxed(Vec::new());
    visit_components(claim, relations, claimed_sums, preprocessed, &mut boxed);
    boxed.0
}

/// What a proof states about its execution besides the program: the exit code and the SHA-256
/// digest of the public values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Statement {
    /// The guest's exit code.
    pub exit_code: u32,
    /// SHA-256 of the committed public values.
    pub public_values_digest: [u8; 32],
}

impl Statement {
    /// The statement as the public relation's tuple: the exit code's and then each little-endian
    /// digest word's 16-bit limbs, low first.
    pub fn limbs(&self) -> [BaseField; 18] {
        let words = std::iter::once(self.exit_code).chain(
            self.public_values_digest.chunks_exact(4).map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]])),
        );
        let limbs: Vec<BaseField> = words.flat_map(word_limbs).collect();
        limbs.try_into().expect("nine words of two limbs")
    }
}

/// The verifier's own terms in the logUp sum: it yields the initial state `(entry, 0)` and the
/// first link (address 0), and uses the last link (`MEMORY_END`) and the statement (its
/// [`Statement::limbs`]). A valid proof's claimed sums add up to the negation of this. Generic over
/// the fields so that the verifier circuit evaluates the same terms over its variables.
pub fn public_logup_sum<F, EF>(relations: &Relations, entry: F, statement: &[F; 18]) -> EF
where
    F: Clone + From<BaseField>,
    EF: RelationEFTraitBound<F> + FieldExpOps,
{
    let f = |v: u32| F::from(BaseField::from(v));
    let initial_state: EF = relations.state.combine(&[entry, f(0)]);
    let first_link: EF = relations.link.combine(&[f(0)]);
    let last_link: EF = relations.link.combine(&[f(MEMORY_END)]);
    let public: EF = relations.public.combine(statement);
    // Yields are negative, uses positive (Stwo's sign convention).
    last_link.inverse() + public.inverse() - initial_state.inverse() - first_link.inverse()
}
