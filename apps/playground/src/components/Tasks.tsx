import { listTasks, type ListTasksResult } from "@ocean1/client";
import { useEffect } from "react";
import { useAction } from "../use-action";
import { Answer } from "./Answer";

const kindNames: Record<string, string> = { sora: "Sora 视频", banana: "Banana 图片", jimeng_video: "即梦视频", jimeng_image: "即梦图片" };
const statusNames: Record<string, string> = { pending: "排队中", processing: "生成中", completed: "已完成", failed: "失败" };

/** 我的任务：即使创建请求的回答丢失（关闭页面、超时），任务也能在这里找到。GrsAI 的结果链接约两小时后失效。 */
export function Tasks({ refreshKey }: { refreshKey: number }) {
  const tasks = useAction<ListTasksResult>();
  useEffect(() => {
    void tasks.run(() => listTasks());
  }, [refreshKey]);

  return (
    <section>
      <h2>
        我的任务 <button onClick={() => void tasks.run(() => listTasks())}>刷新</button>
      </h2>
      <Answer state={tasks} testId="tasks-answer" />
      <table data-testid="tasks">
        <thead>
          <tr>
            <th>时间</th>
            <th>类型</th>
            <th>模型</th>
            <th>状态</th>
            <th>积分</th>
            <th>结果</th>
          </tr>
        </thead>
        <tbody>
          {(tasks.answer?.data ?? []).map((task) => (
            <tr key={task.id}>
              <td>{new Date(task.created_at).toLocaleString("zh-CN")}</td>
              <td>{kindNames[task.kind] ?? task.kind}</td>
              <td>{task.model}</td>
              <td>
                {statusNames[task.status] ?? task.status}
                {task.status === "processing" ? ` ${task.progress}%` : ""}
                {task.msg ? ` · ${task.msg}` : ""}
              </td>
              <td>{task.cost}</td>
              <td>
                {task.result_url
                  ? (task.result_urls ?? [task.result_url]).map((url, index) => (
                      <a key={url} href={url} target="_blank" rel="noreferrer">
                        {index === 0 ? "打开" : ` ${index + 1}`}
                      </a>
                    ))
                  : "—"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
