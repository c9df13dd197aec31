//! The lookup tables: the program, the initial memory image, the range tables, the byte-operation
//! table and the shift table.
//!
//! Only what depends on the program, and tables too small to matter, are preprocessed columns
//! (committed in the program key): the program and image tables, the 7- and 8-bit range tables and
//! the 64-row shift table. The large fixed tables (range tables of 11 to 16 bits, the 2^16-row
//! byte-operation table) would make every program key a commitment of 2^19 rows; their contents are
//! main-trace columns instead, which their own constraints prove correct (see [`RangeTableEval`] and
//! [`BitwiseTableEval`]). In every table the prover supplies how often each row was used.

use num_traits::{One, Zero};
use stwo::core::fields::m31::{BaseField, M31};
use stwo_constraint_framework::preprocessed_columns::PreProcessedColumnId;
use stwo_constraint_framework::{EvalAtRow, FrameworkEval, ORIGINAL_TRACE_IDX};

use super::columns::columns;
use super::lookup::{LIMB, yield_tuple};
use super::opcode::{Opcode, ProgramRow, SCRATCH_REGISTER};
use super::relations::Relations;
use crate::program::Program;

/// The smallest table: two SIMD vectors of 16 rows (the interaction generator works on pairs).
pub(crate) const MIN_LOG_SIZE: u32 = 5;

/// The bit widths that have a range table.
pub const RANGE_BITS: [u32; 7] = [7, 8, 11, 13, 14, 15, 16];

/// Range tables up to this width are preprocessed columns; wider ones carry their values in the main
/// trace (see [`RangeTableEval`]).
pub(crate) const MAX_PREPROCESSED_RANGE_BITS: u32 = 8;

/// Whether the `bits`-bit range table's values are a preprocessed column (else a main-trace column).
pub(crate) const fn range_is_preprocessed(bits: u32) -> bool {
    bits <= MAX_PREPROCESSED_RANGE_BITS
}

/// `ceil(log2(n))`, at least [`MIN_LOG_SIZE`].
pub(crate) fn log_size_for(n: usize) -> u32 {
    n.next_power_of_two().trailing_zeros().max(MIN_LOG_SIZE)
}

pub(crate) fn column_id(name: &str) -> PreProcessedColumnId {
    PreProcessedColumnId { id: name.to_owned() }
}

/// The names of the program table's preprocessed columns, in tuple order.
const PROGRAM_COLUMNS: [&str; 8] = [
    "program_pc",
    "program_opcode",
    "program_rd",
    "program_rs1",
    "program_rs2",
    "program_imm_lo",
    "program_imm_hi",
    "program_target",
];

/// The names of the image table's preprocessed columns.
const IMAGE_COLUMNS: [&str; 4] = ["image_addr", "image_lo", "image_hi", "image_real"];

/// The operations of the byte-operation table, in the order of its multiplicity columns.
pub(crate) const BITWISE_OPS: [Opcode; 3] = [Opcode::And, Opcode::Or, Opcode::Xor];

/// The byte-operation table has a row per pair of bytes.
pub(crate) const BITWISE_LOG_SIZE: u32 = 16;

/// The names of the shift table's preprocessed columns, in tuple order.
const SHIFT_COLUMNS: [&str; 5] = ["shift_left", "shift_amount", "shift_h", "shift_x", "shift_y"];

/// The shift table has a row per direction and shift amount.
pub(crate) const SHIFT_LOG_SIZE: u32 = 6;

fn range_column(bits: u32) -> String {
    format!("range_{bits}")
}

/// The preprocessed tables of a program, in natural row order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreprocessedTables {
    /// One row per code word.
    pub program: Vec<ProgramRow>,
    /// `(address, word)` for every register (0 to [`SCRATCH_REGISTER`], all zero) and every word of
    /// the initial memory image, sorted by address.
    pub image: Vec<(u32, u32)>,
    /// The smallest log size of the program and image tables: zero rows pad them up to it.
    min_log_size: u32,
}

