/**
 * A validator-pool thread (validator-pool.ts): for each job, every listed validator re-executes the
 * unit's settlement from the job's inputs, hashes the statement and signs the hash, exactly as
 * `TrustRun` does in-process. Replies `{ id, votes }` or `{ id, error }`.
 */
import { parentPort } from 'node:worker_threads';
import { signStatementSync } from '../../core/ledger/statement-signing.js';
import { statementHash } from '../../core/ledger/statement.js';
import { executeUnitSettlement } from '../../core/trust/unit-settlement.js';
import type { VoteReply, VoteRequest } from './validator-pool.js';

if (parentPort === null) throw new Error('validator-pool-worker.ts runs as a worker thread of ValidatorPool');
const port = parentPort;

port.on('message', (request: VoteRequest) => {
  let reply: VoteReply;
  try {
    const { inputs, validators, domain } = request.job;
    reply = {
      id: request.id,
      votes: validators.map((v) => {
        const statement = executeUnitSettlement(inputs);
        const hash = statementHash(statement);
        return { validator: v.id, hash, statement, signature: signStatementSync(v.privateKey, domain.chainId, domain.settlement, hash) };
      }),
    };
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
