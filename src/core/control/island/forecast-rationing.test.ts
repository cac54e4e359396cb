import { describe, expect, it } from 'vitest';
import type { ScenarioInput } from '../../sim/scenario-schema.js';
import { aScenario, aScenarioInput } from '../../sim/scenario.fixture.js';
import { prepareRun } from '../../sim/simulate.js';
import { IslandController } from '../island-controller.js';

/**
 * The test town with nested microgrids: n1 keeps the hospital and the community battery, its street
 * n1-s1 (now a microgrid with its own controller) the homes. A 12-hour outage of the city from
 * hour 12; `events` adds more.
 */
function nestedTown(events: ScenarioInput['events'] = []): ScenarioInput {
  const input = aScenarioInput({ days: 1, events: [{ kind: 'outage', area: 'city', startHour: 12, durationHours: 12 }, ...(events ?? [])] });
  input.areas = input.areas.map((a) => (a.id === 'n1-s1' ? { ...a, microgrid: true } : a));
  input.sites = input.sites.map((s) => (s.id === 'hospital' || s.id === 'n1-community' ? { ...s, area: 'n1' } : s));
  return input;
}

/** Steps a run and returns, per slot, the messages delivered and the controllers each plan counted. */
function stepped(input: ScenarioInput) {
  const controller = new IslandController();
  const run = prepareRun(aScenario(input), { mode: 'autonomous', stages: { islands: controller } });
  const { tree } = run.model;
  const [n1, s1] = [tree.indexOf.get('n1') as number, tree.indexOf.get('n1-s1') as number];
  const slots: { messages: number; n1Heard: number[]; s1Heard: number[]; n1HorizonSlots: number }[] = [];
  let before = 0;
  for (let slot = 0; slot < run.slots; slot++) {
    run.engine.step(slot);
    const now = controller.coordination().peerMessages;
    const plans = controller.latestPlans();
    slots.push({
      messages: now - before, n1Heard: [...(plans.get(n1)?.controllers ?? [])], s1Heard: [...(plans.get(s1)?.controllers ?? [])],
      n1HorizonSlots: plans.get(n1)?.horizonSlots ?? 0,
    });
    before = now;
  }
  return { slots, result: run.finish(), n1, s1 };
}

describe('forecast rationing among the controllers of an island', () => {
  it('each controller sends its summary to its peers every island slot, and they agree on the plan', () => {
    const { slots, result, n1, s1 } = stepped(nestedTown());
    // n1 and n1-s1 exchange 2 messages per slot in island n1; island n2 has one controller.
    expect(slots[12 * 4 + 1]?.messages).toBe(2);
    expect(slots[12 * 4 + 1]?.n1Heard).toEqual([n1, s1]);
    expect(slots[12 * 4 + 1]?.s1Heard).toEqual([n1, s1]);
    expect(slots[11 * 4]?.messages).toBe(0);
    expect(result.metrics.rationing?.peerMessages).toBe(12 * 4 * 2);
    expect(result.metrics.rationing?.planDisagreements).toBe(0);
  });

  it('a comm cut between controllers stops their messages; each plans without the other and the island keeps working', () => {
    const { slots, result, n1, s1 } = stepped(nestedTown([{ kind: 'comm-cut', area: 'n1-s1', startHour: 14, durationHours: 4 }]));
    const during = slots[15 * 4];
    expect(during?.messages).toBe(0);
    expect(during?.n1Heard).toEqual([n1]);
    expect(during?.s1Heard).toEqual([s1]);
    expect(slots[19 * 4]?.messages).toBe(2);
    expect(result.metrics.rationing?.peerMessages).toBe((12 - 4) * 4 * 2);
    expect(result.metrics.rationing?.planDisagreements).toBe(0);
    expect(result.metrics.criticalEnergyNotServedKwh).toBe(0);
    expect(result.metrics.islands.every((p) => p.survivedWholePeriod)).toBe(true);
  });

  it('a comm cut above the island hides the announced duration but leaves the controllers talking', () => {
    const announced = nestedTown();
    announced.events = [{ kind: 'outage', area: 'city', startHour: 12, durationHours: 12, expectedDurationHours: 12 }];
    const informed = stepped(announced);
    const cut = stepped({ ...announced, events: [...(announced.events ?? []), { kind: 'comm-cut', area: 'city', startHour: 12, durationHours: 12 }] });
    expect(cut.result.metrics.rationing?.peerMessages).toBe(informed.result.metrics.rationing?.peerMessages);
    // Informed, the controllers ration over what is left of the announced 12 hours; cut off, over the 24-hour survival horizon.
    expect(informed.slots[14 * 4]?.n1HorizonSlots).toBe(10 * 4);
    expect(cut.slots[14 * 4]?.n1HorizonSlots).toBe(24 * 4);
    expect(cut.result.metrics.rationing?.planDisagreements).toBe(0);
  });
});