impl PreprocessedTables {
    /// Decodes the program.
    pub fn new(program: &Program) -> Self {
        let code = program.code_start..program.code_end();
        let rows = (0u32..)
            .zip(&program.code)
            .map(|(i, &word)| ProgramRow::new(program.code_start + 4 * i, word, code.clone()))
            .collect();
        let registers = (0..=SCRATCH_REGISTER).map(|r| (r, 0));
        let image = registers.chain(program.image.iter().map(|(&a, &w)| (a, w))).collect();
        Self { program: rows, image, min_log_size: MIN_LOG_SIZE }
    }

    /// The tables padded to `log_size` rows each (the EVM shape), or `None` when one is larger.
    pub fn padded_to(&self, log_size: u32) -> Option<Self> {
        (self.program_log_size() <= log_size && self.image_log_size() <= log_size)
            .then(|| Self { min_log_size: log_size, ..self.clone() })
    }

    /// The program table's log size.
    pub fn program_log_size(&self) -> u32 {
        log_size_for(self.program.len()).max(self.min_log_size)
    }

    /// The image table's log size.
    pub fn image_log_size(&self) -> u32 {
        log_size_for(self.image.len()).max(self.min_log_size)
    }

    /// Every preprocessed column, `(id, values in natural order)`, in commitment order.
    #[cfg(feature = "prover")]
    pub(crate) fn columns(&self) -> Vec<(PreProcessedColumnId, Vec<M31>)> {
        let mut columns = Vec::new();
        let n = 1 << self.program_log_size();
        let program_field = |f: fn(&ProgramRow) -> u32| -> Vec<M31> {
            let mut col: Vec<M31> = self.program.iter().map(|r| M31::from(f(r))).collect();
            col.resize(n, M31::from(0));
            col
        };
        let fields: [fn(&ProgramRow) -> u32; 8] = [
            |r| r.pc,
            |r| r.opcode as u32,
            |r| r.rd,
            |r| r.rs1,
            |r| r.rs2,
            |r| r.imm & 0xffff,
            |r| r.imm >> 16,
            |r| r.target,
        ];
        for (name, field) in PROGRAM_COLUMNS.iter().zip(fields) {
            columns.push((column_id(name), program_field(field)));
        }
        let n = 1 << self.image_log_size();
        let image_field = |f: &dyn Fn(u32, u32) -> u32| -> Vec<M31> {
            let mut col: Vec<M31> = self.image.iter().map(|&(a, w)| M31::from(f(a, w))).collect();
            col.resize(n, M31::from(0));
            col
        };
        columns.push((column_id(IMAGE_COLUMNS[0]), image_field(&|a, _| a)));
        columns.push((column_id(IMAGE_COLUMNS[1]), image_field(&|_, w| w & 0xffff)));
        columns.push((column_id(IMAGE_COLUMNS[2]), image_field(&|_, w| w >> 16)));
        columns.push((column_id(IMAGE_COLUMNS[3]), image_field(&|_, _| 1)));
        for bits in RANGE_BITS.into_iter().filter(|&bits| range_is_preprocessed(bits)) {
            columns.push((column_id(&range_column(bits)), (0..1u32 << bits).map(M31::from).collect()));
        }
        let rows: Vec<[u32; 5]> = (0..1 << SHIFT_LOG_SIZE).map(shift_table_row).collect();
        for (i, name) in SHIFT_COLUMNS.iter().enumerate() {
            columns.push((column_id(name), rows.iter().map(|row| M31::from(row[i])).collect()));
        }
        columns
    }
}

/// `(id, log size)` of every preprocessed column of a program with this shape, in commitment order.
pub(crate) fn preprocessed_layout(shape: &crate::proof::ProgramShape) -> Vec<(String, u32)> {
    let mut layout = Vec::new();
    layout.extend(PROGRAM_COLUMNS.iter().map(|n| (n.to_string(), shape.program_log_size)));
    layout.extend(IMAGE_COLUMNS.iter().map(|n| (n.to_string(), shape.image_log_size)));
    layout.extend(
        RANGE_BITS
            .into_iter()
            .filter(|&bits| range_is_preprocessed(bits))
            .map(|bits| (range_column(bits), bits)),
    );
    layout.extend(SHIFT_COLUMNS.iter().map(|n| (n.to_string(), SHIFT_LOG_SIZE)));
    layout
}

