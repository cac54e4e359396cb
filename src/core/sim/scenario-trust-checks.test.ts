import { describe, expect, it } from 'vitest';
import { aScenario, aScenarioInput } from './scenario.fixture.js';
import { scenarioSchema } from './scenario-schema.js';
import { checkTrust } from './scenario-trust-checks.js';

describe('scenario trust checks', () => {
  it('accepts a valid trust section', () => {
    expect(checkTrust(aScenario({ trust: { dishonestValidator: { microgrid: 'n1', index: 2 }, siteAuthorisedImportKwhPerDay: { 'n1-h0': 3 } } }))).toEqual([]);
  });

  it('error: names an unknown site, a unit that is not one and a validator out of range', () => {
    const problems = checkTrust(scenarioSchema.parse(aScenarioInput({ trust: { validatorsPerMicrogrid: 2, dishonestValidator: { microgrid: 'n1-s1', index: 2 }, siteAuthorisedImportKwhPerDay: { nobody: 3 } } })));
    expect(problems).toEqual([
      'trust.siteAuthorisedImportKwhPerDay.nobody: the id of a site (got "nobody")',
      'trust.dishonestValidator.microgrid: a microgrid, DSO or root area (got "n1-s1")',
      'trust.dishonestValidator.index: a controller validator, 0..1 (got 2)',
    ]);
  });
});
