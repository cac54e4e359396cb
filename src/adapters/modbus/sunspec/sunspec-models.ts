/**
 * The SunSpec models gridmesh uses and the offsets of their points (SunSpec Information Model).
 * Offsets count from the model's first register (the model ID), so offset 0 = ID, 1 = L (the
 * number of registers after the header), and the first point is at offset 2.
 */

/** 'SunS' as two big-endian registers, the marker a SunSpec device places at its base address. */
export const SUNS_MARKER: readonly [number, number] = [0x5375, 0x6e53];

/** Base addresses tried in order: 40000 is standard; 0 and 50000 are allowed alternatives. */
export const SUNSPEC_BASE_ADDRESSES: readonly number[] = [40000, 0, 50000];

/** The model ID that ends the model chain (its L is 0). */
export const END_MODEL_ID = 0xffff;

export const MODEL_HEADER_REGISTERS = 2;

export const MODEL_ID = {
  common: 1,
  inverterSinglePhase: 101,
  inverterSplitPhase: 102,
  inverterThreePhase: 103,
  immediateControls: 123,
  basicStorage: 124,
} as const;

/** The integer inverter models, in the order the client prefers them. Float models 111-113 are not supported. */
export const INVERTER_MODEL_IDS: readonly number[] = [MODEL_ID.inverterThreePhase, MODEL_ID.inverterSplitPhase, MODEL_ID.inverterSinglePhase];

/** Model 1, common: identification strings. L is 65 (older devices) or 66 (with the pad register). */
export const COMMON = {
  lengthMin: 65,
  length: 66,
  Mn: { offset: 2, size: 16 },
  Md: { offset: 18, size: 16 },
  Opt: { offset: 34, size: 8 },
  Vr: { offset: 42, size: 8 },
  SN: { offset: 50, size: 16 },
  DA: 66,
} as const;

/** Models 101/102/103, integer inverter (one, split and three phase share one layout, L = 50). */
export const INVERTER = {
  length: 50,
  W: 14,
  W_SF: 15,
  /** acc32, two registers. */
  WH: 24,
  WH_SF: 26,
  St: 38,
} as const;

/** Model 123, immediate inverter controls (L = 24). */
export const CONTROLS = {
  length: 24,
  Conn: 4,
  WMaxLimPct: 5,
  WMaxLimPct_WinTms: 6,
  WMaxLimPct_RvrtTms: 7,
  WMaxLimPct_RmpTms: 8,
  /** enum16: 0 = disabled, 1 = enabled. */
  WMaxLim_Ena: 9,
  WMaxLimPct_SF: 23,
} as const;

export const WMAX_LIM_ENA = { disabled: 0, enabled: 1 } as const;

/** Model 124, basic storage controls (L = 24). */
export const STORAGE = {
  length: 24,
  WChaMax: 2,
  WChaGra: 3,
  WDisChaGra: 4,
  /** bitfield16: bit 0 = CHARGE (InWRte applies), bit 1 = DISCHARGE (OutWRte applies). */
  StorCtl_Mod: 5,
  MinRsvPct: 7,
  /** Available energy as % of capacity (the SoC). */
  ChaState: 8,
  /** enum16 charge status, see CHARGE_STATUS. */
  ChaSt: 11,
  /** int16, % of WChaMax (WDisChaMax defaults to it). */
  OutWRte: 12,
  InWRte: 13,
  InOutWRte_WinTms: 14,
  InOutWRte_RvrtTms: 15,
  InOutWRte_RmpTms: 16,
  WChaMax_SF: 18,
  MinRsvPct_SF: 21,
  ChaState_SF: 22,
  InOutWRte_SF: 25,
} as const;

export const STOR_CTL_MOD = { charge: 0b01, discharge: 0b10 } as const;

export const CHARGE_STATUS = { off: 1, empty: 2, discharging: 3, charging: 4, full: 5, holding: 6, testing: 7 } as const;
