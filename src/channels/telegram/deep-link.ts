/**
 * Deep links such as https://t.me/<bot>?start=c09-273-01-15 (a poster's QR code in Inezgane): the payload must fit
 * Telegram's alphabet (A-Z a-z 0-9 _ -, at most 64 characters), so the commune code's dots become dashes.
 */
const PAYLOAD = /^c(\d{2})-(\d{3})-(\d{2})-(\d{1,2})$/;

export function communePayload(code: string): string {
  return `c${code.replaceAll(".", "-")}`;
}

/** The commune code a /start payload carries, or undefined for any other payload. */
export function communeFromPayload(payload: string): string | undefined {
  const m = PAYLOAD.exec(payload.trim());
  return m ? `${m[1]}.${m[2]}.${m[3]}.${m[4]}` : undefined;
}
