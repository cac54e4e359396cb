/**
 * The frozen input image of one slot that every asset at one location sees: calendar, sun, sky,
 * wind and temperature. It is computed once per slot (not per asset), which is what lets the engine
 * step 10,000 sites quickly. Values are for the middle of the slot.
 */
export interface SunPosition {
  /** Topocentric zenith angle, degrees (0 = overhead, > 90 = below the horizon). */
  zenithDeg: number;
  /** Topocentric azimuth, degrees clockwise from north (180 = south). */
  azimuthDeg: number;
}

export interface Irradiance {
  /** Global horizontal irradiance, W/m². */
  ghiWm2: number;
  /** Direct normal irradiance, W/m². */
  dniWm2: number;
  /** Diffuse horizontal irradiance, W/m². */
  dhiWm2: number;
}

export interface SlotEnvironment {
  readonly slot: number;
  /** UTC start of the slot, ms since the epoch. */
  readonly startMs: number;
  readonly slotMinutes: number;
  readonly slotHours: number;
  /** Local time of the slot's middle: fractional hour 0..24, Monday = 0, day of year 1..366. */
  readonly hourOfDay: number;
  readonly dayOfWeek: number;
  readonly dayOfYear: number;
  readonly sun: SunPosition;
  /** Irradiance under the actual sky (clear sky scaled by the cloud process). */
  readonly irradiance: Irradiance;
  /** Actual GHI over clear-sky GHI, 0..1 (1 = clear). */
  readonly clearSkyIndex: number;
  /** Wind speed at the 10 m reference height, m/s. */
  readonly windSpeedMs: number;
  /** Outdoor air temperature, °C. */
  readonly temperatureC: number;
}