/// The program table: yields each decoded instruction `multiplicity` times.
#[derive(Clone, Debug)]
pub(crate) struct ProgramTableEval {
    pub(crate) log_size: u32,
    pub(crate) relations: Relations,
}

impl FrameworkEval for ProgramTableEval {
    fn log_size(&self) -> u32 {
        self.log_size
    }

    fn max_constraint_log_degree_bound(&self) -> u32 {
        self.log_size + 1
    }

    fn evaluate<E: EvalAtRow>(&self, mut eval: E) -> E {
        let tuple: Vec<E::F> =
            PROGRAM_COLUMNS.iter().map(|name| eval.get_preprocessed_column(column_id(name))).collect();
        let multiplicity = eval.next_trace_mask();
        yield_tuple(&mut eval, &self.relations.program, multiplicity, &tuple);
        eval.finalize_logup_in_pairs();
        eval
    }
}

/// The image table: yields every word of the initial memory exactly once (a fixed multiplicity,
/// so the memory boundary must take each one).
#[derive(Clone, Debug)]
pub(crate) struct ImageTableEval {
    pub(crate) log_size: u32,
    pub(crate) relations: Relations,
}

impl FrameworkEval for ImageTableEval {
    fn log_size(&self) -> u32 {
        self.log_size
    }

    fn max_constraint_log_degree_bound(&self) -> u32 {
        self.log_size + 1
    }

    fn evaluate<E: EvalAtRow>(&self, mut eval: E) -> E {
        let [addr, lo, hi, real] = IMAGE_COLUMNS.map(|name| eval.get_preprocessed_column(column_id(name)));
        yield_tuple(&mut eval, &self.relations.image, real, &[addr, lo, hi]);
        eval.finalize_logup_in_pairs();
        eval
    }
}

/// A range table: yields `(bits, v)` for every row's value `v`, `multiplicity` times.
///
/// Main columns: `multiplicity`, then (for `bits >` [`MAX_PREPROCESSED_RANGE_BITS`]) the value `v`;
/// narrower tables read `v` from the preprocessed column `0, 1, …, 2^bits - 1`. A main-trace `v` is
/// trusted only as far as the constraint `(v_next - v - 1) · v_next = 0` goes, with `v_next` the next
/// row's value on the cyclic trace domain (the last row's successor is the first). Each row therefore
/// either increments or resets to 0. A cycle of `n = 2^bits` increments would mean `v + n = v`, which
/// cannot hold as `0 < n < p`: some row resets, and from that 0 the values count up by one to the
/// next reset, at most `n - 1` steps later. So every value lies in `[0, n - 1]`, and every tuple the
/// table yields is true whatever the prover writes. (The honest witness writes `0, 1, …, n - 1` in
/// natural row order, so that every value is there; soundness does not need that.)
#[derive(Clone, Debug)]
pub(crate) struct RangeTableEval {
    pub(crate) bits: u32,
    pub(crate) relations: Relations,
}

impl FrameworkEval for RangeTableEval {
    fn log_size(&self) -> u32 {
        self.bits
    }

    fn max_constraint_log_degree_bound(&self) -> u32 {
        self.bits + 1
    }

    fn evaluate<E: EvalAtRow>(&self, mut eval: E) -> E {
        let multiplicity = eval.next_trace_mask();
        let value = if range_is_preprocessed(self.bits) {
            eval.get_preprocessed_column(column_id(&range_column(self.bits)))
        } else {
            let [value, next] = eval.next_interaction_mask(ORIGINAL_TRACE_IDX, [0, 1]);
            // (v_next - v - 1) · v_next = 0: the next row increments or resets to 0, so every value is
            // below 2^bits (see the type's documentation).
            eval.add_constraint((next.clone() - value.clone() - E::F::one()) * next);
            value
        };
        let bits = E::F::from(BaseField::from(self.bits));
        yield_tuple(&mut eval, &self.relations.range, multiplicity, &[bits, value]);
        eval.finalize_logup_in_pairs();
        eval
    }
}

