/** What the account services know of the caller, free of any transport. */
export interface ClientInfo {
  ip: string;
  /** Header `x-device-id`, when sent. */
  deviceId: string | undefined;
}
