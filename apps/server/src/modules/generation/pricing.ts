import type { TaskKind } from "@ocean1/contract";
import { AppError } from "../../errors/app-error.js";
import { ownEntry, type Catalog } from "./catalog.js";

/** What a request resolves to: the upstream model, the mapped options and the price. */
export interface PricedRequest {
  model: string;
  upstreamModel: string;
  /** Option name → the upstream's value (e.g. `duration: 10`, `imageSize: "1K"`), for the options it honours. */
  options: Record<string, string | number>;
  /**
   * Option name → the catalogue's value the task is made as (`imageSize: "1K"` for a model that
   * ignores the size, whatever was asked): what the answer and the task list show.
   */
  produced: Record<string, string>;
  cost: number;
}

const optionLabels: Record<string, string> = {
  duration: "视频时长",
  size: "视频尺寸",
  aspectRatio: "画面比例",
  imageSize: "图片尺寸",
  ratio: "画面比例",
  resolution: "分辨率",
};

/**
 * Maps what the frontend sends onto what the upstream accepts, and prices it. An unknown model or
 * a value with no mapping is refused before anything is charged.
 */
export function priceRequest(
  catalog: Catalog,
  kind: TaskKind,
  model: string | undefined,
  requested: Record<string, string | number | undefined>,
): PricedRequest {
  const section = catalog[kind];
  const name = model || section.default; // an empty multipart field means none
  const entry = name === undefined ? undefined : ownEntry(section.models, name);
  if (name === undefined || !entry) {
    const known = Object.keys(section.models);
    // The message names the catalogue's choices, never what was sent (it is shown to people).
    const choices = known.length ? `，可选：${known.join("、")}` : "";
    throw new AppError("MODEL_UNKNOWN", `${name === undefined ? "请选择模型" : "不支持该模型"}${choices}`, "model");
  }
  const options: Record<string, string | number> = {};
  const produced: Record<string, string> = {};
  let cost = entry.points;
  for (const [option, spec] of Object.entries(entry.options)) {
    const given = ownEntry(requested, option);
    const key = given === undefined || given === "" ? spec.default : String(given).trim();
    const label = ownEntry(optionLabels, option) ?? option;
    const value = key === undefined ? undefined : ownEntry(spec.values, key);
    if (key === undefined || !value) {
      const choices = Object.keys(spec.values).join("、");
      const message = key === undefined ? `请选择${label}，可选：${choices}` : `不支持该${label}，可选：${choices}`;
      throw new AppError("OPTION_UNSUPPORTED", message, option);
    }
    // An option the upstream ignores is made as its default: priced so, and not sent.
    const made = spec.honoured === false && spec.default !== undefined ? spec.default : key;
    const madeValue = ownEntry(spec.values, made) ?? value;
    if (spec.honoured !== false) options[option] = madeValue.upstream;
    produced[option] = made;
    cost += madeValue.points;
  }
  // The catalogue is validated at startup: anything else here is a server bug, never a price to charge.
  if (!Number.isSafeInteger(cost) || cost < 0)
    throw new Error(`computed price is not a non-negative integer: ${String(cost)} (${kind} ${name})`);
  return { model: name, upstreamModel: entry.upstream, options, produced, cost };
}
