/** Reported in the OpenAPI document and the start-up log. */
export const serverVersion = "0.1.0";
