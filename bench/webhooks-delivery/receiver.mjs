// A webhook receiver for bench/webhooks-delivery.sh: echoes verification challenges, answers 204, and records
// (webhook-id, contact id, arrival epoch ms) per delivery. Control on the same port:
//   GET /stats          -> {"received": n, "distinct": n}
//   GET /arrivals       -> [[webhook-id, contact id, epoch ms], ...]
//   POST /down?ms=60000 -> stops listening (connections refused) for that long, then listens again
import http from "node:http";

const port = Number(process.argv[2]);
const arrivals = [];
const ids = new Set();

function handler(req, res) {
  if (req.method === "GET" && req.url === "/stats") {
    res.end(JSON.stringify({ received: arrivals.length, distinct: ids.size }));
    return;
  }
  if (req.method === "GET" && req.url === "/arrivals") {
    res.end(JSON.stringify(arrivals));
    return;
  }
  if (req.method === "POST" && req.url.startsWith("/down")) {
    const ms = Number(new URL(req.url, "http://x").searchParams.get("ms"));
    res.end("down\n", () => {
      server.close();
      server.closeAllConnections();
      setTimeout(() => { server = listen(); }, ms);
    });
    return;
  }
  const chunks = [];
  req.on("data", c => chunks.push(c));
  req.on("end", () => {
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    if (body.type === "verification") {
      res.setHeader("Content-Type", "application/json");
      res.end(JSON.stringify({ challenge: body.challenge }));
      return;
    }
    const id = req.headers["webhook-id"];
    const contact = body.data && body.data.contact ? body.data.contact.id : null;
    arrivals.push([id, contact, Date.now()]);
    ids.add(id);
    res.statusCode = 204;
    res.end();
  });
}

function listen() {
  const s = http.createServer({ keepAliveTimeout: 60000 }, handler);
  s.listen(port, "127.0.0.1");
  return s;
}

let server = listen();
