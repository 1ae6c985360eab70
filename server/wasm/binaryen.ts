// binaryen ships as an ES module with top-level await, so CommonJS code loads it with a native
// dynamic import, once.
import type binaryenNS from 'binaryen' with { 'resolution-mode': 'import' };

export type Binaryen = typeof binaryenNS;
export type BModule = InstanceType<Binaryen['Module']>;
export type ExpressionRef = number;

let loading: Promise<Binaryen> | undefined;

export function loadBinaryen(): Promise<Binaryen> {
  loading ??= import('binaryen').then((m) => m.default);
  return loading;
}
