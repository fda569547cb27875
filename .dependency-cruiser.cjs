/** Layer rules from DESIGN.md: dependencies point down only, and there are no import cycles. */
const layer = (name) => `^src/${name}/`;

module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'core-is-pure',
      comment: 'core/ imports nothing of ours outside core/ and no driver.',
      severity: 'error',
      from: { path: layer('core') },
      to: { pathNot: [layer('core'), '^node_modules/zod/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'store-below-runtime',
      severity: 'error',
      from: { path: layer('store') },
      to: { path: [layer('runtime'), layer('cli'), layer('server')] },
    },
    {
      name: 'runtime-below-entry-points',
      severity: 'error',
      from: { path: layer('runtime') },
      to: { path: [layer('cli'), layer('server'), layer('agent'), layer('models')] },
    },
    {
      name: 'capabilities-below-entry-points',
      severity: 'error',
      from: { path: [layer('agent'), layer('models')] },
      to: { path: [layer('cli'), layer('server')] },
    },
    {
      name: 'no-test-code-in-src',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: ['^test/', 'vitest'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
