import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/**
 * Authenticated encryption (AES-256-GCM) for the few things that must rest on disk but must not be readable there:
 * a WhatsApp message received and not yet handled, a person's channel address. The key is derived from DALIL_SECRET,
 * so a copy of the database alone reveals nothing.
 */
export class Sealer {
  private readonly key: Buffer;

  constructor(secret: Buffer, purpose: string) {
    this.key = Buffer.from(hkdfSync("sha256", secret, "dalil", `sealed:${purpose}`, 32));
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64");
  }

  open(sealed: string): string {
    const raw = Buffer.from(sealed, "base64");
    const decipher = createDecipheriv("aes-256-gcm", this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
  }
}
