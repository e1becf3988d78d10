// ESLint beside tsc (`npm run lint` runs both): typescript-eslint's type-checked recommended set
// over the TypeScript sources. The .js files beside them are tsc's output, not sources.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/*.js', '!eslint.config.js', 'node_modules/', 'dist/', 'templates/', '.bench/', 'test/support/reporter.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    // Lines a reader takes in at once; a message's text is a string and may run on.
    files: ['generators/**/*.ts', 'bin/**/*.ts'],
    rules: { 'max-len': ['error', { code: 160, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true }] },
  },
  {
    // The tests walk parsed documents (manifests, workflows, OCI indexes, `docker inspect`,
    // .yo-rc.json) whose shape is what they assert: there, `any` is the document's type, and a
    // failed assertion is the check. Every other rule of the set holds in the tests too.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  { files: ['eslint.config.js', 'test/support/reporter.cjs'], ...tseslint.configs.disableTypeChecked },
);
