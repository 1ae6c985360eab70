// IP addresses and URLs, as net.IP and net/url print them
import { GoError } from './errors';

export function parseIPv4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) < 256)) return undefined;
  return parts.map(Number);
}

/** net.ParseIP, as 16 bytes. */
export function parseIP(s: string): Buffer | undefined {
  const v4 = parseIPv4(s);
  if (v4) return Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4]);
  const dbl = s.indexOf('::');
  const groups = (part: string, last: boolean): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const items = part.split(':');
    for (let i = 0; i < items.length; i++) {
      const g = items[i];
      const embedded = last && i === items.length - 1 ? parseIPv4(g) : undefined;
      if (embedded) out.push((embedded[0] << 8) | embedded[1], (embedded[2] << 8) | embedded[3]);
      else if (/^[0-9a-fA-F]{1,4}$/.test(g)) out.push(parseInt(g, 16));
      else return undefined;
    }
    return out;
  };
  let all: number[];
  if (dbl < 0) {
    const g = groups(s, true);
    if (g === undefined || g.length !== 8) return undefined;
    all = g;
  } else {
    const tail = s.slice(dbl + 2);
    if (tail.includes('::')) return undefined;
    const h = groups(s.slice(0, dbl), false);
    const t = groups(tail, true);
    if (h === undefined || t === undefined || h.length + t.length > 7) return undefined;
    all = [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  }
  return Buffer.from(all.flatMap((g) => [g >> 8, g & 0xff]));
}

/** An address of 4 or 16 bytes in 16-byte form, to compare like net.IP.Equal. */
export function ip16(ip: Buffer): Buffer {
  return ip.length === 4 ? Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...ip]) : ip;
}

/** net.IP.String(). */
export function ipString(ip: Buffer): string {
  if (ip.length === 0) return '';
  if (ip.length === 4) return [...ip].join('.');
  if (ip.length !== 16) return '?' + ip.toString('hex');
  if (ip.subarray(0, 10).every((b) => b === 0) && ip[10] === 0xff && ip[11] === 0xff) return [...ip.subarray(12)].join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((ip[i] << 8) | ip[i + 1]);
  // The first longest run of two or more zero groups becomes "::".
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  const hex = (gs: number[]) => gs.map((g) => g.toString(16)).join(':');
  return best < 0 ? hex(groups) : `${hex(groups.slice(0, best))}::${hex(groups.slice(best + bestLen))}`;
}

export type UrlMode = 'path' | 'fragment' | 'user' | 'host';

/** net/url's shouldEscape for the modes a certificate URI needs. */
export function shouldEscape(c: number, mode: UrlMode): boolean {
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39)) return false;
  const ch = String.fromCharCode(c);
  if (mode === 'host') return !"-_.~!$&'()*+,;=:[]<>\"".includes(ch);
  if ('-_.~'.includes(ch)) return false;
  if ('$&+,/:;=?@'.includes(ch)) {
    if (mode === 'path') return ch === '?';
    if (mode === 'user') return '@/?:'.includes(ch);
    return false;
  }
  return !(mode === 'fragment' && '!()*'.includes(ch));
}

export function urlEscape(s: string, mode: UrlMode): string {
  let out = '';
  for (const c of Buffer.from(s, 'utf8')) out += shouldEscape(c, mode) ? '%' + c.toString(16).toUpperCase().padStart(2, '0') : String.fromCharCode(c);
  return out;
}

