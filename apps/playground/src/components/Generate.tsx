import {
  bananaCreate,
  jimengImageCreate,
  jimengVideoCreate,
  soraCreate,
  watchTask,
  type CreateTaskResult,
  type JimengCreateResult,
  type TaskProgress,
} from "@ocean1/client";
import { useState } from "react";
import { useAction } from "../use-action";
import { Answer } from "./Answer";
import { TaskView } from "./TaskView";

/**
 * Sora 与 Banana：请求会一直保持到任务结束（或服务器等待时间到），传入 onProgress 即可通过事件流
 * 实时看到进度。即梦：立即返回排队中的任务，再用 watchTask 轮询 queryResult 直到完成。
 */
export function Generate({ onTaskSettled }: { onTaskSettled: () => void }) {
  const [prompt, setPrompt] = useState("一只在海边散步的橘猫");
  const [file, setFile] = useState<File | undefined>();
  const [sora, setSora] = useState<TaskProgress>();
  const [banana, setBanana] = useState<TaskProgress>();
  const [jimeng, setJimeng] = useState<TaskProgress>();
  const [jimengKind, setJimengKind] = useState<"image" | "video">("image");
  const soraAction = useAction<CreateTaskResult>();
  const bananaAction = useAction<CreateTaskResult>();
  const jimengAction = useAction<JimengCreateResult>();

  /** A held call answers the task as it stands; one still running is followed by polling. */
  async function follow(answer: CreateTaskResult | JimengCreateResult | undefined, show: (task: TaskProgress) => void) {
    if (answer?.data) {
      show(answer.data);
      if (answer.data.status === "pending" || answer.data.status === "processing") await watchTask(answer.data.id, show);
    }
    onTaskSettled();
  }

  return (
    <section>
      <h2>AI 生成</h2>
      <label className="wide">
        提示词 <textarea data-testid="prompt" value={prompt} onChange={(e) => setPrompt(e.target.value)} />
      </label>

      <h3>Sora 视频</h3>
      <button
        data-testid="sora-create"
        disabled={soraAction.busy}
        onClick={() =>
          void soraAction
            .run(() => soraCreate(prompt, "sora-2", "16:9", 10, undefined, { onProgress: setSora }))
            .then((answer) => follow(answer, setSora))
        }
      >
        生成视频（sora-2，16:9，10 秒）
      </button>
      <Answer state={soraAction} testId="sora-answer" />
      <TaskView task={sora} kind="video" testId="sora-task" />

      <h3>Banana 图片</h3>
      <button
        data-testid="banana-create"
        disabled={bananaAction.busy}
        onClick={() =>
          void bananaAction
            .run(() => bananaCreate(prompt, "nano-banana", "1024x1024", "1:1", undefined, { onProgress: setBanana }))
            .then((answer) => follow(answer, setBanana))
        }
      >
        生成图片（nano-banana，1K）
      </button>
      <Answer state={bananaAction} testId="banana-answer" />
      <TaskView task={banana} kind="image" testId="banana-task" />

      <h3>即梦</h3>
      <label>
        参考图（可选） <input data-testid="jimeng-file" type="file" accept="image/*" onChange={(e) => setFile(e.target.files?.[0])} />
      </label>
      <button
        data-testid="jimeng-image-create"
        disabled={jimengAction.busy}
        onClick={() => {
          setJimengKind("image");
          void jimengAction.run(() => jimengImageCreate({ prompt, ratio: "1:1" }, file)).then((answer) => follow(answer, setJimeng));
        }}
      >
        即梦图片（可带参考图）
      </button>
      <button
        data-testid="jimeng-video-create"
        disabled={jimengAction.busy}
        onClick={() => {
          setJimengKind("video");
          void jimengAction.run(() => jimengVideoCreate({ prompt, ratio: "16:9" })).then((answer) => follow(answer, setJimeng));
        }}
      >
        即梦视频
      </button>
      <Answer state={jimengAction} testId="jimeng-answer" />
      <TaskView task={jimeng} kind={jimengKind} testId="jimeng-task" />
    </section>
  );
}
