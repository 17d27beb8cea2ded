// A webhook destination for the delivery benchmark: counts the events in each body (one event or an
// array), answers 200 after `delayMs`. GET /stats returns {events, requests, first, last}.
// Usage: node bench/delivery-sink.mjs <port> [delayMs]
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 4000);
const delayMs = Number(process.argv[3] ?? 0);
const stats = { events: 0, requests: 0, first: 0, last: 0 };
createServer((req, res) => {
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(stats));
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    // Counts the events without parsing them: every event Falconer sends starts with `{"uuid":"`, a
    // sequence that cannot occur inside a JSON string (its quotes would be escaped there). A real
    // destination runs on another machine; here it shares the two cores with Falconer and the load
    // generator, so it should cost as little as possible. The e2e and output tests check the bodies.
    const text = Buffer.concat(chunks).toString('latin1');
    let n = 0;
    for (let i = text.indexOf('{"uuid":"'); i >= 0; i = text.indexOf('{"uuid":"', i + 9)) n++;
    const answer = () => {
      const now = Date.now();
      if (stats.first === 0) stats.first = now;
      stats.last = now;
      stats.events += n;
      stats.requests++;
      res.writeHead(200);
      res.end();
    };
    if (delayMs > 0) setTimeout(answer, delayMs);
    else answer();
  });
}).listen(port, '127.0.0.1');
