/** What a fast path writes: the status, headers beyond the front middleware's (name/value pairs) and the JSON body. */
export interface FastAnswer {
  status: number;
  headers: string[];
  body: unknown;
}
