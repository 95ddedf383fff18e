import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../config.js";
import { testConfig } from "../../test/app.js";
import { AppError } from "../../errors/app-error.js";
import { loadCatalog } from "./catalog.js";
import { priceRequest } from "./pricing.js";

const builtIn = loadCatalog(undefined);
const directory = mkdtempSync(path.join(tmpdir(), "ocean1-catalog-"));
function catalogFile(content: unknown): string {
  const file = path.join(directory, `catalog-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

describe("the built-in catalogue", () => {
  it("serves the README's sora example (duration 5) as 10 s for 20 points", () => {
    expect(priceRequest(builtIn, "sora", "sora-2", { duration: 5, size: "small", aspectRatio: "16:9" })).toEqual({
      model: "sora-2",
      upstreamModel: "sora-2",
      options: { duration: 10, size: "small", aspectRatio: "16:9" },
      produced: { duration: "5", size: "small", aspectRatio: "16:9" },
      cost: 20,
    });
  });

  it("prices 15 s at 30 points, and small and large alike", () => {
    expect(priceRequest(builtIn, "sora", "sora-2", { duration: 15, size: "large", aspectRatio: "9:16" }).cost).toBe(30);
    expect(priceRequest(builtIn, "sora", "sora-2", { duration: 10, aspectRatio: "9:16" })).toMatchObject({
      options: { size: "small" },
      cost: 20,
    });
  });

  it("maps the README's banana example (banana-v1, 1024x1024) to nano-banana at 1K for 4 points", () => {
    expect(priceRequest(builtIn, "banana", "banana-v1", { imageSize: "1024x1024", aspectRatio: "1:1" })).toEqual({
      model: "banana-v1",
      upstreamModel: "nano-banana",
      // nano-banana makes one size: the size is not sent, and the task is made (and shown) as 1K.
      options: { aspectRatio: "1:1" },
      produced: { imageSize: "1K", aspectRatio: "1:1" },
      cost: 4,
    });
  });

  it.each([
    ["2048x2048", "2K", 6],
    ["4096x4096", "4K", 10],
    ["2K", "2K", 6],
  ])("maps image size %s to %s for %i points", (imageSize, upstream, cost) => {
    expect(priceRequest(builtIn, "banana", "nano-banana-pro", { imageSize, aspectRatio: "16:9" })).toMatchObject({
      upstreamModel: "nano-banana-pro",
      options: { imageSize: upstream },
      cost,
    });
  });

  it("prices Jimeng images at 4 points and videos at 20", () => {
    expect(priceRequest(builtIn, "jimeng_image", undefined, {}).cost).toBe(4);
    expect(priceRequest(builtIn, "jimeng_video", undefined, {}).cost).toBe(20);
  });

  it.each([
    ["an unknown model", "banana", "dall-e", {}, "MODEL_UNKNOWN", "不支持该模型，可选：banana-v1、nano-banana、nano-banana-pro"],
    [
      "an unknown size",
      "banana",
      "banana-v1",
      { imageSize: "1000x1000" },
      "OPTION_UNSUPPORTED",
      "不支持该图片尺寸，可选：1K、2K、4K、1024x1024、2048x2048、4096x4096",
    ],
    ["an unknown ratio", "sora", "sora-2", { aspectRatio: "1:1" }, "OPTION_UNSUPPORTED", "不支持该画面比例，可选：16:9、9:16"],
  ] as const)("refuses %s with a clear message", (_case, kind, model, options, code, message) => {
    const refuse = () => priceRequest(builtIn, kind, model, options);
    expect(refuse).toThrow(AppError);
    expect(refuse).toThrow(expect.objectContaining({ code, userMessage: message }));
  });
});

describe("MODEL_CATALOG", () => {
  it("replaces the built-in catalogue with the file's", () => {
    const file = catalogFile({
      sora: { models: { "sora-cheap": { upstream: "sora-2", points: 1, options: { duration: { values: { "10": { upstream: 10 } } } } } } },
    });
    const { catalog } = testConfig({ MODEL_CATALOG: file });
    expect(priceRequest(catalog, "sora", "sora-cheap", { duration: 10 })).toEqual({
      model: "sora-cheap",
      upstreamModel: "sora-2",
      options: { duration: 10 },
      produced: { duration: "10" },
      cost: 1,
    });
    expect(() => priceRequest(catalog, "sora", "sora-2", { duration: 10 })).toThrow(expect.objectContaining({ code: "MODEL_UNKNOWN" }));
    expect(() => priceRequest(catalog, "banana", "banana-v1", {})).toThrow(expect.objectContaining({ code: "MODEL_UNKNOWN" }));
  });

  it("loads an old file that prices sizes for nano-banana, with a warning, and charges its one size", () => {
    const file = catalogFile({
      banana: {
        models: {
          "banana-v1": {
            upstream: "nano-banana",
            options: {
              imageSize: { default: "1K", values: { "1K": { upstream: "1K", points: 4 }, "4K": { upstream: "4K", points: 10 } } },
            },
          },
          "nano-banana-pro": {
            upstream: "nano-banana-pro",
            options: {
              imageSize: { default: "1K", values: { "1K": { upstream: "1K", points: 4 }, "4K": { upstream: "4K", points: 10 } } },
            },
          },
        },
      },
    });
    const { catalog, catalogWarnings } = testConfig({ MODEL_CATALOG: file });
    expect(catalogWarnings).toEqual([
      expect.stringMatching(/^banana\.models\.banana-v1\.options\.imageSize: upstream "nano-banana" ignores imageSize/),
    ]);
    expect(priceRequest(catalog, "banana", "banana-v1", { imageSize: "4K" })).toEqual({
      model: "banana-v1",
      upstreamModel: "nano-banana",
      options: {},
      produced: { imageSize: "1K" },
      cost: 4,
    });
    // The Pro model makes each size: priced as asked.
    expect(priceRequest(catalog, "banana", "nano-banana-pro", { imageSize: "4K" })).toMatchObject({
      options: { imageSize: "4K" },
      cost: 10,
    });
  });

  it("makes a required size of such a model as its cheapest value when the old file gives no default", () => {
    const file = catalogFile({
      banana: {
        models: {
          "banana-v1": {
            upstream: "nano-banana",
            options: { imageSize: { values: { "2048x2048": { upstream: "2K", points: 6 }, "1024x1024": { upstream: "1K", points: 4 } } } },
          },
        },
      },
    });
    const { catalog, catalogWarnings } = testConfig({ MODEL_CATALOG: file });
    expect(catalogWarnings).toEqual([expect.stringContaining('every request is made and charged as "1024x1024"')]);
    expect(priceRequest(catalog, "banana", "banana-v1", { imageSize: "2048x2048" })).toMatchObject({
      options: {},
      produced: { imageSize: "1024x1024" },
      cost: 4,
    });
  });

  it("says nothing of a file that marks the option honoured: false, and still refuses a size it does not list", () => {
    const file = catalogFile({
      banana: {
        models: {
          "nano-banana": {
            upstream: "nano-banana",
            points: 4,
            options: { imageSize: { default: "1K", honoured: false, values: { "1K": { upstream: "1K" }, "2K": { upstream: "1K" } } } },
          },
        },
      },
    });
    const { catalog, catalogWarnings } = testConfig({ MODEL_CATALOG: file });
    expect(catalogWarnings).toEqual([]);
    expect(priceRequest(catalog, "banana", "nano-banana", { imageSize: "2K" })).toMatchObject({ produced: { imageSize: "1K" }, cost: 4 });
    expect(() => priceRequest(catalog, "banana", "nano-banana", { imageSize: "8K" })).toThrow(
      expect.objectContaining({ code: "OPTION_UNSUPPORTED" }),
    );
  });

  it("warns of a Jimeng entry that jimeng-api would refuse, naming it, and still loads", () => {
    const file = catalogFile({
      jimeng_video: {
        models: {
          "jimeng-video-3.0": {
            upstream: "jimeng-video-3.0",
            points: 20,
            options: { duration: { default: "5", values: { "5": { upstream: 5 }, "15": { upstream: 15 } } } },
          },
          "jimeng-video-9": { upstream: "jimeng-video-9", points: 20 },
        },
      },
    });
    const { catalog, catalogWarnings } = testConfig({ MODEL_CATALOG: file });
    expect(catalogWarnings).toEqual([
      "jimeng_video.models.jimeng-video-3.0.options.duration.values.15: jimeng-api refuses duration 15",
      'jimeng_video.models.jimeng-video-9: jimeng-api does not know the model "jimeng-video-9"',
    ]);
    expect(priceRequest(catalog, "jimeng_video", "jimeng-video-3.0", { duration: 5 }).cost).toBe(20);
  });

  it("the built-in catalogue loads without a warning", () => {
    expect(testConfig({}).catalogWarnings).toEqual([]);
  });

  it.each([
    [
      {
        banana: {
          models: {
            "banana-v1": { upstream: "nano-banana", options: { imageSize: { values: { "1K": { upstream: "1K", points: -4 } } } } },
          },
        },
      },
      "MODEL_CATALOG: banana.models.banana-v1.options.imageSize.values.1K.points",
    ],
    [{ banana: { models: { "banana-v1": { upstrem: "nano-banana" } } } }, "MODEL_CATALOG: banana.models.banana-v1"],
    [{ sora: { default: "sora-3", models: {} } }, 'MODEL_CATALOG: sora.default: no model named "sora-3"'],
    [
      { sora: { models: { s: { upstream: "s", options: { size: { default: "huge", values: { small: { upstream: "small" } } } } } } } },
      'MODEL_CATALOG: sora.models.s.options.size.default: "huge" is not one of its values',
    ],
    [
      { sora: { models: { s: { upstream: "s", options: { size: { honoured: false, values: { small: { upstream: "small" } } } } } } } },
      "MODEL_CATALOG: sora.models.s.options.size: an option its upstream ignores (honoured: false) needs the default it is made as",
    ],
    [{ video: {} }, "MODEL_CATALOG: (root)"],
    ["{ not json", "is not valid JSON"],
  ])("stops the start-up with a message naming the bad entry (%#)", (content, message) => {
    const file = catalogFile(content);
    expect(() => testConfig({ MODEL_CATALOG: file })).toThrow(ConfigError);
    expect(() => testConfig({ MODEL_CATALOG: file })).toThrow(message);
  });

  it("names a file that cannot be read", () => {
    expect(() => testConfig({ MODEL_CATALOG: path.join(directory, "missing.json") })).toThrow(/MODEL_CATALOG: cannot read .*missing\.json/);
  });
});