/// The main columns of the `bits`-bit range table with these use counts (one per value): the counts,
/// then, if the table is not preprocessed, the values `0, 1, …, 2^bits - 1` in natural row order.
#[cfg(feature = "prover")]
pub(crate) fn range_table_columns(bits: u32, counts: Vec<u32>) -> Vec<Vec<M31>> {
    debug_assert_eq!(counts.len(), 1 << bits);
    let mut columns = vec![counts.into_iter().map(M31::from).collect()];
    if !range_is_preprocessed(bits) {
        columns.push((0..1u32 << bits).map(M31::from).collect());
    }
    columns
}

// `BitwiseTableCols::multiplicity` has a column per operation.
const _: () = assert!(BITWISE_OPS.len() == 3);

columns! {
    /// A row of the byte-operation table: the bytes `a` and `b` by their bits, and `a & b`.
    pub(crate) struct BitwiseTableCols {
        /// How often `(op, a, b, a op b)` is used, one column per operation of [`BITWISE_OPS`].
        multiplicity: [3],
        /// The bits of `a`, least significant first.
        a_bits: [8],
        /// The bits of `b`, least significant first.
        b_bits: [8],
        /// `a & b = Σ 2^i a_i b_i`.
        and: T,
    }
}

/// The byte-operation table: yields `(op, a, b, a op b)` for `op` in [`BITWISE_OPS`], each with its
/// own multiplicity, for the bytes `a`, `b` of each row (the honest witness puts the pair `(a, b)` at
/// row [`bitwise_row`]`(a, b)`, so that all 2^16 pairs are there).
///
/// The table's contents are main-trace columns, proven rather than trusted: each bit is boolean, so
/// `a = Σ 2^i a_i` and `b = Σ 2^i b_i` are bytes and `and = Σ 2^i a_i b_i` is exactly the integer
/// `a & b`; then `a | b = a + b - (a & b)` and `a ^ b = a + b - 2 (a & b)` are integer identities of
/// values below 2^9, hence field identities. Every tuple entry is linear in the columns.
#[derive(Clone, Debug)]
pub(crate) struct BitwiseTableEval {
    pub(crate) relations: Relations,
}

impl FrameworkEval for BitwiseTableEval {
    fn log_size(&self) -> u32 {
        BITWISE_LOG_SIZE
    }

    fn max_constraint_log_degree_bound(&self) -> u32 {
        BITWISE_LOG_SIZE + 1
    }

    fn evaluate<E: EvalAtRow>(&self, mut eval: E) -> E {
        let c = BitwiseTableCols::read(&mut || eval.next_trace_mask());
        for bit in c.a_bits.iter().chain(&c.b_bits) {
            // bit · (bit - 1) = 0: booleanity.
            eval.add_constraint(bit.clone() * (bit.clone() - E::F::one()));
        }
        let weight = |i: usize| BaseField::from(1u32 << i);
        let byte = |bits: &[E::F; 8]| -> E::F {
            (0..8).fold(E::F::zero(), |acc, i| acc + bits[i].clone() * weight(i))
        };
        let (a, b) = (byte(&c.a_bits), byte(&c.b_bits));
        let and_of_bits =
            (0..8).fold(E::F::zero(), |acc, i| acc + c.a_bits[i].clone() * c.b_bits[i].clone() * weight(i));
        // and - Σ 2^i a_i b_i = 0.
        eval.add_constraint(c.and.clone() - and_of_bits);
        let two = BaseField::from(2);
        let or = a.clone() + b.clone() - c.and.clone();
        let xor = a.clone() + b.clone() - c.and.clone() * two;
        for ((op, multiplicity), result) in BITWISE_OPS.into_iter().zip(c.multiplicity).zip([c.and, or, xor])
        {
            let op = E::F::from(BaseField::from(op as u32));
            yield_tuple(
                &mut eval,
                &self.relations.bitwise,
                multiplicity,
                &[op, a.clone(), b.clone(), result],
            );
        }
        eval.finalize_logup_in_pairs();
        eval
    }
}

