// Writes test-vectors.json from the reference implementation (the `murmurhash` package), not
// from this package's own hash, so the vectors can catch a bug in it.
import { writeFileSync } from 'node:fs';
import murmurhash from 'murmurhash';
import { normalizedStrategyValue } from 'unleash-client/lib/strategy/util.js';

const flags = ['v2_canonical_system', 'testimonial_system', 'playlist_orchestration', 'multi_integration_campaigns', 'ünïcødé_flag', 'flag:with:colons'];
const keys = [
  'user-1',
  'user-2',
  '123',
  '00000000-0000-4000-8000-000000000000',
  '9b2f6a4e-1c3d-4e5f-8a7b-6c5d4e3f2a1b',
  'anna@example.com',
  '',
  'a',
  'ab',
  'abc',
  'abcd',
  'Zoë',
  'José García',
  'Müller',
  'Łódź',
  '東京',
  '안녕하세요',
  'مرحبا',
  'Здравствуйте',
  '😀',
  '👩‍👩‍👧‍👦',
  'key with spaces',
  'x'.repeat(100),
];

const BUCKET_COUNT = 10_000;
const vectors = flags.flatMap((flag) =>
  keys.map((key) => {
    const input = `${flag}:${key}`;
    const hash = murmurhash.v3(input, 0);
    return { flag, key, input, hash, bucket: hash % BUCKET_COUNT };
  }),
);

const unleash = [
  ['122', 'AB12A'],
  ['155', 'AB12A'],
  ['user-1', 'v2_canonical_system'],
  ['Zoë', 'testimonial_system'],
  ['😀', 'emoji_group'],
].map(([id, groupId]) => ({ id, groupId, normalizer: 100, value: (murmurhash.v3(`${groupId}:${id}`, 0) % 100) + 1 }));

// The Unleash Node SDK's own values (unleash-client hashes the low byte of each UTF-16 code unit),
// for `unleashNormalizedValue(id, groupId, 100, { encoding: 'node-sdk' })`. Non-ASCII on purpose:
// for ASCII both encodings agree.
const unleashNodeSdk = [
  ['122', 'AB12A'],
  ['user-1', 'v2_canonical_system'],
  ['Zoë', 'testimonial_system'],
  ['José García', 'testimonial_system'],
  ['東京', 'playlist_orchestration'],
  ['😀', 'emoji_group'],
  ['👩‍👩‍👧‍👦', 'emoji_group'],
  ['user-1', 'ünïcødé_group'],
].map(([id, groupId]) => ({ id, groupId, normalizer: 100, value: normalizedStrategyValue(id!, groupId!) }));

const document = {
  description:
    'Bucket test vectors for @app/flags. bucket = murmurhash3_x86_32(utf8(flag + ":" + key), seed 0) % 10000; a subject is enabled at p % when bucket < p * 100. unleash.value = murmurhash3_x86_32(utf8(groupId + ":" + id), seed 0) % normalizer + 1 (Unleash Edge, Go, Java). unleashNodeSdk.value = the same over the low byte of each UTF-16 code unit, as the Unleash Node SDK hashes. Generated with murmurhash@2.0.1 and unleash-client@6.12.1.',
  algorithm: { hash: 'murmurhash3_x86_32', encoding: 'utf-8', seed: 0, input: '${flag}:${key}', bucketCount: BUCKET_COUNT },
  vectors,
  unleash,
  unleashNodeSdk,
};
writeFileSync(new URL('../test-vectors.json', import.meta.url), `${JSON.stringify(document, null, 2)}\n`);
console.log(`wrote ${vectors.length} bucket vectors, ${unleash.length} unleash and ${unleashNodeSdk.length} unleashNodeSdk vectors`);
