// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {DeviceRegistry} from "./DeviceRegistry.sol";
import {SettlementCredits} from "./SettlementCredits.sol";

/// @title Settlement: commits each microgrid's per-slot statement once a quorum of its validators signed it.
/// @notice The statement layout and hashes match src/core/ledger/statement.ts (ADR 0010, ADR 0011):
/// statementHash = keccak256(abi.encode(statement)); validators sign, raw secp256k1 with low s and no
/// EIP-191 prefix, signingDigest = keccak256(abi.encode(SIGNING_DOMAIN, chainid, this, statementHash)).
/// Anyone may submit a signed statement. One statement per (microgrid, slot): offering the same one
/// again is a no-op (`StatementDuplicate`), offering a different one is refused but recorded
/// (`StatementConflict`) without reverting, so the evidence stays on chain.
contract Settlement {
    struct FlexPayout {
        bytes32 device;
        bytes32 account;
        bytes32 buyer;
        uint64 verifiedWh;
        uint64 priceMinorPerKwh;
        uint64 penaltyMinor;
    }

    struct Statement {
        bytes32 microgrid;
        uint64 slot;
        bytes32 readingsRoot;
        bytes32 ordersRoot;
        bytes32 tradesRoot;
        bytes32[] accounts;
        int256[] deltasMinor;
        FlexPayout[] payouts;
    }

    bytes32 public constant SIGNING_DOMAIN = keccak256("gridmesh.settlement.v1");
    uint256 public constant MAX_VALIDATORS = 64;
    uint8 public constant OUTCOME_COMMITTED = 1;
    uint8 public constant OUTCOME_DUPLICATE = 2;
    uint8 public constant OUTCOME_CONFLICT = 3;
    /// @dev secp256k1 group order / 2: signatures with a larger s are malleable copies and refused.
    uint256 private constant HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

    DeviceRegistry public immutable registry;
    SettlementCredits public immutable credits;
    address public immutable admin;
    uint256 public committedCount;

    mapping(bytes32 => address[]) private _validators;
    mapping(bytes32 => uint256) private _quorum;
    mapping(bytes32 => mapping(address => bool)) private _isValidator;
    mapping(bytes32 => mapping(uint64 => bytes32)) private _committed;

    event MicrogridRegistered(bytes32 indexed microgrid, address[] validators, uint256 quorum, bool replaced);
    event StatementCommitted(bytes32 indexed microgrid, uint64 indexed slot, bytes32 statementHash);
    event StatementDuplicate(bytes32 indexed microgrid, uint64 indexed slot, bytes32 statementHash);
    event StatementConflict(
        bytes32 indexed microgrid, uint64 indexed slot, bytes32 committedHash, bytes32 offeredHash
    );

    error ZeroAddress();
    error NotAdminOrGatekeeper(address caller);
    error NoValidators();
    error TooManyValidators(uint256 count, uint256 max);
    error ValidatorsNotAscending(uint256 index);
    error UnknownMicrogrid(bytes32 microgrid);
    error BelowQuorum(uint256 have, uint256 need);
    error BadSignatureLength(uint256 index, uint256 length);
    error BadSignature(uint256 index);
    error HighS(uint256 index);
    error SignersNotAscending(uint256 index);
    error UnknownSigner(address signer);
    error LengthMismatch(uint256 accounts, uint256 deltas);
    error AccountsNotAscending(uint256 index);
    error DeviceNotActive(bytes32 device);

    constructor(DeviceRegistry registry_, SettlementCredits credits_, address admin_) {
        if (address(registry_) == address(0) || address(credits_) == address(0) || admin_ == address(0)) {
            revert ZeroAddress();
        }
        registry = registry_;
        credits = credits_;
        admin = admin_;
    }

    /// @notice Sets (or replaces) a microgrid's validators: strictly ascending addresses, 1 to 64.
    /// Quorum = ceil(2n/3).
    function registerMicrogrid(bytes32 microgrid, address[] calldata validators) external {
        if (msg.sender != admin && !registry.isGatekeeper(msg.sender)) revert NotAdminOrGatekeeper(msg.sender);
        uint256 n = validators.length;
        if (n == 0) revert NoValidators();
        if (n > MAX_VALIDATORS) revert TooManyValidators(n, MAX_VALIDATORS);
        address previous = address(0);
        for (uint256 i = 0; i < n; ++i) {
            if (validators[i] <= previous) revert ValidatorsNotAscending(i);
            previous = validators[i];
        }
        address[] storage old = _validators[microgrid];
        bool replaced = old.length > 0;
        for (uint256 i = 0; i < old.length; ++i) {
            delete _isValidator[microgrid][old[i]];
        }
        for (uint256 i = 0; i < n; ++i) {
            _isValidator[microgrid][validators[i]] = true;
        }
        _validators[microgrid] = validators;
        uint256 quorum = (2 * n + 2) / 3;
        _quorum[microgrid] = quorum;
        emit MicrogridRegistered(microgrid, validators, quorum, replaced);
    }

    /// @notice Commits a quorum-signed statement. Returns 1 committed, 2 duplicate, 3 conflict.
    function submitStatement(Statement calldata s, bytes[] calldata signatures) external returns (uint8 outcome) {
        bytes32 hash = _encodedHash(s);
        _checkSignatures(s.microgrid, signingDigest(hash), signatures);

        bytes32 committed = _committed[s.microgrid][s.slot];
        if (committed == hash) {
            emit StatementDuplicate(s.microgrid, s.slot, hash);
            return OUTCOME_DUPLICATE;
        }
        if (committed != bytes32(0)) {
            emit StatementConflict(s.microgrid, s.slot, committed, hash);
            return OUTCOME_CONFLICT;
        }

        _checkAccounts(s);
        // Straight from calldata: no per-account copying here; the credits check that the deltas balance.
        credits.applyDeltas(s.accounts, s.deltasMinor);
        if (s.payouts.length > 0) {
            (bytes32[] memory accounts, int256[] memory deltas) = _payoutChanges(s.payouts);
            credits.applyDeltas(accounts, deltas);
        }
        _committed[s.microgrid][s.slot] = hash;
        committedCount += 1;
        emit StatementCommitted(s.microgrid, s.slot, hash);
        return OUTCOME_COMMITTED;
    }

    function statementHash(Statement calldata s) external pure returns (bytes32) {
        return keccak256(abi.encode(s));
    }

    function signingDigest(bytes32 statementHash_) public view returns (bytes32) {
        return keccak256(abi.encode(SIGNING_DOMAIN, block.chainid, address(this), statementHash_));
    }

    /// @notice The hash committed for (microgrid, slot), zero if none.
    function statementHashOf(bytes32 microgrid, uint64 slot) external view returns (bytes32) {
        return _committed[microgrid][slot];
    }

    function validatorsOf(bytes32 microgrid) external view returns (address[] memory) {
        return _validators[microgrid];
    }

    function quorumOf(bytes32 microgrid) external view returns (uint256) {
        return _quorum[microgrid];
    }

    /// @dev Reverts unless the signatures are a quorum of distinct validators of the microgrid, in
    /// strictly ascending signer order.
    function _checkSignatures(bytes32 microgrid, bytes32 digest, bytes[] calldata signatures) private view {
        uint256 need = _quorum[microgrid];
        if (need == 0) revert UnknownMicrogrid(microgrid);
        if (signatures.length < need) revert BelowQuorum(signatures.length, need);
        mapping(address => bool) storage isValidator = _isValidator[microgrid];
        address previous = address(0);
        for (uint256 i = 0; i < signatures.length; ++i) {
            bytes calldata sig = signatures[i];
            if (sig.length != 65) revert BadSignatureLength(i, sig.length);
            bytes32 r = bytes32(sig[0:32]);
            bytes32 sv = bytes32(sig[32:64]);
            uint8 v = uint8(sig[64]);
            if (uint256(sv) > HALF_N) revert HighS(i);
            if (v != 27 && v != 28) revert BadSignature(i);
            address signer = ecrecover(digest, v, r, sv);
            if (signer == address(0)) revert BadSignature(i);
            if (signer <= previous) revert SignersNotAscending(i);
            if (!isValidator[signer]) revert UnknownSigner(signer);
            previous = signer;
        }
    }

    /// @dev keccak256(abi.encode(s)) without re-encoding `s` element by element: abi.encode of one
    /// dynamic tuple is the word 0x20 followed by the tuple's encoding, and the canonical encoding of
    /// `s` is (8 + 1 + accounts + 1 + deltas + 1 + 6 x payouts) words long, so it is hashed straight
    /// from the calldata at `s`. If the submitter laid `s` out another way (a gap, arrays in another
    /// order), those bytes are not the canonical encoding of any statement: their hash was signed by
    /// nobody (keccak256 is collision resistant) and the signature check fails. If they do hash to
    /// a signed statement, they are its canonical encoding, whose offsets decode `s` as exactly that
    /// statement. O(1) EVM steps instead of a loop over every account.
    function _encodedHash(Statement calldata s) private pure returns (bytes32 hash) {
        uint256 len = 32 * (11 + s.accounts.length + s.deltasMinor.length + 6 * s.payouts.length);
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, 0x20)
            calldatacopy(add(ptr, 0x20), s, len)
            hash := keccak256(ptr, add(len, 0x20))
        }
    }

    /// @dev Equal lengths and strictly ascending accounts (so each account appears once). The
    /// balancing (sum of deltas = 0) is checked by the credits contract as it applies them.
    function _checkAccounts(Statement calldata s) private pure {
        uint256 n = s.accounts.length;
        if (s.deltasMinor.length != n) revert LengthMismatch(n, s.deltasMinor.length);
        bytes32[] calldata accounts = s.accounts;
        uint256 bad = 0;
        assembly ("memory-safe") {
            let p := accounts.offset
            let previous := calldataload(p)
            for { let i := 1 } lt(i, n) { i := add(i, 1) } {
                let account := calldataload(add(p, shl(5, i)))
                if iszero(gt(account, previous)) {
                    bad := i
                    break
                }
                previous := account
            }
        }
        if (bad != 0) revert AccountsNotAscending(bad);
    }

    /// @dev Each payout's pair of balance changes (+amount to the account, -amount to the buyer),
    /// amount = floor(verifiedWh x price / 1000) - penalty, for active devices only.
    function _payoutChanges(FlexPayout[] calldata payouts)
        private
        view
        returns (bytes32[] memory accounts, int256[] memory deltas)
    {
        uint256 m = payouts.length;
        accounts = new bytes32[](2 * m);
        deltas = new int256[](2 * m);
        for (uint256 j = 0; j < m; ++j) {
            FlexPayout calldata p = payouts[j];
            if (!registry.isActive(p.device)) revert DeviceNotActive(p.device);
            int256 amount = int256((uint256(p.verifiedWh) * uint256(p.priceMinorPerKwh)) / 1000)
                - int256(uint256(p.penaltyMinor));
            accounts[2 * j] = p.account;
            deltas[2 * j] = amount;
            accounts[2 * j + 1] = p.buyer;
            deltas[2 * j + 1] = -amount;
        }
    }
}
