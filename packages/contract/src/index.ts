export * from "./auth.js";
export * from "./chat.js";
export * from "./common.js";
export * from "./errors.js";
export * from "./generation.js";
export * from "./operations.js";
export * from "./pay.js";
export * from "./user.js";
