import murmurhash from 'murmurhash';
import { normalizedStrategyValue } from 'unleash-client/lib/strategy/util.js';
import { describe, expect, it } from 'vitest';
import vectorsFile from '../test-vectors.json' with { type: 'json' };
import { BUCKET_COUNT, bucket, bucketInput, unleashNormalizedValue } from '../src/index.js';

describe('shipped test vectors', () => {
  it('cover non-ASCII and emoji keys', () => {
    expect(vectorsFile.vectors.length).toBeGreaterThanOrEqual(100);
    expect(vectorsFile.vectors.some((v) => /[^\x00-\x7f]/.test(v.key))).toBe(true);
    expect(vectorsFile.vectors.some((v) => /\p{Extended_Pictographic}/u.test(v.key))).toBe(true);
    expect(vectorsFile.algorithm.bucketCount).toBe(BUCKET_COUNT);
  });

  it('agree with the reference murmurhash package', () => {
    for (const v of vectorsFile.vectors) {
      expect(v.input).toBe(`${v.flag}:${v.key}`);
      expect(murmurhash.v3(v.input, 0)).toBe(v.hash);
      expect(v.hash % BUCKET_COUNT).toBe(v.bucket);
    }
  });

  it('are reproduced by bucket()', () => {
    for (const v of vectorsFile.vectors) {
      expect(bucketInput(v.flag, v.key)).toBe(v.input);
      expect(bucket(v.flag, v.key), `${v.flag} / ${v.key}`).toBe(v.bucket);
    }
  });

  it('are reproduced by unleashNormalizedValue()', () => {
    for (const v of vectorsFile.unleash) {
      expect(unleashNormalizedValue(v.id!, v.groupId!, v.normalizer)).toBe(v.value);
      expect(unleashNormalizedValue(v.id!, v.groupId!, v.normalizer, { encoding: 'utf-8' })).toBe(v.value);
    }
  });

  it("hold the Unleash Node SDK's own values, reproduced with encoding 'node-sdk'", () => {
    expect(vectorsFile.unleashNodeSdk.some((v) => /[^\x00-\x7f]/.test(v.id + v.groupId))).toBe(true);
    for (const v of vectorsFile.unleashNodeSdk) {
      expect(normalizedStrategyValue(v.id, v.groupId), `${v.groupId}:${v.id}`).toBe(v.value);
      expect(unleashNormalizedValue(v.id, v.groupId, v.normalizer, { encoding: 'node-sdk' })).toBe(v.value);
    }
    // Zoë is where the SDKs part ways: 37 in the Node SDK, 70 over UTF-8.
    const zoe = vectorsFile.unleashNodeSdk.find((v) => v.id === 'Zoë')!;
    expect(zoe.value).toBe(37);
    expect(unleashNormalizedValue('Zoë', zoe.groupId)).toBe(70);
  });
});
