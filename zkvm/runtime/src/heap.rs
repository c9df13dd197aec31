//! The heap: a bump allocator from the end of the program image up to the stack's reserved area.
//!
//! Guests are short-lived, so memory is never returned, except that freeing or growing the most
//! recent allocation happens in place (which makes a growing `Vec` cheap).

use core::alloc::{GlobalAlloc, Layout};

use crate::cell::GuestCell;

unsafe extern "C" {
    /// End of the program image (from the linker script).
    static _end: u8;
}

#[derive(Clone, Copy)]
struct State {
    /// The next free address; zero until the first allocation.
    next: usize,
    /// Start of the most recent allocation.
    last: usize,
    /// Nothing at or above this address was ever handed out, so it is still zero.
    pristine: usize,
}

struct BumpAllocator {
    state: GuestCell<State>,
}

#[global_allocator]
static HEAP: BumpAllocator = BumpAllocator { state: GuestCell::new(State { next: 0, last: 0, pristine: 0 }) };

const HEAP_END: usize = nzero_abi::layout::HEAP_END as usize;

impl State {
    fn bump(&mut self, layout: Layout) -> *mut u8 {
        if self.next == 0 {
            self.next = &raw const _end as usize;
            self.pristine = self.next;
        }
        let start = (self.next + layout.align() - 1) & !(layout.align() - 1);
        match start.checked_add(layout.size()) {
            Some(end) if end <= HEAP_END => {
                (self.next, self.last) = (end, start);
                self.pristine = self.pristine.max(end);
                start as *mut u8
            }
            _ => core::ptr::null_mut(),
        }
    }

    /// Whether `ptr..ptr + size` is the most recent allocation and ends at `next`.
    fn is_last(&self, ptr: *mut u8, size: usize) -> bool {
        ptr as usize == self.last && self.last + size == self.next
    }
}

// SAFETY: every block handed out is aligned, inside the heap area, and not handed out again while
// live (only the most recent block is ever taken back).
unsafe impl GlobalAlloc for BumpAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        self.state.with(|state| state.bump(layout))
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let (ptr, pristine) = self.state.with(|state| {
            let before = state.pristine;
            (state.bump(layout), before)
        });
        // The VM starts memory at zero: only the part of the block that was handed out before (and
        // taken back) needs clearing.
        let dirty = pristine.saturating_sub(ptr as usize).min(layout.size());
        if !ptr.is_null() && dirty > 0 {
            // SAFETY: `ptr..ptr + layout.size()` was just allocated.
            unsafe { core::ptr::write_bytes(ptr, 0, dirty) };
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        self.state.with(|state| {
            if state.is_last(ptr, layout.size()) {
                state.next = state.last;
            }
        });
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let in_place = self.state.with(|state| match state.last.checked_add(new_size) {
            Some(end) if state.is_last(ptr, layout.size()) && end <= HEAP_END => {
                state.next = end;
                state.pristine = state.pristine.max(end);
                true
            }
            _ => false,
        });
        if in_place {
            return ptr;
        }
        // SAFETY: `layout` and `new_size` come from the caller, per `GlobalAlloc::realloc`.
        unsafe {
            let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
            let new = self.alloc(new_layout);
            if !new.is_null() {
                core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
            }
            new
        }
    }
}
