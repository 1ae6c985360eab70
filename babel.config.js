// Jest transforms TypeScript with Babel (type checking is `tsc`'s job in `npm test`).
module.exports = {
  presets: [['@babel/preset-typescript', { allowDeclareFields: true }]],
  plugins: ['@babel/plugin-transform-modules-commonjs'],
  targets: { node: 'current' },
};
