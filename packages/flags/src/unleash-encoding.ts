/**
 * How Unleash bucketing turns the hashed string (`groupId + ":" + id`) into bytes. The SDKs
 * disagree as soon as a character is outside ASCII, so a team moving from Unleash picks the one
 * its users were bucketed by:
 *
 * - `'utf-8'` (the default): the UTF-8 bytes, as the Unleash client-specification, Unleash Edge
 *   (Yggdrasil), the Go and .NET SDKs, and the Java SDK on a JVM whose default charset is UTF-8
 *   (the default since Java 18) hash them. Lone surrogates hash as U+FFFD.
 * - `'node-sdk'`: the low byte of each UTF-16 code unit, as the Unleash Node SDK
 *   (`unleash-client`, through `murmurhash3js`) hashes them, and so every JavaScript SDK built
 *   on it. `Zoë` then hashes the three bytes `5A 6F EB`, where UTF-8 has four (`5A 6F C3 AB`).
 *
 * For ASCII ids and group ids both give the same bucket.
 */
export type UnleashEncoding = 'utf-8' | 'node-sdk';
