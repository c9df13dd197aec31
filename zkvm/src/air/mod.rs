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

use num_traits::Zero;
use nzero_abi::layout::MEMORY_END;
use stwo::core::air::Component;
use stwo::core::fields::FieldExpOps;
use stwo::core::fields::m31::BaseField;
use stwo::core::fields::qm31::SecureField;
use stwo_constraint_framework::preprocessed_columns::PreProcessedColumnId;
use stwo_constraint_framework::{FrameworkComponent, FrameworkEval, Relation, TraceLocationAllocator};

pub use relations::Relations;
pub use tables::{PreprocessedTables, RANGE_BITS};

use crate::air::tables::word_limbs;

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

/// A component of any kind, built for given log size and relations.
pub(crate) enum AnyComponent {
    AddSub(FrameworkComponent<chips::add_sub::AddSubEval>),
    Jump(FrameworkComponent<chips::jump::JumpEval>),
    Load(FrameworkComponent<chips::load::LoadEval>),
    Store(FrameworkComponent<chips::store::StoreEval>),
    Ecall(FrameworkComponent<chips::ecall::EcallEval>),
    Halt(FrameworkComponent<chips::halt::HaltEval>),
    Compare(FrameworkComponent<chips::compare::CompareEval>),
    Branch(FrameworkComponent<chips::branch::BranchEval>),
    Bitwise(FrameworkComponent<chips::bitwise::BitwiseEval>),
    Shift(FrameworkComponent<chips::shift::ShiftEval>),
    BitwiseTable(FrameworkComponent<tables::BitwiseTableEval>),
    ShiftTable(FrameworkComponent<tables::ShiftTableEval>),
    Mul(FrameworkComponent<chips::mul::MulEval>),
    DivRem(FrameworkComponent<chips::divrem::DivRemEval>),
    Boundary(FrameworkComponent<boundary::BoundaryEval>),
    Program(FrameworkComponent<tables::ProgramTableEval>),
    Image(FrameworkComponent<tables::ImageTableEval>),
    Range(FrameworkComponent<tables::RangeTableEval>),
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

impl AnyComponent {
    fn new(
        kind: ComponentKind,
        log_size: u32,
        relations: &Relations,
        allocator: &mut TraceLocationAllocator,
        claimed_sum: SecureField,
    ) -> Self {
        let relations = relations.clone();
        match kind {
            ComponentKind::AddSub => Self::AddSub(FrameworkComponent::new(
                allocator,
                chips::add_sub::AddSubEval { log_size, relations },
                claimed_sum,
            )),
            ComponentKind::Jump => Self::Jump(FrameworkComponent::new(
                allocator,
                chips::jump::JumpEval { log_size, relations },
                claimed_sum,
            )),
            ComponentKind::Load => Self::Load(FrameworkComponent::new(
                allocator,
                chips::load::LoadEval { log_size, relations },
                claimed_sum,
            )),
            ComponentKind::Store => Self::Store(FrameworkComponent::new(
                allocator,
                chips::store::StoreEval { log_size, relations },
                claimed_sum,
            )),
            ComponentKind::Ecall => Self::Ecall(FrameworkComponent::new(
                allocator,
                chips::ecall::EcallEval { log_size, relations },
                claimed_sum,
            )),
            ComponentKind::Halt => Self::Halt(FrameworkComponent::new(
                allocator,
                chips::halt::HaltEval { log_size, relations },
                claimed_sum,
            )),
            ComponentKind::Compare => Self::Compare(FrameworkComponent::new(
                allocator,
                chips::compare::CompareEval { log_size, relations },
                claimed_sum,
            )),
            ComponentKind::Branch => Self::Branch(FrameworkComponent::new(
                allocator,
                chips::branch::BranchEval { log_size, relations },
                claimed_sum,
            )),
            ComponentKind::Bitwise => Self::Bitwise(FrameworkComponent::new(
                allocator,
                chips::bitwise::BitwiseEval { log_size, relations },
                claimed_sum,
            )),
            ComponentKind::Shift => Self::Shift(FrameworkComponent::new(
                allocator,
                chips::shift::ShiftEval { log_size, relations },
                claimed_sum,
            )),
            ComponentKind::BitwiseTable => Self::BitwiseTable(FrameworkComponent::new(
                allocator,
                tables::BitwiseTableEval { relations },
                claimed_sum,
            )),
            ComponentKind::ShiftTable => Self::ShiftTable(FrameworkComponent::new(
                allocator,
                tables::ShiftTableEval { relations },
                claimed_sum,
            )),
            ComponentKind::Mul => Self::Mul(FrameworkComponent::new(
                allocator,
                chips::mul::MulEval { log_size, relations },
                claimed_sum,
            )),
            ComponentKind::DivRem => Self::DivRem(FrameworkComponent::new(
                allocator,
                chips::divrem::DivRemEval { log_size, relations },
                claimed_sum,
            )),
            ComponentKind::Boundary => Self::Boundary(FrameworkComponent::new(
                allocator,
                boundary::BoundaryEval { log_size, relations },
                claimed_sum,
            )),
            ComponentKind::Program => Self::Program(FrameworkComponent::new(
                allocator,
                tables::ProgramTableEval { log_size, relations },
                claimed_sum,
            )),
            ComponentKind::Image => Self::Image(FrameworkComponent::new(
                allocator,
                tables::ImageTableEval { log_size, relations },
                claimed_sum,
            )),
            ComponentKind::Range(bits) => Self::Range(FrameworkComponent::new(
                allocator,
                tables::RangeTableEval { bits, relations },
                claimed_sum,
            )),
        }
    }

