/**
 * Strict base64url (RFC 4648 §5, as RFC 7515 requires): the URL-safe alphabet only, no padding, no
 * whitespace, and canonical: the unused low bits of the last character must be zero. Node's decoder
 * forgives all of these, which lets one signature have many spellings; we accept exactly one.
 */

const VALUES = new Int8Array(128).fill(-1);
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

const SHAPE = /^[A-Za-z0-9_-]*$/;

/** True when `text` is canonical unpadded base64url. */
export function isCanonicalBase64url(text: string): boolean {
  const rest = text.length & 3;
  if (rest === 1 || !SHAPE.test(text)) return false;
  if (rest === 0) return true;
  const last = VALUES[text.charCodeAt(text.length - 1)]!;
  // 2 chars carry 12 bits for 8 (4 unused); 3 chars carry 18 bits for 16 (2 unused).
  return (last & (rest === 2 ? 0x0f : 0x03)) === 0;
}

/** Decode canonical base64url, or `undefined` when the text is not canonical. */
export function decodeBase64url(text: string): Buffer | undefined {
  return isCanonicalBase64url(text) ? Buffer.from(text, 'base64url') : undefined;
}
