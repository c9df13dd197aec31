//! The contracts' ABI (mirroring `contracts/INexusVerifier.sol` and `contracts/INexusGateway.sol`) and the
//! decoding of their custom errors from revert data.

use alloy::primitives::{Address, address};
use alloy::sol;
use alloy::sol_types::SolInterface;

/// The deterministic deployment proxy: `salt ‖ initCode` in, a CREATE2 deployment out. Present on most
/// chains and on anvil by default; `script/Deploy.s.sol` uses it too.
pub const CREATE2_FACTORY: Address = address!("4e59b44847b379578588920cA78FbF26c0B4956C");

sol! {
    /// A verifier's and the gateway's entry point, and a verifier's selector.
    #[sol(rpc)]
    interface INexusRoutedVerifier {
        error ProofLengthInvalid(uint256 expected, uint256 actual);
        error SelectorMismatch(bytes4 expected, bytes4 actual);
        error ProofCoordinateOutOfRange(uint256 word);
        error ProofPointNotOnCurve(uint256 point);
        error ProofInvalid();

        function verifyProof(bytes32 programVKey, bytes calldata publicValues, bytes calldata proof) external view;
        function SELECTOR() external view returns (bytes4);
    }

    /// The gateway's routes and ownership.
    #[sol(rpc)]
    interface INexusGateway {
        error ProofTooShort(uint256 length);
        error RouteNotFound(bytes4 selector);
        error RouteIsFrozen(bytes4 selector);
        error RouteExists(bytes4 selector, address verifier);
        error VerifierNotContract(address verifier);
        error OwnableUnauthorizedAccount(address account);

        event RouteAdded(bytes4 indexed selector, address indexed verifier);
        event RouteFrozen(bytes4 indexed selector, address indexed verifier);

        function addRoute(address verifier) external;
        function freezeRoute(bytes4 selector) external;
        function routes(bytes4 selector) external view returns (address verifier, bool frozen);
        function owner() external view returns (address);
    }
}

/// The named custom error (with its arguments) that `data` encodes, if it is one of the verifiers' or
/// the gateway's; otherwise the raw data in hex.
pub fn decode_revert(data: &[u8]) -> String {
    use INexusGateway::INexusGatewayErrors as Gateway;
    use INexusRoutedVerifier::INexusRoutedVerifierErrors as Verifier;
    if let Ok(error) = Verifier::abi_decode(data) {
        return match error {
            Verifier::ProofLengthInvalid(e) => {
                format!("ProofLengthInvalid(expected {}, actual {})", e.expected, e.actual)
            }
            Verifier::SelectorMismatch(e) => {
                format!("SelectorMismatch(expected {}, actual {})", e.expected, e.actual)
            }
            Verifier::ProofCoordinateOutOfRange(e) => format!("ProofCoordinateOutOfRange(word {})", e.word),
            Verifier::ProofPointNotOnCurve(e) => format!("ProofPointNotOnCurve(point {})", e.point),
            Verifier::ProofInvalid(_) => "ProofInvalid()".to_owned(),
        };
    }
    if let Ok(error) = Gateway::abi_decode(data) {
        return match error {
            Gateway::ProofTooShort(e) => format!("ProofTooShort(length {})", e.length),
            Gateway::RouteNotFound(e) => format!("RouteNotFound(selector {})", e.selector),
            Gateway::RouteIsFrozen(e) => format!("RouteIsFrozen(selector {})", e.selector),
            Gateway::RouteExists(e) => {
                format!("RouteExists(selector {}, verifier {})", e.selector, e.verifier)
            }
            Gateway::VerifierNotContract(e) => format!("VerifierNotContract({})", e.verifier),
            Gateway::OwnableUnauthorizedAccount(e) => format!("OwnableUnauthorizedAccount({})", e.account),
        };
    }
    if data.is_empty() {
        "no revert data".to_owned()
    } else {
        format!("unknown error 0x{}", hex::encode(data))
    }
}

#[cfg(test)]
mod tests {
    use alloy::primitives::{FixedBytes, U256};
    use alloy::sol_types::SolError;

    use super::*;

    #[test]
    fn custom_errors_are_named() {
        let data = INexusRoutedVerifier::ProofInvalid {}.abi_encode();
        assert_eq!(decode_revert(&data), "ProofInvalid()");
        let data = INexusGateway::RouteNotFound { selector: FixedBytes([1, 2, 3, 4]) }.abi_encode();
        assert_eq!(decode_revert(&data), "RouteNotFound(selector 0x01020304)");
        let data =
            INexusRoutedVerifier::ProofLengthInvalid { expected: U256::from(260), actual: U256::from(3) }
                .abi_encode();
        assert_eq!(decode_revert(&data), "ProofLengthInvalid(expected 260, actual 3)");
    }

    #[test]
    fn other_data_is_shown_raw() {
        assert_eq!(decode_revert(&[]), "no revert data");
        assert_eq!(decode_revert(&[0xde, 0xad]), "unknown error 0xdead");
    }
}
