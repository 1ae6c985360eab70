// Names (pkix.Name)
import { type Value } from '../../value/value';
import { Der, OID, SEQUENCE, SET, oidInts } from './der';
import { GoError } from './errors';
import { asn1Any, asn1String } from './strings';

export interface Atv {
  type: number[];
  value: unknown;
}

/** An RDNSequence; `strict` is crypto/x509's certificate parser, otherwise encoding/asn1's. */
export function parseName(body: Buffer, strict: boolean): Atv[][] {
  const err = strict ? 'x509: invalid RDNSequence' : 'asn1: structure error: tags don\'t match';
  const seq = new Der(body, err);
  const rdns: Atv[][] = [];
  while (!seq.empty) {
    const set = seq.enter(SET);
    const rdn: Atv[] = [];
    while (!set.empty) {
      const atv = set.enter(SEQUENCE, strict ? 'x509: invalid RDNSequence: invalid attribute' : err);
      const type = oidInts(atv.read(OID, strict ? 'x509: invalid RDNSequence: invalid attribute type' : err), err);
      const raw = atv.read(undefined, strict ? 'x509: invalid RDNSequence: invalid attribute value' : err);
      let value: unknown;
      if (!strict) value = asn1Any(raw);
      else {
        try {
          value = asn1String(raw);
        } catch (e) {
          throw new GoError(`x509: invalid RDNSequence: invalid attribute value: ${(e as Error).message}`);
        }
      }
      rdn.push({ type, value });
    }
    rdns.push(rdn);
  }
  return rdns;
}

/** pkix.Name as JSON, filled the way Name.FillFromRDNSequence fills it. */
export function nameJSON(rdns: Atv[][]): Record<string, unknown> {
  const lists: Record<string, string[] | null> = {
    Country: null, Organization: null, OrganizationalUnit: null, Locality: null, Province: null, StreetAddress: null, PostalCode: null,
  };
  let serialNumber = '';
  let commonName = '';
  const names: unknown[] = [];
  const add = (field: string, v: string) => (lists[field] ??= []).push(v);
  for (const rdn of rdns) {
    for (const atv of rdn) {
      names.push({ Type: atv.type, Value: atv.value });
      const t = atv.type;
      if (typeof atv.value !== 'string' || t.length !== 4 || t[0] !== 2 || t[1] !== 5 || t[2] !== 4) continue;
      const v = atv.value;
      switch (t[3]) {
        case 3: commonName = v; break;
        case 5: serialNumber = v; break;
        case 6: add('Country', v); break;
        case 7: add('Locality', v); break;
        case 8: add('Province', v); break;
        case 9: add('StreetAddress', v); break;
        case 10: add('Organization', v); break;
        case 11: add('OrganizationalUnit', v); break;
        case 17: add('PostalCode', v); break;
      }
    }
  }
  return { ...lists, SerialNumber: serialNumber, CommonName: commonName, Names: names.length ? names : null, ExtraNames: null };
}
