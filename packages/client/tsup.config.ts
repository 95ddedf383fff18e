import { defineConfig } from "tsup";

/**
 * One ESM file and one declaration file. The contract (schemas, operation table) is bundled in,
 * code and types, so that an installed package needs neither `@ocean1/contract` nor `@ocean1/server`;
 * the server's `AppRouter` is used only inside (its types never reach the declarations).
 */
export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  target: "es2022",
  platform: "neutral",
  dts: { compilerOptions: { declarationMap: false, baseUrl: ".", paths: { "@ocean1/contract": ["../contract/src/index.ts"] } } },
  noExternal: ["@ocean1/contract"],
  sourcemap: true,
  clean: true,
});
