// ESLint for every package (each runs `eslint src` from its own folder; ESLint finds this file upward).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "**/.turbo/**", "**/coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts", "**/*.tsx"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A promise nobody awaits loses its failure; an async callback where a plain one is expected does too.
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // Matching control characters is what the contract's text rules do, on purpose (they refuse them).
      "no-control-regex": "off",
      // Configuration is read in one place (apps/server/src/config.ts) and passed on.
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read settings in apps/server/src/config.ts and pass them in (AppDeps)." },
      ],
    },
  },
  {
    // The one reader of the environment; test and benchmark harness settings (TEST_DATABASE_URL, BENCH_*,
    // the PATH of a spawned process) are not server configuration.
    // The client reads NEXT_PUBLIC_API_BASE_URL in its own config.ts (Next.js inlines it at build time).
    files: [
      "apps/server/src/config.ts",
      "apps/server/src/test/**",
      "**/*.test.ts",
      "apps/server/src/bench/**",
      "packages/client/src/config.ts",
      "packages/test-server/src/**",
      "apps/playground/test/**",
    ],
    rules: { "no-restricted-properties": "off" },
  },
  {
    // Migrations are frozen once shipped and see the database untyped (`Kysely<any>`, STYLE.md); the test
    // client answers parsed JSON as `any` so that a test reads the fields it asserts on.
    files: ["apps/server/src/db/migrations/**", "apps/server/src/db/migrate.ts", "apps/server/src/test/app.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
