// Verifies captured webhook deliveries with the Standard Webhooks reference library, independently of the
// service's signing code. Input on stdin: {"secret": "whsec_…", "deliveries": [{"headers": {…}, "body": "…"}]}.
// Output on stdout: one {"id", "ok", "error"} per delivery, as a JSON array. Exit code 0 when every one verified.
import { Webhook } from "standardwebhooks";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const webhook = new Webhook(input.secret);
const results = input.deliveries.map(({ headers, body }) => {
  try {
    webhook.verify(body, headers);
    return { id: headers["webhook-id"], ok: true, error: null };
  } catch (e) {
    return { id: headers["webhook-id"], ok: false, error: String(e && e.message || e) };
  }
});
process.stdout.write(JSON.stringify(results));
process.exitCode = results.every(r => r.ok) ? 0 : 1;
