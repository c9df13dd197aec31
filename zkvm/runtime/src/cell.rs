//! Global mutable state for a single-hart, single-threaded guest.

use core::cell::RefCell;

/// A `RefCell` that may live in a `static`: the guest has one hart and no threads or interrupts.
pub(crate) struct GuestCell<T>(RefCell<T>);

// SAFETY: the zkVM runs one hart without interrupts, so no two accesses are ever concurrent.
unsafe impl<T> Sync for GuestCell<T> {}

impl<T> GuestCell<T> {
    pub(crate) const fn new(value: T) -> Self {
        Self(RefCell::new(value))
    }

    pub(crate) fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        f(&mut self.0.borrow_mut())
    }
}
