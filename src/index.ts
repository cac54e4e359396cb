/**
 * The gridmesh library: scenario loading and validation, the city generator, the simulation and
 * its results. `import { loadScenarioFile, simulate } from 'gridmesh'`.
 */
export { parseScenario } from './core/sim/scenario-validate.js';
export { scenarioSchema } from './core/sim/scenario-schema.js';
export type { Scenario, ScenarioInput, AreaSpec, SiteSpec, AssetSpec, EventSpec, PlantSpec, PriorityClass, AreaLevel } from './core/sim/scenario-schema.js';
export { generateCity } from './core/sim/city-generator.js';
export { simulate, prepareRun } from './core/sim/simulate.js';
export type { SimulateOptions, PreparedRun } from './core/sim/simulate.js';
export type { EngineStages, SlotStage } from './core/sim/engine.js';
export type { Balancer } from './core/market/balancer.js';
export type { RunResult, RunMetrics, AreaMetrics, TimeSeries, LevelShares, IslandPeriod, SimulationMode } from './core/sim/results-types.js';
export { GridmeshError, ScenarioError, UsageError } from './core/errors.js';
export { InvariantError } from './core/assert.js';
export { Rng } from './core/rng.js';
export { solarPosition } from './core/assets/solar/spa.js';
export { loadScenarioFile } from './adapters/scenario-file.js';
export { writeRunOutputs, resultsJson, timeSeriesCsv } from './adapters/results-files.js';
export { renderReport } from './adapters/report/report-html.js';
export type { PowerNetwork, NetworkBus, NetworkBranch, NetworkGen, PowerFlowSolution, PowerFlowMethod, PowerFlowOptions } from './core/grid/network.js';
export { parseMatpowerCase } from './core/grid/matpower/parse-case.js';
export { CaseFileError } from './core/grid/matpower/case-file-error.js';
export { loadMatpowerFile } from './adapters/matpower-file.js';
export { runPowerFlow, chooseMethod } from './core/grid/powerflow/run-power-flow.js';
export type { PowerFlowReport, MethodChoice } from './core/grid/powerflow/run-power-flow.js';
export { SweepSolver, solveSweep } from './core/grid/powerflow/sweep.js';
export { NewtonSolver, solveNewton } from './core/grid/powerflow/newton.js';
export { PowerFlowError } from './core/grid/powerflow/power-flow-error.js';
export { analyseTopology } from './core/grid/powerflow/topology.js';
export { branchFlows } from './core/grid/powerflow/branch-flows.js';
export { runFlisr } from './core/grid/flisr/run-flisr.js';
export { defaultSwitchPlan, buildSwitchPlan } from './core/grid/flisr/switch-plan.js';
export { runCascade } from './core/grid/cascade/run-cascade.js';
export { rateFromBaseCase, withAllBranchesClosed } from './core/grid/cascade/rate-from-base-case.js';
export { loadFeederNetworks } from './adapters/feeder-networks.js';
export { DoubleAuction, clearDoubleAuction, MECHANISMS } from './core/market/double-auction.js';
export type { Mechanism, AuctionBook, AuctionResult } from './core/market/double-auction.js';
export { validateOrders } from './core/market/order-validation.js';
export { clearOrders } from './core/market/clear-orders.js';
export type { Order, RejectedOrder } from './core/market/order.js';
export type { MarketMetrics, MarketSeries } from './core/market/market-metrics.js';
export type { MarketSpec } from './core/sim/scenario-schema.js';
