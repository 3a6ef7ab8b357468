// Verifies webhook deliveries with the published Standard Webhooks package,
// as a receiver in Node would. Reads {"cases": [{name, secret, headers,
// body}]} on stdin (body: the raw request body, as received) and writes
// one line of JSON per case: {name, ok, error?, type?}.
import { Webhook } from "standardwebhooks";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const { cases } = JSON.parse(input);
for (const c of cases) {
  try {
    const payload = new Webhook(c.secret).verify(c.body, c.headers);
    console.log(JSON.stringify({ name: c.name, ok: true, type: payload.type }));
  } catch (e) {
    console.log(JSON.stringify({ name: c.name, ok: false, error: String(e.message || e) }));
  }
}
