/**
 * The options of `gridmesh scenario generate`: their help text, their conversion (from the raw
 * strings commander hands over) into generator options, and the command line that reproduces a
 * generated file. Bad values are UsageErrors naming the flag; all of them are reported at once.
 */
import { UsageError } from '../../core/errors.js';
import { DEFAULT_CITY_OPTIONS as D, MAX_CITY_SITES, MIN_CITY_SITES, cityOptionsForSites, type CityOptionsInput } from '../../core/sim/city-generator.js';

export interface GenerateFlags {
  name?: string; description?: string; seed?: string; start?: string; days?: string; slotMinutes?: string;
  lat?: string; lon?: string; utcOffset?: string;
  sites?: string; neighbourhoods?: string; streets?: string; sitesPerStreet?: string;
  businesses?: string; farms?: string; factories?: string;
  pv?: string; battery?: string; ev?: string; heatPump?: string; washingMachine?: string;
  outageHours?: string; outageStart?: string; outageArea?: string; outageAnnounced?: string;
  commCutHours?: string; commCutStart?: string; commCutArea?: string;
  disaster?: string; disasterStart?: string; disasterRestore?: string;
  feeders?: boolean;
  lineFault?: string; lineFaultSection?: string; lineFaultStart?: string; lineFaultHours?: string;
  json?: boolean;
}

const DEFAULT_OUTAGE_START = 48;
const DEFAULT_DISASTER_START = 72;
const P = D.penetration;
const pct = (f: number): string => `${Math.round(f * 100)}%`;

/** Flags in help and reproduction order; `key` is the commander attribute name. */
export const GENERATE_FLAGS: readonly { key: keyof GenerateFlags; flags: string; help: string }[] = [
  { key: 'name', flags: '--name <text>', help: `city name (default "${D.name}")` },
  { key: 'description', flags: '--description <text>', help: 'description stored in the scenario (default: a generated one)' },
  { key: 'seed', flags: '--seed <n>', help: `random seed, 0..2^32-1: same options and seed, same city (default ${D.seed})` },
  { key: 'start', flags: '--start <datetime>', help: `start, ISO 8601 with offset (default ${D.start})` },
  { key: 'days', flags: '--days <n>', help: `days to simulate, at most 366 (default ${D.days})` },
  { key: 'slotMinutes', flags: '--slot-minutes <n>', help: `market and settlement slot, 1..60 minutes (default ${D.slotMinutes})` },
  { key: 'lat', flags: '--lat <deg>', help: `latitude, degrees north (default ${D.latDeg})` },
  { key: 'lon', flags: '--lon <deg>', help: `longitude, degrees east (default ${D.lonDeg})` },
  { key: 'utcOffset', flags: '--utc-offset <hours>', help: `local time offset from UTC (default ${D.utcOffsetHours})` },
  { key: 'sites', flags: '--sites <n>', help: `exact total number of sites, ${MIN_CITY_SITES}..${MAX_CITY_SITES}; neighbourhoods, streets, businesses, farms and factories follow from it (default: ${D.neighbourhoods} x ${D.streetsPerNeighbourhood} x ${D.sitesPerStreet} street sites plus special sites)` },
  { key: 'neighbourhoods', flags: '--neighbourhoods <n>', help: `neighbourhood microgrids (default ${D.neighbourhoods}, or from --sites)` },
  { key: 'streets', flags: '--streets <n>', help: `streets per neighbourhood (default ${D.streetsPerNeighbourhood}, or from --sites)` },
  { key: 'sitesPerStreet', flags: '--sites-per-street <n>', help: `sites per street, without --sites (default ${D.sitesPerStreet})` },
  { key: 'businesses', flags: '--businesses <n>', help: `businesses on the streets (default ${D.businesses}, or 5% of --sites)` },
  { key: 'farms', flags: '--farms <n>', help: `farms on the outer streets, most with a wind turbine (default ${D.farms}, or 2.5% of --sites)` },
  { key: 'factories', flags: '--factories <n>', help: `factories with CHP at city level (default ${D.factories}, or from --sites)` },
  { key: 'pv', flags: '--pv <fraction>', help: `share of households with rooftop PV, 0..1 or a percentage (default ${pct(P.pv)})` },
  { key: 'battery', flags: '--battery <fraction>', help: `share of households with a home battery (default ${pct(P.battery)})` },
  { key: 'ev', flags: '--ev <fraction>', help: `share of households with an electric vehicle (default ${pct(P.ev)})` },
  { key: 'heatPump', flags: '--heat-pump <fraction>', help: `share of households with a heat pump (default ${pct(P.heatPump)})` },
  { key: 'washingMachine', flags: '--washing-machine <fraction>', help: `share of households with a smart washing machine (default ${pct(P.washingMachine)})` },
  { key: 'outageHours', flags: '--outage-hours <h>', help: 'add an outage of this many hours (default: no outage)' },
  { key: 'outageStart', flags: '--outage-start <hour>', help: `outage start, hours from --start (default ${DEFAULT_OUTAGE_START})` },
  { key: 'outageArea', flags: '--outage-area <id>', help: 'area whose upstream link fails (default city; tso = the interconnector)' },
  { key: 'outageAnnounced', flags: '--outage-announced <h>', help: 'outage duration announced to islanded controllers (default: none)' },
  { key: 'commCutHours', flags: '--comm-cut-hours <h>', help: 'add a communication cut of this many hours (default: none)' },
  { key: 'commCutStart', flags: '--comm-cut-start <hour>', help: 'comm-cut start, hours from --start (default: the outage start)' },
  { key: 'commCutArea', flags: '--comm-cut-area <id>', help: 'area whose communications are cut (default city)' },
  { key: 'disaster', flags: '--disaster <id>', help: 'add a disaster destroying this area\'s generation and storage, e.g. nb-03 (default: none)' },
  { key: 'disasterStart', flags: '--disaster-start <hour>', help: `disaster time, hours from --start (default ${DEFAULT_DISASTER_START})` },
  { key: 'disasterRestore', flags: '--disaster-restore <hour>', help: 'hour the destroyed area is fed again (default: never)' },
  { key: 'feeders', flags: '--feeders', help: 'give every street an electrical feeder: power flow runs on it every slot (default: off)' },
  { key: 'lineFault', flags: '--line-fault <street>', help: 'add a cable fault on this street\'s feeder, e.g. nb-02-st-01 (needs --feeders; default: none)' },
  { key: 'lineFaultSection', flags: '--line-fault-section <n>', help: 'faulted cable section, 1 = from the transformer to the first site (default 5)' },
  { key: 'lineFaultStart', flags: '--line-fault-start <hour>', help: 'line fault time, hours from --start (default 24)' },
  { key: 'lineFaultHours', flags: '--line-fault-hours <h>', help: 'hours until the cable is repaired (default 4)' },
  { key: 'json', flags: '--json', help: 'write JSON instead of YAML' },
];

