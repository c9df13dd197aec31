//! The lookup relations that tie the components together (logUp).
//!
//! Sign convention (Stwo's): a positive multiplicity *uses* a tuple, a negative one *yields* it. Over a
//! valid proof every relation balances: the sum of all fractions, plus the verifier's public terms,
//! is zero.
#![allow(missing_docs, unreachable_pub)] // `relation!` generates the items.

use stwo::core::channel::Channel;
use stwo_constraint_framework::logup::LookupElements;
use stwo_constraint_framework::relation;

// (pc, clk): the machine state between two instructions. Each chip row uses the state it starts in
// and yields the state it leaves; the verifier yields (entry, 0), the halting row yields nothing.
relation!(StateRelation, 2);
// (pc, opcode, rd, rs1, rs2, imm_lo, imm_hi, target): the program table yields each decoded
// instruction as often as it executes; each chip row uses the one it executes.
relation!(ProgramRelation, 8);
// (addr, lo, hi, ts): a memory cell (registers at 0..=32, RAM words at their byte address) holding
// (lo, hi) since timestamp ts. An access uses the previous version and yields the new one.
relation!(MemoryRelation, 4);
// (addr, lo, hi): the program's initial memory image, yielded once per word by the preprocessed
// image table and used by the memory boundary.
relation!(ImageRelation, 3);
// (bits, value): value < 2^bits, yielded by the range tables.
relation!(RangeRelation, 2);
// (addr): the memory boundary lists every cell once, as a chain of strictly increasing addresses
// from 0 to MEMORY_END: each row uses its own address and yields the next one.
relation!(LinkRelation, 1);
// (exit_lo, exit_hi, digest limbs): the halting row yields the statement; the verifier uses it.
relation!(PublicRelation, 18);
// (op, a, b, result): result = a op b for bytes a, b and op the opcode of `and`, `or` or `xor`,
// yielded by the byte-operation table. A use also proves that a, b and result are bytes.
relation!(BitwiseRelation, 4);
// (left, shamt, h, x, y): a shift by shamt < 32 (left when left = 1) moves whole limbs when h = 1
// (shamt >= 16) and splits each limb as q x + r (r < x, q < y, x y = 2^16), yielded by the shift
// table.
relation!(ShiftRelation, 5);

/// All relations, drawn from the channel after the main trace is committed.
#[derive(Clone, Debug, PartialEq)]
pub struct Relations {
    pub state: StateRelation,
    pub program: ProgramRelation,
    pub memory: MemoryRelation,
    pub image: ImageRelation,
    pub range: RangeRelation,
    pub link: LinkRelation,
    pub public: PublicRelation,
    pub bitwise: BitwiseRelation,
    pub shift: ShiftRelation,
}

/// Where the relations' lookup elements come from: drawn from the channel natively; the verifier
/// circuit draws variables and hands out placeholders for them.
pub trait LookupElementsSource {
    /// The next relation's elements.
    fn next<const N: usize>(&mut self) -> LookupElements<N>;
}

impl<C: Channel> LookupElementsSource for C {
    fn next<const N: usize>(&mut self) -> LookupElements<N> {
        LookupElements::draw(self)
    }
}

impl Relations {
    /// Draws every relation's challenges, in a fixed order.
    pub fn draw(channel: &mut impl Channel) -> Self {
        Self::from_source(channel)
    }

    /// Every relation's challenges from `source`, in the order of [`Self::draw`].
    pub fn from_source(source: &mut impl LookupElementsSource) -> Self {
        Self {
            state: StateRelation(source.next()),
            program: ProgramRelation(source.next()),
            memory: MemoryRelation(source.next()),
            image: ImageRelation(source.next()),
            range: RangeRelation(source.next()),
            link: LinkRelation(source.next()),
            public: PublicRelation(source.next()),
            bitwise: BitwiseRelation(source.next()),
            shift: ShiftRelation(source.next()),
        }
    }

    /// Fixed challenges, for tests and for describing components (sizes, masks).
    pub fn dummy() -> Self {
        Self {
            state: StateRelation::dummy(),
            program: ProgramRelation::dummy(),
            memory: MemoryRelation::dummy(),
            image: ImageRelation::dummy(),
            range: RangeRelation::dummy(),
            link: LinkRelation::dummy(),
            public: PublicRelation::dummy(),
            bitwise: BitwiseRelation::dummy(),
            shift: ShiftRelation::dummy(),
        }
    }
}