    pub(crate) fn as_component(&self) -> &dyn Component {
        match self {
            Self::AddSub(c) => c,
            Self::Jump(c) => c,
            Self::Load(c) => c,
            Self::Store(c) => c,
            Self::Ecall(c) => c,
            Self::Halt(c) => c,
            Self::Compare(c) => c,
            Self::Branch(c) => c,
            Self::Bitwise(c) => c,
            Self::Shift(c) => c,
            Self::BitwiseTable(c) => c,
            Self::ShiftTable(c) => c,
            Self::Mul(c) => c,
            Self::DivRem(c) => c,
            Self::Boundary(c) => c,
            Self::Program(c) => c,
            Self::Image(c) => c,
            Self::Range(c) => c,
        }
    }

    #[cfg(feature = "prover")]
    pub(crate) fn as_prover(
        &self,
    ) -> &dyn stwo::prover::ComponentProver<stwo::prover::backend::simd::SimdBackend> {
        match self {
            Self::AddSub(c) => c,
            Self::Jump(c) => c,
            Self::Load(c) => c,
            Self::Store(c) => c,
            Self::Ecall(c) => c,
            Self::Halt(c) => c,
            Self::Compare(c) => c,
            Self::Branch(c) => c,
            Self::Bitwise(c) => c,
            Self::Shift(c) => c,
            Self::BitwiseTable(c) => c,
            Self::ShiftTable(c) => c,
            Self::Mul(c) => c,
            Self::DivRem(c) => c,
            Self::Boundary(c) => c,
            Self::Program(c) => c,
            Self::Image(c) => c,
            Self::Range(c) => c,
        }
    }
}

/// The shape of a proof: each component's log size, in [`ComponentKind::all`] order.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Claim {
    /// Log sizes, one per component.
    pub log_sizes: Vec<u32>,
}

impl Claim {
    /// The log size of `kind`.
    pub fn log_size(&self, kind: ComponentKind) -> u32 {
        let index = ComponentKind::all().iter().position(|&k| k == kind).expect("every kind is listed");
        self.log_sizes[index]
    }

    /// Log sizes of each tree's columns, for the commitment scheme: preprocessed, main, interaction.
    pub(crate) fn column_log_sizes(&self) -> [Vec<u32>; 3] {
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

/// The components of a proof with the given claim, relations and claimed sums.
pub(crate) fn build_components(
    claim: &Claim,
    relations: &Relations,
    claimed_sums: &[SecureField],
    preprocessed: &[PreProcessedColumnId],
) -> Vec<AnyComponent> {
    let mut allocator = TraceLocationAllocator::new_with_preprocessed_columns(preprocessed);
    ComponentKind::all()
        .into_iter()
        .zip(&claim.log_sizes)
        .zip(claimed_sums)
        .map(|((kind, &log_size), &sum)| AnyComponent::new(kind, log_size, relations, &mut allocator, sum))
        .collect()
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

/// The verifier's own terms in the logUp sum: it yields the initial state `(entry, 0)` and the
/// first link (address 0), and uses the last link (`MEMORY_END`) and the statement. A valid proof's
/// claimed sums add up to the negation of this.
pub(crate) fn public_logup_sum(relations: &Relations, entry: u32, statement: &Statement) -> SecureField {
    let term = |denominator: SecureField| denominator.inverse();
    let f = |v: u32| BaseField::from(v);
    let initial_state: SecureField = relations.state.combine(&[f(entry), f(0)]);
    let first_link: SecureField = relations.link.combine(&[f(0)]);
    let last_link: SecureField = relations.link.combine(&[f(MEMORY_END)]);
    let mut values: Vec<BaseField> = word_limbs(statement.exit_code).to_vec();
    for word in statement.public_values_digest.chunks_exact(4) {
        values.extend(word_limbs(u32::from_le_bytes([word[0], word[1], word[2], word[3]])));
    }
    let public: SecureField = relations.public.combine(&values);
    // Yields are negative, uses positive (Stwo's sign convention).
    SecureField::zero() - term(initial_state) - term(first_link) + term(last_link) + term(public)
}
