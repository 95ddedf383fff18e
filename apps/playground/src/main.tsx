import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { configureApiBase } from "./api-base";
import { App } from "./App";
import "./styles.css";

const apiBase = configureApiBase();
const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App apiBase={apiBase} />
    </StrictMode>,
  );
}
