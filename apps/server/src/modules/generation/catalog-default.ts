import type { TaskKind } from "@ocean1/contract";
import { jimengModels } from "../../providers/jimeng/options.js";
import type { CatalogInput } from "./catalog-schema.js";

const same = (...values: string[]) => Object.fromEntries(values.map((value) => [value, { upstream: value }]));

/**
 * Options an upstream model is known to ignore, by kind and upstream model name: GrsAI's relay
 * honours `imageSize` only for `nano-banana-pro` (its Nano Banana document lists 1K/2K/4K for the Pro
 * model alone; `nano-banana` answers its one size). A catalogue file that prices such an option for
 * such a model loads, with a warning, as if it said `honoured: false`.
 */
export const upstreamIgnores: Partial<Record<TaskKind, Readonly<Record<string, readonly string[]>>>> = {
  banana: { "nano-banana": ["imageSize"] },
};

const bananaSizes = {
  "1K": { upstream: "1K", points: 4 },
  "2K": { upstream: "2K", points: 6 },
  "4K": { upstream: "4K", points: 10 },
  "1024x1024": { upstream: "1K", points: 4 },
  "2048x2048": { upstream: "2K", points: 6 },
  "4096x4096": { upstream: "4K", points: 10 },
};
const bananaRatios = { default: "auto", values: same("auto", "1:1", "16:9", "9:16", "4:3", "3:4", "3:2", "2:3", "5:4", "4:5", "21:9") };
/** `nano-banana-pro`: each size is made, and priced, as asked. */
const bananaProOptions = { imageSize: { default: "1K", values: bananaSizes }, aspectRatio: bananaRatios };
/** `nano-banana` makes 1K whatever the size: any known size is accepted, made and charged as 1K. */
const bananaOneSize = {
  imageSize: {
    default: "1K",
    honoured: false,
    values: Object.fromEntries(Object.keys(bananaSizes).map((size) => [size, { upstream: "1K" }])),
  },
  aspectRatio: bananaRatios,
};
/** Jimeng's options are jimeng-api's own (`providers/jimeng/options.ts`): a value it would refuse is refused before the charge. */
const jimengImage = jimengModels.jimeng_image["jimeng-4.0"];
const jimengVideo = jimengModels.jimeng_video["jimeng-video-3.0"];
const durations = (seconds: readonly number[]) => Object.fromEntries(seconds.map((value) => [String(value), { upstream: value }]));

/** DESIGN.md §6: the prices and mappings served when MODEL_CATALOG is unset. */
export const defaultCatalog: CatalogInput = {
  sora: {
    default: "sora-2",
    models: {
      "sora-2": {
        upstream: "sora-2",
        options: {
          // The upstream makes 10 s and 15 s videos; a requested 5 s is served (and priced) as 10 s.
          duration: {
            default: "10",
            values: { "5": { upstream: 10, points: 20 }, "10": { upstream: 10, points: 20 }, "15": { upstream: 15, points: 30 } },
          },
          size: { default: "small", values: same("small", "large") },
          aspectRatio: { default: "16:9", values: same("16:9", "9:16") },
        },
      },
    },
  },
  banana: {
    default: "nano-banana",
    models: {
      "banana-v1": { upstream: "nano-banana", points: 4, options: bananaOneSize },
      "nano-banana": { upstream: "nano-banana", points: 4, options: bananaOneSize },
      "nano-banana-pro": { upstream: "nano-banana-pro", options: bananaProOptions },
    },
  },
  jimeng_image: {
    default: "jimeng-4.0",
    models: {
      "jimeng-4.0": {
        upstream: "jimeng-4.0",
        points: 4,
        options: {
          ratio: { default: "1:1", values: same(...jimengImage.ratio) },
          resolution: { default: "2k", values: same(...jimengImage.resolution) },
        },
      },
    },
  },
  jimeng_video: {
    default: "jimeng-video-3.0",
    models: {
      "jimeng-video-3.0": {
        upstream: "jimeng-video-3.0",
        points: 20,
        options: {
          ratio: { default: "16:9", values: same(...jimengVideo.ratio) },
          resolution: { default: "720p", values: same(...jimengVideo.resolution) },
          duration: { default: "5", values: durations(jimengVideo.duration ?? []) },
        },
      },
    },
  },
};