type Problems = string[];

export function cityOptionsFromFlags(f: GenerateFlags): CityOptionsInput {
  const problems: Problems = [];
  const n = (key: keyof GenerateFlags, min: number, max: number, whole = false): number | undefined => readNumber(f, key, min, max, whole, problems);
  const fraction = (key: keyof GenerateFlags): number | undefined => readFraction(f, key, problems);
  const sites = n('sites', MIN_CITY_SITES, MAX_CITY_SITES, true);
  if (sites !== undefined && f.sitesPerStreet !== undefined) problems.push('--sites-per-street: not with --sites (the sites are spread over the streets)');
  const options: CityOptionsInput = {
    ...(sites === undefined ? {} : cityOptionsForSites(sites)),
    ...defined({
      name: readName(f, problems), description: readDescription(f, problems), seed: n('seed', 0, 2 ** 32 - 1, true), start: f.start, days: n('days', Number.MIN_VALUE, 366), slotMinutes: n('slotMinutes', 1, 60, true),
      latDeg: n('lat', -90, 90), lonDeg: n('lon', -180, 180), utcOffsetHours: n('utcOffset', -12, 14),
      neighbourhoods: n('neighbourhoods', 1, 2000, true), streetsPerNeighbourhood: n('streets', 1, 100, true), sitesPerStreet: n('sitesPerStreet', 0, 1000, true),
      businesses: n('businesses', 0, MAX_CITY_SITES, true), farms: n('farms', 0, MAX_CITY_SITES, true), factories: n('factories', 0, 1000, true),
    }),
    penetration: defined({ pv: fraction('pv'), battery: fraction('battery'), ev: fraction('ev'), heatPump: fraction('heatPump'), washingMachine: fraction('washingMachine') }),
    ...eventOptions(f, problems),
    ...(f.feeders === true ? { feeders: true } : {}),
    ...lineFaultOption(f, problems),
  };
  if (problems.length > 0) throw new UsageError('invalid options for scenario generate', { details: problems });
  return options;
}

function eventOptions(f: GenerateFlags, problems: Problems): Pick<CityOptionsInput, 'outage' | 'commCut' | 'disaster'> {
  const hours = (key: keyof GenerateFlags, positive: boolean): number | undefined => readNumber(f, key, positive ? Number.MIN_VALUE : 0, 1e6, false, problems);
  const requires = (keys: (keyof GenerateFlags)[], needed: keyof GenerateFlags): void => {
    for (const key of keys) if (f[key] !== undefined && f[needed] === undefined) problems.push(`${flagOf(key)}: only with ${flagOf(needed)}`);
  };
  requires(['outageStart', 'outageArea', 'outageAnnounced'], 'outageHours');
  requires(['commCutStart', 'commCutArea'], 'commCutHours');
  requires(['disasterStart', 'disasterRestore'], 'disaster');
  const outageHours = hours('outageHours', true);
  const outageStart = hours('outageStart', false) ?? DEFAULT_OUTAGE_START;
  const announced = hours('outageAnnounced', true);
  const commCutHours = hours('commCutHours', true);
  const commCutStart = hours('commCutStart', false) ?? (f.outageHours === undefined ? DEFAULT_OUTAGE_START : outageStart);
  const disasterStart = hours('disasterStart', false) ?? DEFAULT_DISASTER_START;
  const restore = hours('disasterRestore', false);
  return {
    ...(outageHours === undefined ? {} : { outage: { area: f.outageArea ?? 'city', startHour: outageStart, durationHours: outageHours, ...defined({ expectedDurationHours: announced }) } }),
    ...(commCutHours === undefined ? {} : { commCut: { area: f.commCutArea ?? 'city', startHour: commCutStart, durationHours: commCutHours } }),
    ...(f.disaster === undefined ? {} : { disaster: { area: f.disaster, startHour: disasterStart, ...defined({ restoreHour: restore }) } }),
  };
}

