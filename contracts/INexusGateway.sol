// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

import {INexusVerifier} from "./INexusVerifier.sol";

/// @title Errors of the Nexus Zero gateway
interface INexusGatewayErrors {
    /// @notice The proof is shorter than its 4-byte selector.
    error ProofTooShort(uint256 length);
    /// @notice No route for this selector.
    error RouteNotFound(bytes4 selector);
    /// @notice The route for this selector is frozen: its verifier is retired for good.
    error RouteIsFrozen(bytes4 selector);
    /// @notice A route for this selector exists already (routes are add-only).
    error RouteExists(bytes4 selector, address verifier);
    /// @notice The address has no code, so it cannot be a verifier.
    error VerifierNotContract(address verifier);
}

/// @title Events of the Nexus Zero gateway
interface INexusGatewayEvents {
    /// @notice Proofs with `selector` now go to `verifier`.
    event RouteAdded(bytes4 indexed selector, address indexed verifier);
    /// @notice Proofs with `selector` are refused from now on, irreversibly.
    event RouteFrozen(bytes4 indexed selector, address indexed verifier);
}

/// @title Nexus Zero gateway: one address for every verifier, routed by the proof's selector
/// @notice Applications call `verifyProof` here; the first four bytes of the proof (the selector, a hash
///         of the verifying key) pick the verifier. The owner adds routes and freezes them; a route can be
///         neither replaced nor unfrozen.
interface INexusGateway is INexusVerifier, INexusGatewayErrors, INexusGatewayEvents {
    /// @notice Routes the selector of `verifier` (its `SELECTOR()`) to it. Only the owner.
    function addRoute(address verifier) external;
    /// @notice Refuses proofs with `selector` from now on. Irreversible. Only the owner.
    function freezeRoute(bytes4 selector) external;
    /// @notice The route of `selector`: its verifier (zero if none) and whether it is frozen.
    function routes(bytes4 selector) external view returns (address verifier, bool frozen);
}
