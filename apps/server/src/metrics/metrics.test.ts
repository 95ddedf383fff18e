import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../test/app.js";
import { startFakeUpstream, type FakeUpstream } from "../test/fake-upstream.js";
import { createTestUser } from "../test/fixtures.js";
import { bananaRequest, fastTuning, grsaiEnv } from "../test/generation.js";
import { startMetricsServer } from "./endpoint.js";

const token = "metrics-token-0123456789";

let fake: FakeUpstream;
let app: TestApp;
beforeAll(async () => {
  fake = await startFakeUpstream();
  app = await startTestApp(grsaiEnv(fake, { BANANA_WAIT_SECONDS: "1", METRICS_TOKEN: token }), { tuning: fastTuning });
});
afterAll(async () => {
  await app.close();
  await fake.close();
});

async function scrape(url = `${app.url}/metrics`, headers: Record<string, string> = { authorization: `Bearer ${token}` }) {
  const res = await fetch(url, { headers });
  return { status: res.status, text: await res.text(), contentType: res.headers.get("content-type") };
}

/** The value of one series in the Prometheus text format, 0 when absent. */
function valueOf(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe("/metrics on the public port", () => {
  it("refuses a scrape without the bearer token, or with a wrong one, with 401 and no figures", async () => {
    const attempts: Array<Record<string, string>> = [{}, { authorization: "Bearer wrong-token-0123456789" }, { authorization: token }];
    for (const headers of attempts) {
      const res = await scrape(undefined, headers);
      expect(res.status).toBe(401);
      expect(res.text).toBe("");
    }
  });

  it("is not served at all when no METRICS_TOKEN is set", async () => {
    const plain = await startTestApp();
    try {
      const res = await fetch(`${plain.url}/metrics`);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain("ocean1_");
    } finally {
      await plain.close();
    }
  });
});

describe("counters", () => {
  it("move with requests, points, tasks and upstream calls, and the pool is reported", async () => {
    const user = await createTestUser(app.deps, { points: 100 });
    // GrsAI refuses our key at submit: the task fails and its charge is refunded.
    fake.on("/v1/draw/nano-banana", () => ({ status: 401, json: { code: 401, msg: "bad key" } }));
    const before = (await scrape()).text;

    await app.post("/api/user/heartbeat", { email: user.email }, user.headers);
    await app.post("/api/user/heartbeat", { email: user.email }, { ...user.headers, "x-device-id": "not-the-device" });
    await app.post("/api/pay/redeem", { email: user.email, card_key: "NOPE" }, user.headers);
    const created = await app.post("/api/proxy/banana", bananaRequest, user.headers);
    expect(JSON.stringify(created.body)).toContain("failed");

    const after = await scrape();
    expect(after.status).toBe(200);
    expect(after.contentType).toContain("text/plain");
    const delta = (series: string) => valueOf(after.text, series) - valueOf(before, series);
    expect(delta('ocean1_request_duration_seconds_count{operation="heartbeat",outcome="ok"}')).toBe(2);
    expect(delta('ocean1_request_duration_seconds_count{operation="redeemCard",outcome="CARD_INVALID"}')).toBe(1);
    expect(delta('ocean1_request_duration_seconds_count{operation="bananaCreate",outcome="ok"}')).toBe(1);
    expect(delta('ocean1_tasks_total{kind="banana",status="pending"}')).toBe(1);
    expect(delta('ocean1_tasks_total{kind="banana",status="failed"}')).toBe(1);
    const charged = delta('ocean1_points_total{type="consume",direction="debit"}');
    expect(charged).toBeGreaterThan(0);
    expect(delta('ocean1_points_total{type="refund",direction="credit"}')).toBe(charged);
    expect(delta('ocean1_upstream_calls_total{provider="grsai",outcome="http_401"}')).toBe(1);
    expect(valueOf(after.text, 'ocean1_db_pool_connections{state="total"}')).toBeGreaterThan(0);
    expect(after.text).toContain('ocean1_db_pool_connections{state="waiting"}');
    expect(after.text).toContain("ocean1_held_requests 0");
  });
});

describe("METRICS_PORT", () => {
  it("labels a call with the operation it reached, however its path was spelled", async () => {
    const user = await createTestUser(app.deps);
    const before = (await scrape()).text;
    for (const path of ["/API/User/Heartbeat/", "/api/user/../user/heartbeat"]) {
      expect((await app.post(path, { email: user.email }, user.headers)).body.status).toBe("ok");
    }
    const after = (await scrape()).text;
    const series = 'ocean1_request_duration_seconds_count{operation="heartbeat",outcome="ok"}';
    expect(valueOf(after, series) - valueOf(before, series)).toBe(2);
  });

  it("serves /metrics on a listener of its own, with the token when one is set", async () => {
    const deps = { ...app.deps, config: { ...app.deps.config, metrics: { port: 0, host: "127.0.0.1", token } } };
    const server = await startMetricsServer(deps);
    if (!server) throw new Error("no metrics server");
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      expect((await scrape(`${url}/metrics`, {})).status).toBe(401);
      const res = await scrape(`${url}/metrics`);
      expect(res.status).toBe(200);
      expect(res.text).toContain("ocean1_request_duration_seconds_bucket");
      expect((await fetch(`${url}/api/user/heartbeat`)).status).toBe(404);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
