//! Building a guest's private input on the host.

use serde::Serialize;

/// A value could not be encoded as guest input.
#[derive(Debug, thiserror::Error)]
#[error("cannot encode a guest input value: {0}")]
pub struct EncodeError(#[source] postcard::Error);

/// The private input of a run: a byte stream the guest reads in order, raw
/// (`nzero_runtime::read_slice`) or as serde values (`nzero_runtime::read`, postcard encoding).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Input(Vec<u8>);

impl Input {
    /// An empty input.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a value the guest reads with `nzero_runtime::read::<T>()`.
    ///
    /// # Errors
    /// [`EncodeError`] when the value's `Serialize` implementation fails.
    pub fn write<T: Serialize>(&mut self, value: &T) -> Result<&mut Self, EncodeError> {
        let bytes = postcard::to_stdvec(value).map_err(EncodeError)?;
        self.0.extend_from_slice(&bytes);
        Ok(self)
    }

    /// Appends raw bytes the guest reads with `nzero_runtime::read_slice` or `read_vec`.
    pub fn write_bytes(&mut self, bytes: &[u8]) -> &mut Self {
        self.0.extend_from_slice(bytes);
        self
    }

    /// The encoded input.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Input {
    fn from(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }
}
