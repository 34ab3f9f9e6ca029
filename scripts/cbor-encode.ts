// A small CBOR encoder (RFC 8949 §3) for what a software authenticator sends: integers, byte and text strings,
// arrays, maps (a Map keeps integer keys, as COSE keys need), booleans and null. Encoding only; no floats, no tags.

export type CborValue = number | string | Uint8Array | boolean | null | CborValue[] | Map<number | string, CborValue> | { [key: string]: CborValue };

/** The head of a data item: major type (0–7) and its argument (RFC 8949 §3.1), shortest form. */
function head(major: number, argument: number): Uint8Array {
  const type = major << 5;
  if (argument < 24) return Uint8Array.of(type | argument);
  if (argument < 0x100) return Uint8Array.of(type | 24, argument);
  if (argument < 0x10000) return Uint8Array.of(type | 25, argument >> 8, argument & 0xff);
  if (argument < 0x100000000) {
    const out = new Uint8Array(5);
    out[0] = type | 26;
    new DataView(out.buffer).setUint32(1, argument);
    return out;
  }
  const out = new Uint8Array(9);
  out[0] = type | 27;
  new DataView(out.buffer).setBigUint64(1, BigInt(argument));
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Encode `value` as CBOR. Throws on a number that is not a safe integer (floats are not supported). */
export function encodeCbor(value: CborValue): Uint8Array {
  if (value === false) return Uint8Array.of(0xf4);
  if (value === true) return Uint8Array.of(0xf5);
  if (value === null) return Uint8Array.of(0xf6);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error(`CBOR: ${value} is not a safe integer`);
    return value >= 0 ? head(0, value) : head(1, -1 - value);
  }
  if (typeof value === 'string') {
    const bytes = new TextEncoder().encode(value);
    return concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return concat([head(2, value.length), value]);
  if (Array.isArray(value)) return concat([head(4, value.length), ...value.map(encodeCbor)]);
  const entries: [number | string, CborValue][] = value instanceof Map ? [...value.entries()] : Object.entries(value);
  return concat([head(5, entries.length), ...entries.flatMap(([k, v]) => [encodeCbor(k), encodeCbor(v)])]);
}
