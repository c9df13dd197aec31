#!/usr/bin/env python3
"""An independent RV32IM reference for the executor's differential tests (zkvm/tests/differential.rs).

Unicorn (QEMU's CPU emulator) runs what the test sends, and the test compares the outcome with the
zkVM's own executor. One process serves a whole batch: a JSON request on stdin, a JSON reply on
stdout, so thousands of programs cost one interpreter start-up.

Two kinds of request:

``{"kind": "snippets", "code_start", "data_start", "data_len", "max_steps", "programs": [{"code", "data"}]}``
    Each program's code words are placed at ``code_start`` and its data (hex) at ``data_start``
    (``data_len`` bytes for every program); every register starts at zero. The program
    runs from ``code_start`` until the pc reaches the end of its code (its control flow only moves
    forward), for at most ``max_steps`` instructions. Reply: ``{"results": [{"regs": [32 words],
    "pc", "data" (hex), "steps", "error"}]}``, ``error`` being ``null`` or a description.

``{"kind": "guests", "memory_start", "memory_end", "syscalls": {...}, "max_steps", "runs": [{"elf", "input"}]}``
    Each ELF (a path) is loaded by its PT_LOAD segments into ``[memory_start, memory_end)`` and runs
    from its entry point with every register zero, the zkVM's syscalls (numbers in ``syscalls``, as
    in ``nzero_abi::syscall``) served by an interrupt hook, until it halts or runs ``max_steps``
    instructions. ``input`` is hex. Reply: ``{"results": [{"exit_code", "public_values", "digest",
    "stdout", "stderr" (hex), "steps", "error"}]}``, ``steps`` counting the halting ``ecall``.
"""

import json
import struct
import sys

from unicorn import (
    UC_ARCH_RISCV,
    UC_HOOK_BLOCK,
    UC_HOOK_INTR,
    UC_MODE_RISCV32,
    Uc,
    UcError,
)
from unicorn.riscv_const import UC_RISCV_REG_PC, UC_RISCV_REG_X0

PAGE = 0x1000
# Unicorn reports an `ecall` as exception 8 (from U-mode), 9 (S-mode) or 11 (M-mode), and has already
# moved the pc past it when the hook runs.
ECALL_CAUSES = (8, 9, 11)
A0, A1, A2, A7 = 10, 11, 12, 17


def reg(uc, index):
    return uc.reg_read(UC_RISCV_REG_X0 + index)


def set_reg(uc, index, value):
    uc.reg_write(UC_RISCV_REG_X0 + index, value & 0xFFFF_FFFF)


def read(uc, address, length):
    # An empty slice may carry any (dangling) address; the zkVM reads nothing for it.
    return uc.mem_read(address, length) if length else b""


def page_span(start, length):
    first = start & ~(PAGE - 1)
    last = (start + length + PAGE - 1) & ~(PAGE - 1)
    return first, last - first


def words_to_bytes(words):
    return struct.pack(f"<{len(words)}I", *words)


class StepCounter:
    """Counts executed instructions with a basic-block hook (a per-instruction Python hook is several
    times slower). A translated block runs to its end unless an exception leaves it; the only exception
    a correct run takes is `ecall`, which ends its block, so the counts are exact for runs without an
    error. The limit is checked at block starts, so a runaway program stops within one block."""

    def __init__(self, uc, limit):
        self.steps = 0
        self.limit = limit
        self.exceeded = False
        uc.hook_add(UC_HOOK_BLOCK, self.block)

    def block(self, uc, address, size, _user_data):
        if self.steps >= self.limit:
            self.exceeded = True
            uc.emu_stop()
            return
        self.steps += size // 4


def run_snippets(request):
    code_start, data_start, data_len = request["code_start"], request["data_start"], request["data_len"]
    max_code = max((len(p["code"]) for p in request["programs"]), default=0) * 4
    uc = Uc(UC_ARCH_RISCV, UC_MODE_RISCV32)
    uc.mem_map(*page_span(code_start, max(max_code, 4)))
    uc.mem_map(*page_span(data_start, data_len))
    errors = []

    def on_interrupt(uc, intno, _user_data):
        errors.append(f"exception {intno} at pc {reg_pc(uc):#010x}")
        uc.emu_stop()

    uc.hook_add(UC_HOOK_INTR, on_interrupt)
    counter = StepCounter(uc, request["max_steps"])
    results = []
    for program in request["programs"]:
        code = words_to_bytes(program["code"])
        end = code_start + len(code)
        uc.mem_write(code_start, code)
        # Every program reuses the same code addresses: drop the previous program's translations.
        uc.ctl_remove_cache(code_start, code_start + max(max_code, 4))
        uc.mem_write(data_start, bytes.fromhex(program["data"]))
        for i in range(1, 32):
            set_reg(uc, i, 0)
        errors.clear()
        counter.steps, counter.exceeded = 0, False
        try:
            uc.emu_start(code_start, end)
        except UcError as e:
            errors.append(f"{e} at pc {reg_pc(uc):#010x}")
        if counter.exceeded:
            errors.append(f"instruction limit of {counter.limit} reached at pc {reg_pc(uc):#010x}")
        results.append(
            {
                "regs": [reg(uc, i) for i in range(32)],
                "pc": reg_pc(uc),
                "data": bytes(uc.mem_read(data_start, data_len)).hex(),
                "steps": counter.steps,
                "error": "; ".join(errors) or None,
            }
        )
    return results


