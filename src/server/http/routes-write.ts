/**
 * The write routes. Each needs a signed request (request-auth.ts) from a DID with the right role;
 * the view receives the caller's DID as `by`. Exception: while `demoOutageOpen`, the dashboard's
 * demo button may trigger an outage without a signature (the view then gets DEMO_CALLER).
 */
import { didOfPublicKey } from '../../core/identity/did-key.js';
import { KEY_OFFSET, FIELDS_OFFSET } from '../../core/identity/signed-layout.js';
import type { NodeView } from '../node/node-view.js';
import { defineRoute, json, signedCaller, type ApiRoute, type ResponseDoc } from './api-route.js';
import { HttpError } from './http-errors.js';
import { flexibilityRequestSchema, noQuerySchema, orderSubmissionSchema, outageRequestSchema } from './request-schemas.js';
import { errorBodySchema, flexibilityViewSchema, orderAcceptedSchema, outageAcceptedSchema } from './view-schemas.js';

/** `by` of an unsigned demo outage. */
export const DEMO_CALLER = 'anonymous-demo';

const OPERATORS = ['dso', 'tso'] as const;
const viewError = (description: string): ResponseDoc => ({ description, schema: errorBodySchema });

export function writeRoutes(view: NodeView): ApiRoute[] {
  return [
    defineRoute({
      method: 'POST', url: '/api/v1/outages', summary: "Trigger an outage of an area's upstream link (operators; anyone in demo mode)",
      description: 'Roles dso or tso. While NodeInfo.demoOutageOpen is true an unsigned request is accepted too; a signed one is still checked.',
      query: noQuerySchema, body: outageRequestSchema, auth: { roles: OPERATORS, anonymousAllowed: () => view.info().demoOutageOpen },
      responses: {
        202: { description: 'the outage is scheduled', schema: outageAcceptedSchema },
        404: viewError('no such area'), 409: viewError('conflicts with the node state'), 503: viewError('the node cannot take it now'),
      },
      handle: ({ body, caller }) => json(202, view.triggerOutage(body, caller === null ? DEMO_CALLER : caller.did)),
    }),
    defineRoute({
      method: 'POST', url: '/api/v1/flexibility', summary: 'Request flexibility for an area over a window of slots (operators)',
      query: noQuerySchema, body: flexibilityRequestSchema, auth: { roles: OPERATORS },
      responses: {
        201: { description: 'the request as the node recorded it', schema: flexibilityViewSchema },
        404: viewError('no such area'), 409: viewError('conflicts with the node state'), 503: viewError('the node cannot take it now'),
      },
      handle: ({ body, caller }) => json(201, view.requestFlexibility(body, signedCaller(caller).did)),
    }),
    defineRoute({
      method: 'POST', url: '/api/v1/orders', summary: "Submit a participant's signed order for a coming slot",
      description: "Role participant; the caller's DID must be the did:key of the order's participantKey (bytes 1..32 of the record).",
      query: noQuerySchema, body: orderSubmissionSchema, auth: { roles: ['participant'] },
      responses: {
        202: { description: 'the order gate accepted the order', schema: orderAcceptedSchema },
        422: viewError('the order gate rejected the order (error order-rejected, with its reason)'),
        503: viewError('the node cannot take it now'),
      },
      handle: ({ body, caller }) => {
        const did = signedCaller(caller).did;
        const record = new Uint8Array(Buffer.from(body.order, 'base64'));
        const orderDid = didOfPublicKey(record.subarray(KEY_OFFSET, FIELDS_OFFSET));
        if (orderDid !== did) throw new HttpError(403, 'forbidden', `the order is signed for ${orderDid}, not for the caller ${did}`);
        const outcome = view.submitOrder(record, did);
        if (!outcome.accepted) throw new HttpError(422, 'order-rejected', `order rejected: ${outcome.reason}`, { reason: outcome.reason });
        return json(202, { accepted: true, slot: outcome.slot });
      },
    }),
  ];
}
