//! Witness generation: from an execution record to the main trace of every component.
//!
//! One pass over the steps replays every memory access in timestamp order (so each access knows
//! the value and time of the previous one), dispatches each step to its chip, and counts how often
//! each row of the program table, the range tables and the other lookup tables is used.

use std::collections::HashMap;

use stwo::core::fields::m31::M31;

use crate::air::boundary::BoundaryCols;
use crate::air::chips::{self, Frame, RegRead, RegWrite, slot};
use crate::air::lookup::AccessCols;
use crate::air::opcode::{Opcode, ProgramRow};
use crate::air::tables::{
    BITWISE_LOG_SIZE, BITWISE_OPS, MIN_LOG_SIZE, PreprocessedTables, SHIFT_LOG_SIZE, bitwise_row,
    bitwise_table_columns, log_size_for, range_table_columns, shift_row, word_limbs,
};
use crate::air::{Claim, ComponentKind, Relations, Statement, with_eval};
use crate::class::SizeClass;
use crate::prover::ProveError;
use crate::record::Step;
use nzero_abi::layout::MEMORY_END;
use nzero_abi::syscall;
use stwo_constraint_framework::{FrameworkEval, InfoEvaluator, ORIGINAL_TRACE_IDX};

/// Why no witness could be built for an execution.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WitnessError {
    /// The execution used an instruction no chip proves yet.
    #[error("the instruction at pc {pc:#010x} ({opcode:?}) cannot be proven yet")]
    UnsupportedInstruction {
        /// Where.
        pc: u32,
        /// What.
        opcode: Opcode,
    },
    /// The record does not end with a halt.
    #[error("the execution did not halt")]
    NotHalted,
}

/// Every memory cell's current value and last access time.
struct MemoryTracker {
    cells: HashMap<u32, (u32, u32)>,
    /// The initial values of the cells first touched outside the image.
    image: HashMap<u32, u32>,
}

impl MemoryTracker {
    fn new(tables: &PreprocessedTables) -> Self {
        let image: HashMap<u32, u32> = tables.image.iter().copied().collect();
        let cells = image.iter().map(|(&a, &v)| (a, (v, 0))).collect();
        Self { cells, image }
    }

    /// Records an access at `ts` leaving `value`; returns the previous value and time.
    fn access(&mut self, addr: u32, ts: u32, value: u32) -> (u32, u32) {
        let cell = self.cells.entry(addr).or_insert((0, 0));
        std::mem::replace(cell, (value, ts))
    }

    fn value(&self, addr: u32) -> u32 {
        self.cells.get(&addr).map_or(0, |&(v, _)| v)
    }
}

/// Range-table multiplicities.
#[derive(Default)]
struct RangeCounts(HashMap<u32, Vec<u32>>);

impl RangeCounts {
    fn add(&mut self, bits: u32, value: u32) {
        debug_assert!(value < 1 << bits, "{value} does not fit {bits} bits");
        let table = self.0.entry(bits).or_insert_with(|| vec![0; 1 << bits]);
        table[value as usize] += 1;
    }
}

/// Multiplicities of the fixed lookup tables other than the range tables: per table, a count per
/// multiplicity column and row.
#[derive(Default)]
struct TableUses(HashMap<ComponentKind, Vec<Vec<u32>>>);

impl TableUses {
    /// The log size of a fixed table.
    fn log_size(kind: ComponentKind) -> u32 {
        match kind {
            ComponentKind::BitwiseTable => BITWISE_LOG_SIZE,
            ComponentKind::ShiftTable => SHIFT_LOG_SIZE,
            _ => unreachable!("{kind:?} is not a fixed lookup table"),
        }
    }

    /// The number of multiplicity columns of a fixed table.
    fn n_multiplicities(kind: ComponentKind) -> usize {
        match kind {
            ComponentKind::BitwiseTable => BITWISE_OPS.len(),
            ComponentKind::ShiftTable => 1,
            _ => unreachable!("{kind:?} is not a fixed lookup table"),
        }
    }

    fn add(&mut self, kind: ComponentKind, column: usize, row: usize) {
        let table = self
            .0
            .entry(kind)
            .or_insert_with(|| vec![vec![0; 1 << Self::log_size(kind)]; Self::n_multiplicities(kind)]);
        table[column][row] += 1;
    }

