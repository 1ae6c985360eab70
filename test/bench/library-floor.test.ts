// The library floor (bench/library-floor.ts) makes the engine's decisions: the same deny and warn
// messages, patch operations and audit annotations as policies/' kubernetes.admission on WASM, for
// every fixture review and its variants under every data set bench/library.ts builds. Timing a
// floor that decides differently would measure nothing.
import { checkLibraryFloor, describeMismatches, libraryCorpus, libraryDataSets } from '../../bench/library';

jest.setTimeout(180_000);

it('the floor decides as the library does on every review and data set', async () => {
  const { decisions, mismatches } = await checkLibraryFloor();
  if (mismatches.length > 0) throw new Error(`${mismatches.length} documents differ:\n${describeMismatches(mismatches, 20)}`);
  expect(decisions).toBe(libraryCorpus().length * libraryDataSets().length);
});
