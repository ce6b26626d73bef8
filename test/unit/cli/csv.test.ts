import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toCsv } from '../../../cli/views/csv.ts';

describe('toCsv', () => {
  it('quotes commas, quotes and newlines, leaves nulls empty and writes dates as ISO', () => {
    const csv = toCsv([{ a: 'x,y', b: 'say "hi"', c: null, d: new Date(0), e: 'line\nbreak' }]);
    assert.equal(csv, 'a,b,c,d,e\n"x,y","say ""hi""",,1970-01-01T00:00:00.000Z,"line\nbreak"\n');
  });
});
