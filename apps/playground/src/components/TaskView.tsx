import type { TaskProgress } from "@ocean1/client";

const statusNames: Record<string, string> = { pending: "排队中", processing: "生成中", completed: "已完成", failed: "失败" };

/** A task's progress bar, then its result: a video player, or every image (a jimeng-4.x task makes four). */
export function TaskView({ task, kind, testId }: { task: TaskProgress | undefined; kind: "video" | "image"; testId: string }) {
  if (!task) return null;
  const progress = task.progress ?? 0;
  return (
    <div className="task" data-testid={testId} data-status={task.status}>
      <p>
        任务 <code>{task.id}</code>：{statusNames[task.status] ?? task.status}
        {task.msg ? ` · ${task.msg}` : ""}
      </p>
      <progress max={100} value={progress} /> {progress}%
      {task.status === "completed" && task.result_url ? (
        kind === "video" ? (
          <video data-testid={`${testId}-video`} src={task.result_url} controls muted playsInline />
        ) : (
          (task.result_urls ?? [task.result_url]).map((url, index) => (
            <img
              key={url}
              data-testid={index === 0 ? `${testId}-image` : `${testId}-image-${index + 1}`}
              src={url}
              alt={`生成结果 ${index + 1}`}
            />
          ))
        )
      ) : null}
    </div>
  );
}
