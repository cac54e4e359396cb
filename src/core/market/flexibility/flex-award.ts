/**
 * Merit-order award of one request: offers priced above the request's cap are out; the rest are
 * taken cheapest first until the requested energy is covered. Ties on price go first to the offer
 * activated in the fewest slots so far (rotation: the same households are not paused every evening,
 * which spreads the discomfort and leaves each site days without activation for its baseline), then
 * by aggregator/site order (`rank`: VPPs in scenario order, then independent sites in site order),
 * then by resource.
 *
 * Devices cannot be half-paused, so an offer is taken unit by unit (one device each) in its own
 * order (a VPP's members in site order); the last unit taken may overshoot the request by less than
 * its own energy. Winners are paid their own ask (pay-as-bid) for verified delivery.
 */
import { RESOURCE_INDEX, type FlexOffer, type OfferUnit } from './flex-offers.js';

/**
 * covered: the awards reach the requested energy; short: every eligible offer was taken and it was
 * not enough; no-offers: nothing was offered; above-cap: offers exist but all ask more than the cap.
 */
export type AwardOutcome = 'covered' | 'short' | 'no-offers' | 'above-cap';

export interface AwardedUnit {
  readonly unit: OfferUnit;
  readonly offer: FlexOffer;
}

export interface Award {
  readonly outcome: AwardOutcome;
  readonly awardedWh: number;
  readonly units: AwardedUnit[];
}

export function meritOrder(offers: readonly FlexOffer[]): FlexOffer[] {
  return [...offers].sort((x, y) => x.priceMinorPerKwh - y.priceMinorPerKwh || x.activations - y.activations || x.rank - y.rank
    || RESOURCE_INDEX[x.resource] - RESOURCE_INDEX[y.resource]);
}

export function awardMeritOrder(offers: readonly FlexOffer[], requestedWh: number, priceCapMinorPerKwh: number): Award {
  const units: AwardedUnit[] = [];
  if (offers.length === 0) return { outcome: 'no-offers', awardedWh: 0, units };
  const eligible = meritOrder(offers.filter((o) => o.priceMinorPerKwh <= priceCapMinorPerKwh && o.energyWh > 0));
  if (eligible.length === 0) return { outcome: 'above-cap', awardedWh: 0, units };
  let awardedWh = 0;
  for (const offer of eligible) {
    for (const unit of offer.units) {
      if (awardedWh >= requestedWh) return { outcome: 'covered', awardedWh, units };
      units.push({ unit, offer });
      awardedWh += unit.energyWh;
    }
  }
  return { outcome: awardedWh >= requestedWh ? 'covered' : 'short', awardedWh, units };
}
