// Mutation testing of the money and abuse-limit code (`pnpm mutate`, docs/reliability.md#mutation-testing).
// Not part of `pnpm test` or CI: a run takes over an hour on two cores.

/** The files whose mutants are run, relative to apps/server. A file that moves: change its line here. */
const mutated = [
  "src/modules/points/ledger.ts",
  "src/modules/cards/redeem.ts",
  "src/tasks/finish.ts",
  "src/modules/auth/codes.ts",
  "src/lib/rate-limit.ts",
];

/**
 * The tests that may kill them: those of the mutated files' domains (perTest coverage then runs, for
 * each mutant, only the tests that reach it).
 */
const testFiles = [
  "src/modules/points/*.test.ts",
  "src/modules/cards/*.test.ts",
  "src/tasks/*.test.ts",
  "src/modules/auth/*.test.ts",
  "src/lib/*.test.ts",
  "src/metrics/*.test.ts",
  "src/maintenance.test.ts",
];

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  plugins: ["@stryker-mutator/vitest-runner"],
  vitest: { configFile: "vitest.config.ts" },
  coverageAnalysis: "perTest",
  mutate: mutated,
  testFiles,
  // A module-level constant's mutant would need every test run for it; the messages and limits it
  // holds are asserted by value in the tests instead.
  ignoreStatic: true,
  // Each runner has its own vitest and so its own throwaway PostgreSQL: more than one is slower on two cores.
  concurrency: 1,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  tempDirName: ".stryker-tmp",
};
