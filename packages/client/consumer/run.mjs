// Runs the installed package under plain Node: two clients against the server named in argv.
import { createMemoryStorage, createOcean1Client, isFailed } from "@ocean1/client";

const client = createOcean1Client({ baseUrl: process.argv[2], storage: createMemoryStorage() });
const answer = await client.sendCode("not-an-email");
console.log(JSON.stringify({ failed: isFailed(answer), code: answer.code, deviceId: client.deviceId() }));