    /// The main columns of `kind` (its multiplicities, then any contents) and its log size.
    fn take(&mut self, kind: ComponentKind) -> (Vec<Vec<M31>>, u32) {
        let log_size = Self::log_size(kind);
        let counts = self
            .0
            .remove(&kind)
            .unwrap_or_else(|| vec![vec![0; 1 << log_size]; Self::n_multiplicities(kind)]);
        let columns = match kind {
            ComponentKind::BitwiseTable => bitwise_table_columns(&counts),
            _ => counts.into_iter().map(|c| c.into_iter().map(M31::from).collect()).collect(),
        };
        (columns, log_size)
    }
}

/// What a chip's witness function sees of one step.
pub(crate) struct StepContext<'a> {
    pub(crate) step: &'a Step,
    pub(crate) row: &'a ProgramRow,
    clk: u32,
    memory: &'a mut MemoryTracker,
    ranges: &'a mut RangeCounts,
    tables: &'a mut TableUses,
}

impl StepContext<'_> {
    /// The frame columns of this step.
    pub(crate) fn frame(&self) -> Frame<M31> {
        Frame {
            enabled: M31::from(1),
            pc: M31::from(self.step.pc),
            clk: M31::from(self.clk),
            rd: M31::from(self.row.rd),
            rs1: M31::from(self.row.rs1),
            rs2: M31::from(self.row.rs2),
            imm: word_limbs(self.row.imm),
        }
    }

    /// Counts a range-table use.
    pub(crate) fn range(&mut self, bits: u32, value: u32) {
        self.ranges.add(bits, value);
    }

    /// Counts a use of `(op, a, b, a op b)` from the byte-operation table.
    pub(crate) fn bitwise(&mut self, op: Opcode, a: u32, b: u32) {
        let column = BITWISE_OPS.iter().position(|&o| o == op).expect("a byte operation");
        self.tables.add(ComponentKind::BitwiseTable, column, bitwise_row(a, b));
    }

    /// Counts a use of the shift table's row for a shift by `shamt < 32`.
    pub(crate) fn shift(&mut self, left: bool, shamt: u32) {
        self.tables.add(ComponentKind::ShiftTable, 0, shift_row(left, shamt));
    }

    /// The current value of a cell.
    pub(crate) fn reg_value(&self, addr: u32) -> u32 {
        self.memory.value(addr)
    }

    /// An access to cell `addr` at `slot` leaving `value`: the previous value and the columns.
    pub(crate) fn access(&mut self, addr: u32, slot: u32, value: u32) -> (u32, AccessCols<M31>) {
        let ts = 4 * self.clk + slot;
        let (prev, prev_ts) = self.memory.access(addr, ts, value);
        let diff = ts - prev_ts - 1;
        self.range(16, diff & 0xffff);
        self.range(8, diff >> 16);
        (
            prev,
            AccessCols {
                prev_ts: M31::from(prev_ts),
                ts_diff: [M31::from(diff & 0xffff), M31::from(diff >> 16)],
            },
        )
    }

    /// Reads cell `addr` at `slot`.
    pub(crate) fn read_reg(&mut self, addr: u32, slot: u32) -> RegRead<M31> {
        let value = self.memory.value(addr);
        let (_, access) = self.access(addr, slot, value);
        RegRead { value: word_limbs(value), access }
    }

    /// Reads `rs1`.
    pub(crate) fn read_rs1(&mut self) -> RegRead<M31> {
        self.read_reg(self.row.rs1, slot::RS1)
    }

    /// Reads `rs2`.
    pub(crate) fn read_rs2(&mut self) -> RegRead<M31> {
        self.read_reg(self.row.rs2, slot::RS2)
    }

    /// The statement a halting step makes: the exit code in `a0` and the digest at `a1`.
    pub(crate) fn statement(&self) -> Statement {
        let digest_addr = self.reg_value(chips::ecall::A1);
        let mut digest = [0u8; 32];
        for (i, chunk) in (0u32..).zip(digest.chunks_exact_mut(4)) {
            chunk.copy_from_slice(&self.reg_value(digest_addr + 4 * i).to_le_bytes());
        }
        Statement { exit_code: self.reg_value(chips::ecall::A0), public_values_digest: digest }
    }

    /// Writes `value` to `rd` (the scratch register for `x0`), range-checking both limbs.
    pub(crate) fn write_rd(&mut self, value: u32) -> RegWrite<M31> {
        self.range(16, value & 0xffff);
        self.range(16, value >> 16);
        self.write_rd_unchecked(value)
    }

    /// Writes `value` to `rd` without range-checking it: for chips whose constraints prove by other
    /// means that the value is a word (a bit, byte lookups, bounded decompositions); their eval
    /// must not range-check it either.
    pub(crate) fn write_rd_unchecked(&mut self, value: u32) -> RegWrite<M31> {
        let (prev, access) = self.access(self.row.rd, slot::RD, value);
        RegWrite { prev: word_limbs(prev), access }
    }
}

