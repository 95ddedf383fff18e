import { taskKinds, type TaskKind } from "@ocean1/contract";
import { z } from "zod";

/** The shape of MODEL_CATALOG (DESIGN.md §6): per task kind, its models, their options, prices and upstream names. */
const ZPoints = z.number().int().min(0).max(1_000_000);

const ZOptionValue = z.strictObject({
  /** What the upstream is sent for this value. */
  upstream: z.union([z.string().min(1), z.number()]),
  /** Added to the model's price when this value is chosen. */
  points: ZPoints.default(0),
});

const ZOption = z.strictObject({
  /** Used when the request leaves the option out. */
  default: z.string().optional(),
  /**
   * `false`: the model's upstream ignores this option (GrsAI's `nano-banana` makes one size whatever
   * `imageSize` says). A request's value is still checked against `values`, but the task is priced,
   * recorded and shown as the `default` value, and nothing is sent upstream for it. Unset: honoured,
   * unless the upstream model is known to ignore it (`upstreamIgnores`: then a warning at startup).
   */
  honoured: z.boolean().optional(),
  /** Accepted request values (as strings: a duration of 5 is `"5"`) → upstream value and price. */
  values: z.record(z.string().min(1), ZOptionValue).refine((values) => Object.keys(values).length > 0, "needs at least one value"),
});

const ZModel = z.strictObject({
  upstream: z.string().min(1),
  points: ZPoints.default(0),
  options: z.record(z.string().min(1), ZOption).default({}),
});

const ZKind = z.strictObject({
  /** The model of a request that names none (Jimeng payloads may leave it out). */
  default: z.string().optional(),
  models: z.record(z.string().min(1), ZModel),
});

export const ZCatalog = z.strictObject(
  Object.fromEntries(taskKinds.map((kind) => [kind, ZKind.default({ models: {} })])) as Record<TaskKind, z.ZodDefault<typeof ZKind>>,
);

export type Catalog = z.infer<typeof ZCatalog>;
export type CatalogInput = z.input<typeof ZCatalog>;
export type CatalogModel = z.infer<typeof ZModel>;
