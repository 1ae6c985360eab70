// The `rego.*` builtins: Rego parsing itself. `rego.parse_module(filename, text)` returns the
// module's AST in OPA's JSON form; a module that does not parse is a builtin error naming it.
import type { Builtin } from './types';
import { ANY, STRING, fn, objectOf } from './decl';
import { builtinError, str } from './operands';
import { parseModule } from '../rego/index';
import { RegoErrors } from '../rego/errors';
import { moduleJSON } from '../rego/ast-json';
import { fromJS } from '../value/value';

export const REGO: readonly Builtin[] = [
  {
    name: 'rego.parse_module',
    decl: fn([STRING, STRING], objectOf(STRING, ANY)),
    impl: (args) => {
      const file = str('rego.parse_module', args, 0);
      const text = str('rego.parse_module', args, 1);
      try {
        return fromJS(moduleJSON(parseModule({ file, text })));
      } catch (e) {
        if (e instanceof RegoErrors) throw builtinError('rego.parse_module', e.errors.map((x) => x.toString()).join('; '));
        throw e;
      }
    },
  },
];