/// The main trace of every component, in natural row order, plus the statement.
#[derive(Clone)]
pub(crate) struct Witness {
    /// Columns per component, in [`ComponentKind::all`] order, each padded to a power of two.
    pub(crate) columns: Vec<Vec<Vec<M31>>>,
    /// Log size per component.
    pub(crate) log_sizes: Vec<u32>,
    pub(crate) statement: Statement,
}

impl Witness {
    /// Pads every component with zero rows (valid padding for each) to the EVM shape of `class`.
    ///
    /// # Errors
    /// [`ProveError::DoesNotFit`], leaving the witness unchanged, when a component is larger.
    pub(crate) fn pad_to_evm(&mut self, class: SizeClass) -> Result<(), ProveError> {
        let target = Claim::evm(class).log_sizes;
        if let Some((kind, &log_size)) = ComponentKind::all()
            .into_iter()
            .zip(&self.log_sizes)
            .zip(&target)
            .find_map(|((kind, log_size), target)| (log_size > target).then_some((kind, log_size)))
        {
            return Err(ProveError::DoesNotFit { class, what: format!("{kind:?} (2^{log_size} rows)") });
        }
        for ((columns, log_size), &target) in self.columns.iter_mut().zip(&mut self.log_sizes).zip(&target) {
            columns.iter_mut().for_each(|column| column.resize(1 << target, M31::from(0)));
            *log_size = target;
        }
        Ok(())
    }
}

/// A growing table of rows of one component.
#[derive(Clone)]
struct Table {
    columns: Vec<Vec<M31>>,
}

impl Table {
    fn new(n_columns: usize) -> Self {
        Self { columns: vec![Vec::new(); n_columns] }
    }

