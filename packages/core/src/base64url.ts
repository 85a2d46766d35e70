/**
 * Strict base64url (RFC 4648 §5, as RFC 7515 requires): the URL-safe alphabet only, no padding, no
 * whitespace, and canonical: the unused low bits of the last character must be zero. Node's decoder
 * forgives all of these, which lets one signature have many spellings; we accept exactly one.
 *
 * Node's decoder keeps only the low byte of characters above U+00FF (so `\u0141` decodes like `A`)
 * and skips others, which would give one token many spellings, so the text must be ASCII first
 * (checked natively: its UTF-8 length equals its length). Within ASCII, the decoder skips every
 * character outside its alphabets and stops at `=`, so any such character shows up as a shorter
 * output than the length implies; only `+` and `/` (standard base64) need their own scan. This runs
 * on every uncached request: a regular expression over the text costs several times as much.
 */

const VALUES = new Int8Array(128).fill(-1);
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

/** Decode canonical base64url, or `undefined` when the text is not canonical. */
export function decodeBase64url(text: string): Buffer | undefined {
  const length = text.length;
  const rest = length & 3;
  if (rest === 1) return undefined;
  if (rest !== 0) {
    // Outside the alphabet the value is -1, every bit set, so the test below refuses it too.
    const last = VALUES[text.charCodeAt(length - 1)] ?? -1;
    // 2 chars carry 12 bits for 8 (4 unused); 3 chars carry 18 bits for 16 (2 unused).
    if ((last & (rest === 2 ? 0x0f : 0x03)) !== 0) return undefined;
  }
  if (Buffer.byteLength(text) !== length) return undefined;
  if (text.includes('+') || text.includes('/')) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.length === (length * 3) >> 2 ? bytes : undefined;
}

/** True when `text` is canonical unpadded base64url. */
export function isCanonicalBase64url(text: string): boolean {
  return decodeBase64url(text) !== undefined;
}