/// The main columns of the byte-operation table with these use counts (per operation of
/// [`BITWISE_OPS`], per row): every pair of bytes at its [`bitwise_row`].
#[cfg(feature = "prover")]
pub(crate) fn bitwise_table_columns(counts: &[Vec<u32>]) -> Vec<Vec<M31>> {
    let n = 1usize << BITWISE_LOG_SIZE;
    let [and, or, xor]: &[Vec<u32>; 3] = counts.try_into().expect("a count column per operation");
    debug_assert!(counts.iter().all(|c| c.len() == n));
    let mut columns: Vec<Vec<M31>> =
        (0..BitwiseTableCols::<M31>::N_COLUMNS).map(|_| Vec::with_capacity(n)).collect();
    for (row, ((&uses_and, &uses_or), &uses_xor)) in and.iter().zip(or).zip(xor).enumerate() {
        let (a, b) = (row as u32 & 0xff, row as u32 >> 8);
        debug_assert_eq!(bitwise_row(a, b), row);
        let bits = |x: u32| std::array::from_fn(|i| M31::from(x >> i & 1));
        let cols = BitwiseTableCols {
            multiplicity: [uses_and, uses_or, uses_xor].map(M31::from),
            a_bits: bits(a),
            b_bits: bits(b),
            and: M31::from(a & b),
        };
        cols.write(&mut columns.iter_mut());
    }
    columns
}

/// The row of the byte-operation table for bytes `a` and `b`.
#[cfg(feature = "prover")]
pub(crate) fn bitwise_row(a: u32, b: u32) -> usize {
    debug_assert!(a < 256 && b < 256);
    (a | b << 8) as usize
}

/// The row of the shift table for a shift by `shamt < 32`, left or right.
#[cfg(feature = "prover")]
pub(crate) fn shift_row(left: bool, shamt: u32) -> usize {
    debug_assert!(shamt < 32);
    (u32::from(left) << 5 | shamt) as usize
}

/// `(left, shamt, h, x, y)` of shift-table row `row`: `h = shamt >> 4` and, with `t = shamt mod 16`,
/// `x = 2^t` for right shifts (split each limb at bit `t`) and `x = 2^(16 - t)` for left shifts;
/// `y = 2^16 / x`. See `chips::shift`.
#[cfg(feature = "prover")]
pub(crate) fn shift_table_row(row: u32) -> [u32; 5] {
    let (left, shamt) = (row >> 5, row & 31);
    let t = shamt & 15;
    let x = if left == 1 { 1 << (16 - t) } else { 1 << t };
    [left, shamt, shamt >> 4, x, LIMB / x]
}

/// The shift table: yields `(left, shamt, h, x, y)` (see [`shift_table_row`]) for both directions
/// and every `shamt < 32`, `multiplicity` times.
#[derive(Clone, Debug)]
pub(crate) struct ShiftTableEval {
    pub(crate) relations: Relations,
}

impl FrameworkEval for ShiftTableEval {
    fn log_size(&self) -> u32 {
        SHIFT_LOG_SIZE
    }

    fn max_constraint_log_degree_bound(&self) -> u32 {
        SHIFT_LOG_SIZE + 1
    }

    fn evaluate<E: EvalAtRow>(&self, mut eval: E) -> E {
        let tuple: Vec<E::F> =
            SHIFT_COLUMNS.iter().map(|name| eval.get_preprocessed_column(column_id(name))).collect();
        let multiplicity = eval.next_trace_mask();
        yield_tuple(&mut eval, &self.relations.shift, multiplicity, &tuple);
        eval.finalize_logup_in_pairs();
        eval
    }
}

/// `(lo, hi)` limbs of a word as field elements.
pub(crate) fn word_limbs(word: u32) -> [M31; 2] {
    [M31::from(word % LIMB), M31::from(word / LIMB)]
}
