import { z } from "zod";
import { fieldError, pageLimit, ZFreeText } from "./common.js";
import { ZErrorCode } from "./errors.js";

/** The stable code of a failed task (DESIGN.md §2): CONTENT_MODERATED, or UPSTREAM_FAILED for any other failure. */
const ZTaskFailureCode = ZErrorCode.extract(["CONTENT_MODERATED", "UPSTREAM_FAILED"])
  .optional()
  .meta({ description: "When the task failed: its stable code" });

export const taskStatuses = ["pending", "processing", "completed", "failed"] as const;
export const ZTaskStatus = z.enum(taskStatuses);
export type TaskStatus = z.infer<typeof ZTaskStatus>;

/** A task still being worked: it may move, and only these may become final (once). */
export const unfinishedTaskStatuses = ["pending", "processing"] as const satisfies readonly TaskStatus[];
export type FinalTaskStatus = Exclude<TaskStatus, (typeof unfinishedTaskStatuses)[number]>;

/** `completed` or `failed`: the task will never change again. */
export function isFinalStatus(status: TaskStatus): status is FinalTaskStatus {
  return status === "completed" || status === "failed";
}

export const promptMaxLength = 4000;
export const referenceUrlsMax = 8;

const ZPrompt = ZFreeText.trim().min(1, "请填写提示词").max(promptMaxLength, `提示词不能超过 ${promptMaxLength} 个字符`);
const ZHttpUrl = z
  .string()
  .trim()
  .max(2048, "图片链接不能超过 2048 个字符")
  // A URL parser keeps a NUL in the path as it is, and PostgreSQL cannot store one.
  .regex(/^[^\u0000-\u001f\u007f]*$/, "图片链接不能包含控制字符")
  .pipe(z.url({ protocol: /^https?$/, error: "图片链接应为 http 或 https 网址" }));

export const ZSoraCreateRequest = z.object({
  model: z.string().trim().min(1, "请选择模型").max(64, "模型名称不能超过 64 个字符").meta({ example: "sora-2" }),
  prompt: ZPrompt.meta({ example: "A cat walking on the beach" }),
  aspectRatio: z.string().trim().min(1, "请选择画面比例").max(16, "画面比例不能超过 16 个字符").meta({ example: "16:9" }),
  duration: z.number().int("时长应为整数秒").min(1, "时长需为 1–60 秒").max(60, "时长需为 1–60 秒").meta({ example: 5 }),
  size: z.string().trim().max(16, "尺寸不能超过 16 个字符").optional().meta({ example: "small" }),
  url: ZHttpUrl.optional().meta({ description: "Reference image for image-to-video" }),
});
export type SoraCreateRequest = z.infer<typeof ZSoraCreateRequest>;

export const ZBananaCreateRequest = z.object({
  model: z.string().trim().min(1, "请选择模型").max(64, "模型名称不能超过 64 个字符").meta({ example: "banana-v1" }),
  prompt: ZPrompt.meta({ example: "A sunset over mountains" }),
  imageSize: z.string().trim().min(1, "请选择图片尺寸").max(16, "图片尺寸不能超过 16 个字符").meta({ example: "1024x1024" }),
  aspectRatio: z.string().trim().min(1, "请选择画面比例").max(16, "画面比例不能超过 16 个字符").meta({ example: "1:1" }),
  urls: z.array(ZHttpUrl).max(referenceUrlsMax, `参考图片最多 ${referenceUrlsMax} 张`).optional(),
});
export type BananaCreateRequest = z.infer<typeof ZBananaCreateRequest>;

/**
 * The options a task is made as, in the request's terms. A model whose upstream ignores an option
 * is made as one value whatever was asked (`nano-banana` makes `imageSize` 1K): this says which.
 */
const ZTaskOptions = z
  .record(z.string(), z.string())
  .optional()
  .meta({
    description: "The options the task is made as (what the model produces, e.g. imageSize 1K)",
    example: { imageSize: "1K", aspectRatio: "1:1" },
  });

/**
 * Every result of a completed task, the first being `result_url`: a jimeng-4.x image task makes four
 * images. Present whenever `result_url` is; callers that read `result_url` alone see the first.
 */
const ZResultUrls = z
  .array(z.string())
  .optional()
  .meta({
    description: "Every result of the task, the first being result_url (jimeng-4.x makes four images)",
    example: ["https://cdn.example.com/a.png", "https://cdn.example.com/b.png"],
  });

/** What a create call answers: the task as it stands when the call returns. */
export const ZTaskSnapshot = z
  .object({
    id: z.string(),
    status: ZTaskStatus,
    progress: z.number().int().min(0).max(100).optional(),
    result_url: z.string().optional(),
    result_urls: ZResultUrls,
    options: ZTaskOptions,
  })
  .meta({ id: "TaskSnapshot" });
export type TaskSnapshot = z.infer<typeof ZTaskSnapshot>;

export const ZCreateTaskResponse = z
  .object({
    status: z.enum(["success", "failed"]),
    msg: z.string().optional(),
    code: ZTaskFailureCode,
    data: ZTaskSnapshot,
  })
  .meta({ id: "CreateTaskResponse" });
export type CreateTaskResponse = z.infer<typeof ZCreateTaskResponse>;

