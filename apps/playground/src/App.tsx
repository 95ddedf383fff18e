import { currentEmail, deviceId, heartbeat, logout } from "@ocean1/client";
import { useEffect, useState } from "react";
import { Account } from "./components/Account";
import { Chat } from "./components/Chat";
import { Generate } from "./components/Generate";
import { Login } from "./components/Login";
import { SignUp } from "./components/SignUp";
import { Tasks } from "./components/Tasks";

/** The frontend sends a heartbeat every 30 s; `rejected` means another device logged in. */
const heartbeatIntervalMs = 30_000;

export function App({ apiBase }: { apiBase: string }) {
  const [email, setEmail] = useState(currentEmail());
  const [kicked, setKicked] = useState(false);
  const [refreshKey, setRefreshKey] = useState(0);

  function signOut(wasKicked: boolean) {
    logout();
    setEmail(null);
    setKicked(wasKicked);
  }

  useEffect(() => {
    if (!email) return;
    const timer = setInterval(() => {
      void heartbeat(email).then((answer) => {
        if (answer.status === "rejected") signOut(true);
      });
    }, heartbeatIntervalMs);
    return () => clearInterval(timer);
  }, [email]);

  return (
    <main>
      <header>
        <h1>Ocean1 接口演练场</h1>
        <p className="meta">
          API：<code>{apiBase}</code> · 设备 ID：<code data-testid="device-id">{deviceId()}</code> · 当前账号：
          <code data-testid="current-email">{email ?? "未登录"}</code>
          {email ? <button onClick={() => signOut(false)}>退出登录</button> : null}
        </p>
      </header>
      {kicked ? (
        <p className="banner" data-testid="kicked">
          您的账号已在其他设备登录，当前设备已下线。
        </p>
      ) : null}
      {email ? (
        <>
          <Account email={email} refreshKey={refreshKey} onKicked={() => signOut(true)} />
          <Generate onTaskSettled={() => setRefreshKey((key) => key + 1)} />
          <Tasks refreshKey={refreshKey} />
          <Chat onAnswered={() => setRefreshKey((key) => key + 1)} />
        </>
      ) : (
        <div className="columns">
          <SignUp />
          <Login
            onLoggedIn={(loggedIn) => {
              setKicked(false);
              setEmail(loggedIn);
            }}
          />
        </div>
      )}
    </main>
  );
}
