import { execFile } from "node:child_process";
import { copyFile, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { server } from "./test/accounts.js";

const run = promisify(execFile);
const packageDir = path.resolve(fileURLToPath(import.meta.url), "../..");
const scratchSources = path.join(packageDir, "consumer");
let project: string;

/** pnpm as the developer or CI runs it: on the PATH, or through npx as the README's commands do. */
async function pnpmCommand(): Promise<[string, string[]]> {
  return run("pnpm", ["--version"]).then(
    () => ["pnpm", []],
    () => ["npx", ["-y", "pnpm@12.21.0"]],
  );
}

/**
 * The packed tarball installed in a project outside the monorepo (only the npm registry to reach),
 * with TypeScript 5.9: the frontend's calls type-check, wrong calls do not, and it runs.
 */
describe("the packed package", () => {
  beforeAll(async () => {
    project = await mkdtemp(path.join(tmpdir(), "ocean1-client-consumer-"));
    const [pnpm, pnpmArgs] = await pnpmCommand();
    await run(pnpm, [...pnpmArgs, "pack", "--pack-destination", project], { cwd: packageDir });
    const [tarball] = (await readdir(project)).filter((file) => file.endsWith(".tgz"));
    if (!tarball) throw new Error("pnpm pack made no tarball");
    await writeFile(path.join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    await writeFile(
      path.join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          lib: ["ES2023", "DOM"],
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        files: ["usage.ts", "wrong.ts"],
      }),
    );
    for (const file of ["usage.ts", "wrong.ts", "run.mjs"]) await copyFile(path.join(scratchSources, file), path.join(project, file));
    await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", `./${tarball}`, "typescript@5.9"], {
      cwd: project,
    });
  }, 240_000);

  afterAll(async () => {
    if (project) await rm(project, { recursive: true, force: true });
  });

  it("declares no workspace package among its dependencies and ships only dist", async () => {
    const manifest = (await import(path.join(project, "node_modules/@ocean1/client/package.json"), { with: { type: "json" } })) as {
      default: { dependencies: Record<string, string>; files: string[] };
    };
    expect(Object.keys(manifest.default.dependencies).sort()).toEqual(["@trpc/client", "@trpc/server", "zod"]);
    expect(await readdir(path.join(project, "node_modules/@ocean1"))).toEqual(["client"]);
    expect((await readdir(path.join(project, "node_modules/@ocean1/client/dist"))).sort()).toEqual([
      "index.d.ts",
      "index.js",
      "index.js.map",
    ]);
  });

  it("type-checks the frontend's calls, and every deliberately wrong call fails to compile", async () => {
    const result = await run(path.join(project, "node_modules/.bin/tsc"), ["-p", "tsconfig.json"], { cwd: project }).then(
      () => "",
      (error: { stdout: string }) => error.stdout,
    );
    expect(result).toBe("");
  }, 60_000);

  it("sees a wrong call as an error once its @ts-expect-error is gone", async () => {
    await writeFile(
      path.join(project, "broken.ts"),
      'import { soraCreate } from "@ocean1/client";\nawait soraCreate("a cat", "sora-2", "16:9", "5");\n',
    );
    const output = await run(
      path.join(project, "node_modules/.bin/tsc"),
      [
        "--noEmit",
        "--strict",
        "--skipLibCheck",
        "--module",
        "NodeNext",
        "--moduleResolution",
        "NodeNext",
        "--target",
        "ES2022",
        "--lib",
        "ES2023,DOM",
        "broken.ts",
      ],
      { cwd: project },
    ).then(
      () => "compiled",
      (error: { stdout: string }) => error.stdout,
    );
    expect(output).toMatch(/broken\.ts\(2,\d+\): error TS2345/);
  }, 60_000);

  it("runs under plain Node and answers a handled failure as a value", async () => {
    const { stdout } = await run(process.execPath, ["run.mjs", server().url], { cwd: project });
    expect(JSON.parse(stdout)).toEqual({ failed: true, code: "VALIDATION", deviceId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });
});