function lineFaultOption(f: GenerateFlags, problems: Problems): Pick<CityOptionsInput, 'lineFault'> {
  for (const key of ['lineFaultSection', 'lineFaultStart', 'lineFaultHours'] as const) {
    if (f[key] !== undefined && f.lineFault === undefined) problems.push(`${flagOf(key)}: only with --line-fault`);
  }
  if (f.lineFault === undefined) return {};
  const section = readNumber(f, 'lineFaultSection', 1, 10_000, true, problems) ?? 5;
  const startHour = readNumber(f, 'lineFaultStart', 0, 1e6, false, problems) ?? 24;
  const durationHours = readNumber(f, 'lineFaultHours', Number.MIN_VALUE, 1e6, false, problems) ?? 4;
  return { lineFault: { area: f.lineFault, section, startHour, durationHours } };
}

const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i;

function readNumber(f: GenerateFlags, key: keyof GenerateFlags, min: number, max: number, whole: boolean, problems: Problems): number | undefined {
  const text = f[key];
  if (text === undefined || typeof text !== 'string') return undefined;
  const value = Number(text.trim());
  const ok = NUMBER.test(text.trim()) && value >= min && value <= max && (!whole || Number.isInteger(value));
  if (ok) return value;
  const upper = max < 1e6 ? ` and at most ${formatBound(max)}` : '';
  const range = min === Number.MIN_VALUE ? `more than 0${upper}` : `from ${formatBound(min)} to ${formatBound(max)}`;
  problems.push(`${flagOf(key)}: ${whole ? 'a whole number' : 'a number'} ${range} (got ${JSON.stringify(text)})`);
  return undefined;
}

function formatBound(value: number): string {
  return value === 2 ** 32 - 1 ? '2^32-1' : String(value);
}

function readFraction(f: GenerateFlags, key: keyof GenerateFlags, problems: Problems): number | undefined {
  const text = f[key];
  if (text === undefined || typeof text !== 'string') return undefined;
  const percent = text.trim().endsWith('%');
  const body = percent ? text.trim().slice(0, -1) : text.trim();
  const value = Number(body) / (percent ? 100 : 1);
  if (NUMBER.test(body) && value >= 0 && value <= 1) return value;
  problems.push(`${flagOf(key)}: a fraction from 0 to 1, or a percentage like 35% (got ${JSON.stringify(text)})`);
  return undefined;
}

function readName(f: GenerateFlags, problems: Problems): string | undefined {
  if (f.name === undefined) return undefined;
  if (f.name.trim().length >= 1 && f.name.length <= 200) return f.name;
  problems.push(`--name: a name of 1 to 200 characters (got ${JSON.stringify(f.name)})`);
  return undefined;
}

function readDescription(f: GenerateFlags, problems: Problems): string | undefined {
  if (f.description === undefined || f.description.length <= 5000) return f.description;
  problems.push(`--description: at most 5000 characters (got ${f.description.length})`);
  return undefined;
}

function defined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

export function flagOf(key: keyof GenerateFlags): string {
  const spec = GENERATE_FLAGS.find((s) => s.key === key);
  return spec === undefined ? String(key) : (spec.flags.split(' ')[0] as string);
}

/**
 * The `gridmesh scenario generate …` command line that reproduces these flags, as shell lines of at
 * most `width` characters joined by ` \` continuations.
 */
export function reproduceCommand(f: GenerateFlags, width = 100): string[] {
  const lines = ['gridmesh scenario generate'];
  for (const spec of GENERATE_FLAGS) {
    const value = f[spec.key];
    if (value === undefined || value === false) continue;
    const part = typeof value === 'string' ? `${flagOf(spec.key)} ${shellQuote(value)}` : flagOf(spec.key);
    const last = lines[lines.length - 1] as string;
    if (last.length + 1 + part.length + 2 > width) lines.push(`  ${part}`);
    else lines[lines.length - 1] = `${last} ${part}`;
  }
  return lines.map((line, i) => (i < lines.length - 1 ? `${line} \\` : line));
}

function shellQuote(text: string): string {
  return /^[A-Za-z0-9_.,:%+/@=-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
