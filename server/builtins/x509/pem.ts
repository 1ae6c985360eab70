// Go's base64.StdEncoding and encoding/pem
import { GoError } from './errors';

export const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
export const B64_VALUE = new Map([...B64].map((c, i): [string, number] => [c, i]));

/** Strict padded base64 that skips CR and LF, failing where Go's decoder fails. */
export function stdBase64(s: string): Buffer {
  const out: number[] = [];
  const n = s.length;
  let i = 0;
  const fail = (at: number): never => {
    throw new GoError(`illegal base64 data at input byte ${at}`);
  };
  const skipNewlines = () => {
    while (i < n && (s[i] === '\n' || s[i] === '\r')) i++;
  };
  for (;;) {
    const quad: number[] = [];
    let last = false;
    while (quad.length < 4) {
      skipNewlines();
      if (i === n) {
        if (quad.length === 0) return Buffer.from(out);
        fail(i - quad.length);
      }
      const c = s[i++];
      const v = B64_VALUE.get(c);
      if (v !== undefined) {
        quad.push(v);
        continue;
      }
      if (c !== '=' || quad.length < 2) fail(i - 1);
      if (quad.length === 2) {
        skipNewlines();
        if (i === n) fail(n);
        if (s[i] !== '=') fail(i - 1);
        i++;
      }
      skipNewlines();
      if (i < n) fail(i);
      last = true;
      break;
    }
    const [a, b, c = 0, d = 0] = quad;
    out.push(((a << 2) | (b >> 4)) & 0xff);
    if (quad.length > 2) out.push(((b << 4) | (c >> 2)) & 0xff);
    if (quad.length > 3) out.push(((c << 6) | d) & 0xff);
    if (last) return Buffer.from(out);
  }
}

export interface PemBlock {
  type: string;
  bytes: Buffer;
}

/** Go's getLine: one line without its EOL and trailing blanks, and the rest. */
export function getLine(data: string): [string, string] {
  const nl = data.indexOf('\n');
  let line = nl < 0 ? data : data.slice(0, nl);
  const rest = nl < 0 ? '' : data.slice(nl + 1);
  if (nl > 0 && line.endsWith('\r')) line = line.slice(0, -1);
  return [line.replace(/[ \t]+$/, ''), rest];
}

/** Go's pem.Decode: the first well-formed block (text before it is skipped) and what follows. */
export function pemDecode(data: string): { block: PemBlock; rest: string } | undefined {
  let rest = data;
  for (;;) {
    if (rest.startsWith('-----BEGIN ')) rest = rest.slice(11);
    else {
      const at = rest.indexOf('\n-----BEGIN ');
      if (at < 0) return undefined;
      rest = rest.slice(at + 12);
    }
    let typeLine: string;
    [typeLine, rest] = getLine(rest);
    if (!typeLine.endsWith('-----')) continue;
    const type = typeLine.slice(0, -5);
    let headers = 0;
    for (;;) {
      if (rest === '') return undefined;
      const [line, next] = getLine(rest);
      if (!line.includes(':')) break;
      headers++;
      rest = next;
    }
    let endIndex: number;
    let trailerAt: number;
    if (headers === 0 && rest.startsWith('-----END ')) {
      endIndex = 0;
      trailerAt = 9;
    } else {
      endIndex = rest.indexOf('\n-----END ');
      trailerAt = endIndex + 10;
    }
    if (endIndex < 0) continue;
    const trailer = rest.slice(trailerAt);
    const trailerLen = type.length + 5;
    if (trailer.length < trailerLen) continue;
    const endLine = trailer.slice(0, trailerLen);
    if (!endLine.startsWith(type) || !endLine.endsWith('-----')) continue;
    if (getLine(trailer.slice(trailerLen))[0] !== '') continue;
    let bytes: Buffer;
    try {
      bytes = stdBase64(rest.slice(0, endIndex).replace(/[ \t]/g, ''));
    } catch {
      continue;
    }
    return { block: { type, bytes }, rest: getLine(rest.slice(endIndex + 9))[1] };
  }
}

export function pemBlocks(data: string): PemBlock[] {
  const out: PemBlock[] = [];
  let rest = data;
  for (let d = pemDecode(rest); d !== undefined; d = pemDecode(rest)) {
    out.push(d.block);
    rest = d.rest;
  }
  return out;
}
