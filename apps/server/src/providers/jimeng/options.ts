/**
 * What jimeng-api (`iptag/jimeng-api`, v1.6.3, the version we run against) accepts, by model: the one
 * table the built-in catalogue's Jimeng entries are made from, and that a MODEL_CATALOG is checked
 * against at start-up. A model jimeng-api adds or drops is one edit here.
 *
 * - Images: `src/api/consts/common.ts` IMAGE_MODEL_MAP (the models) and RESOLUTION_OPTIONS (every
 *   model: resolutions 1k/2k/4k, each with the ratios below; an other value is refused with
 *   `不支持的分辨率` / `不支持的比例`, code -1000). Its defaults: ratio 1:1, resolution 2k.
 * - Videos: `src/api/consts/common.ts` VIDEO_MODEL_MAP (the models), `src/api/routes/videos.ts` (duration
 *   5 or 10, anything else refused) and its README (ratio 1:1, 4:3, 3:4, 16:9, 9:16, 21:9; resolution
 *   720p or 1080p). Its defaults: ratio 1:1, resolution 720p, duration 5.
 */
export interface JimengModelOptions {
  ratio: readonly string[];
  resolution: readonly string[];
  /** Seconds; videos only. */
  duration?: readonly number[];
}

const imageRatios = ["1:1", "4:3", "3:4", "16:9", "9:16", "3:2", "2:3", "21:9"] as const;
const image: JimengModelOptions = { ratio: imageRatios, resolution: ["1k", "2k", "4k"] };
const video: JimengModelOptions = {
  ratio: ["1:1", "4:3", "3:4", "16:9", "9:16", "21:9"],
  resolution: ["720p", "1080p"],
  duration: [5, 10],
};

export const jimengModels = {
  jimeng_image: { "jimeng-4.0": image, "jimeng-3.1": image, "jimeng-3.0": image, "jimeng-2.1": image },
  jimeng_video: { "jimeng-video-3.0": video, "jimeng-video-3.0-pro": video, "jimeng-video-3.0-fast": video },
} as const satisfies Record<"jimeng_image" | "jimeng_video", Record<string, JimengModelOptions>>;

export type JimengKind = keyof typeof jimengModels;

/** What jimeng-api accepts for `option` of an upstream model, or undefined when it does not know the model. */
export function jimengAccepts(kind: JimengKind, upstreamModel: string, option: string): readonly (string | number)[] | undefined {
  const models: Record<string, JimengModelOptions> = jimengModels[kind];
  const model = Object.hasOwn(models, upstreamModel) ? models[upstreamModel] : undefined;
  if (!model) return undefined;
  return (model as unknown as Record<string, readonly (string | number)[] | undefined>)[option] ?? [];
}
