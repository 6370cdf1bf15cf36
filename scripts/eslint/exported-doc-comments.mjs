// A local ESLint rule: every exported declaration of main/ (the engine, the CLI, the desktop shell and
// the bridge) says what it is for in a doc comment, so a reader of a module's exports never has to read
// its body first (in the MCP TypeScript SDK's style). Plain JavaScript because
// eslint.config.js loads it as it is.

/** Declarations that `export` can carry and that a reader meets by name. */
const DOCUMENTED_KINDS = new Set([
  'FunctionDeclaration',
  'ClassDeclaration',
  'VariableDeclaration',
  'TSInterfaceDeclaration',
  'TSTypeAliasDeclaration',
  'TSEnumDeclaration',
  'TSModuleDeclaration',
  'TSDeclareFunction',
]);

/** The names an exported declaration introduces, for the message. */
function declaredNames(declaration) {
  if (declaration.type === 'VariableDeclaration') {
    return declaration.declarations.map((d) =>
      d.id.type === 'Identifier' ? d.id.name : 'a destructured value',
    );
  }
  return [declaration.id?.name ?? 'the default export'];
}

/** @type {import('eslint').Rule.RuleModule} */
export const exportedDocComments = {
  meta: {
    type: 'suggestion',
    docs: { description: 'Require a /** doc comment */ on every exported declaration.' },
    schema: [],
    messages: {
      missing:
        'Exported {{names}} has no doc comment: say in a /** … */ comment above it what it is for (what, not how).',
    },
  },
  create(context) {
    const source = context.sourceCode;
    /** A `/** … *\/` block directly above the statement (only comments may stand between). */
    const hasDocComment = (node) =>
      source
        .getCommentsBefore(node)
        .some((comment) => comment.type === 'Block' && comment.value.startsWith('*'));
    return {
      'Program > ExportNamedDeclaration'(node) {
        if (!node.declaration || !DOCUMENTED_KINDS.has(node.declaration.type)) return;
        if (hasDocComment(node)) return;
        context.report({
          node,
          messageId: 'missing',
          data: { names: declaredNames(node.declaration).join(', ') },
        });
      },
      'Program > ExportDefaultDeclaration'(node) {
        if (hasDocComment(node)) return;
        context.report({ node, messageId: 'missing', data: { names: 'default export' } });
      },
    };
  },
};
