import { createHash } from "node:crypto";

/**
 * Dalil's namespace for name-based UUIDs (RFC 9562 version 5). Fixed forever: an exported record keeps the same
 * HSDS id from one export to the next, so a consumer can update its copy instead of duplicating it.
 */
const NAMESPACE = Buffer.from("6f0b1c5e4d2a4f8e9b7a3c1d2e5f6a70", "hex");

/** The HSDS id of an exported record, derived from what identifies it in Dalil (`service:svc-x`, ...). */
export function hsdsId(name: string): string {
  const hash = createHash("sha1").update(NAMESPACE).update(name, "utf8").digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
