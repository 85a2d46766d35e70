// @ts-check
/**
 * A Stryker ignorer for mutants that change only message text: the `detail` of an AuthError (logs
 * only, never sent to clients), ConfigurationError and other error messages, and console output.
 * Their mutants survive by design (tests pin codes and statuses, not prose), so counting them would
 * hide the mutants that change behaviour. Only string and template literals in those positions are
 * ignored; the calls themselves, their conditions and every other literal are still mutated.
 */
import { declareValuePlugin, PluginKind } from '@stryker-mutator/api/plugin';

/** Constructors and functions whose string arguments are messages. */
const MESSAGE_CALLEES = new Set([
  'fail',
  'Error',
  'TypeError',
  'RangeError',
  'ConfigurationError',
  'JwksFetchError',
]);

/** The name a call or `new` expression calls, for `fail(…)`, `new Error(…)` and `console.x(…)`. */
function calleeName(node) {
  const callee = node.callee;
  if (callee.type === 'Identifier') return callee.name;
  if (
    callee.type === 'MemberExpression' &&
    callee.object.type === 'Identifier' &&
    callee.object.name === 'console'
  ) {
    return 'console';
  }
  return undefined;
}

/** Helpers whose argument at this index is a log-only detail. */
const DETAIL_ARGUMENT = new Map([
  ['revokedBy', 0],
  ['malformed', 0],
  ['reject', 1],
]);

/** `{ detail }`, `{ detail, cause }`: the options of an AuthError that only feed logs. */
function isDetailOnlyObject(path) {
  return (
    path.isObjectExpression() &&
    path.node.properties.length > 0 &&
    path.node.properties.every(
      (p) =>
        p.type === 'ObjectProperty' &&
        p.key.type === 'Identifier' &&
        ['detail', 'cause'].includes(p.key.name),
    )
  );
}

function isText(path) {
  return path.isStringLiteral() || path.isTemplateLiteral();
}

/** The nearest ancestor that is not part of a string expression (`a + b`, a template, `a ?? b`). */
function textOwner(path) {
  let current = path.parentPath;
  while (
    current !== null &&
    (current.isBinaryExpression() ||
      current.isTemplateLiteral() ||
      current.isLogicalExpression() ||
      current.isConditionalExpression())
  ) {
    current = current.parentPath;
  }
  return current;
}

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'message-text', {
    shouldIgnore(path) {
      if (isDetailOnlyObject(path)) return 'AuthError detail and cause: log text, never sent to clients';
      if (!isText(path)) return undefined;
      const owner = textOwner(path);
      if (owner === null) return undefined;
      if (
        owner.isObjectProperty() &&
        owner.node.key.type === 'Identifier' &&
        owner.node.key.name === 'detail'
      ) {
        return 'AuthError detail: log text, never sent to clients';
      }
      if (
        (owner.isCallExpression() || owner.isNewExpression()) &&
        MESSAGE_CALLEES.has(calleeName(owner.node) ?? '')
      ) {
        return 'error message text';
      }
      if (owner.isCallExpression() && calleeName(owner.node) === 'console') return 'console output';
      if (owner.isCallExpression()) {
        const index = DETAIL_ARGUMENT.get(calleeName(owner.node) ?? '');
        if (index !== undefined && owner.node.arguments[index] === path.node)
          return 'a detail argument: log text';
      }
      return undefined;
    },
  }),
];