/**
 * The form of a public task id: URL-safe base64 characters (ours are 22: 128 random bits). Up to
 * 64, so that API_README's placeholder `task-id-string` stays well-formed (and is simply not found).
 */
export const taskIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

/** A task id as a request names it: anything else is refused before the database is asked. */
export const ZTaskId = z
  .string(fieldError("请提供任务编号", "任务编号格式不正确"))
  .trim()
  .min(1, "请提供任务编号")
  .max(64, "任务编号格式不正确")
  .regex(taskIdPattern, "任务编号格式不正确")
  .meta({ example: "x3Jb0Qm6bT2sN1pV9aKc4w" });

export const ZQueryResultRequest = z.object({
  id: ZTaskId,
});
export type QueryResultRequest = z.infer<typeof ZQueryResultRequest>;

/** `GenerationResult` of the frontend's types. */
export const ZGenerationResult = z
  .object({
    status: ZTaskStatus,
    progress: z.number().int().min(0).max(100).optional(),
    result_url: z.string().optional(),
    result_urls: ZResultUrls,
    msg: z.string().optional(),
    code: ZTaskFailureCode,
  })
  .meta({ id: "GenerationResult" });
export type GenerationResult = z.infer<typeof ZGenerationResult>;

export const ZQueryResultResponse = z
  .object({
    status: z.literal("success"),
    data: ZGenerationResult,
  })
  .meta({ id: "QueryResultResponse" });
export type QueryResultResponse = z.infer<typeof ZQueryResultResponse>;

/** A Jimeng option as JSON (string or number) or a multipart field (a string) sends it: trimmed text. */
const ZOptionText = z
  .union([z.string(), z.number()])
  .transform((value) => String(value).trim())
  .pipe(z.string().max(32, "取值过长"))
  .optional();

/** The Jimeng payload keys the catalogue knows (DESIGN.md §6); any other key passes through and is ignored. */
export const ZJimengOptions = z.object({
  model: z.string().trim().max(64, "模型名称不能超过 64 个字符").optional(),
  ratio: ZOptionText,
  resolution: ZOptionText,
  duration: ZOptionText,
  negative_prompt: ZFreeText.trim().max(2000, "反向提示词不能超过 2000 个字符").optional(),
});
export type JimengOptions = z.infer<typeof ZJimengOptions>;

/** Both Jimeng operations take one payload: a prompt and the known options, as JSON or as multipart fields. */
export const ZJimengCreateRequest = z.looseObject({ prompt: ZPrompt, ...ZJimengOptions.shape });
/** What a caller sends (`{prompt, model?, …any other keys}`, options as strings or numbers). */
export type JimengCreateRequest = z.input<typeof ZJimengCreateRequest>;
/** What the server works with: the options as trimmed text. */
export type JimengCreatePayload = z.output<typeof ZJimengCreateRequest>;
/** The multipart fields of a Jimeng call besides its file (`image`). */
export const jimengFormFields = Object.keys(ZJimengCreateRequest.shape) as Array<keyof JimengCreatePayload & string>;

export const ZJimengVideoCreateRequest = ZJimengCreateRequest;
export type JimengVideoCreateRequest = JimengCreateRequest;
export const ZJimengImageCreateRequest = ZJimengCreateRequest;
export type JimengImageCreateRequest = JimengCreateRequest;

export const ZJimengCreateResponse = z
  .object({
    status: z.literal("success"),
    data: ZTaskSnapshot,
  })
  .meta({ id: "JimengCreateResponse" });
export type JimengCreateResponse = z.infer<typeof ZJimengCreateResponse>;

export const taskKinds = ["sora", "banana", "jimeng_video", "jimeng_image"] as const;
export const ZTaskKind = z.enum(taskKinds);
export type TaskKind = z.infer<typeof ZTaskKind>;

export const tasksPageSize = { default: 50, max: 200 } as const;

export const ZListTasksRequest = z.object({
  limit: pageLimit(tasksPageSize.max).optional(),
  before: ZTaskId.optional().meta({ description: "Return tasks older than the task with this id" }),
});
export type ListTasksRequest = z.infer<typeof ZListTasksRequest>;

/** One of the caller's tasks, as `GET /api/user/tasks` lists it. */
export const ZTaskSummary = z
  .object({
    id: z.string(),
    kind: ZTaskKind,
    model: z.string(),
    status: ZTaskStatus,
    progress: z.number().int().min(0).max(100),
    result_url: z.string().optional(),
    result_urls: ZResultUrls,
    /** When the result URL was produced: GrsAI URLs expire about two hours later. */
    result_at: z.iso.datetime().optional(),
    msg: z.string().optional(),
    options: ZTaskOptions,
    cost: z.number().int(),
    created_at: z.iso.datetime().meta({ example: "2026-02-12T10:00:00.000Z" }),
  })
  .meta({ id: "TaskSummary" });
export type TaskSummary = z.infer<typeof ZTaskSummary>;

export const ZListTasksResponse = z
  .object({
    status: z.literal("success"),
    data: z.array(ZTaskSummary),
  })
  .meta({ id: "ListTasksResponse" });
export type ListTasksResponse = z.infer<typeof ZListTasksResponse>;

/** Uploads (multipart field `image`): at most this size, PNG, JPEG or WebP by content. */
export const jimengUploadLimits = { maxBytes: 10 * 1024 * 1024, types: ["image/png", "image/jpeg", "image/webp"] } as const;
