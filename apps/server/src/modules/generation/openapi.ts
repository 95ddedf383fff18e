import { jimengFormFields, jimengUploadLimits, operations } from "@ocean1/contract";

type OperationObject = {
  description?: string;
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
};

const heldDescription = (waitVariable: string) =>
  `Held answer: the request stays open until the task ends or ${waitVariable} passes, writing one whitespace byte about every 15 s ` +
  `(a JSON document may start with whitespace), then one JSON document — read it with one \`res.json()\`. ` +
  'A task still running at the end answers `status:"success"` with its current state: poll `/api/proxy/v1/draw/result`. ' +
  "With `Accept: text/event-stream` the answer is an event stream instead: `event: progress` with `{id, status, progress}` on each change, " +
  "then one `event: done` whose data is the same document as the JSON answer. Served by an express route ahead of the REST adapter.";

const imageRule = `${jimengUploadLimits.types.map((type) => type.replace("image/", "").toUpperCase()).join(", ")} by content, at most ${jimengUploadLimits.maxBytes / 1024 / 1024} MB`;

const multipartDescription =
  "Also `multipart/form-data` (served by an express route ahead of the REST adapter): every payload key as a string field, " +
  `an optional reference image in field \`image\` (${imageRule}). Answers within 5 s ` +
  '`{status:"success", data:{id, status:"pending"}}`; poll `/api/proxy/v1/draw/result`. Keys the catalogue does not know ' +
  `(anything but ${jimengFormFields.join(", ")}) are ignored.`;

/** The Jimeng operations also take a multipart form, which the generated document cannot know. */
export function describeJimengMultipart(paths: Record<string, unknown>): void {
  for (const name of ["jimengImageCreate", "jimengVideoCreate"] as const) {
    const operation = (
      paths[operations[name].path] as Record<string, OperationObject & { requestBody?: { content?: Record<string, unknown> } }> | undefined
    )?.post;
    if (!operation?.requestBody?.content) continue;
    operation.description = multipartDescription;
    operation.requestBody.content["multipart/form-data"] = {
      schema: {
        type: "object",
        required: ["prompt"],
        properties: {
          ...Object.fromEntries(jimengFormFields.map((field) => [field, { type: "string" }])),
          image: { type: "string", format: "binary", description: imageRule },
        },
      },
    };
  }
}

/**
 * The sora and banana answers are written by express routes (held, keep-alive whitespace, an
 * optional event stream), which the generated document cannot know: this says so.
 */
export function describeHeldAnswers(paths: Record<string, unknown>): void {
  for (const [name, wait] of [
    ["soraCreate", "SORA_WAIT_SECONDS (570 s)"],
    ["bananaCreate", "BANANA_WAIT_SECONDS (280 s)"],
  ] as const) {
    const operation = (paths[operations[name].path] as Record<string, OperationObject> | undefined)?.post;
    const answer = operation?.responses?.["200"];
    const json = answer?.content?.["application/json"];
    if (!operation || !answer?.content || !json) continue;
    operation.description = heldDescription(wait);
    answer.content["text/event-stream"] = {
      schema: {
        type: "string",
        description: "`event: progress` / `data: {id, status, progress}` lines, then `event: done` / `data: <the JSON answer>`",
      },
    };
  }
}
