/**
 * A validator-pool thread (validator-pool.ts): for each job, every listed validator re-executes the
 * unit's settlement from the job's inputs, hashes the statement and signs the hash, exactly as
 * `TrustRun` does in-process. Replies `{ id, votes }` or `{ id, error }`.
 */
import { parentPort } from 'node:worker_threads';
import { signStatementSync } from '../../core/ledger/statement-signing.js';
import { statementHash, type Statement } from '../../core/ledger/statement.js';
import type { Hex } from 'viem';
import { executeUnitSettlement } from '../../core/trust/unit-settlement.js';
import type { VoteReply, VoteRequest } from './validator-pool.js';

if (parentPort === null) throw new Error('validator-pool-worker.ts runs as a worker thread of ValidatorPool');
const port = parentPort;

port.on('message', (request: VoteRequest) => {
  let reply: VoteReply;
  try {
    const { inputs, validators, domain } = request.job;
    // Agreeing validators compute equal statements: each distinct one crosses the thread boundary once.
    const statements: Statement[] = [];
    const indexOfHash = new Map<Hex, number>();
    const votes = validators.map((v) => {
      const statement = executeUnitSettlement(inputs);
      const hash = statementHash(statement);
      let index = indexOfHash.get(hash);
      if (index === undefined) {
        index = statements.push(statement) - 1;
        indexOfHash.set(hash, index);
      }
      return { validator: v.id, hash, statement: index, signature: signStatementSync(v.privateKey, domain.chainId, domain.settlement, hash) };
    });
    reply = { id: request.id, statements, votes };
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
