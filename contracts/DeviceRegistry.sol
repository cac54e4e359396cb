// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// @title DeviceRegistry: which devices may earn flexibility payouts (ADR 0011).
/// @notice The admin appoints gatekeepers (DSOs, the TSO); a gatekeeper registers the devices it has
/// checked (credential, rated power, area). A device id is keccak256 of its stable name. A device is
/// registered at most once and a revoked device stays revoked.
contract DeviceRegistry {
    enum Status {
        None,
        Active,
        Revoked
    }

    struct Device {
        bytes32 area;
        bytes32 credentialHash;
        address gatekeeper;
        uint32 ratedPowerW;
        uint8 kind;
        Status status;
    }

    address public immutable admin;
    mapping(address => bool) public isGatekeeper;
    uint256 public activeCount;

    mapping(bytes32 => Device) private _devices;

    event GatekeeperGranted(address indexed gatekeeper);
    event GatekeeperRevoked(address indexed gatekeeper);
    event DeviceRegistered(
        bytes32 indexed device,
        bytes32 indexed area,
        address indexed gatekeeper,
        bytes32 credentialHash,
        uint32 ratedPowerW,
        uint8 kind
    );
    event DeviceRevoked(bytes32 indexed device, address indexed by);

    error ZeroAddress();
    error NotAdmin(address caller);
    error NotGatekeeper(address caller);
    error NotDeviceGatekeeper(bytes32 device, address caller);
    error AlreadyRegistered(bytes32 device);
    error DeviceIsRevoked(bytes32 device);
    error UnknownDevice(bytes32 device);
    error LengthMismatch();

    constructor(address admin_) {
        if (admin_ == address(0)) revert ZeroAddress();
        admin = admin_;
    }

    modifier onlyAdmin() {
        if (msg.sender != admin) revert NotAdmin(msg.sender);
        _;
    }

    modifier onlyGatekeeper() {
        if (!isGatekeeper[msg.sender]) revert NotGatekeeper(msg.sender);
        _;
    }

    /// @notice Appoints a gatekeeper. Granting an existing gatekeeper is a no-op (no event).
    function grantGatekeeper(address gatekeeper) external onlyAdmin {
        if (gatekeeper == address(0)) revert ZeroAddress();
        if (isGatekeeper[gatekeeper]) return;
        isGatekeeper[gatekeeper] = true;
        emit GatekeeperGranted(gatekeeper);
    }

    /// @notice Removes a gatekeeper. Its devices stay registered (the admin can revoke them).
    function revokeGatekeeper(address gatekeeper) external onlyAdmin {
        if (!isGatekeeper[gatekeeper]) return;
        isGatekeeper[gatekeeper] = false;
        emit GatekeeperRevoked(gatekeeper);
    }

    function registerDevice(bytes32 device, bytes32 area, bytes32 credentialHash, uint32 ratedPowerW, uint8 kind)
        external
        onlyGatekeeper
    {
        _register(device, area, credentialHash, ratedPowerW, kind);
        activeCount += 1;
    }

    /// @notice Registers many devices in one transaction; all or nothing.
    function registerDevices(
        bytes32[] calldata devices,
        bytes32[] calldata areas,
        bytes32[] calldata credentialHashes,
        uint32[] calldata ratedPowersW,
        uint8[] calldata kinds
    ) external onlyGatekeeper {
        uint256 n = devices.length;
        if (areas.length != n || credentialHashes.length != n || ratedPowersW.length != n || kinds.length != n) {
            revert LengthMismatch();
        }
        for (uint256 i = 0; i < n; ++i) {
            _register(devices[i], areas[i], credentialHashes[i], ratedPowersW[i], kinds[i]);
        }
        activeCount += n;
    }

    /// @notice Revokes a device for good: by the (still appointed) gatekeeper that registered it, or the admin.
    function revokeDevice(bytes32 device) external {
        Device storage d = _devices[device];
        if (d.status == Status.None) revert UnknownDevice(device);
        if (d.status == Status.Revoked) revert DeviceIsRevoked(device);
        if (msg.sender != admin && (msg.sender != d.gatekeeper || !isGatekeeper[msg.sender])) {
            revert NotDeviceGatekeeper(device, msg.sender);
        }
        d.status = Status.Revoked;
        activeCount -= 1;
        emit DeviceRevoked(device, msg.sender);
    }

    function isActive(bytes32 device) external view returns (bool) {
        return _devices[device].status == Status.Active;
    }

    /// @notice The device's record; all zero (status None) for an unknown device.
    function deviceOf(bytes32 device) external view returns (Device memory) {
        return _devices[device];
    }

    function _register(bytes32 device, bytes32 area, bytes32 credentialHash, uint32 ratedPowerW, uint8 kind)
        private
    {
        Device storage d = _devices[device];
        if (d.status == Status.Active) revert AlreadyRegistered(device);
        if (d.status == Status.Revoked) revert DeviceIsRevoked(device);
        d.area = area;
        d.credentialHash = credentialHash;
        d.gatekeeper = msg.sender;
        d.ratedPowerW = ratedPowerW;
        d.kind = kind;
        d.status = Status.Active;
        emit DeviceRegistered(device, area, msg.sender, credentialHash, ratedPowerW, kind);
    }
}
