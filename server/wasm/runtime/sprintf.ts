// sprintf's common cases natively: `%s`/`%v` of strings and of composite values (as OPA prints
// them), `%d`/`%v` of integers, and `%%`. Anything else (flags, widths, other verbs, floats,
// mismatched types, missing or extra arguments) is left to the host's full implementation of
// Go's fmt (ASK_HOST), so both paths print exactly what OPA prints.
import { ASK_HOST, N_INT, N_REF, T_ARR, T_NUM, T_STR, arrGet, len, numI64, numRepr, str, strLen, strPtr, tag } from './value';
import { bufAdvance, bufBase, bufByte, bufBytes, bufReserve, bufSize, bufStart } from './buffer';
import { isIntegerText, writeInt } from './number';
import { writeValue } from './json';
import { typeError } from './errors';

export function rt_b_sprintf(format: u32, args: u32): u32 {
  if (tag(format) != T_STR) return typeError('sprintf', 1, 'string', format);
  if (tag(args) != T_ARR) return typeError('sprintf', 2, 'array', args);
  const p = strPtr(format);
  const n = strLen(format);
  const count = len(args);
  let next: u32 = 0;
  bufStart();
  let run = p;
  const end = p + n;
  for (let q = p; q < end; q++) {
    if (load<u8>(q) != 37) continue;
    bufBytes(run, q - run);
    q++;
    if (q == end) return ASK_HOST;
    const verb = load<u8>(q);
    run = q + 1;
    if (verb == 37) {
      bufByte(37);
      continue;
    }
    if (next == count) return ASK_HOST;
    const arg = arrGet(args, next++);
    const t = tag(arg);
    const isInt = t == T_NUM && numRepr(arg) == N_INT;
    // Integers beyond int64 reach Go as *big.Int, which prints its digits for %d, %s and %v.
    if (t == T_NUM && numRepr(arg) == N_REF && (verb == 100 || verb == 115 || verb == 118) && isIntegerText(arg)) {
      bufBytes(load<u32>(arg, 8), load<u32>(arg, 4));
      continue;
    }
    if (verb == 100 /* d */ && isInt) bufAdvance(writeInt(bufReserve(20), numI64(arg)));
    else if ((verb == 115 /* s */ || verb == 118) /* v */ && t == T_STR) bufBytes(strPtr(arg), strLen(arg));
    else if (verb == 118 && isInt) bufAdvance(writeInt(bufReserve(20), numI64(arg)));
    else if ((verb == 115 || verb == 118) && t != T_NUM) writeValue(arg, true);
    else return ASK_HOST;
  }
  bufBytes(run, end - run);
  if (next != count) return ASK_HOST;
  return str(bufBase(), bufSize());
}