export function urlUnescape(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '%') {
      const h = s.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(h)) throw new GoError(`invalid URL escape "${s.slice(i, i + 3)}"`);
      bytes.push(parseInt(h, 16));
      i += 2;
    } else bytes.push(...Buffer.from(s[i], 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

export interface GoURL {
  json: Record<string, unknown>;
  /** url.URL.String(), which OPA adds as URIStrings. */
  text: string;
}

/** net/url.Parse as far as certificate URIs need, with the URL's JSON and String(). */
export function parseURL(raw: string): GoURL {
  const hash = raw.indexOf('#');
  let rest = hash < 0 ? raw : raw.slice(0, hash);
  const frag = hash < 0 ? '' : raw.slice(hash + 1);
  if (/[\x00-\x1f\x7f]/.test(rest)) throw new GoError('net/url: invalid control character in URL');
  let scheme = '';
  const sm = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(rest);
  if (rest.startsWith(':')) throw new GoError('missing protocol scheme');
  if (sm) {
    scheme = sm[1].toLowerCase();
    rest = rest.slice(sm[0].length);
  }
  let forceQuery = false;
  let rawQuery = '';
  if (rest.endsWith('?') && rest.indexOf('?') === rest.length - 1) {
    forceQuery = true;
    rest = rest.slice(0, -1);
  } else if (rest.includes('?')) {
    rawQuery = rest.slice(rest.indexOf('?') + 1);
    rest = rest.slice(0, rest.indexOf('?'));
  }
  let opaque = '';
  let userinfo: string | undefined;
  let host = '';
  let omitHost = false;
  let path = '';
  let rawPath = '';
  if (!rest.startsWith('/') && scheme !== '') opaque = rest;
  else {
    if (!rest.startsWith('/') && rest.split('/')[0].includes(':')) throw new GoError('first path segment in URL cannot contain colon');
    if (rest.startsWith('//') && (scheme !== '' || !rest.startsWith('///'))) {
      let authority = rest.slice(2);
      const slash = authority.indexOf('/');
      rest = slash < 0 ? '' : authority.slice(slash);
      if (slash >= 0) authority = authority.slice(0, slash);
      const at = authority.lastIndexOf('@');
      if (at >= 0) userinfo = authority.slice(0, at);
      host = authority.slice(at + 1);
      const port = host.startsWith('[') ? host.slice(host.lastIndexOf(']') + 1) : host.includes(':') ? host.slice(host.lastIndexOf(':')) : '';
      if (host.startsWith('[') && !host.includes(']')) throw new GoError("missing ']' in host");
      if (port !== '' && !/^:\d*$/.test(port)) throw new GoError(`invalid port "${port}" after host`);
      host = urlUnescape(host);
    } else if (scheme !== '' && rest.startsWith('/')) omitHost = true;
    path = urlUnescape(rest);
    rawPath = urlEscape(path, 'path') === rest ? '' : rest;
  }
  const fragment = urlUnescape(frag);
  const rawFragment = urlEscape(fragment, 'fragment') === frag ? '' : frag;
  let text = scheme !== '' ? scheme + ':' : '';
  if (opaque !== '') text += opaque;
  else {
    if ((scheme !== '' || host !== '' || userinfo !== undefined) && !(omitHost && host === '' && userinfo === undefined)) {
      if (host !== '' || path !== '' || userinfo !== undefined) text += '//';
      if (userinfo !== undefined) text += userinfo + '@';
      text += urlEscape(host, 'host');
    }
    const escaped = rawPath !== '' ? rawPath : path === '*' ? '*' : urlEscape(path, 'path');
    if (escaped !== '' && !escaped.startsWith('/') && host !== '') text += '/';
    if (text === '' && escaped.split('/')[0].includes(':')) text += './';
    text += escaped;
  }
  if (forceQuery || rawQuery !== '') text += '?' + rawQuery;
  if (fragment !== '') text += '#' + (rawFragment !== '' ? rawFragment : urlEscape(fragment, 'fragment'));
  return {
    json: {
      Scheme: scheme, Opaque: opaque, User: userinfo === undefined ? null : {}, Host: host, Path: path, RawPath: rawPath, OmitHost: omitHost,
      ForceQuery: forceQuery, RawQuery: rawQuery, Fragment: fragment, RawFragment: rawFragment,
    },
    text,
  };
}
