import { describe, expect, it } from "vitest";
import { ZFailureResponse, ZLoginResponse, errorMessages, operations, type OperationName } from "./index.js";

/** Every request example of API_README.md, by operation. */
const documentedRequests: Record<OperationName, unknown> = {
  login: { email: "user@example.com", password: "xxx", device_id: "uuid-string", version: "1.0.0" },
  register: { email: "user@example.com", password: "xxxxxxxx", nickname: "Billy", invite_code: "ABC123", verify_code: "123456" },
  sendCode: { email: "user@example.com" },
  loginVerify: { email: "user@example.com", code: "123456", device_id: "uuid-string" },
  resetPassword: { email: "user@example.com", password: "new_password", verify_code: "123456" },
  heartbeat: { email: "user@example.com" },
  getHistory: {},
  redeemCard: { email: "user@example.com", card_key: "XXXX-XXXX-XXXX" },
  soraCreate: {
    model: "sora-2",
    prompt: "A cat walking on the beach",
    aspectRatio: "16:9",
    duration: 5,
    size: "small",
    url: "https://example.com/cat.png",
  },
  bananaCreate: {
    model: "banana-v1",
    prompt: "A sunset over mountains",
    imageSize: "1024x1024",
    aspectRatio: "1:1",
    urls: ["https://example.com/ref.png"],
  },
  queryResult: { id: "task-id-string" },
  jimengVideoCreate: { prompt: "海边的猫", ratio: "16:9", duration: 5 },
  jimengImageCreate: { prompt: "海边的猫", model: "jimeng-4.0", ratio: "1:1" },
  catChat: {
    messages: [
      { role: "system", content: "你是一只可爱的猫猫" },
      { role: "user", content: "你好呀" },
    ],
  },
  // Not in API_README.md: the caller's own tasks (DESIGN.md §6).
  listTasks: { limit: 20 },
};

/** Every response example of API_README.md, by operation. */
const documentedResponses: Partial<Record<OperationName, unknown[]>> = {
  login: [{ status: "success", data: { nickname: "Billy", email: "user@example.com", points: 100 } }, { status: "NEED_VERIFY" }],
  register: [{ status: "success", msg: "注册成功" }],
  sendCode: [{ status: "success", msg: "邮件已发送" }],
  resetPassword: [{ status: "success", msg: "密码重置成功" }],
  heartbeat: [{ status: "ok", has_reward: false }, { status: "rejected" }],
  getHistory: [
    {
      status: "success",
      data: [{ id: 1, type: "consume", amount: -10, balance_after: 90, description: "Sora 视频生成", created_at: "2026-02-12T10:00:00Z" }],
    },
  ],
  redeemCard: [{ status: "success", msg: "充值成功", new_points: 200 }],
  queryResult: [{ status: "success", data: { status: "completed", progress: 100, result_url: "https://cdn.example.com/output.mp4" } }],
  catChat: [{ status: "success", reply: "喵~ 你好呀主人！" }],
};

describe("documented examples", () => {
  // API_README's placeholder device id "uuid-string" is 11 characters: a real one is a UUID.
  for (const [name, example] of Object.entries(documentedRequests) as [OperationName, unknown][]) {
    it(`accepts the documented ${name} request`, () => {
      const parsed = operations[name].input.safeParse(example);
      expect(parsed.error?.issues ?? []).toEqual([]);
    });
  }
  for (const [name, examples] of Object.entries(documentedResponses) as [OperationName, unknown[]][]) {
    it(`accepts the documented ${name} responses`, () => {
      for (const example of examples) {
        const parsed = operations[name].output.safeParse(example);
        expect(parsed.error?.issues ?? []).toEqual([]);
      }
    });
  }
  it("accepts the documented failure answer", () => {
    expect(ZFailureResponse.parse({ status: "failed", msg: "密码错误", code: "WRONG_PASSWORD" }).code).toBe("WRONG_PASSWORD");
  });
});

describe("wrong shapes are refused", () => {
  const refused: [OperationName, unknown, string][] = [
    ["login", { email: "not-an-email", password: "x", device_id: "uuid-string" }, "email"],
    ["login", { email: "user@example.com", device_id: "uuid-string" }, "password"],
    ["login", { email: "user@example.com", password: "x" }, "device_id"],
    ["register", { email: "user@example.com", password: "short", nickname: "Billy", verify_code: "123456" }, "password"],
    ["register", { email: "user@example.com", password: "long enough", nickname: "", verify_code: "123456" }, "nickname"],
    ["register", { email: "user@example.com", password: "long enough", nickname: "x".repeat(33), verify_code: "123456" }, "nickname"],
    ["register", { email: "user@example.com", password: "long enough", nickname: "Billy", verify_code: "12345a" }, "verify_code"],
    ["loginVerify", { email: "user@example.com", code: "1234567", device_id: "uuid-string" }, "code"],
    ["resetPassword", { email: "user@example.com", password: "x".repeat(129), verify_code: "123456" }, "password"],
    ["getHistory", { limit: 201 }, "limit"],
    ["getHistory", { before: 0 }, "before"],
    ["redeemCard", { email: "user@example.com" }, "card_key"],
    ["soraCreate", { model: "sora-2", prompt: "", aspectRatio: "16:9", duration: 5 }, "prompt"],
    ["bananaCreate", { model: "banana-v1", prompt: "x", imageSize: "1K", aspectRatio: "1:1", urls: ["ftp://example.com/a.png"] }, "urls"],
    ["jimengVideoCreate", { model: "jimeng" }, "prompt"],
    ["catChat", { messages: [] }, "messages"],
    ["catChat", { messages: [{ role: "robot", content: "hi" }] }, "messages"],
  ];
  for (const [name, input, field] of refused) {
    it(`refuses ${name} with a bad ${field}`, () => {
      const parsed = operations[name].input.safeParse(input);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((issue) => issue.path[0])).toContain(field);
    });
  }
  it("refuses a login answer without data", () => {
    expect(ZLoginResponse.safeParse({ status: "success" }).success).toBe(false);
  });
  it("refuses a failure with an unknown code", () => {
    expect(ZFailureResponse.safeParse({ status: "failed", msg: "x", code: "NOPE" }).success).toBe(false);
  });
});

describe("normalisation", () => {
  it("trims and lower-cases emails", () => {
    const parsed = operations.sendCode.input.parse({ email: "  User@Example.COM " });
    expect(parsed).toEqual({ email: "user@example.com" });
  });
  it("keeps extra jimeng keys", () => {
    expect(operations.jimengVideoCreate.input.parse({ prompt: "p", ratio: "16:9" })).toEqual({ prompt: "p", ratio: "16:9" });
  });
});

describe("operations table", () => {
  it("has the 14 documented operations plus GET /api/user/tasks at distinct paths under /api", () => {
    const paths = Object.values(operations).map((op) => `${op.method} ${op.path}`);
    expect(paths).toHaveLength(15);
    expect(new Set(paths).size).toBe(15);
    expect(paths).toContain("GET /api/user/tasks");
  });
  it("gives every error code a Chinese message", () => {
    for (const msg of Object.values(errorMessages)) expect(msg).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe("device ids", () => {
  it('lets "server" and short ids through: the server refuses them with INVALID_DEVICE, not as malformed input', () => {
    for (const device_id of ["server", "short", ""]) {
      expect(operations.login.input.safeParse({ email: "user@example.com", password: "x", device_id }).success).toBe(true);
    }
  });
});