def reg_pc(uc):
    return uc.reg_read(UC_RISCV_REG_PC)


def load_elf(uc, path, memory_start, memory_end):
    """Writes the ELF's PT_LOAD segments into memory (the rest stays zero) and returns its entry."""
    with open(path, "rb") as f:
        elf = f.read()
    if elf[:4] != b"\x7fELF" or elf[4] != 1 or elf[5] != 1:
        raise ValueError(f"{path}: not a 32-bit little-endian ELF")
    entry, phoff = struct.unpack_from("<II", elf, 24)
    phentsize, phnum = struct.unpack_from("<HH", elf, 42)
    for i in range(phnum):
        p_type, p_offset, p_vaddr, _paddr, p_filesz, p_memsz = struct.unpack_from("<6I", elf, phoff + i * phentsize)
        if p_type != 1 or p_memsz == 0:
            continue
        if p_vaddr < memory_start or p_vaddr + p_memsz > memory_end:
            raise ValueError(f"{path}: segment {i} at {p_vaddr:#x} is outside guest memory")
        uc.mem_write(p_vaddr, elf[p_offset : p_offset + p_filesz])
    return entry


class Guest:
    """One guest run: the zkVM's syscalls over Unicorn's `ecall` exceptions."""

    def __init__(self, uc, syscalls, input_bytes):
        self.uc = uc
        self.numbers = syscalls
        self.input = input_bytes
        self.input_pos = 0
        self.public_values = bytearray()
        self.stdout = bytearray()
        self.stderr = bytearray()
        self.exit_code = None
        self.digest = None
        self.error = None

    def fail(self, message):
        self.error = message
        self.uc.emu_stop()

    def on_interrupt(self, uc, intno, _user_data):
        # The pc already points past the `ecall`.
        pc = reg_pc(uc) - 4
        if intno not in ECALL_CAUSES:
            return self.fail(f"exception {intno} near pc {pc:#010x}")
        n = self.numbers
        number, a0, a1, a2 = reg(uc, A7), reg(uc, A0), reg(uc, A1), reg(uc, A2)
        if number == n["HALT"]:
            self.exit_code = a0
            self.digest = bytes(uc.mem_read(a1, 32))
            uc.emu_stop()
        elif number == n["INPUT_LEN"]:
            set_reg(uc, A0, len(self.input))
        elif number == n["READ_INPUT_WORD"]:
            word = self.input[self.input_pos : self.input_pos + 4].ljust(4, b"\0")
            self.input_pos += 4
            set_reg(uc, A0, int.from_bytes(word, "little"))
        elif number == n["COMMIT"]:
            self.public_values += read(uc, a0, a1)
        elif number == n["WRITE"]:
            if a0 == 1:
                self.stdout += read(uc, a1, a2)
            elif a0 == 2:
                self.stderr += read(uc, a1, a2)
            else:
                self.fail(f"write to unknown file descriptor {a0} at pc {pc:#010x}")
        else:
            self.fail(f"unknown syscall {number} at pc {pc:#010x}")


def run_guests(request):
    memory_start, memory_end = request["memory_start"], request["memory_end"]
    results = []
    for run in request["runs"]:
        uc = Uc(UC_ARCH_RISCV, UC_MODE_RISCV32)
        # The whole guest address space: Unicorn allocates host pages only as they are touched.
        uc.mem_map(memory_start, memory_end - memory_start)
        entry = load_elf(uc, run["elf"], memory_start, memory_end)
        guest = Guest(uc, request["syscalls"], bytes.fromhex(run["input"]))
        uc.hook_add(UC_HOOK_INTR, guest.on_interrupt)
        counter = StepCounter(uc, request["max_steps"])
        try:
            # No `until` address: the run ends at the halt syscall (or an error).
            uc.emu_start(entry, 0)
        except UcError as e:
            guest.error = f"{e} at pc {reg_pc(uc):#010x}"
        if counter.exceeded:
            guest.error = f"instruction limit of {counter.limit} reached at pc {reg_pc(uc):#010x}"
        if guest.error is None and guest.exit_code is None:
            guest.error = f"stopped at pc {reg_pc(uc):#010x} without halting"
        results.append(
            {
                "exit_code": guest.exit_code,
                "public_values": guest.public_values.hex(),
                "digest": guest.digest.hex() if guest.digest is not None else None,
                "stdout": guest.stdout.hex(),
                "stderr": guest.stderr.hex(),
                "steps": counter.steps,
                "error": guest.error,
            }
        )
    return results


def main():
    request = json.load(sys.stdin)
    kinds = {"snippets": run_snippets, "guests": run_guests}
    # One write: `json.dump` to a stream writes piece by piece, which dominates a large reply.
    sys.stdout.write(json.dumps({"results": kinds[request["kind"]](request)}, separators=(",", ":")))


if __name__ == "__main__":
    main()