    /// Appends a row written by `write` (a column struct's `write`).
    fn push(&mut self, write: impl FnOnce(&mut std::slice::IterMut<'_, Vec<M31>>)) {
        write(&mut self.columns.iter_mut());
    }

    fn rows(&self) -> usize {
        self.columns.first().map_or(0, Vec::len)
    }

    /// Pads with zero rows (disabled in every component) to a power of two.
    fn finish(mut self, min_rows: usize) -> (Vec<Vec<M31>>, u32) {
        let log_size = log_size_for(self.rows().max(min_rows));
        for column in &mut self.columns {
            column.resize(1 << log_size, M31::from(0));
        }
        (self.columns, log_size)
    }
}

/// The number of main-trace columns of a component.
fn main_columns(kind: ComponentKind) -> usize {
    with_eval!(kind, MIN_LOG_SIZE, Relations::dummy(), |eval| {
        eval.evaluate(InfoEvaluator::empty()).mask_offsets[ORIGINAL_TRACE_IDX].len()
    })
}

/// Builds the main trace of an execution.
pub(crate) fn generate(
    tables: &PreprocessedTables,
    code_start: u32,
    steps: &[Step],
) -> Result<Witness, WitnessError> {
    let mut memory = MemoryTracker::new(tables);
    let mut ranges = RangeCounts::default();
    let mut table_uses = TableUses::default();
    let mut program_uses = vec![0u32; tables.program.len()];
    let mut traces: HashMap<ComponentKind, Table> =
        ComponentKind::all().into_iter().map(|kind| (kind, Table::new(main_columns(kind)))).collect();
    let mut emit = |kind: ComponentKind, write: &mut dyn FnMut(&mut std::slice::IterMut<'_, Vec<M31>>)| {
        traces.get_mut(&kind).expect("every kind has a table").push(write);
    };
    let mut statement = None;

    for (clk, step) in (0u32..).zip(steps) {
        let index = ((step.pc - code_start) / 4) as usize;
        let row = &tables.program[index];
        program_uses[index] += 1;
        let mut ctx =
            StepContext { step, row, clk, memory: &mut memory, ranges: &mut ranges, tables: &mut table_uses };
        match row.opcode {
            Opcode::Add | Opcode::Sub => {
                let cols = chips::add_sub::witness::row(&mut ctx);
                emit(ComponentKind::AddSub, &mut |c| cols.write(c));
            }
            Opcode::Jal | Opcode::Jalr => {
                let cols = chips::jump::witness::row(&mut ctx);
                emit(ComponentKind::Jump, &mut |c| cols.write(c));
            }
            Opcode::Lb | Opcode::Lh | Opcode::Lw | Opcode::Lbu | Opcode::Lhu => {
                let cols = chips::load::witness::row(&mut ctx);
                emit(ComponentKind::Load, &mut |c| cols.write(c));
            }
            Opcode::Sb | Opcode::Sh | Opcode::Sw => {
                let cols = chips::store::witness::row(&mut ctx);
                emit(ComponentKind::Store, &mut |c| cols.write(c));
            }
            Opcode::Slt | Opcode::Sltu => {
                let cols = chips::compare::witness::row(&mut ctx);
                emit(ComponentKind::Compare, &mut |c| cols.write(c));
            }
            Opcode::Beq | Opcode::Bne | Opcode::Blt | Opcode::Bge | Opcode::Bltu | Opcode::Bgeu => {
                let cols = chips::branch::witness::row(&mut ctx);
                emit(ComponentKind::Branch, &mut |c| cols.write(c));
            }
            Opcode::And | Opcode::Or | Opcode::Xor => {
                let cols = chips::bitwise::witness::row(&mut ctx);
                emit(ComponentKind::Bitwise, &mut |c| cols.write(c));
            }
            Opcode::Sll | Opcode::Srl | Opcode::Sra => {
                let cols = chips::shift::witness::row(&mut ctx);
                emit(ComponentKind::Shift, &mut |c| cols.write(c));
            }
            Opcode::Mul | Opcode::Mulh | Opcode::Mulhsu | Opcode::Mulhu => {
                let cols = chips::mul::witness::row(&mut ctx);
                emit(ComponentKind::Mul, &mut |c| cols.write(c));
            }
            Opcode::Div | Opcode::Divu | Opcode::Rem | Opcode::Remu => {
                let cols = chips::divrem::witness::row(&mut ctx);
                emit(ComponentKind::DivRem, &mut |c| cols.write(c));
            }
            Opcode::Ecall if ctx.reg_value(chips::ecall::A7) == syscall::HALT => {
                let cols = chips::halt::witness::row(&mut ctx);
                statement = Some(ctx.statement());
                emit(ComponentKind::Halt, &mut |c| cols.write(c));
            }
            Opcode::Ecall => {
                let cols = chips::ecall::witness::row(&mut ctx);
                emit(ComponentKind::Ecall, &mut |c| cols.write(c));
            }
            opcode => return Err(WitnessError::UnsupportedInstruction { pc: step.pc, opcode }),
        }
    }
    let statement = statement.ok_or(WitnessError::NotHalted)?;
    traces.insert(ComponentKind::Boundary, boundary_table(&memory, &mut ranges));

    let mut columns = Vec::new();
    let mut log_sizes = Vec::new();
    for kind in ComponentKind::all() {
        let (cols, log_size) = match kind {
            ComponentKind::Program => {
                let uses = program_uses.iter().map(|&n| M31::from(n)).collect();
                Table { columns: vec![uses] }.finish(tables.program.len())
            }
            ComponentKind::Image => (Vec::new(), tables.image_log_size()),
            ComponentKind::Range(bits) => {
                let counts = ranges.0.remove(&bits).unwrap_or_else(|| vec![0; 1 << bits]);
                (range_table_columns(bits, counts), bits)
            }
            ComponentKind::BitwiseTable | ComponentKind::ShiftTable => table_uses.take(kind),
            chip => traces.remove(&chip).expect("every kind has a table").finish(1),
        };
        columns.push(cols);
        log_sizes.push(log_size);
    }
    debug_assert!(ranges.0.is_empty(), "a range check without a table");
    Ok(Witness { columns, log_sizes, statement })
}

/// One row per memory cell, in increasing address order, ending the link chain at `MEMORY_END`.
fn boundary_table(memory: &MemoryTracker, ranges: &mut RangeCounts) -> Table {
    let mut addrs: Vec<u32> = memory.cells.keys().copied().collect();
    addrs.sort_unstable();
    let mut table = Table::new(BoundaryCols::<M31>::N_COLUMNS);
    for (i, &addr) in addrs.iter().enumerate() {
        let next = addrs.get(i + 1).copied().unwrap_or(MEMORY_END);
        let step = next - addr - 1;
        let image = memory.image.get(&addr);
        let (final_value, final_ts) = memory.cells[&addr];
        for (bits, value) in [(16, addr & 0xffff), (13, addr >> 16), (16, step & 0xffff), (13, step >> 16)] {
            ranges.add(bits, value);
        }
        let row = BoundaryCols {
            enabled: M31::from(1),
            addr: word_limbs(addr),
            step: word_limbs(step),
            is_image: M31::from(u32::from(image.is_some())),
            init: word_limbs(image.copied().unwrap_or(0)),
            final_value: word_limbs(final_value),
            final_ts: M31::from(final_ts),
        };
        table.push(|c| row.write(c));
    }
    table
}
