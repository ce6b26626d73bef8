// Which errors count as a Temporal outage that `run --wait` and `watch` wait out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { outageReason } from '../../client/await-sweep.ts';

// The shape the SDK's isGrpcServiceError recognises: an Error with a numeric code, details, metadata.
function grpcError(code: number, details: string): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
}

test('UNAVAILABLE and DEADLINE_EXCEEDED, also as a cause, are outages; other errors are not', () => {
  assert.equal(outageReason(grpcError(14, 'connection refused')), 'connection refused');
  assert.equal(outageReason(grpcError(4, 'deadline exceeded')), 'deadline exceeded');
  assert.equal(
    outageReason(grpcError(14, 'Last error: connect ECONNREFUSED 10.0.0.5:7233. Resolution note: ')),
    'Last error: connect ECONNREFUSED 10.0.0.5:7233',
  );
  const wrapped = new Error('Unexpected error while making gRPC request', {
    cause: grpcError(14, 'no route'),
  });
  assert.equal(outageReason(wrapped), 'no route');
  assert.equal(outageReason(grpcError(5, 'workflow not found')), undefined);
  assert.equal(outageReason(new Error('boom')), undefined);
  assert.equal(outageReason('not an error'), undefined);
});
